"""Files a wheel writes over that another installed distribution owns.

Two projects may ship the same path (a fork under a new name, a renamed project, a plugin that
patches its host). Installing the second overwrites the first's file; both RECORDs then list
it. pinset goes ahead, as pip and uv do, but says so: :func:`find_overwrites` finds, before
anything changes, every destination that exists, is not being removed by the same
transaction, and is listed by a distribution that stays. Uninstalling either later keeps the
shared file for the other (:func:`pinset.install.uninstall.spare_shared`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from packaging.utils import NormalizedName

from pinset.dists import InstalledDist
from pinset.install.uninstall import Removal, files_of
from pinset.install.wheel import Layout

SHOWN = 3
"""How many of the overwritten paths a warning names."""


@dataclass(frozen=True)
class Overwrite:
    """``paths`` of ``owner`` that installing ``intruder`` ``version`` writes over."""

    intruder: str
    version: str
    owner: InstalledDist
    paths: tuple[str, ...]

    def message(self) -> str:
        shown = ", ".join(self.paths[:SHOWN])
        more = len(self.paths) - SHOWN
        listing = shown + (f" and {more} more" if more > 0 else "")
        noun = "file" if len(self.paths) == 1 else "files"
        return (
            f"{self.intruder} {self.version} overwrote {len(self.paths)} {noun} of "
            f"{self.owner.name} {self.owner.version}: {listing}; both now list them, and "
            "uninstalling either one leaves them to the other"
        )


def find_overwrites(
    layouts: Iterable[Layout],
    removals: Iterable[Removal],
    current: Mapping[NormalizedName, InstalledDist],
) -> list[Overwrite]:
    """Which existing files of distributions that stay ``layouts`` would write over."""
    layouts = list(layouts)
    removals = list(removals)
    leaving = {os.fspath(p) for r in removals for p in r.files}
    existing = _existing_dests(layouts, leaving)
    if not existing:
        return []
    gone = {r.dist.name for r in removals} | {lay.name for lay in layouts}
    owners = files_of(d for name, d in current.items() if name not in gone)
    found: dict[tuple[str, NormalizedName], list[str]] = {}
    by_key: dict[tuple[str, NormalizedName], tuple[Layout, InstalledDist]] = {}
    for lay, dest in existing:
        owner = owners.get(dest)
        if owner is None:
            continue  # no distribution lists it: a stray file, replaced as pip would
        key = (lay.name, owner.name)
        found.setdefault(key, []).append(_shown(dest, lay))
        by_key[key] = (lay, owner)
    return [
        Overwrite(by_key[k][0].display_name, str(by_key[k][0].version), by_key[k][1], tuple(v))
        for k, v in found.items()
    ]


def _existing_dests(layouts: list[Layout], leaving: set[str]) -> list[tuple[Layout, str]]:
    """Destinations that exist and are not removed first (a directory that does not exist is
    checked once, not once per file in it)."""
    dirs: dict[str, bool] = {}
    found: list[tuple[Layout, str]] = []
    for lay in layouts:
        for item in lay.files:
            dest = item.dest
            parent = os.path.dirname(dest)
            present = dirs.get(parent)
            if present is None:
                present = dirs[parent] = os.path.isdir(parent)
            if present and dest not in leaving and os.path.lexists(dest):
                found.append((lay, dest))
    return found


def _shown(dest: str, lay: Layout) -> str:
    """``dest`` relative to the wheel's site directory when it is inside it."""
    base = os.fspath(lay.site_dir) + os.sep
    return dest[len(base) :].replace(os.sep, "/") if dest.startswith(base) else dest
