"""An interpreter of another machine, described by ``--platform``, ``--python-version``,
``--implementation`` and ``--abi`` (``pinset download`` for a deployment elsewhere).

It starts from a real interpreter (the one ``install`` would target) and replaces what the
options name: the wheel tags it accepts (composed with ``packaging.tags``' builders, best
first), its version (for Requires-Python) and the markers that follow from them, so that a
dependency marked ``sys_platform == "win32"`` is downloaded for ``--platform win_amd64``.
Options not given keep the real interpreter's values (its platforms, its ABIs when the version
and implementation are its own).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from packaging import tags as ptags
from packaging.tags import Tag

from pinset._dataclass import dataclass, replace
from pinset.errors import UsageError
from pinset.interpreter import Interpreter

_SHORT = {"cpython": "cp", "pypy": "pp", "ironpython": "ip", "jython": "jy"}
_LONG = {short: long for long, short in _SHORT.items()}
_PLATFORM_IMPLEMENTATION = {"cp": "CPython", "pp": "PyPy", "ip": "IronPython", "jy": "Jython"}
_VERSION = re.compile(r"(\d)(?:\.?(\d{1,2}))?(?:\.(\d+))?")
_LEGACY_MANYLINUX = {"manylinux1": 5, "manylinux2010": 12, "manylinux2014": 17}
_MANYLINUX = re.compile(r"(manylinux1|manylinux2010|manylinux2014|manylinux_2_(\d+))_(.+)")
_MUSLLINUX = re.compile(r"musllinux_1_(\d+)_(.+)")
_MACOS = re.compile(r"macosx_(\d+)_(\d+)_(.+)")


@dataclass(frozen=True)
class ForeignTarget:
    """What the options say of the other machine (empty: this machine's target)."""

    platforms: tuple[str, ...] = ()
    python_version: str | None = None
    implementation: str | None = None
    abis: tuple[str, ...] = ()

    @property
    def given(self) -> bool:
        return bool(self.platforms or self.python_version or self.implementation or self.abis)


def parse_python_version(text: str) -> tuple[int, int, int]:
    """``3``, ``3.12``, ``312`` or ``3.12.1`` as pip reads ``--python-version``."""
    match = _VERSION.fullmatch(text.strip())
    if match is None:
        raise UsageError(
            f"invalid --python-version {text!r}",
            hint="give major.minor (3.12), major and minor digits (312) or major.minor.micro",
        )
    major, minor, micro = match.groups()
    return int(major), int(minor or 0), int(micro or 0)


def _platform_markers(platform: str) -> dict[str, str]:
    """The markers a platform tag implies (``sys_platform``, ``platform_system``,
    ``platform_machine``, ``os_name``); nothing for a tag not recognised."""
    if platform.startswith(("manylinux", "musllinux", "linux")):
        machine = re.sub(r"^(many|musl)?linux(_\d+_\d+|\d+)?_", "", platform)
        system = ("linux", "Linux", "posix")
    elif platform.startswith("macosx"):
        machine = re.sub(r"^macosx_\d+_\d+_", "", platform)
        system = ("darwin", "Darwin", "posix")
    elif platform.startswith("win"):
        machine = {"win32": "x86", "win_amd64": "AMD64", "win_arm64": "ARM64"}.get(platform, "")
        system = ("win32", "Windows", "nt")
    else:
        return {}
    keys = ("sys_platform", "platform_system", "os_name")
    return {**dict(zip(keys, system, strict=True)), "platform_machine": machine}


def expand_platform(platform: str) -> list[str]:
    """The platform tags a machine of ``platform`` accepts, best first: an older glibc's
    ``manylinux`` (with the legacy names), an older musl's, an older macOS's wheels."""
    if match := _MANYLINUX.fullmatch(platform):
        legacy, minor_text, arch = match.groups()
        newest = int(minor_text) if minor_text else _LEGACY_MANYLINUX[legacy]
        aliases = {minor: name for name, minor in _LEGACY_MANYLINUX.items()}
        found: list[str] = []
        for minor in range(newest, 4, -1):
            found.append(f"manylinux_2_{minor}_{arch}")
            if minor in aliases:
                found.append(f"{aliases[minor]}_{arch}")
        return found
    if match := _MUSLLINUX.fullmatch(platform):
        newest, arch = int(match.group(1)), match.group(2)
        return [f"musllinux_1_{minor}_{arch}" for minor in range(newest, -1, -1)]
    if match := _MACOS.fullmatch(platform):
        major, minor, arch = int(match.group(1)), int(match.group(2)), match.group(3)
        return list(ptags.mac_platforms((major, minor), arch))
    return [platform]


def _own(values: Sequence[Tag], field: str) -> list[str]:
    found = [getattr(tag, field) for tag in values]
    return [v for v in dict.fromkeys(found) if v not in ("any", "none", "abi3")]


def foreign_interpreter(base: Interpreter, foreign: ForeignTarget) -> Interpreter:
    """``base`` as the other machine ``foreign`` describes it."""
    if not foreign.given:
        return base
    version = (
        parse_python_version(foreign.python_version) if foreign.python_version else base.version
    )
    own_impl = _SHORT.get(base.implementation, base.implementation)
    impl = (foreign.implementation or own_impl).lower()
    given = [expanded for p in foreign.platforms for expanded in expand_platform(p)]
    platforms = list(dict.fromkeys(given)) or _own(base.tags, "platform")
    same = impl == own_impl and version[:2] == base.version[:2]
    abis = list(foreign.abis) or (_own(base.tags, "abi") if same else [])
    tags = _tags(version[:2], impl, abis, platforms, own_abis=bool(foreign.abis) or same)
    markers = dict(base.markers)
    markers["python_version"] = f"{version[0]}.{version[1]}"
    markers["python_full_version"] = ".".join(str(part) for part in version)
    markers["implementation_version"] = markers["python_full_version"]
    if impl in _LONG:
        markers["implementation_name"] = _LONG[impl]
        markers["platform_python_implementation"] = _PLATFORM_IMPLEMENTATION[impl]
    if foreign.platforms:
        markers.update(_platform_markers(foreign.platforms[0]))
    return replace(
        base, version=version, implementation=_LONG.get(impl, impl), tags=tags, markers=markers
    )


def _tags(
    version: tuple[int, int], impl: str, abis: list[str], platforms: list[str], *, own_abis: bool
) -> tuple[Tag, ...]:
    interpreter = f"{impl}{version[0]}{version[1]}"
    found: list[Tag] = []
    if impl == "cp":
        wanted = abis if own_abis else [f"cp{version[0]}{version[1]}"]
        found += ptags.cpython_tags(version, wanted, platforms)
    elif impl != "py":
        found += ptags.generic_tags(interpreter, abis, platforms)
    found += ptags.compatible_tags(version, interpreter, platforms)
    return tuple(dict.fromkeys(found))
