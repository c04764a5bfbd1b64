"""Installing from a real private index with authentication: pypiserver (a subprocess on
127.0.0.1, htpasswd, every action protected) serving generated wheels.

Credentials come from ``-i http://user:pass@...`` in a requirements file, from ``.netrc``, or
from ``PIP_INDEX_URL``. A wrong password is a clear error with the URL redacted; the password
never appears in anything pinset prints or writes (the environment, its ``RECORD`` and
``direct_url.json`` files, reports, the cache).
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.dists import make_wheel
from tests.helpers.fixtures_install import NEWEST, VERSIONS
from tests.helpers.install_world import installed, new_venv, run_pinset, site_packages
from tests.helpers.pypiserver import PypiServer

PASSWORD = "Pr1vate-Index-Pw"
WRONG = "Wr0ng-Guess-Pw"


@pytest.fixture(scope="module")
def private_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PypiServer]:
    packages = tmp_path_factory.mktemp("private-packages")
    make_wheel(packages, "privapp", "1.0", requires=["privlib>=1"])
    make_wheel(packages, "privlib", "1.0")
    make_wheel(packages, "privlib", "1.1")
    with PypiServer(packages, users={"alice": PASSWORD}) as server:
        yield server


@pytest.fixture
def venv(tmp_path: Path) -> Path:
    if not VERSIONS:
        pytest.skip("no pyenv interpreters on this machine")
    return new_venv(tmp_path / "venv", NEWEST)


def _files_containing(root: Path, secret: str, *, skip: tuple[Path, ...] = ()) -> list[Path]:
    found = []
    needle = secret.encode()
    for path in root.rglob("*"):
        readable = path.is_file() and not path.is_symlink() and path not in skip
        if readable and needle in path.read_bytes():
            found.append(path)
    return found


def _assert_secret_kept(
    result: subprocess.CompletedProcess[str], *roots: Path, skip: tuple[Path, ...] = ()
) -> None:
    for secret in (PASSWORD, WRONG):
        assert secret not in result.stdout
        assert secret not in result.stderr
        for root in roots:
            assert _files_containing(root, secret, skip=skip) == []


def _assert_installed(venv: Path) -> None:
    site = site_packages(venv)
    assert installed(site) == {"privapp": "1.0", "privlib": "1.1"}
    records = list(site.glob("priv*.dist-info/RECORD"))
    assert len(records) == 2


def test_credentials_in_the_requirements_file(
    private_index: PypiServer, venv: Path, tmp_path: Path
) -> None:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(f"-i {private_index.authed_url('alice')}\nprivapp==1.0\n")
    report = tmp_path / "report.json"
    result = run_pinset(
        "install", "--python", str(venv), "-r", str(requirements), "--report", str(report),
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    _assert_installed(venv)
    data = json.loads(report.read_text())
    urls = [item["download_info"]["url"] for item in data["install"]]
    # PEP 610, as pip: the recorded URL has no user information at all
    assert sorted(urls) == [
        f"{private_index.url}/packages/privapp-1.0-py3-none-any.whl",
        f"{private_index.url}/packages/privlib-1.1-py3-none-any.whl",
    ]
    home = Path(os.environ["HOME"])
    _assert_secret_kept(result, venv, report, home, skip=(requirements,))


def test_report_on_stdout_is_redacted(
    private_index: PypiServer, venv: Path, tmp_path: Path
) -> None:
    result = run_pinset(
        "install", "--python", str(venv), "-i", private_index.authed_url("alice"),
        "--dry-run", "--report", "-", "privapp", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert sorted(item["metadata"]["name"] for item in report["install"]) == ["privapp", "privlib"]
    _assert_secret_kept(result, venv)


def test_credentials_from_netrc(private_index: PypiServer, venv: Path, tmp_path: Path) -> None:
    netrc = Path(os.environ["HOME"]) / ".netrc"
    netrc.write_text(f"machine 127.0.0.1 login alice password {PASSWORD}\n")
    netrc.chmod(0o600)
    result = run_pinset(
        "install", "--python", str(venv), "-i", private_index.simple_url, "privapp", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    _assert_installed(venv)
    _assert_secret_kept(result, venv, Path(os.environ["HOME"]), skip=(netrc,))


def test_credentials_from_pip_index_url(
    private_index: PypiServer, venv: Path, tmp_path: Path
) -> None:
    env = {"PIP_INDEX_URL": private_index.authed_url("alice")}
    result = run_pinset("install", "--python", str(venv), "privapp", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    _assert_installed(venv)
    _assert_secret_kept(result, venv, Path(os.environ["HOME"]))
    listed = run_pinset("config", "list", "--json", cwd=tmp_path, env=env)
    assert listed.returncode == 0, listed.stderr
    assert "alice:****@127.0.0.1" in listed.stdout
    _assert_secret_kept(listed)


def test_wrong_password_is_a_clear_redacted_error(
    private_index: PypiServer, venv: Path, tmp_path: Path
) -> None:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(f"-i {private_index.authed_url('alice', WRONG)}\nprivapp==1.0\n")
    result = run_pinset(
        "install", "--python", str(venv), "-r", str(requirements), "--retries", "0", cwd=tmp_path
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "401" in result.stderr or "403" in result.stderr
    assert f"alice:****@127.0.0.1:{private_index.port}" in result.stderr
    assert installed(site_packages(venv)) == {}
    _assert_secret_kept(result, venv, Path(os.environ["HOME"]), skip=(requirements,))


def test_no_credentials_at_all_is_a_clear_error(
    private_index: PypiServer, venv: Path, tmp_path: Path
) -> None:
    result = run_pinset(
        "install", "--python", str(venv), "-i", private_index.simple_url, "privapp",
        "--retries", "0", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "401" in result.stderr
    assert "privapp" in result.stderr


def test_a_direct_url_with_credentials_is_recorded_without_them(
    private_index: PypiServer, venv: Path, tmp_path: Path
) -> None:
    host = private_index.url.split("://", 1)[1]
    wheel = f"http://alice:{PASSWORD}@{host}/packages/privlib-1.1-py3-none-any.whl"
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(f"privlib @ {wheel}\n")
    report = tmp_path / "report.json"
    result = run_pinset(
        "install", "--python", str(venv), "--no-index", "-r", str(requirements),
        "--report", str(report), cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    site = site_packages(venv)
    assert installed(site) == {"privlib": "1.1"}
    direct = json.loads((next(site.glob("privlib-1.1.dist-info")) / "direct_url.json").read_text())
    assert direct["url"] == f"{private_index.url}/packages/privlib-1.1-py3-none-any.whl"
    home = Path(os.environ["HOME"])
    _assert_secret_kept(result, venv, report, home, skip=(requirements,))
