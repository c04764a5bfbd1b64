"""Collect raw option text from pip's configuration files and the environment, in pip's order.

Order (each later value overrides an earlier one for the same key):

1. files, ``[global]`` section: global < user < site < ``PIP_CONFIG_FILE``;
2. files, the command's own section(s) (``[install]`` for ``install``), same file order, so a
   command section anywhere beats ``[global]`` everywhere, as in pip;
3. ``PIP_*`` variables, then 4. ``PINSET_*`` variables (both skipped in isolated mode).

Within a section, values from later files replace earlier ones, and empty values are dropped
after merging (an empty ``index-url =`` in a later file therefore unsets an earlier one).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Literal

from pinset._dataclass import dataclass
from pinset.errors import Location
from pinset.settings.locations import ConfigPaths
from pinset.settings.model import ConfigFile, FileKind
from pinset.settings.options import IGNORED_ENV_NAMES, normalize_key

COMMAND_SECTIONS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {"sync": ("install", "sync")}
)
"""Config sections read after ``[global]`` for commands pip does not have under that name."""

Origin = Literal["pip", "pinset"]


@dataclass(frozen=True, slots=True)
class RawValue:
    """One option's text as found, before conversion."""

    key: str
    text: str
    source: str
    where: Location | str
    origin: Origin = "pip"


def sections_for(command: str) -> tuple[str, ...]:
    return ("global", *COMMAND_SECTIONS.get(command, (command,)))


def config_files(
    paths: ConfigPaths, environ: Mapping[str, str], *, isolated: bool
) -> tuple[ConfigFile, ...]:
    """The files to read in load order (``loaded`` is filled in by the reader)."""
    env_file = environ.get("PIP_CONFIG_FILE")
    if env_file == os.devnull:
        return ()
    found: list[tuple[FileKind, str]] = [("global", p) for p in paths.global_files]
    if not isolated and not (env_file and os.path.exists(env_file)):
        found += [("user", p) for p in paths.user_files]
    found += [("site", p) for p in paths.site_files]
    if env_file:
        found.append(("env", env_file))
    return tuple(ConfigFile(kind, path, loaded=False) for kind, path in found)


def read_files(
    files: tuple[ConfigFile, ...], command: str
) -> tuple[tuple[ConfigFile, ...], list[RawValue]]:
    """Read ``files``; the values of the relevant sections in pip's application order."""
    sections = sections_for(command)
    merged: dict[str, dict[str, RawValue]] = {name: {} for name in sections}
    consulted: list[ConfigFile] = []
    for file in files:
        from pinset.settings.inifile import read_ini  # configparser: only when there are files

        values = read_ini(file.path)
        consulted.append(ConfigFile(file.kind, file.path, loaded=values is not None))
        for item in values or ():
            if item.section in merged:
                source = f"{file.path} [{item.section}] {item.key}"
                where = Location(file.path, item.line)
                merged[item.section][item.key] = RawValue(item.key, item.value, source, where)
    ordered = [raw for name in sections for raw in merged[name].values() if raw.text]
    return tuple(consulted), ordered


def _prefixed(environ: Mapping[str, str], prefix: str, origin: Origin) -> Iterator[RawValue]:
    for name, text in environ.items():
        if not name.startswith(prefix) or not text:
            continue
        key = normalize_key(name[len(prefix) :])
        if key and key not in IGNORED_ENV_NAMES:
            yield RawValue(key, text, f"env {name}", f"env {name}", origin)


def environment_values(environ: Mapping[str, str]) -> list[RawValue]:
    """``PIP_*`` then ``PINSET_*`` variables, each group in the mapping's order."""
    return [*_prefixed(environ, "PIP_", "pip"), *_prefixed(environ, "PINSET_", "pinset")]
