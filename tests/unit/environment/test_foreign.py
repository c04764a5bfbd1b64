"""The interpreter of another machine, from ``--platform``/``--python-version``/
``--implementation``/``--abi``: tags and markers."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from packaging.tags import Tag

from pinset.environment.foreign import (
    ForeignTarget,
    expand_platform,
    foreign_interpreter,
    parse_python_version,
)
from pinset.errors import UsageError
from pinset.interpreter import Interpreter

BASE = Interpreter(
    executable=Path("/env/bin/python"),
    version=(3, 11, 7),
    implementation="cpython",
    tags=(Tag("cp311", "cp311", "manylinux_2_35_x86_64"), Tag("py3", "none", "any")),
    markers={"python_version": "3.11", "sys_platform": "linux", "implementation_name": "cpython"},
    paths={},
    prefix=Path("/env"),
    base_prefix=Path("/usr"),
    is_venv=True,
    externally_managed=False,
)


@pytest.mark.parametrize(
    ("text", "version"),
    [("3", (3, 0, 0)), ("3.12", (3, 12, 0)), ("312", (3, 12, 0)), ("3.9.18", (3, 9, 18))],
)
def test_python_version_is_read_as_pip_reads_it(text: str, version: tuple[int, int, int]) -> None:
    assert parse_python_version(text) == version


def test_an_invalid_python_version_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="invalid --python-version"):
        parse_python_version("three")


def test_nothing_given_is_the_base_itself() -> None:
    assert foreign_interpreter(BASE, ForeignTarget()) is BASE


def test_windows_target_has_its_tags_and_markers() -> None:
    interp = foreign_interpreter(
        BASE, ForeignTarget(platforms=("win_amd64",), python_version="3.12")
    )
    assert interp.version == (3, 12, 0)
    assert interp.tags[0] == Tag("cp312", "cp312", "win_amd64")
    assert Tag("cp312", "abi3", "win_amd64") in interp.tags
    assert Tag("py3", "none", "any") in interp.tags
    assert all(t.platform in ("win_amd64", "any") for t in interp.tags)
    assert interp.markers["sys_platform"] == "win32"
    assert interp.markers["platform_system"] == "Windows"
    assert interp.markers["python_version"] == "3.12"
    assert interp.markers["python_full_version"] == "3.12.0"


def test_only_a_version_keeps_the_base_platforms() -> None:
    interp = foreign_interpreter(BASE, ForeignTarget(python_version="3.9"))
    assert interp.tags[0] == Tag("cp39", "cp39", "manylinux_2_35_x86_64")
    assert interp.markers["sys_platform"] == "linux"


def test_manylinux_and_macos_platforms_accept_older_ones() -> None:
    linux = expand_platform("manylinux2014_x86_64")
    assert linux[:2] == ["manylinux_2_17_x86_64", "manylinux2014_x86_64"]
    assert "manylinux1_x86_64" in linux
    assert linux[-2:] == ["manylinux_2_5_x86_64", "manylinux1_x86_64"]
    assert "macosx_11_0_arm64" in expand_platform("macosx_12_0_arm64")
    assert expand_platform("musllinux_1_2_aarch64") == [
        "musllinux_1_2_aarch64",
        "musllinux_1_1_aarch64",
        "musllinux_1_0_aarch64",
    ]


def test_pypy_target() -> None:
    interp = foreign_interpreter(
        replace(BASE),
        ForeignTarget(implementation="pp", python_version="3.10", abis=("pypy310_pp73",)),
    )
    assert interp.tags[0].interpreter == "pp310"
    assert interp.tags[0].abi == "pypy310_pp73"
    assert interp.markers["implementation_name"] == "pypy"
    assert interp.markers["platform_python_implementation"] == "PyPy"
