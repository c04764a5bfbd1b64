"""The fast path of ``install``: is everything asked for already installed?

Walks the user's requirements and, recursively, the installed distributions' Requires-Dist
(markers evaluated for the target, extras followed), checking every version against the
requirement and the constraints. Reads only ``.dist-info`` files: no network, no resolver, no
HTTP client — a run that has nothing to do ends here in well under a second.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as Pep508
from packaging.specifiers import SpecifierSet
from packaging.utils import NormalizedName, canonicalize_name

from pinset.dists import InstalledDist
from pinset.requirements.model import Requirement

Need = tuple[NormalizedName, SpecifierSet, frozenset[str]]


def _applies(marker: Marker | None, markers: Mapping[str, str], extra: str = "") -> bool:
    if marker is None:
        return True
    environment = dict(markers)
    environment["extra"] = extra
    try:
        return marker.evaluate(environment)
    except Exception:
        return True


def requires_dist(dist: InstalledDist) -> list[Pep508] | None:
    """The Requires-Dist of an installed distribution (None when unreadable or invalid)."""
    meta = dist.path / "METADATA" if dist.path.is_dir() else dist.path
    if dist.path.suffix == ".egg-info" and dist.path.is_dir():
        return None  # legacy: requires.txt; let the resolver look
    try:
        text = Path(meta).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    header = text.split("\n\n", 1)[0].replace("\r\n", "\n")
    found: list[Pep508] = []
    lines = header.split("\n")
    for i, line in enumerate(lines):
        if not line.lower().startswith("requires-dist:"):
            continue
        value = line.split(":", 1)[1]
        for cont in lines[i + 1 :]:
            if not cont[:1].isspace():
                break
            value += " " + cont.strip()
        try:
            found.append(Pep508(value.strip()))
        except InvalidRequirement:
            return None
    return found


def _direct_url(dist: InstalledDist) -> str | None:
    try:
        data = json.loads(dist.direct_url or "")
    except ValueError:
        return None
    url = data.get("url") if isinstance(data, dict) else None
    return url if isinstance(url, str) else None


def _constraint_specs(
    constraints: Iterable[Requirement], markers: Mapping[str, str]
) -> dict[NormalizedName, SpecifierSet] | None:
    specs: dict[NormalizedName, SpecifierSet] = {}
    for line in constraints:
        if not _applies(line.marker, markers):
            continue
        if line.url is not None or line.name is None:
            return None
        name = canonicalize_name(line.name)
        specs[name] = specs.get(name, SpecifierSet()) & line.specifier
    return specs


def _roots(
    requirements: Iterable[Requirement],
    installed: Mapping[NormalizedName, InstalledDist],
    markers: Mapping[str, str],
) -> list[Need] | None:
    roots: list[Need] = []
    for req in requirements:
        if req.constraint or not _applies(req.marker, markers):
            continue
        if req.editable or req.name is None:
            return None
        name = canonicalize_name(req.name)
        if req.url is not None:
            dist = installed.get(name)
            if dist is None or _direct_url(dist) != req.url.partition("#")[0]:
                return None
        extras = frozenset(canonicalize_name(e) for e in req.extras)
        roots.append((name, req.specifier, extras))
    return roots


def _dependencies(
    dist: InstalledDist, extras: frozenset[str], markers: Mapping[str, str]
) -> list[Need] | None:
    deps = requires_dist(dist)
    if deps is None:
        return None
    needs: list[Need] = []
    for dep in deps:
        if dep.url is not None:
            return None
        wanted = _applies(dep.marker, markers) or any(
            _applies(dep.marker, markers, extra) for extra in extras
        )
        if wanted:
            extras_of_dep = frozenset(canonicalize_name(e) for e in dep.extras)
            needs.append((canonicalize_name(dep.name), dep.specifier, extras_of_dep))
    return needs


def satisfied(
    requirements: Sequence[Requirement],
    constraints: Sequence[Requirement],
    installed: Mapping[NormalizedName, InstalledDist],
    markers: Mapping[str, str],
    *,
    follow_dependencies: bool = True,
) -> int | None:
    """How many installed distributions were checked when all is satisfied, else None."""
    limits = _constraint_specs(constraints, markers)
    roots = _roots(requirements, installed, markers)
    if limits is None or roots is None:
        return None
    pending = list(roots)
    seen: set[tuple[NormalizedName, frozenset[str]]] = set()
    while pending:
        name, spec, extras = pending.pop()
        dist = installed.get(name)
        if dist is None or not spec.contains(dist.version, prereleases=True):
            return None
        if name in limits and not limits[name].contains(dist.version, prereleases=True):
            return None
        if (name, extras) in seen or not follow_dependencies:
            seen.add((name, extras))
            continue
        seen.add((name, extras))
        needs = _dependencies(dist, extras, markers)
        if needs is None:
            return None
        pending.extend(needs)
    return len({name for name, _ in seen})
