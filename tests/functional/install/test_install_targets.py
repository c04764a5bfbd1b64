"""Where install writes (venvs of every Python, --target), direct URLs, and uninstall."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.helpers.envs import diff, snapshot
from tests.helpers.fixtures_install import (  # noqa: F401
    VERSIONS,
    Run,
    catalog,
    index,
    pinset,
    venv,
)
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import (
    dist_info,
    installed,
    new_venv,
    run_pinset,
    site_packages,
)


@pytest.mark.parametrize("version", VERSIONS)
def test_installs_into_every_supported_python(
    version: str, index: IndexServer, tmp_path: Path
) -> None:
    env = new_venv(tmp_path / f"py{version}", version)
    result = run_pinset(
        "install", "--python", str(env), "-i", index.simple_url, "app[fast]", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert f"(Python {version}." in result.stderr
    ran = subprocess.run(
        [str(env / "bin" / "python"), "-c", "import app, lib, speedy; print(lib.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert ran.stdout == "2.0\n"
    pyc = list((site_packages(env) / "lib" / "__pycache__").glob("*.pyc"))
    assert pyc, "installed modules are byte-compiled by the target"


def test_virtual_env_and_dot_venv_are_found_without_python(
    index: IndexServer, venv: Path, tmp_path: Path
) -> None:
    by_env = run_pinset(
        "install", "-i", index.simple_url, "lib==1.0", cwd=tmp_path, env={"VIRTUAL_ENV": str(venv)}
    )
    assert by_env.returncode == 0, by_env.stderr
    assert installed(site_packages(venv)) == {"lib": "1.0"}
    project = tmp_path / "project"
    project.mkdir()
    new_venv(project / ".venv", VERSIONS[-1])
    by_dir = run_pinset("install", "-i", index.simple_url, "lib==2.0", cwd=project)
    assert by_dir.returncode == 0, by_dir.stderr
    assert installed(site_packages(project / ".venv")) == {"lib": "2.0"}


def test_target_directory(pinset: Run, venv: Path, tmp_path: Path) -> None:
    before = snapshot(venv)
    result = pinset("install", "--target", "out", "app[fast]")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    assert installed(out) == {"app": "1.0", "lib": "2.0", "speedy": "0.1"}
    assert (out / "app" / "__init__.py").is_file()
    assert (out / "bin" / "speedy").is_file()
    assert diff(before, snapshot(venv)) == {"added": [], "removed": [], "changed": []}
    again = pinset("install", "--target", "out", "app[fast]")
    assert again.stderr.startswith("Already satisfied")


def test_a_wheel_path_is_installed_with_direct_url(
    pinset: Run, venv: Path, catalog: Path, tmp_path: Path
) -> None:
    wheel = catalog / "lib-1.0-py3-none-any.whl"
    result = pinset("install", str(wheel))
    assert result.returncode == 0, result.stderr
    info = dist_info(site_packages(venv), "lib")
    data = json.loads((info / "direct_url.json").read_text())
    assert data["url"] == wheel.as_uri()
    assert len(data["archive_info"]["hashes"]["sha256"]) == 64
    assert (info / "REQUESTED").exists()
    report = pinset("install", "--dry-run", "--report", "-", "--force-reinstall", str(wheel))
    item = json.loads(report.stdout)["install"][0]
    assert item["is_direct"] is True
    assert item["download_info"]["url"] == wheel.as_uri()


def test_uninstall_removes_exactly_what_was_installed(
    pinset: Run, venv: Path, tmp_path: Path
) -> None:
    before = snapshot(venv)
    assert pinset("install", "app[fast]", "--no-compile").returncode == 0
    (tmp_path / "reqs.txt").write_text("app\nlib\n")
    result = pinset("uninstall", "speedy", "-r", "reqs.txt", "nothere", "-y")
    assert result.returncode == 0, result.stderr
    assert "warning: skipping nothere: it is not installed" in result.stderr
    assert " - app==1.0\n - lib==2.0\n - speedy==0.1\n" in result.stderr
    changes = diff(before, snapshot(venv))
    assert changes == {"added": [], "removed": [], "changed": []}, changes


def test_uninstall_of_nothing_installed_changes_nothing(pinset: Run) -> None:
    result = pinset("uninstall", "lib")
    assert result.returncode == 0
    assert "Uninstalled 0 packages" in result.stderr


def test_prefix_and_root_lay_out_the_environments_scheme(
    pinset: Run, venv: Path, tmp_path: Path
) -> None:
    before = snapshot(venv)
    result = pinset("install", "--prefix", "pfx", "app[fast]")
    assert result.returncode == 0, result.stderr
    site = site_packages(tmp_path / "pfx")
    assert installed(site) == {"app": "1.0", "lib": "2.0", "speedy": "0.1"}
    assert (tmp_path / "pfx" / "bin" / "speedy").is_file()
    rooted = pinset("install", "--root", "stage", "lib==1.0")
    assert rooted.returncode == 0, rooted.stderr
    staged = tmp_path / "stage" / site_packages(venv).relative_to("/")
    assert installed(staged) == {"lib": "1.0"}
    assert diff(before, snapshot(venv)) == {"added": [], "removed": [], "changed": []}


def test_user_site_is_refused_inside_a_virtual_environment(pinset: Run) -> None:
    result = pinset("install", "--user", "lib")
    assert result.returncode == 1
    assert "cannot install with --user" in result.stderr
