"""The fast path of ``install``: is everything asked for already installed?

Walks the user's requirements and, recursively, the installed distributions' Requires-Dist
(markers evaluated for the target, extras followed), checking every version against the
requirement and the constraints. Reads only ``.dist-info`` files: no network, no resolver, no
HTTP client — a run that has nothing to do ends here in well under a second.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.utils import NormalizedName, canonicalize_name

from pinset.dists import InstalledDist
from pinset.environment.installed import installed_metadata
from pinset.markers import marker_applies
from pinset.requirements.model import Requirement
from pinset.requirements.parser import quick_requirement

Need = tuple[NormalizedName, SpecifierSet, frozenset[str]]


_EXTRA_ONLY = re.compile(r"""\s*extra\s*==\s*(?:"([^"]*)"|'([^']*)')\s*""")
"""A marker that only names an extra (most Requires-Dist lines): judged without packaging."""


def requires_dist_lines(dist: InstalledDist) -> list[str] | None:
    """The Requires-Dist values of an installed distribution (None when its metadata is
    unreadable, or legacy: an ``.egg-info`` directory keeps them in requires.txt)."""
    if dist.path.suffix == ".egg-info" and dist.path.is_dir():
        return None  # let the resolver look
    meta = installed_metadata(dist.path, headers_only=True)
    return meta.get_all("Requires-Dist") if meta is not None else None


def _extra_only(text: str) -> str | None:
    """The extra named when ``text`` is ``req ; extra == "name"`` (and not a URL), else None."""
    requirement, sep, marker = text.partition(";")
    if not sep or "@" in requirement:
        return None
    match = _EXTRA_ONLY.fullmatch(marker)
    if match is None:
        return None
    return match.group(1) if match.group(1) is not None else match.group(2)


def _constraint_specs(
    constraints: Iterable[Requirement], markers: Mapping[str, str]
) -> dict[NormalizedName, SpecifierSet] | None:
    specs: dict[NormalizedName, SpecifierSet] = {}
    for line in constraints:
        if not marker_applies(line.marker, markers):
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
    src_dir: Path | None,
) -> list[Need] | None:
    roots: list[Need] = []
    for req in requirements:
        if req.constraint or not marker_applies(req.marker, markers):
            continue
        if req.url is not None:
            dist = _from_direct(req, req.url, installed, src_dir)
            if dist is None:
                return None
            name = dist.name
        elif req.name is None:
            return None
        else:
            name = canonicalize_name(req.name)
        extras = frozenset(canonicalize_name(e) for e in req.extras)
        roots.append((name, req.specifier, extras))
    return roots


def _from_direct(
    req: Requirement,
    url: str,
    installed: Mapping[NormalizedName, InstalledDist],
    src_dir: Path | None,
) -> InstalledDist | None:
    if req.vcs is None:
        return _from_url(url, req.name, installed, editable=req.editable)
    if not req.editable:
        return _from_vcs(url, req.name, installed)
    if src_dir is None or req.name is None:
        return None
    return _from_editable_vcs(url, req.name, installed, src_dir)


def _from_url(
    url: str,
    name: str | None,
    installed: Mapping[NormalizedName, InstalledDist],
    *,
    editable: bool = False,
) -> InstalledDist | None:
    """The installed distribution that came from ``url`` (its ``direct_url.json`` names it;
    by ``name`` when the requirement gives one), if it is still what the URL names: a local
    directory unchanged since it was installed; an editable (installed as one) whose tree's
    metadata inputs did not change (:func:`pinset.source_tree.editable_unchanged`)."""
    from pinset.direct_url import DirInfo, public_url

    wanted = public_url(url.partition("#")[0])
    if name is not None:
        found = installed.get(canonicalize_name(name))
        candidates = [found] if found is not None else []
    else:
        candidates = list(installed.values())
    for dist in candidates:
        recorded = dist.direct_url
        if recorded is None or recorded.url != wanted or recorded.editable != editable:
            continue
        if editable:
            from pinset.source_tree import editable_unchanged

            return dist if editable_unchanged(dist.path, recorded) else None
        if isinstance(recorded.info, DirInfo):
            from pinset.source_tree import tree_unchanged

            return dist if tree_unchanged(dist.path, recorded) else None
        return dist
    return None


def _from_vcs(
    url: str, name: str | None, installed: Mapping[NormalizedName, InstalledDist]
) -> InstalledDist | None:
    """The installed distribution built from ``url`` when its revision is a full commit id
    and the copy's ``direct_url.json`` records that commit, repository and subdirectory (no VCS
    tool runs). A branch, tag or short id can move: None, so the full path asks the repository
    what it names now."""
    from pinset.distribution.checkout import pinned_commit, same_checkout
    from pinset.vcs.base import VcsError

    try:
        commit = pinned_commit(url)
    except VcsError:
        return None
    if commit is None:
        return None
    candidates = [installed.get(canonicalize_name(name))] if name else list(installed.values())
    return next(
        (d for d in candidates if d is not None and same_checkout(d.direct_url, url, commit)),
        None,
    )


def _from_editable_vcs(
    url: str, name: str, installed: Mapping[NormalizedName, InstalledDist], src_dir: Path
) -> InstalledDist | None:
    """The installed editable of ``-e vcs+url@COMMIT#egg=name`` when its revision is a full
    commit id and its checkout in ``src_dir`` is at that commit, from that repository (read
    from the checkout's files: no tool runs), the copy installed from it unchanged."""
    from pinset.distribution.checkout import checkout_holds
    from pinset.source_tree import editable_unchanged

    dist = installed.get(canonicalize_name(name))
    if dist is None or dist.direct_url is None or not dist.direct_url.editable:
        return None
    if not checkout_holds(url, name, src_dir, dist.direct_url):
        return None
    return dist if editable_unchanged(dist.path, dist.direct_url) else None


def _dependencies(
    dist: InstalledDist, extras: frozenset[str], markers: Mapping[str, str]
) -> list[Need] | None:
    texts = requires_dist_lines(dist)
    if texts is None:
        return None
    needs: list[Need] = []
    for text in texts:
        extra = _extra_only(text)
        if extra is not None and canonicalize_name(extra) not in extras:
            continue  # an extra nobody asked for: not even parsed
        quick = quick_requirement(text)
        if quick is not None:
            name, dep_extras, specifier = quick
            needs.append((canonicalize_name(name), specifier, _canonical(dep_extras)))
            continue
        need = _full_need(text, extras, markers)
        if need is None:
            return None
        if need is not _SKIP:
            needs.append(need)
    return needs


def _canonical(extras: Iterable[str]) -> frozenset[str]:
    return frozenset(canonicalize_name(e) for e in extras)


_SKIP: Need = (canonicalize_name("-"), SpecifierSet(), frozenset())
"""A dependency whose marker does not apply to the target."""


def _full_need(text: str, extras: frozenset[str], markers: Mapping[str, str]) -> Need | None:
    """One Requires-Dist line read by packaging: its need, ``_SKIP`` when its marker does not
    apply, None when it cannot be checked here (invalid, or a URL)."""
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        dep = Requirement(text)
    except InvalidRequirement:
        return None
    if dep.url is not None:
        return None
    wanted = marker_applies(dep.marker, markers) or any(
        marker_applies(dep.marker, markers, extra) for extra in extras
    )
    if not wanted:
        return _SKIP
    return canonicalize_name(dep.name), dep.specifier, _canonical(dep.extras)


def satisfied(
    requirements: Sequence[Requirement],
    constraints: Sequence[Requirement],
    installed: Mapping[NormalizedName, InstalledDist],
    markers: Mapping[str, str],
    *,
    follow_dependencies: bool = True,
    src_dir: Path | None = None,
) -> int | None:
    """How many installed distributions were checked when all is satisfied, else None
    (``src_dir``: where editable VCS checkouts are; without it they are never satisfied)."""
    names = required_names(
        requirements,
        constraints,
        installed,
        markers,
        follow_dependencies=follow_dependencies,
        src_dir=src_dir,
    )
    return None if names is None else len(names)


def required_names(
    requirements: Sequence[Requirement],
    constraints: Sequence[Requirement],
    installed: Mapping[NormalizedName, InstalledDist],
    markers: Mapping[str, str],
    *,
    follow_dependencies: bool = True,
    src_dir: Path | None = None,
) -> set[NormalizedName] | None:
    """The installed distributions the requirements need, dependencies followed, when all is
    satisfied; else None."""
    limits = _constraint_specs(constraints, markers)
    roots = _roots(requirements, installed, markers, src_dir)
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
    return {name for name, _ in seen}
