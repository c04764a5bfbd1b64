"""The probe of a real interpreter agrees with what that interpreter says about itself."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from pinset.environment.interpreter import cache_file, query
from pinset.environment.schemes import environment_scheme
from tests.functional.install.conftest import VERSIONS, VenvFactory
from tests.helpers.envs import python_for
from tests.helpers.wheelhouse import wheel

ORACLE = """
import json, sys, sysconfig
sys.path.insert(0, sys.argv[1])
from packaging.tags import sys_tags
from packaging.markers import default_environment
print(json.dumps({"tags": [str(t) for t in sys_tags()], "markers": default_environment(),
                  "paths": sysconfig.get_paths()}))
"""


@pytest.fixture(scope="module")
def packaging_wheel() -> Path:
    """The packaging pip 26.3 carries, pinned in dev/wheelhouse.lock and imported from its wheel
    (it runs on 3.9 and later): never the development environment's own packaging, whose newest
    release may no longer run on an older target."""
    return wheel("packaging", "26.3")


@pytest.mark.parametrize("version", [v for v in VERSIONS if v != "3.8"])
def test_tags_markers_paths_match_packaging_in_the_target(
    make_env: VenvFactory, packaging_wheel: Path, version: str
) -> None:
    interp = make_env(version)
    proc = subprocess.run(
        [str(interp.executable), "-I", "-c", ORACLE, str(packaging_wheel)],
        capture_output=True,
        text=True,
        check=True,
    )
    oracle = json.loads(proc.stdout)
    assert [str(t) for t in interp.tags] == oracle["tags"]
    assert dict(interp.markers) == oracle["markers"]
    assert list(interp.markers) == list(oracle["markers"])  # pip's order, as --report shows them
    for key in ("purelib", "platlib", "scripts", "data", "include"):
        assert interp.paths[key] == oracle["paths"][key]
    assert interp.is_venv
    assert environment_scheme(interp).purelib.is_relative_to(interp.prefix)


@pytest.mark.parametrize("version", VERSIONS)
def test_base_interpreter_is_not_a_venv_and_answers_are_cached(
    tmp_path: Path, version: str
) -> None:
    python = python_for(version)
    assert python is not None
    interp = query(python, cache_dir=tmp_path)
    assert not interp.is_venv
    assert interp.version[:2] == tuple(int(p) for p in version.split("."))
    assert interp.tags[0].interpreter == f"cp{version.replace('.', '')}"
    assert cache_file(python, tmp_path).is_file()
    again = query(python, cache_dir=tmp_path)
    assert again == interp
    assert list(again.markers) == list(interp.markers)  # the cache keeps the probe's order


def _launcher(path: Path, python: Path) -> Path:
    """An executable that runs ``python`` (what a shim, or a rebuilt interpreter, looks like)."""
    path.write_text(f'#!/bin/sh\nexec "{python}" "$@"\n')
    path.chmod(0o755)
    return path


def test_a_replaced_interpreter_is_probed_again(tmp_path: Path) -> None:
    if len(VERSIONS) < 2:
        pytest.skip("needs two Python versions")
    old, new = (python_for(v) for v in (VERSIONS[0], VERSIONS[-1]))
    assert old is not None
    assert new is not None
    exe = _launcher(tmp_path / "python", old)
    cache = tmp_path / "cache"
    assert query(exe, cache_dir=cache).version[:2] == tuple(map(int, VERSIONS[0].split(".")))
    first = cache_file(exe, cache)
    _launcher(exe, new)  # same path, other contents: another size and mtime
    assert cache_file(exe, cache) != first
    again = query(exe, cache_dir=cache)
    assert again.version[:2] == tuple(map(int, VERSIONS[-1].split(".")))
    assert again.tags[0].interpreter == f"cp{VERSIONS[-1].replace('.', '')}"


def test_work_overlaps_the_probe_only_when_it_runs(tmp_path: Path) -> None:
    python = python_for(VERSIONS[-1])
    assert python is not None
    calls: list[bool] = []

    def work() -> None:  # runs while the probe runs: its answer is not cached yet
        calls.append(cache_file(python, tmp_path).exists())

    interp = query(python, cache_dir=tmp_path, while_probing=work)
    assert calls == [False]
    assert query(python, cache_dir=tmp_path, while_probing=work) == interp
    assert calls == [False]  # a cached answer: nothing to overlap, the work is not done here
    assert interp == query(python, cache_dir=None)


def test_failing_overlapped_work_leaves_no_answer_cached(tmp_path: Path) -> None:
    python = python_for(VERSIONS[-1])
    assert python is not None

    def broken() -> None:
        raise RuntimeError("interrupted while probing")

    with pytest.raises(RuntimeError, match="interrupted"):
        query(python, cache_dir=tmp_path, while_probing=broken)
    assert not cache_file(python, tmp_path).exists()
    assert query(python, cache_dir=tmp_path).executable == python


@pytest.mark.parametrize("damage", ["empty", "truncated"])
def test_a_damaged_cached_answer_is_probed_again(tmp_path: Path, damage: str) -> None:
    """The answer is cached without fsync: what a crash may leave (an empty file, a part of
    it) is no answer, and the interpreter is asked again."""
    python = python_for(VERSIONS[-1])
    assert python is not None
    interp = query(python, cache_dir=tmp_path)
    entry = cache_file(python, tmp_path)
    text = entry.read_text()
    entry.write_text("" if damage == "empty" else text[: len(text) // 2])
    calls: list[str] = []
    again = query(python, cache_dir=tmp_path, while_probing=lambda: calls.append("probed"))
    assert calls == ["probed"]
    assert again == interp
    assert entry.read_text() == text
