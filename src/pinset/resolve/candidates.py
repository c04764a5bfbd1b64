"""Which pins can answer a set of needs on one project, best first (the heart of find_matches).

The rules, as pip applies them:

- a direct URL (from a requirement or a constraint) is the one and only file allowed; two
  different links for one project match nothing;
- otherwise the source's candidates are filtered by every range (and the constraint's) with
  packaging's pre-release rule: pre-releases only with ``pre``, when a range names one, or when
  nothing else matches;
- only the best file of each version is offered (the source lists best first), and yanked
  files only to a ``==`` pin (PEP 592); a source that offers its files a version at a time
  (:class:`~pinset.dists.Offered`) has only the versions the resolver reaches judged, newest
  first, and the resolver is told how many versions the ranges admit;
- an installed distribution that satisfies every range is offered first when the project may not
  be upgraded (then the index is not even asked unless the resolver needs another choice), and
  otherwise in version order, winning ties over index files of the same version.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Literal

from packaging.specifiers import SpecifierSet
from packaging.utils import NormalizedName
from packaging.version import Version

from pinset._dataclass import dataclass, field, replace
from pinset.dists import Candidate, InstalledDist, Offered
from pinset.kinds import is_direct
from pinset.requirements.model import Requirement
from pinset.resolve.model import (
    CandidateSource,
    Constraint,
    Direct,
    Exact,
    Named,
    Need,
    Pin,
)

Strategy = Literal["only-if-needed", "eager"]


@dataclass(frozen=True, slots=True)
class Later:
    """Pins made when the resolver looks at them (each call starts again), and how many there
    are at most (the resolver prefers projects with fewer choices)."""

    make: Callable[[], Iterator[Pin]]
    most: int

    def __call__(self) -> Iterator[Pin]:
        return self.make()


@dataclass(frozen=True, slots=True)
class Policy:
    """What the user allows: upgrades, pre-releases, constraints, and what is installed."""

    installed: Mapping[NormalizedName, InstalledDist]
    constraints: Mapping[NormalizedName, Constraint]
    requested: frozenset[NormalizedName]
    upgrade: bool | frozenset[NormalizedName] = False
    strategy: Strategy = "only-if-needed"
    pre: bool = False
    preferred: Mapping[NormalizedName, Version] = field(default_factory=dict)
    """Versions to try first when they fit (a lock file's existing pins)."""
    by_url: frozenset[NormalizedName] = frozenset()
    """Projects a user's line or a constraint names by URL or path: that file is their only
    candidate (as pip and uv decide), so the index is never asked about them."""

    def may_upgrade(self, name: NormalizedName) -> bool:
        """``upgrade=True``: the user's projects (all of them with ``eager``); a set: those."""
        if self.upgrade is True:
            return self.strategy == "eager" or name in self.requested
        if self.upgrade is False:
            return False
        return name in self.upgrade


def same_link(a: Candidate, b: Candidate) -> bool:
    return a.name == b.name and a.link.url_without_fragment == b.link.url_without_fragment


def same_pin(pin: Pin, wanted: Pin) -> bool:
    """``pin`` is ``wanted``: same version, and the same file when ``wanted`` is a direct URL."""
    if pin.name != wanted.name or pin.version != wanted.version:
        return False
    if isinstance(wanted, Candidate) and is_direct(wanted.kind):
        return isinstance(pin, Candidate) and same_link(pin, wanted)
    return True


class Chooser:
    """Answers "which pins of ``name`` fit these needs?" for the provider and the explainer."""

    def __init__(
        self,
        source: CandidateSource,
        policy: Policy,
        directs: dict[tuple[str | None, str | None, bool], Candidate] | None = None,
    ) -> None:
        self._source = source
        self._policy = policy
        self._eager: set[NormalizedName] = set()
        self._directs = {} if directs is None else directs
        self._best: dict[tuple[NormalizedName, bool], list[Candidate]] = {}

    def replace(self, **changes: Any) -> Chooser:
        """The same chooser (and the same direct-URL answers) with a changed policy."""
        return Chooser(self._source, replace(self._policy, **changes), self._directs)

    @property
    def policy(self) -> Policy:
        return self._policy

    def pins(
        self,
        name: NormalizedName,
        needs: Sequence[Need],
        allowed: Callable[[Pin], bool],
        *,
        constrained: bool = True,
    ) -> list[Pin] | Later:
        """The pins of ``name`` fitting ``needs`` (and the constraint), best first.

        Returns a list, or a factory of a lazy iterator (:class:`Later`) when an installed
        distribution comes first (so the index is only asked when the resolver looks further)
        or the source judges files a version at a time.
        """
        constraint = self._policy.constraints.get(name) if constrained else None
        specs = [n.specifier for n in needs if isinstance(n, Named)]
        if constraint is not None:
            specs.append(constraint.specifier)
        wanted = [n.pin for n in needs if isinstance(n, Exact)]
        links = [n.candidate for n in needs if isinstance(n, Direct)]
        if constraint is not None and constraint.link is not None:
            links.append(self.direct(constraint.link))

        def others(pin: Pin) -> bool:
            return all(same_pin(pin, w) for w in wanted) and allowed(pin)

        def fits(pin: Pin) -> bool:
            return all(s.contains(pin.version, prereleases=True) for s in specs) and others(pin)

        if links:
            first = links[0]
            same = all(same_link(first, other) for other in links[1:])
            return [first] if same and fits(first) else []
        if wanted:
            return [wanted[0]] if fits(wanted[0]) else []
        merged = SpecifierSet()
        for spec in specs:
            merged &= spec
        installed = self._policy.installed.get(name)
        if installed is not None and not fits(installed):
            installed = None
        if installed is not None and not self.may_upgrade(name):
            kept = installed
            return Later(lambda: self._installed_first(kept, name, merged, others), 1)
        return self._from_source(name, merged, others, installed)

    def may_upgrade(self, name: NormalizedName) -> bool:
        """The policy's answer, plus dependencies of upgradable projects with ``eager``."""
        return name in self._eager or self._policy.may_upgrade(name)

    def needs_index(self, name: NormalizedName) -> bool:
        """Whether resolving ``name`` will (likely) read its index page: not for a project
        pinned by URL, nor for one kept as installed."""
        if name in self._policy.by_url:
            return False
        return name not in self._policy.installed or self.may_upgrade(name)

    def upgrading_dependencies(
        self, parent: NormalizedName, names: Iterable[NormalizedName]
    ) -> None:
        """With ``eager``, the dependencies of an upgradable project are upgradable too."""
        if self._policy.strategy == "eager" and self.may_upgrade(parent):
            self._eager.update(names)

    def direct(self, requirement: Requirement) -> Candidate:
        """The candidate for a URL requirement, asked of the source once per line."""
        key = (requirement.name, requirement.url, requirement.editable)
        found = self._directs.get(key)
        if found is None:
            found = self._source.direct(requirement)
            self._directs[key] = found
        return found

    def index_versions(self, name: NormalizedName) -> list[Version]:
        """Every version the source offers, newest first, without duplicates."""
        seen: dict[Version, None] = {}
        for candidate in self._source.candidates(name):
            seen.setdefault(candidate.version, None)
        return sorted(seen, reverse=True)

    def _matching(
        self, name: NormalizedName, spec: SpecifierSet, others: Callable[[Pin], bool]
    ) -> list[Pin]:
        """The best file of each version ``spec`` admits, best first, that ``others`` allows
        (``spec`` is every range merged: what it admits meets each range already)."""
        prereleases = True if self._policy.pre else None
        versions = self._best_per_version(name, _pins_exactly(spec))
        kept = spec.filter(versions, prereleases=prereleases, key=lambda c: c.version)
        return [c for c in kept if others(c)]

    def _from_source(
        self,
        name: NormalizedName,
        spec: SpecifierSet,
        others: Callable[[Pin], bool],
        installed: InstalledDist | None,
    ) -> list[Pin] | Later:
        offered = self._source.candidates(name)
        lazy = installed is None and name not in self._policy.preferred
        if lazy and isinstance(offered, Offered) and offered.by_version:
            return self._later(offered, spec, others)
        return self._preferred_first(name, self._from_index(name, spec, others, installed))

    def _later(self, offered: Offered, spec: SpecifierSet, others: Callable[[Pin], bool]) -> Later:
        """:meth:`_matching` a version at a time: the versions ``spec`` admits (read from
        file names), each one's best file judged only when the resolver reaches it."""
        prereleases = True if self._policy.pre else None
        admitted = list(spec.filter(offered.versions(), prereleases=prereleases))
        if prereleases is None:  # pre-releases when no admitted final has a usable file
            seen = set(admitted)
            every = spec.filter(offered.versions(), prereleases=True)
            fallback = [v for v in every if v not in seen]
        else:
            fallback = []
        yanked = _pins_exactly(spec)

        def pins() -> Iterator[Pin]:
            usable = False
            for version in admitted:
                best = offered.best(version, yanked=yanked)
                usable = usable or best is not None
                if best is not None and others(best):
                    yield best
            for version in () if usable else fallback:
                best = offered.best(version, yanked=yanked)
                if best is not None and others(best):
                    yield best

        return Later(pins, len(admitted) or len(fallback))

    def _best_per_version(self, name: NormalizedName, pinned: bool) -> list[Candidate]:
        """The source's best file of each version (yanked ones only for a pin), remembered:
        resolvelib asks about a project again on every round that touches it."""
        found = self._best.get((name, pinned))
        if found is None:
            best: dict[Version, Candidate] = {}
            for candidate in self._source.candidates(name):
                if candidate.link.yanked is not None and not pinned:
                    continue  # PEP 592: a yanked file only for an exact pin
                best.setdefault(candidate.version, candidate)
            found = self._best[(name, pinned)] = list(best.values())
        return found

    def _from_index(
        self,
        name: NormalizedName,
        spec: SpecifierSet,
        others: Callable[[Pin], bool],
        installed: InstalledDist | None,
    ) -> list[Pin]:
        found = self._matching(name, spec, others)
        if installed is None:
            return found
        rest = [c for c in found if c.version != installed.version]
        at = next((i for i, c in enumerate(rest) if c.version < installed.version), len(rest))
        return [*rest[:at], installed, *rest[at:]]

    def _preferred_first(self, name: NormalizedName, found: list[Pin]) -> list[Pin]:
        """``found`` with the preferred version of ``name`` (if it is there) first."""
        wanted = self._policy.preferred.get(name)
        at = next((i for i, p in enumerate(found) if p.version == wanted), None)
        if at is None or at == 0:
            return found
        return [found[at], *found[:at], *found[at + 1 :]]

    def _installed_first(
        self,
        installed: InstalledDist,
        name: NormalizedName,
        spec: SpecifierSet,
        others: Callable[[Pin], bool],
    ) -> Iterator[Pin]:
        yield installed
        for candidate in self._matching(name, spec, others):
            if candidate.version != installed.version:
                yield candidate


def _pins_exactly(spec: SpecifierSet) -> bool:
    return any(
        s.operator == "===" or (s.operator == "==" and not s.version.endswith(".*")) for s in spec
    )
