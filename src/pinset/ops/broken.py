"""After a change: installed distributions whose requirements the environment no longer meets.

pip's resolver, like ours, looks only at what it was asked to install (and its dependencies):
installing ``werkzeug==2.0.0`` next to ``flask 3.1`` satisfies the request and breaks flask.
pip then checks the environment and names every broken requirement; so does this module.

What is checked, as pip does after an install: the distributions this run installed or
removed, and every installed distribution that requires one of them. For each, every
Requires-Dist whose marker applies to the target (``extra`` empty) must name an installed
distribution whose version it admits (pre-releases admitted). Going one step further than pip,
a requirement with extras (``lib[x]>=1``) also needs what ``lib`` requires for ``x``.
Distributions whose metadata cannot be read (legacy ``.egg-info``) are not judged.

After an install whose dependencies were resolved, the distributions it installed are not
judged again (the resolution met their requirements): only the others, and only those with a
requirement naming a changed project, found by name before packaging parses anything (into
a fresh environment: no parse at all).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import TYPE_CHECKING

from packaging.utils import NormalizedName, canonicalize_name

from pinset._dataclass import dataclass
from pinset.core_metadata import parse_requires_dist
from pinset.dists import InstalledDist
from pinset.environment.installed import installed_metadata
from pinset.markers import extra_only, marker_applies
from pinset.ops.satisfied import requires_dist_lines
from pinset.requirements.parser import requirement_name

if TYPE_CHECKING:
    from packaging.requirements import Requirement as Pep508

Installed = Mapping[NormalizedName, InstalledDist]


@dataclass(frozen=True, slots=True)
class Broken:
    """``project version`` requires ``requirement`` (through ``via``'s extra, when set), and
    ``found`` (the installed version of what it names) does not satisfy it; ``found`` is None
    when nothing of that name is installed."""

    project: str
    version: str
    requirement: str
    name: str
    found: str | None
    via: str | None = None

    def __str__(self) -> str:
        needs = f"{self.requirement} (for {self.via})" if self.via else self.requirement
        if self.found is None:
            return (
                f"{self.project} {self.version} requires {needs}, but {self.name} is not installed"
            )
        return (
            f"{self.project} {self.version} requires {needs}, but {self.name} {self.found} is "
            "installed"
        )


def broken_requirements(
    installed: Installed,
    changed: Collection[str],
    markers: Mapping[str, str],
    *,
    resolved: bool = False,
) -> list[Broken]:
    """Every unmet requirement of the distributions ``changed`` touched (see the module), in
    the order of the requiring project's name.

    ``resolved``: the changed distributions came from one resolution that met their
    requirements (an install with dependencies), so only the others are judged: those whose
    requirements name a changed one (read by name first; packaging parses only those)."""
    touched = {canonicalize_name(n) for n in changed}
    found: list[Broken] = []
    for name in sorted(installed):
        if resolved and name in touched:
            continue
        dist = installed[name]
        reqs = _requirements(dist, None if name in touched else touched)
        if reqs is None:
            continue
        applying = [r for r in reqs if marker_applies(r.marker, markers)]
        if name not in touched and not any(canonicalize_name(r.name) in touched for r in applying):
            continue
        for req in applying:
            found.extend(_unmet(dist, req, installed, markers))
    return found


def _requirements(
    dist: InstalledDist, naming: Collection[NormalizedName] | None
) -> list[Pep508] | None:
    """``dist``'s valid Requires-Dist, as :func:`requires_dist`; with ``naming``, None (nothing
    parsed) unless one of them names a project in it."""
    if naming is None:
        return requires_dist(dist)
    texts = requires_dist_lines(dist)
    if not texts or not any(_may_name(text, naming) for text in texts):
        return None
    return parse_requires_dist(texts)


def _may_name(text: str, names: Collection[NormalizedName]) -> bool:
    name = requirement_name(text)
    return name is None or canonicalize_name(name) in names  # invalid: packaging decides


def _unmet(
    dist: InstalledDist, req: Pep508, installed: Installed, markers: Mapping[str, str]
) -> Iterator[Broken]:
    problem = _check(dist, req, installed, None)
    if problem is not None:
        yield problem
        return
    target = installed[canonicalize_name(req.name)]
    for extra in sorted(req.extras):
        for dep in requires_dist(target) or ():
            if not extra_only(dep.marker, markers, extra):
                continue  # not the extra's, or needed without it: judged with the target
            problem = _check(dist, dep, installed, f"{req.name}[{extra}]")
            if problem is not None:
                yield problem


def requires_dist(dist: InstalledDist) -> list[Pep508] | None:
    """An installed distribution's valid Requires-Dist (None for a legacy ``.egg-info``
    directory, whose requirements live in requires.txt, or unreadable metadata)."""
    if dist.path.suffix == ".egg-info" and dist.path.is_dir():
        return None
    meta = installed_metadata(dist.path, headers_only=True)
    return meta.requires_dist() if meta is not None else None


def _check(
    dist: InstalledDist, req: Pep508, installed: Installed, via: str | None
) -> Broken | None:
    name = canonicalize_name(req.name)
    text = str(req).split(";", 1)[0].strip()
    have = installed.get(name)
    if have is None:
        return Broken(dist.name, str(dist.version), text, req.name, None, via)
    if req.specifier.contains(have.version, prereleases=True):
        return None
    return Broken(dist.name, str(dist.version), text, req.name, str(have.version), via)
