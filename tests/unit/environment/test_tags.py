"""Tags computed from a probe's facts equal what packaging computes inside that interpreter."""

from __future__ import annotations

import sys
from pathlib import Path

from packaging.tags import Tag, sys_tags

from pinset.environment.tags import (
    compute_tags,
    cpython_abis,
    generic_abis,
    manylinux_platforms,
)
from tests.helpers.interpreters import current_facts


def test_same_tags_as_packaging_for_this_interpreter() -> None:
    assert compute_tags(current_facts(), Path(sys.executable)) == tuple(sys_tags())


def test_cpython_abi_flags() -> None:
    def abis(version: list[int], **config: object) -> list[str]:
        return cpython_abis({"version": version, "config": config})

    assert abis([3, 7, 1], WITH_PYMALLOC=1) == ["cp37m"]
    assert abis([3, 12, 0]) == ["cp312"]
    assert abis([3, 12, 0], Py_DEBUG=1) == ["cp312d", "cp312"]
    assert abis([3, 13, 0], Py_GIL_DISABLED=1) == ["cp313t"]


def test_free_threaded_target_has_no_abi3() -> None:
    facts = current_facts() | {"version": [3, 13, 0]}
    facts["config"] = dict(facts["config"]) | {"Py_GIL_DISABLED": 1}  # type: ignore[call-overload]
    tags = compute_tags(facts, Path(sys.executable))
    assert (tags[0].interpreter, tags[0].abi) == ("cp313", "cp313t")
    assert not any(t.abi == "abi3" for t in tags)


def test_pypy_abi_from_extension_suffix() -> None:
    facts = {"config": {"EXT_SUFFIX": ".pypy310-pp73-x86_64-linux-gnu.so"}}
    assert generic_abis(facts) == ["pypy310_pp73"]


def test_manylinux_order_and_legacy_aliases() -> None:
    found = list(manylinux_platforms(["x86_64"], (2, 17)))
    assert found[:2] == ["manylinux_2_17_x86_64", "manylinux2014_x86_64"]
    assert found[-2:] == ["manylinux_2_5_x86_64", "manylinux1_x86_64"]
    assert list(manylinux_platforms(["aarch64"], (2, 17))) == [
        "manylinux_2_17_aarch64",
        "manylinux2014_aarch64",
    ]


def test_a_32_bit_target_on_64_bit_linux() -> None:
    facts = current_facts() | {"platform": "linux-x86_64", "pointer_bits": 32}
    tags = compute_tags(facts, Path(sys.executable))
    assert Tag("py3", "none", "linux_i686") in tags
    assert not any("x86_64" in t.platform for t in tags)
