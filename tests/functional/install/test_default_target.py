"""The default target: a virtual environment (VIRTUAL_ENV, CONDA_PREFIX, .venv here or above),
never the environment pinset runs from unless told by path or run as ``python -m pinset``; a
Python outside a virtual environment only with --system."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)
from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from tests.helpers.envs import pyenv_root, python_for, snapshot
from tests.helpers.fixtures_install import VERSIONS, catalog, index  # noqa: F401
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import installed, new_venv, site_packages
from tests.helpers.tool_env import make_tool_env

pytestmark = pytest.mark.skipif(not VERSIONS, reason="no pyenv interpreters on this machine")


def _run(
    command: Sequence[str], cwd: Path, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full = dict(os.environ, NO_COLOR="1")
    full.update(env or {})
    return subprocess.run(
        list(command), cwd=cwd, env=full, capture_output=True, text=True, timeout=180, check=False
    )


@pytest.fixture
def tool(tmp_path: Path) -> Path:
    return make_tool_env(tmp_path / "tool")


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A working directory with no .venv in it or above it."""
    path = tmp_path / "work"
    path.mkdir()
    assert not any((d / ".venv").exists() for d in (path, *path.parents))
    return path


def test_console_script_without_an_environment_refuses_and_changes_nothing(
    tool: Path, work: Path, index: IndexServer
) -> None:
    before = snapshot(tool)
    pinset = str(tool / "bin" / "pinset")
    result = _run([pinset, "install", "-i", index.simple_url, "lib==1.0"], work)
    assert result.returncode == 1, result.stderr
    assert "no virtual environment found" in result.stderr
    for way in ("pinset venv", "--python PATH", "--system"):
        assert way in result.stderr
    assert "Traceback" not in result.stderr
    removed = _run([pinset, "uninstall", "-y", "pinset"], work)
    assert removed.returncode == 1
    assert "no virtual environment found" in removed.stderr
    assert snapshot(tool) == before


def test_console_script_refuses_its_own_environment_even_when_active(
    tool: Path, work: Path, index: IndexServer
) -> None:
    before = snapshot(tool)
    result = _run(
        [str(tool / "bin" / "pinset"), "install", "-i", index.simple_url, "lib==1.0"],
        work,
        env={"VIRTUAL_ENV": str(tool)},
    )
    assert result.returncode == 1, result.stderr
    assert f"{tool} is the environment pinset itself runs from" in result.stderr
    assert f"--python {tool}" in result.stderr
    assert snapshot(tool) == before


def test_own_environment_named_by_path_or_python_dash_m(
    tool: Path, work: Path, index: IndexServer
) -> None:
    pinset = str(tool / "bin" / "pinset")
    url = index.simple_url
    by_path = _run([pinset, "install", "--python", str(tool), "-i", url, "lib==1.0"], work)
    assert by_path.returncode == 0, by_path.stderr
    assert installed(site_packages(tool)) == {"lib": "1.0"}
    python = str(tool / "bin" / "python")
    as_module = _run([python, "-m", "pinset", "install", "-i", index.simple_url, "lib==2.0"], work)
    assert as_module.returncode == 0, as_module.stderr
    assert installed(site_packages(tool)) == {"lib": "2.0"}


def test_dot_venv_in_a_parent_directory_is_the_target(
    tool: Path, tmp_path: Path, index: IndexServer
) -> None:
    project = tmp_path / "project"
    env = new_venv(project / ".venv", VERSIONS[-1])
    deep = project / "src" / "pkg"
    deep.mkdir(parents=True)
    result = _run([str(tool / "bin" / "pinset"), "install", "-i", index.simple_url, "lib"], deep)
    assert result.returncode == 0, result.stderr
    assert installed(site_packages(env)) == {"lib": "2.0"}
    assert installed(site_packages(tool)) == {}


def test_a_version_that_finds_a_system_python_needs_system(
    tool: Path, work: Path, index: IndexServer
) -> None:
    version = VERSIONS[0]
    system = python_for(version)
    assert system is not None
    system_site = sorted(system.parent.parent.glob("lib/python3*/site-packages"))[0]
    before = installed(system_site)
    command = [str(tool / "bin" / "pinset"), "install", "--python", version, "--dry-run"]
    command += ["-i", index.simple_url, "lib==1.0"]
    env = {"PATH": "", "PYENV_ROOT": str(pyenv_root())}
    refused = _run(command, work, env)
    assert refused.returncode == 1, refused.stderr
    assert f"found {system}, which is not in a virtual environment" in refused.stderr
    assert "pass --system" in refused.stderr
    allowed = _run([*command, "--system"], work, env)
    assert allowed.returncode == 0, allowed.stderr
    assert "lib==1.0" in allowed.stderr
    assert str(system.parent.parent) in allowed.stderr
    assert installed(system_site) == before


def test_system_takes_the_python_on_path_and_reading_needs_no_flag(
    tool: Path, work: Path, tmp_path: Path, index: IndexServer
) -> None:
    system = python_for(VERSIONS[0])
    assert system is not None
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(system)
    env = {"PATH": str(bin_dir)}
    pinset = str(tool / "bin" / "pinset")
    command = [pinset, "install", "--dry-run", "-i", index.simple_url, "lib==1.0"]
    refused = _run(command, work, env)
    assert refused.returncode == 1, refused.stderr
    assert "no virtual environment found" in refused.stderr
    allowed = _run([*command, "--system"], work, env)
    assert allowed.returncode == 0, allowed.stderr
    assert f"into {system.parent.parent} (Python {VERSIONS[0]}." in allowed.stderr
    checked = _run([pinset, "check", "--env"], work, env)
    assert checked.returncode in (0, 1), checked.stderr  # 1: that Python's files were edited
    assert f"in {system.parent.parent} (Python {VERSIONS[0]}." in checked.stderr


def test_commands_that_only_read_may_read_pinsets_own_environment(
    tool: Path, work: Path, index: IndexServer
) -> None:
    """list, show and download change nothing: pinset's own environment may be their target."""
    before = snapshot(tool)
    pinset = str(tool / "bin" / "pinset")
    env = {"VIRTUAL_ENV": str(tool)}
    listed = _run([pinset, "list", "--format", "freeze"], work, env)
    assert listed.returncode == 0, listed.stderr
    shown = _run([pinset, "show", "nothing-here"], work, env)
    assert "is the environment pinset itself runs from" not in shown.stderr
    saved = work / "saved"
    url = index.simple_url
    got = _run([pinset, "download", "-d", str(saved), "-i", url, "lib==1.0"], work, env)
    assert got.returncode == 0, got.stderr
    assert [p.name for p in saved.iterdir()] == ["lib-1.0-py3-none-any.whl"]
    assert snapshot(tool) == before
