"""``pinset download -d DIR`` and ``pinset wheel -w DIR``: a resolved set's files saved into a
directory, from which a fresh environment installs offline (``--no-index -f DIR``)."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.helpers.dists import make_wheel
from tests.helpers.fixtures_index import IndexServerFactory
from tests.helpers.fixtures_install import NEWEST, Run, catalog, index, pinset, venv  # noqa: F401
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import installed, new_venv, run_pinset, site_packages


def files_in(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_download_saves_the_resolved_wheels_and_an_offline_install_uses_them(
    pinset: Run, index: IndexServer, tmp_path: Path
) -> None:
    house = tmp_path / "wheelhouse"
    result = pinset("download", "-d", str(house), "-i", index.simple_url, "app[fast]")
    assert result.returncode == 0, result.stderr
    assert files_in(house) == [
        "app-1.0-py3-none-any.whl",
        "lib-2.0-py3-none-any.whl",
        "speedy-0.1-py3-none-any.whl",
    ]
    assert "3 files in " in result.stderr
    assert " lib-2.0-py3-none-any.whl (saved)" in result.stderr
    index.clear_requests()
    fresh = new_venv(tmp_path / "fresh", NEWEST)
    offline = run_pinset(
        "install", "--python", str(fresh), "--no-index", "-f", str(house), "app[fast]"
    )
    assert offline.returncode == 0, offline.stderr
    assert installed(site_packages(fresh)) == {"app": "1.0", "lib": "2.0", "speedy": "0.1"}
    assert index.requests == []


def test_a_second_download_keeps_the_files_already_there(
    pinset: Run, index: IndexServer, tmp_path: Path
) -> None:
    house = tmp_path / "house"
    assert pinset("download", "-d", str(house), "-i", index.simple_url, "lib").returncode == 0
    wheel = house / "lib-2.0-py3-none-any.whl"
    before = wheel.stat().st_mtime_ns
    again = pinset("download", "-d", str(house), "-i", index.simple_url, "lib")
    assert again.returncode == 0, again.stderr
    assert " lib-2.0-py3-none-any.whl (already there)" in again.stderr
    assert wheel.stat().st_mtime_ns == before
    assert files_in(house) == ["lib-2.0-py3-none-any.whl"]


def test_an_sdist_is_saved_as_it_is(pinset: Run, index: IndexServer, tmp_path: Path) -> None:
    house = tmp_path / "house"
    saved = pinset("download", "-d", str(house), "-i", index.simple_url, "--no-deps", "srconly")
    assert saved.returncode == 0, saved.stderr
    assert files_in(house) == ["srconly-1.0.tar.gz"]


def test_a_failed_download_writes_nothing(pinset: Run, index: IndexServer, tmp_path: Path) -> None:
    house = tmp_path / "house"
    result = pinset("download", "-d", str(house), "-i", index.simple_url, "app", "nothere")
    assert result.returncode == 1
    assert "nothere" in result.stderr
    assert not house.exists()


def test_wheel_copies_wheels(pinset: Run, index: IndexServer, tmp_path: Path) -> None:
    house = tmp_path / "house"
    built = pinset("wheel", "-w", str(house), "-i", index.simple_url, "app")
    assert built.returncode == 0, built.stderr
    assert files_in(house) == ["app-1.0-py3-none-any.whl", "lib-2.0-py3-none-any.whl"]


@pytest.fixture
def native_index(index_server_factory: IndexServerFactory, tmp_path: Path) -> IndexServer:
    files = tmp_path / "native-files"
    files.mkdir()
    requires = ["winonly ; sys_platform == 'win32'", "old-py ; python_version < '3.10'"]
    for tag in (
        "cp312-cp312-win_amd64",
        "cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64",
        "cp39-cp39-manylinux_2_17_x86_64.manylinux2014_x86_64",
        "cp39-abi3-macosx_11_0_arm64",
    ):
        make_wheel(files, "native", "1.0", tag=tag, requires=requires)
    make_wheel(files, "winonly", "1.0")
    make_wheel(files, "old-py", "1.0")
    server = index_server_factory()
    for path in sorted(files.iterdir()):
        server.add(path)
    return server


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (
            ["--platform", "win_amd64", "--python-version", "3.12"],
            ["native-1.0-cp312-cp312-win_amd64.whl", "winonly-1.0-py3-none-any.whl"],
        ),
        (
            ["--platform", "manylinux2014_x86_64", "--python-version", "39"],
            [
                "native-1.0-cp39-cp39-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
                "old_py-1.0-py3-none-any.whl",
            ],
        ),
        (
            ["--platform", "macosx_12_0_arm64", "--python-version", "3.13", "--abi", "abi3"],
            ["native-1.0-cp39-abi3-macosx_11_0_arm64.whl"],
        ),
    ],
    ids=["windows", "linux-3.9", "macos-abi3"],
)
def test_download_for_another_machine(
    native_index: IndexServer, tmp_path: Path, target: list[str], expected: list[str]
) -> None:
    house = tmp_path / "house"
    result = run_pinset(
        "download", "-d", str(house), "-i", native_index.simple_url, *target, "native"
    )
    assert result.returncode == 0, result.stderr
    assert files_in(house) == expected
    for name in expected:
        original = tmp_path / "native-files" / name
        assert hashlib.sha256((house / name).read_bytes()).digest() == (
            hashlib.sha256(original.read_bytes()).digest()
        )


def test_no_file_fits_the_other_machine(native_index: IndexServer, tmp_path: Path) -> None:
    result = run_pinset(
        "download", "-d", str(tmp_path / "h"), "-i", native_index.simple_url,
        "--platform", "win_arm64", "--python-version", "3.12", "native",
    )  # fmt: skip
    assert result.returncode == 1
    assert "native" in result.stderr
    assert "Traceback" not in result.stderr


def test_download_checks_hashes_as_install_does(pinset: Run, catalog: Path, tmp_path: Path) -> None:
    house = tmp_path / "house"
    digest = hashlib.sha256((catalog / "lib-2.0-py3-none-any.whl").read_bytes()).hexdigest()
    good = tmp_path / "good.txt"
    good.write_text(f"lib==2.0 --hash=sha256:{digest}\n")
    app = hashlib.sha256((catalog / "app-1.0-py3-none-any.whl").read_bytes()).hexdigest()
    missing = tmp_path / "missing.txt"
    missing.write_text(f"app==1.0 --hash=sha256:{app}\n")
    refused = pinset("download", "-d", str(house), "-r", str(missing))
    assert refused.returncode == 1
    assert f"lib 2.0 has no hash; add: lib==2.0 --hash=sha256:{digest}" in refused.stderr
    assert not house.exists()
    saved = pinset("download", "-d", str(house), "-r", str(good))
    assert saved.returncode == 0, saved.stderr
    assert files_in(house) == ["lib-2.0-py3-none-any.whl"]
