"""Source trees of every common backend build into wheels with the target interpreter, in an
isolated build environment that the context fills from the wheelhouse."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from pinset.build.builder import Builder
from tests.functional.build.conftest import request_for
from tests.helpers import source_trees
from tests.helpers.build_context import WheelhouseContext

Tree = Callable[[Path], Path]


def _names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as zf:
        return set(zf.namelist())


def _metadata(wheel: Path) -> str:
    with zipfile.ZipFile(wheel) as zf:
        (name,) = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        return zf.read(name).decode()


@pytest.mark.parametrize("version", ["3.8", "3.13"])
@pytest.mark.parametrize(
    "case",
    [
        (source_trees.setuptools_setup_py, "legacy_proj-1.0-", "legacy_proj.py"),
        (source_trees.setuptools_setup_cfg, "cfg_proj-2.0-", "cfg_proj.py"),
        (source_trees.setuptools_pyproject, "st_proj-3.0-", "st_proj.py"),
        (source_trees.flit_project, "flit_proj-3.0-", "flit_proj.py"),
    ],
)
def test_wheels_built_with_the_target_python(
    tmp_path: Path,
    builder: Builder,
    context: WheelhouseContext,
    version: str,
    case: tuple[Tree, str, str],
) -> None:
    make, wheel_name, module = case
    tree = make(tmp_path / "src")
    wheel = builder.wheel(request_for(tmp_path, tree, version))
    assert wheel.name.startswith(wheel_name)
    assert wheel.name.endswith("-none-any.whl")
    assert module in _names(wheel)
    assert context.calls, "the build requirements went through the context"
    log = (tmp_path / "logs" / "src.log").read_text()
    assert f"python{version}" in log or f"/{version}." in log


def test_legacy_tree_gets_pips_default_requirements(
    tmp_path: Path, builder: Builder, context: WheelhouseContext
) -> None:
    tree = source_trees.setuptools_setup_py(tmp_path / "src")
    builder.wheel(request_for(tmp_path, tree, "3.13"))
    assert context.calls[0] == ("setuptools>=40.8.0",)
    # setuptools 75 asks for nothing more than `requires` (it once asked for wheel)
    assert all(call[:1] != ("setuptools>=40.8.0",) for call in context.calls[1:])


def test_hatchling_wheel(tmp_path: Path, builder: Builder) -> None:
    tree = source_trees.hatchling_project(tmp_path / "src")
    wheel = builder.wheel(request_for(tmp_path, tree, "3.13"))
    assert wheel.name.startswith("hatch_proj-3.0-")
    assert "Requires-Dist: attrs>=20" in _metadata(wheel)


@pytest.mark.parametrize("version", ["3.8", "3.13"])
def test_metadata_prepared_by_the_backend_without_a_wheel(
    tmp_path: Path, builder: Builder, version: str
) -> None:
    tree = source_trees.setuptools_pyproject(tmp_path / "src")
    meta = builder.metadata(request_for(tmp_path, tree, version))
    assert meta.wheel is None
    assert meta.dist_info.name == "st_proj-3.0.dist-info"
    assert "Requires-Dist: attrs" in (meta.dist_info / "METADATA").read_text()
    assert not list((tmp_path / "out").glob("*.whl"))


@pytest.mark.parametrize("version", ["3.8", "3.13"])
def test_in_tree_backend_metadata_from_its_wheel(
    tmp_path: Path, builder: Builder, version: str
) -> None:
    tree = source_trees.in_tree(tmp_path / "src")
    meta = builder.metadata(request_for(tmp_path, tree, version))
    assert meta.wheel is not None
    assert meta.wheel.name == "intree-0.1-py3-none-any.whl"
    assert meta.dist_info.name == "intree-0.1.dist-info"
    assert "Name: intree" in (meta.dist_info / "METADATA").read_text()


def _seen(wheel: Path) -> dict[str, object]:
    with zipfile.ZipFile(wheel) as zf:
        seen: dict[str, object] = json.loads(zf.read("intree_seen.json"))
    return seen


def test_config_settings_reach_the_backend(tmp_path: Path, builder: Builder) -> None:
    tree = source_trees.in_tree(tmp_path / "src")
    settings = {"--build-option": ["--a", "--b"], "mode": "fast"}
    wheel = builder.wheel(request_for(tmp_path, tree, "3.13", config_settings=settings))
    assert _seen(wheel)["config_settings"] == settings


def test_isolated_backend_runs_in_the_build_env(tmp_path: Path, builder: Builder) -> None:
    tree = source_trees.in_tree(tmp_path / "src")
    environ = {"PATH": "/usr/bin:/bin", "PYTHONPATH": "/somewhere/else", "HOME": str(tmp_path)}
    wheel = builder.wheel(request_for(tmp_path, tree, "3.13", environ=environ))
    seen = _seen(wheel)
    env = seen["environ"]
    assert isinstance(env, dict)
    assert "PYTHONPATH" not in env
    assert env["PYTHONNOUSERSITE"] == "1"
    assert "pinset-build-" in str(seen["prefix"])
    assert env["PATH"].split(":")[0] == str(Path(str(seen["prefix"])) / "bin")
    assert not any("/somewhere/else" in p for p in seen["path"])  # type: ignore[attr-defined]


@pytest.mark.parametrize("version", ["3.8", "3.13"])
def test_sdist_unpacked_then_built(tmp_path: Path, builder: Builder, version: str) -> None:
    from pinset.build.unpack import unpack_archive
    from tests.helpers.dists import make_sdist

    sdist = make_sdist(tmp_path / "dl", "Some.Project", "1.2")
    tree = unpack_archive(sdist, tmp_path / "unpacked")
    assert tree.name == "some_project-1.2"
    wheel = builder.wheel(request_for(tmp_path, tree, version))
    assert wheel.name == "some_project-1.2-py3-none-any.whl"
    assert "some_project/__init__.py" in _names(wheel)
