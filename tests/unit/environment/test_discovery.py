"""--python VERSION|PATH, VIRTUAL_ENV, ./.venv, then pinset's own interpreter."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from pinset.environment.discovery import find_target
from pinset.errors import TargetEnvironmentError


def _exe(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def pyenv(tmp_path: Path) -> Path:
    root = tmp_path / "pyenv"
    for version in ("3.11.7", "3.12.1", "3.12.10", "3.13.0"):
        _exe(root / "versions" / version / "bin" / "python")
    return root


def test_version_from_pyenv_newest_patch(tmp_path: Path, pyenv: Path) -> None:
    env = {"PYENV_ROOT": str(pyenv), "PATH": ""}
    assert find_target("3.12", environ=env, cwd=tmp_path) == pyenv / "versions/3.12.10/bin/python"
    assert find_target("3.12.1", environ=env, cwd=tmp_path) == pyenv / "versions/3.12.1/bin/python"
    assert find_target("python3.11", environ=env, cwd=tmp_path).parts[-3] == "3.11.7"
    assert find_target("3", environ=env, cwd=tmp_path).parts[-3] == "3.13.0"


def test_path_wins_over_pyenv_for_minor_versions(tmp_path: Path, pyenv: Path) -> None:
    on_path = _exe(tmp_path / "bin" / "python3.12")
    env = {"PYENV_ROOT": str(pyenv), "PATH": str(tmp_path / "bin")}
    assert find_target("3.12", environ=env, cwd=tmp_path) == on_path


def test_paths_and_directories(tmp_path: Path) -> None:
    exe = _exe(tmp_path / "venv" / "bin" / "python")
    env: dict[str, str] = {}
    assert find_target("venv/bin/python", environ=env, cwd=tmp_path) == exe
    assert find_target("venv", environ=env, cwd=tmp_path) == exe
    with pytest.raises(TargetEnvironmentError, match="no Python interpreter at"):
        find_target("./missing/python", environ=env, cwd=tmp_path)


def test_unknown_version(tmp_path: Path) -> None:
    with pytest.raises(TargetEnvironmentError, match=r"--python 3\.99"):
        find_target("3.99", environ={"PYENV_ROOT": str(tmp_path), "PATH": ""}, cwd=tmp_path)


def test_virtual_env_then_dot_venv_then_self(tmp_path: Path) -> None:
    active = _exe(tmp_path / "active" / "bin" / "python")
    local = _exe(tmp_path / ".venv" / "bin" / "python")
    assert (
        find_target(None, environ={"VIRTUAL_ENV": str(active.parent.parent)}, cwd=tmp_path)
        == active
    )
    with pytest.raises(TargetEnvironmentError, match="VIRTUAL_ENV"):
        find_target(None, environ={"VIRTUAL_ENV": str(tmp_path / "gone")}, cwd=tmp_path)
    (tmp_path / ".venv" / "pyvenv.cfg").write_text("home = /x\n")
    assert find_target(None, environ={}, cwd=tmp_path) == local
    assert os.path.isabs(find_target(None, environ={}, cwd=tmp_path))


def test_pyenv_shims_on_path_are_skipped(tmp_path: Path, pyenv: Path) -> None:
    _exe(pyenv / "shims" / "python3.12")
    env = {"PYENV_ROOT": str(pyenv), "PATH": str(pyenv / "shims")}
    assert find_target("3.12", environ=env, cwd=tmp_path) == pyenv / "versions/3.12.10/bin/python"


def test_no_dot_venv_means_the_running_python(tmp_path: Path) -> None:
    assert find_target(None, environ={}, cwd=tmp_path) == Path(sys.executable)


def _unusable(tmp_path: Path, expected: str, fix: str = "") -> None:
    with pytest.raises(TargetEnvironmentError, match="not a usable virtual environment") as info:
        find_target(None, environ={}, cwd=tmp_path)
    assert str(tmp_path / ".venv") in info.value.message
    assert expected in info.value.message
    assert info.value.hint is not None
    assert info.value.hint.startswith(fix)
    assert info.value.hint.endswith(", or choose the environment with --python or VIRTUAL_ENV")


def test_dangling_dot_venv_link_is_an_error(tmp_path: Path) -> None:
    (tmp_path / ".venv").symlink_to(tmp_path / "deleted-env")
    _unusable(tmp_path, f"a broken symbolic link to {tmp_path / 'deleted-env'}", "remove the link")


def test_dot_venv_that_is_a_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / ".venv").write_text("myenv\n")
    _unusable(tmp_path, "it is not a directory", "rename or remove it")


def test_dot_venv_without_pyvenv_cfg_is_an_error(tmp_path: Path) -> None:
    _exe(tmp_path / ".venv" / "bin" / "python")
    _unusable(tmp_path, "it has no pyvenv.cfg", "rename or remove it")


def test_dot_venv_whose_interpreter_is_gone_is_an_error(tmp_path: Path) -> None:
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "pyvenv.cfg").write_text("home = /x\n")
    _unusable(tmp_path, "it has no interpreter at", "recreate it (pinset venv --clear .venv)")
    (tmp_path / ".venv" / "bin" / "python").symlink_to("/no/such/python3.99")
    _unusable(tmp_path, "is a broken symbolic link to /no/such/python3.99")


def test_virtual_env_wins_over_an_unusable_dot_venv(tmp_path: Path) -> None:
    active = _exe(tmp_path / "active" / "bin" / "python")
    (tmp_path / ".venv").symlink_to(tmp_path / "deleted-env")
    environ = {"VIRTUAL_ENV": str(active.parent.parent)}
    assert find_target(None, environ=environ, cwd=tmp_path) == active
    assert find_target(str(active), environ={}, cwd=tmp_path) == active
