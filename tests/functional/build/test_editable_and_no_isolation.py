"""PEP 660 editables, and building without isolation (``--no-build-isolation``)."""

from __future__ import annotations

import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from pyproject_hooks import BuildBackendWarning

from pinset.build.builder import Builder
from pinset.errors import BuildError
from tests.functional.build.conftest import request_for, target
from tests.helpers import source_trees
from tests.helpers.build_context import WheelhouseContext
from tests.helpers.envs import make_venv
from tests.helpers.install_world import run_pinset
from tests.helpers.wheelhouse import WHEELHOUSE


def _install(venv_python: Path, *args: str) -> None:
    done = run_pinset(
        "install", "--python", str(venv_python), "--no-index", "-f", str(WHEELHOUSE), *args
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    ("version", "make"),
    [
        ("3.8", source_trees.setuptools_pyproject),
        ("3.13", source_trees.setuptools_pyproject),
        ("3.8", source_trees.flit_project),
        ("3.13", source_trees.hatchling_project),
    ],
)
def test_editable_wheel_imports_from_the_tree(
    tmp_path: Path,
    builder: Builder,
    version: str,
    make: Callable[[Path], Path],
    recwarn: pytest.WarningsRecorder,
) -> None:
    tree = make(tmp_path / "src")
    module = next(p.stem for p in tree.glob("*.py"))
    request = request_for(tmp_path, tree, version, editable=True)
    wheel = builder.wheel(request)
    assert not [w for w in recwarn if issubclass(w.category, BuildBackendWarning)]
    if make is source_trees.setuptools_pyproject:  # it warns about editables: to the log
        assert "warning: " in request.log.read_text()
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    assert any(n.endswith(".pth") for n in names), names
    assert f"{module}.py" not in names, "an editable wheel holds no copy of the code"

    venv = make_venv(tmp_path / "venv", version)
    _install(venv, "--no-deps", str(wheel))
    (tree / f"{module}.py").write_text('GREETING = "edited in place"\n')
    shown = subprocess.run(
        [str(venv), "-c", f"import {module}; print({module}.GREETING, {module}.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert shown[:3] == ["edited", "in", "place"]
    assert Path(shown[3]).resolve() == (tree / f"{module}.py").resolve()


@pytest.mark.parametrize("version", ["3.8", "3.13"])
def test_no_isolation_builds_with_what_the_target_has(
    tmp_path: Path, context: WheelhouseContext, builder: Builder, version: str
) -> None:
    venv = make_venv(tmp_path / "venv", version)
    _install(venv, "setuptools")
    tree = source_trees.setuptools_setup_cfg(tmp_path / "src")
    request = request_for(tmp_path, tree, version, isolation=False)
    request = type(request)(**{**request.__dict__, "python": venv})
    wheel = builder.wheel(request)
    assert wheel.name.startswith("cfg_proj-2.0-")
    assert context.calls == [], "nothing is installed without isolation"
    assert str(venv) in request.log.read_text()


def test_no_isolation_without_the_backend_says_so(tmp_path: Path, builder: Builder) -> None:
    venv = make_venv(tmp_path / "venv", "3.13")
    tree = source_trees.setuptools_pyproject(tmp_path / "src")
    request = request_for(tmp_path, tree, "3.13", isolation=False)
    request = type(request)(**{**request.__dict__, "python": venv})
    with pytest.raises(BuildError, match=r"'setuptools\.build_meta' cannot be imported"):
        builder.wheel(request)
    assert target("3.13").exists()
