"""--python VERSION|PATH, VIRTUAL_ENV, CONDA_PREFIX, .venv here or above, --system; never
pinset's own interpreter by default."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from pinset.environment.discovery import TargetQuery, find_interpreter
from pinset.environment.discovery import find_target as find
from pinset.errors import TargetEnvironmentError


def find_target(
    python: str | None,
    *,
    environ: dict[str, str],
    cwd: Path,
    system: bool = False,
    changes: bool = False,
    as_module: bool = False,
) -> Path:
    """The executable found (``changes=False``: any interpreter a version names is taken)."""
    query = TargetQuery(python, system=system, changes=changes, as_module=as_module)
    return find(query, environ=environ, cwd=cwd).executable


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


def test_virtual_env_then_dot_venv(tmp_path: Path) -> None:
    active = _exe(tmp_path / "active" / "bin" / "python")
    local = _exe(tmp_path / ".venv" / "bin" / "python")
    assert (
        find_target(None, environ={"VIRTUAL_ENV": str(active.parent.parent)}, cwd=tmp_path)
        == active
    )
    with pytest.raises(TargetEnvironmentError, match="VIRTUAL_ENV"):
        find_target(None, environ={"VIRTUAL_ENV": str(tmp_path / "gone")}, cwd=tmp_path)
    (tmp_path / ".venv" / "pyvenv.cfg").write_text("home = /x\n")
    assert find_target(None, environ={}, cwd=tmp_path, changes=True) == local
    assert os.path.isabs(find_target(None, environ={}, cwd=tmp_path))


def test_pyenv_shims_on_path_are_skipped(tmp_path: Path, pyenv: Path) -> None:
    _exe(pyenv / "shims" / "python3.12")
    env = {"PYENV_ROOT": str(pyenv), "PATH": str(pyenv / "shims")}
    assert find_target("3.12", environ=env, cwd=tmp_path) == pyenv / "versions/3.12.10/bin/python"


def test_nothing_found_is_refused_never_pinsets_own_python(tmp_path: Path) -> None:
    with pytest.raises(TargetEnvironmentError, match="no virtual environment found") as info:
        find_target(None, environ={"PATH": ""}, cwd=tmp_path, changes=True)
    assert str(tmp_path) in info.value.message
    assert info.value.hint is not None
    for way in ("pinset venv", "--python PATH", "--system"):
        assert way in info.value.hint


def test_python_dash_m_pinset_falls_back_to_its_interpreter(tmp_path: Path) -> None:
    found = find_target(None, environ={"PATH": ""}, cwd=tmp_path, changes=True, as_module=True)
    assert found == Path(sys.executable)


def test_system_never_falls_back_to_a_virtual_environment(tmp_path: Path) -> None:
    in_venv = sys.prefix != sys.base_prefix
    environ = {"PATH": ""}
    if in_venv:
        with pytest.raises(TargetEnvironmentError, match="outside a virtual environment"):
            find_target(None, environ=environ, cwd=tmp_path, system=True, as_module=True)
    else:
        found = find_target(None, environ=environ, cwd=tmp_path, system=True, as_module=True)
        assert found == Path(sys.executable)


def test_a_command_that_reads_falls_back_to_the_python_on_path(tmp_path: Path) -> None:
    _exe(tmp_path / "venvbin" / "python3")
    (tmp_path / "pyvenv.cfg").write_text("home = /x\n")  # venvbin/python3 is in a venv
    system = _exe(tmp_path / "usr" / "bin" / "python3")
    path = os.pathsep.join([str(tmp_path / "venvbin"), str(system.parent)])
    cwd = tmp_path / "work"
    cwd.mkdir()
    assert find_target(None, environ={"PATH": path}, cwd=cwd) == system


def test_dot_venv_in_a_parent_directory(tmp_path: Path) -> None:
    local = _exe(tmp_path / ".venv" / "bin" / "python")
    (tmp_path / ".venv" / "pyvenv.cfg").write_text("home = /x\n")
    deep = tmp_path / "src" / "pkg"
    deep.mkdir(parents=True)
    assert find_target(None, environ={}, cwd=deep, changes=True) == local
    nearer = _exe(tmp_path / "src" / ".venv" / "bin" / "python")
    (tmp_path / "src" / ".venv" / "pyvenv.cfg").write_text("home = /x\n")
    assert find_target(None, environ={}, cwd=deep, changes=True) == nearer


def test_unusable_dot_venv_in_a_parent_is_an_error(tmp_path: Path) -> None:
    (tmp_path / ".venv").symlink_to(tmp_path / "deleted-env")
    deep = tmp_path / "src"
    deep.mkdir()
    with pytest.raises(TargetEnvironmentError, match="not a usable virtual environment"):
        find_target(None, environ={}, cwd=deep, changes=True)


def test_conda_environment_after_virtual_env(tmp_path: Path) -> None:
    conda = _exe(tmp_path / "conda" / "envs" / "work" / "bin" / "python")
    active = _exe(tmp_path / "active" / "bin" / "python")
    environ = {"CONDA_PREFIX": str(conda.parent.parent), "CONDA_DEFAULT_ENV": "work"}
    assert find_target(None, environ=environ, cwd=tmp_path, changes=True) == conda
    environ["VIRTUAL_ENV"] = str(active.parent.parent)
    assert find_target(None, environ=environ, cwd=tmp_path, changes=True) == active


def test_conda_base_is_a_system_python(tmp_path: Path) -> None:
    base = _exe(tmp_path / "miniconda" / "bin" / "python")
    environ = {"CONDA_PREFIX": str(base.parent.parent), "CONDA_DEFAULT_ENV": "base", "PATH": ""}
    with pytest.raises(TargetEnvironmentError, match="no virtual environment found") as info:
        find_target(None, environ=environ, cwd=tmp_path, changes=True)
    assert "the active conda environment is conda's base" in info.value.message
    assert info.value.note is not None
    assert "conda base environment" in info.value.note
    assert find_target(None, environ=environ, cwd=tmp_path, changes=True, system=True) == base


def test_system_skips_virtual_environments(tmp_path: Path) -> None:
    active = _exe(tmp_path / "active" / "bin" / "python3")
    (tmp_path / "active" / "pyvenv.cfg").write_text("home = /x\n")
    _exe(tmp_path / ".venv" / "bin" / "python")
    (tmp_path / ".venv" / "pyvenv.cfg").write_text("home = /x\n")
    system = _exe(tmp_path / "usr" / "bin" / "python3")
    environ = {
        "VIRTUAL_ENV": str(active.parent.parent),
        "PATH": os.pathsep.join([str(active.parent), str(system.parent)]),
    }
    assert find_target(None, environ=environ, cwd=tmp_path, changes=True, system=True) == system
    with pytest.raises(TargetEnvironmentError, match="outside a virtual environment"):
        find_target(None, environ={"PATH": str(active.parent)}, cwd=tmp_path, system=True)


def test_a_version_that_finds_a_system_python_needs_system(tmp_path: Path, pyenv: Path) -> None:
    env = {"PYENV_ROOT": str(pyenv), "PATH": ""}
    with pytest.raises(TargetEnvironmentError, match="not in a virtual environment") as info:
        find_target("3.12", environ=env, cwd=tmp_path, changes=True)
    assert str(pyenv / "versions/3.12.10/bin/python") in info.value.message
    assert info.value.hint is not None
    assert "--system" in info.value.hint
    found = find_target("3.12", environ=env, cwd=tmp_path, changes=True, system=True)
    assert found == pyenv / "versions/3.12.10/bin/python"


def test_a_version_takes_the_virtual_environment_that_matches(tmp_path: Path, pyenv: Path) -> None:
    in_venv = _exe(tmp_path / "env" / "bin" / "python3.12")
    (tmp_path / "env" / "pyvenv.cfg").write_text("home = /x\n")
    env = {"PYENV_ROOT": str(pyenv), "PATH": str(in_venv.parent)}
    assert find_target("3.12", environ=env, cwd=tmp_path, changes=True) == in_venv
    found = find_target("3.12", environ=env, cwd=tmp_path, changes=True, system=True)
    assert found == pyenv / "versions/3.12.10/bin/python"
    with pytest.raises(TargetEnvironmentError, match="only interpreters in virtual environments"):
        find_target("3.12", environ={"PATH": str(in_venv.parent)}, cwd=tmp_path, system=True)


def test_a_path_is_taken_whatever_it_is(tmp_path: Path, pyenv: Path) -> None:
    exe = pyenv / "versions/3.11.7/bin/python"
    found = find(TargetQuery(str(exe)), environ={}, cwd=tmp_path)
    assert found.executable == exe
    assert found.named_by_path
    assert not find(
        TargetQuery("3.11", changes=False), environ={"PYENV_ROOT": str(pyenv)}, cwd=tmp_path
    ).named_by_path
    assert (
        find_interpreter("3.11", environ={"PYENV_ROOT": str(pyenv), "PATH": ""}, cwd=tmp_path)
        == exe
    )


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
