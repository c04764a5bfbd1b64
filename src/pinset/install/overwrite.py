"""Files a wheel writes over that another installed distribution owns.

Two projects may ship the same path (a fork under a new name, a renamed project, a plugin that
patches its host). Installing the second overwrites the first's file; both RECORDs then list
it. pinset goes ahead, as pip does (pip 26.3 says nothing), but says so:
:func:`find_overwrites` finds, before anything changes, every destination that exists, is not
being removed by the same transaction and is listed by a distribution that stays, and every
destination two wheels of the same plan share (the later one's file wins). Uninstalling either
later keeps the shared file for the other (:func:`pinset.install.uninstall.spare_shared`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from packaging.utils import NormalizedName

from pinset._dataclass import dataclass
from pinset.dists import InstalledDist
from pinset.install.uninstall import Removal, files_of
from pinset.install.wheel import Layout

SHOWN = 3
"""How many of the overwritten paths a warning names."""


@dataclass(frozen=True)
class Overwrite:
    """``paths`` of ``owner`` (name and version) that installing ``intruder`` writes over."""

    intruder: str
    owner: str
    paths: tuple[str, ...]

    def message(self) -> str:
        shown = ", ".join(self.paths[:SHOWN])
        more = len(self.paths) - SHOWN
        listing = shown + (f" and {more} more" if more > 0 else "")
        noun = "file" if len(self.paths) == 1 else "files"
        return (
            f"{self.intruder} overwrote {len(self.paths)} {noun} of {self.owner}: {listing}; "
            "both now list them, and uninstalling either one leaves them to the other"
        )


def find_overwrites(
    layouts: Iterable[Layout],
    removals: Iterable[Removal],
    current: Mapping[NormalizedName, InstalledDist],
) -> list[Overwrite]:
    """Which files of distributions that stay, or of a wheel installed earlier in the same
    plan, ``layouts`` would write over."""
    layouts = list(layouts)
    removals = list(removals)
    found: dict[tuple[str, str], list[str]] = {}
    leaving = {os.fspath(p) for r in removals for p in r.files}
    existing = _existing_dests(layouts, leaving)
    if existing:
        gone = {r.dist.name for r in removals} | {lay.name for lay in layouts}
        owners = files_of(d for name, d in current.items() if name not in gone)
        for lay, dest in existing:
            owner = owners.get(dest)
            if owner is not None:  # else a stray file no one lists: replaced, as pip does
                key = (_label(lay), f"{owner.name} {owner.version}")
                found.setdefault(key, []).append(_shown(dest, lay))
    first: dict[str, Layout] = {}
    for lay in layouts:
        for item in lay.files:
            earlier = first.setdefault(item.dest, lay)
            if earlier is not lay:
                found.setdefault((_label(lay), _label(earlier)), []).append(_shown(item.dest, lay))
    return [Overwrite(intruder, owner, tuple(paths)) for (intruder, owner), paths in found.items()]


def _label(lay: Layout) -> str:
    return f"{lay.display_name} {lay.version}"


def _existing_dests(layouts: list[Layout], leaving: set[str]) -> list[tuple[Layout, str]]:
    """Destinations that exist and are not removed first (a directory that does not exist is
    checked once, not once per file in it, and not at all when its parent is missing)."""
    dirs: dict[str, bool] = {}
    found: list[tuple[Layout, str]] = []
    for lay in layouts:
        for item in lay.files:
            dest = item.dest
            parent = dest.rpartition(os.sep)[0]
            present = dirs.get(parent)
            if present is None:  # not when its own parent is known to be missing
                grand = dirs.get(parent.rpartition(os.sep)[0])
                present = dirs[parent] = grand is not False and os.path.isdir(parent)
            if present and dest not in leaving and os.path.lexists(dest):
                found.append((lay, dest))
    return found


def _shown(dest: str, lay: Layout) -> str:
    """``dest`` relative to the wheel's site directory when it is inside it."""
    base = os.fspath(lay.site_dir) + os.sep
    return dest[len(base) :].replace(os.sep, "/") if dest.startswith(base) else dest
