"""Wheel tags a target interpreter accepts, derived from the facts its probe reported.

The target may lack ``packaging`` (or be older than pinset supports), so pinset composes the tag
list itself with ``packaging.tags``' public builders, passing the target's ABI and platforms
explicitly instead of letting them default to pinset's own interpreter. The order is the
target's preference, best first, the same as ``packaging.tags.sys_tags()`` run in the target.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from packaging import tags as ptags
from packaging.tags import Tag

_SHORT_NAMES = {"cpython": "cp", "pypy": "pp", "ironpython": "ip", "jython": "jy"}
_LEGACY_MANYLINUX = {(2, 17): "manylinux2014", (2, 12): "manylinux2010", (2, 5): "manylinux1"}
_LAST_GLIBC_MINOR = {1: 99}  # glibc 1.x is long gone; only 2.x is seen in practice
_GLIBC = re.compile(r"glibc (\d+)\.(\d+)")


def _normalize(text: str) -> str:
    return text.replace(".", "_").replace("-", "_").replace(" ", "_").lower()


def compute_tags(facts: Mapping[str, object], executable: Path) -> tuple[Tag, ...]:
    """All tags the interpreter described by ``facts`` (a probe result) accepts, best first."""
    version = _version(facts)
    short = _SHORT_NAMES.get(str(facts["implementation"]), str(facts["implementation"]))
    platforms = list(platform_tags(facts, executable))
    if short == "cp":
        abis = cpython_abis(facts)
        found = list(ptags.cpython_tags(version, abis, platforms))
    else:
        nodot = _config(facts).get("py_version_nodot") or f"{version[0]}{version[1]}"
        interpreter = f"{short}{nodot}"
        found = list(ptags.generic_tags(interpreter, generic_abis(facts), platforms))
    found.extend(ptags.compatible_tags(version, f"{short}{version[0]}{version[1]}", platforms))
    return tuple(dict.fromkeys(found))


def _version(facts: Mapping[str, object]) -> tuple[int, int]:
    raw = facts["version"]
    assert isinstance(raw, list)
    return int(raw[0]), int(raw[1])


def _config(facts: Mapping[str, object]) -> Mapping[str, object]:
    config = facts.get("config")
    return config if isinstance(config, dict) else {}


def cpython_abis(facts: Mapping[str, object]) -> list[str]:
    """The CPython ABI tags (``cp312``, ``cp313t``, ``cp37m``, ``cp311d`` + ``cp311``)."""
    major, minor = _version(facts)
    config = _config(facts)
    nodot = f"{major}{minor}"
    debug = config.get("Py_DEBUG")
    flag_d = "d" if debug or (debug is None and facts.get("debug_refcount")) else ""
    flag_t = "t" if (major, minor) >= (3, 13) and config.get("Py_GIL_DISABLED") else ""
    flag_m = ""
    if (major, minor) < (3, 8) and config.get("WITH_PYMALLOC") in (1, None):
        flag_m = "m"
    abis = [f"cp{nodot}{flag_t}{flag_d}{flag_m}"]
    if flag_d and (major, minor) >= (3, 8):
        abis.append(f"cp{nodot}{flag_t}")
    return abis


def generic_abis(facts: Mapping[str, object]) -> list[str]:
    """The ABI tag of a non-CPython interpreter, read from its extension-module suffix."""
    suffix = _config(facts).get("EXT_SUFFIX")
    if not isinstance(suffix, str) or suffix.count(".") < 2:
        return []
    soabi = suffix.split(".")[1]
    if soabi.startswith("pypy"):
        soabi = "-".join(soabi.split("-")[:2])
    elif soabi.startswith("graalpy"):
        soabi = "-".join(soabi.split("-")[:3])
    return [_normalize(soabi)] if soabi else []


def platform_tags(facts: Mapping[str, object], executable: Path) -> Iterator[str]:
    """Platform tags of the target, most specific first."""
    plat = _normalize(str(facts["platform"]))
    if plat.startswith("linux_"):
        yield from _linux_platforms(plat, facts, executable)
    elif plat.startswith("macosx_"):
        yield from _mac_platforms(plat, facts)
    else:
        yield plat


def _linux_platforms(plat: str, facts: Mapping[str, object], executable: Path) -> Iterator[str]:
    if facts.get("pointer_bits") == 32:
        plat = {"linux_x86_64": "linux_i686", "linux_aarch64": "linux_armv8l"}.get(plat, plat)
    arch = plat.split("_", 1)[1]
    archs = ["armv8l", "armv7l"] if arch == "armv8l" else [arch]
    yield from (f"linux_{a}" for a in archs)
    glibc = _GLIBC.match(str(facts.get("glibc") or ""))
    if glibc:
        yield from manylinux_platforms(archs, (int(glibc[1]), int(glibc[2])))
    else:
        yield from _musllinux_platforms(archs, executable)


def manylinux_platforms(archs: list[str], glibc: tuple[int, int]) -> Iterator[str]:
    """``manylinux_2_N_<arch>`` from the target's glibc down to the oldest supported one."""
    oldest = 4 if set(archs) & {"x86_64", "i686"} else 16
    for arch in archs:
        for major in range(glibc[0], 1, -1):
            top = glibc[1] if major == glibc[0] else _LAST_GLIBC_MINOR.get(major, 99)
            bottom = oldest if major == 2 else -1
            for minor in range(top, bottom, -1):
                yield f"manylinux_{major}_{minor}_{arch}"
                legacy = _LEGACY_MANYLINUX.get((major, minor))
                if legacy:
                    yield f"{legacy}_{arch}"


def _musllinux_platforms(archs: list[str], executable: Path) -> Iterator[str]:
    # packaging reads the musl version from the interpreter's ELF program interpreter; it
    # takes the executable as an argument, so the target's binary is inspected, not pinset's.
    from packaging import _musllinux

    try:
        musl = _musllinux._get_musl_version(str(executable))
    except (OSError, ValueError):
        return
    if musl is None:
        return
    for arch in archs:
        for minor in range(musl.minor, -1, -1):
            yield f"musllinux_{musl.major}_{minor}_{arch}"


def _mac_platforms(plat: str, facts: Mapping[str, object]) -> Iterator[str]:
    markers = facts.get("markers")
    machine = markers.get("platform_machine") if isinstance(markers, dict) else None
    arch = str(machine) if machine else plat.rsplit("_", 1)[-1]
    if facts.get("pointer_bits") == 32 and arch == "x86_64":
        arch = "i386"
    parts = str(facts.get("mac_version") or "").split(".")
    try:
        version = (int(parts[0]), int(parts[1]) if len(parts) > 1 else 0)
    except ValueError:
        yield plat
        return
    yield from ptags.mac_platforms(version, arch)
