"""The resolvelib provider: pure data in, data out, over a :class:`CandidateSource`.

Preference (smaller first), roughly pip's: the target Python, then direct URLs and extras'
bases, then ``==`` pins (requirements or constraints), then projects that may change before
those kept as installed (so that an eager upgrade reaches dependencies before they are settled),
then projects with fewer known choices, then shallower ones, then by name. When the resolver
has just backtracked, the projects involved are worked on first (``narrow_requirement_selection``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from packaging.specifiers import SpecifierSet
from packaging.utils import NormalizedName
from packaging.version import Version
from resolvelib import AbstractProvider

from pinset.dists import Candidate
from pinset.markers import extra_only, marker_applies
from pinset.resolve.candidates import Chooser, Later, same_link, same_pin
from pinset.resolve.model import (
    PYTHON,
    CandidateSource,
    Cause,
    Choice,
    Direct,
    Exact,
    Extra,
    Named,
    Need,
    NeedsPython,
    Pin,
    PythonCandidate,
    ident_of,
    version_of,
)
from pinset.resolve.needs import from_dependency, index_extras, index_names

if TYPE_CHECKING:
    from resolvelib.structs import RequirementInformation

    Info = RequirementInformation[Need, Choice]
else:
    Info = Any


def split_ident(identifier: str) -> tuple[NormalizedName, str | None]:
    """``"lib[fast]"`` → ``("lib", "fast")``; ``"lib"`` → ``("lib", None)``."""
    name, _, rest = identifier.partition("[")
    return NormalizedName(name), (rest[:-1] or None)


def is_pin(spec: SpecifierSet) -> bool:
    specs = list(spec)
    return len(specs) == 1 and (
        specs[0].operator == "===" or (specs[0].operator == "==" and "*" not in specs[0].version)
    )


def base_of(choice: Choice) -> Pin | None:
    match choice:
        case Extra():
            return choice.base
        case PythonCandidate():
            return None
        case _:
            return choice


class Provider(AbstractProvider[Need, Choice, str]):
    """Answers resolvelib's questions; remembers dependencies and prefetches new names."""

    def __init__(
        self,
        source: CandidateSource,
        chooser: Chooser,
        markers: Mapping[str, str],
        python: PythonCandidate,
        *,
        no_deps: bool = False,
    ) -> None:
        self._source = source
        self._no_deps = no_deps
        self._chooser = chooser
        self._markers = markers
        self._python = python
        self._dependencies: dict[Choice, list[Need]] = {}
        self._asked: set[NormalizedName] = set()
        self._counts: dict[str, int] = {}
        self._depths: dict[str, float] = {}
        self._verdicts: dict[int, tuple[Named, dict[Version, bool]]] = {}
        # (requirement, candidate) -> verdict, by identity: resolvelib asks whether each pin
        # still satisfies every criterion on every round (tens of thousands of times for a
        # large set); each entry keeps both objects alive, so an id is never reused
        self._satisfies: dict[tuple[int, int], tuple[Need, Choice, bool]] = {}
        self._kinds_known: dict[str, tuple[list[Need], tuple[bool, bool]]] = {}

    # -- identity and matching ---------------------------------------------------------------

    def identify(self, requirement_or_candidate: Need | Choice) -> str:
        return ident_of(requirement_or_candidate)

    def find_matches(
        self,
        identifier: str,
        requirements: Mapping[str, Iterator[Need]],
        incompatibilities: Mapping[str, Iterator[Choice]],
    ) -> Iterable[Choice] | Callable[[], Iterable[Choice]]:
        needs = list(requirements[identifier])
        bad = list(incompatibilities[identifier])
        if identifier == PYTHON:
            fits = all(self.is_satisfied_by(n, self._python) for n in needs)
            return [self._python] if fits and self._python not in bad else []
        name, extra = split_ident(identifier)
        if extra is None:
            allowed: Callable[[Pin], bool] = lambda pin: pin not in bad  # noqa: E731
        else:
            allowed = lambda pin: Extra(pin, extra) not in bad  # noqa: E731
            if name in requirements:  # what the base must be, an extra must be on too
                needs.extend(requirements[name])
        pins = self._chooser.pins(name, needs, allowed)
        if isinstance(pins, Later):
            self._counts[identifier] = pins.most
            return pins if extra is None else _wrapping(pins, extra)
        found = list(pins)
        self._counts[identifier] = len(found)
        return found if extra is None else [Extra(p, extra) for p in found]

    def is_satisfied_by(self, requirement: Need, candidate: Choice) -> bool:
        key = (id(requirement), id(candidate))
        known = self._satisfies.get(key)
        if known is None:
            known = self._satisfies[key] = (
                requirement,
                candidate,
                self._satisfied(requirement, candidate),
            )
        return known[2]

    def _satisfied(self, requirement: Need, candidate: Choice) -> bool:
        match requirement:
            case NeedsPython():
                return isinstance(candidate, PythonCandidate) and requirement.specifier.contains(
                    candidate.version, prereleases=True
                )
            case Named():
                if isinstance(candidate, PythonCandidate):
                    return False
                return self._contains(requirement, version_of(candidate))
            case Direct():
                pin = base_of(candidate)
                return isinstance(pin, Candidate) and same_link(pin, requirement.candidate)
            case Exact():
                pin = base_of(candidate)
                return pin is not None and same_pin(pin, requirement.pin)
        return False  # pragma: no cover - the match is exhaustive

    def _contains(self, need: Named, version: Version) -> bool:
        """``need.specifier.contains``, remembered: resolvelib asks again every round."""
        entry = self._verdicts.get(id(need))
        if entry is None:  # the entry keeps ``need`` alive, so its id is not reused
            entry = self._verdicts[id(need)] = (need, {})
        verdicts = entry[1]
        verdict = verdicts.get(version)
        if verdict is None:
            verdict = verdicts[version] = need.specifier.contains(version, prereleases=True)
        return verdict

    # -- dependencies ------------------------------------------------------------------------

    def get_dependencies(self, candidate: Choice) -> Sequence[Need]:
        known = self._dependencies.get(candidate)
        if known is None:
            known = self._compute_dependencies(candidate)
            self._dependencies[candidate] = known
            self._prefetch(candidate, known)
        return known

    def _compute_dependencies(self, choice: Choice) -> list[Need]:
        match choice:
            case PythonCandidate():
                return []
            case Extra():
                base: Need = Exact(choice.base, Cause(f"{choice.base.name}=={choice.base.version}"))
                needs = [base]
                if self._no_deps:
                    return needs
                for dep in self._source.dependencies(choice.base):
                    if extra_only(dep.marker, self._markers, choice.extra):
                        needs.extend(from_dependency(dep, choice, self._chooser))
                return needs
            case _:
                # A candidate for another Python is doomed: say only that (and read no more).
                needs = self._python_need(choice) if isinstance(choice, Candidate) else []
                if needs or self._no_deps:
                    return needs
                for dep in self._source.dependencies(choice):
                    if marker_applies(dep.marker, self._markers):
                        needs.extend(from_dependency(dep, choice, self._chooser))
                return needs

    def _python_need(self, candidate: Candidate) -> list[Need]:
        spec = self._source.requires_python(candidate)
        if spec is None or spec.contains(self._python.version, prereleases=True):
            return []
        return [NeedsPython(spec, Cause(f"Python {spec}"))]

    def _prefetch(self, choice: Choice, needs: Sequence[Need]) -> None:
        names = index_names(needs)
        parent = base_of(choice)
        if parent is not None:
            self._chooser.upgrading_dependencies(parent.name, names)
        # in the order of the dependencies, the order resolvelib asks about them in
        wanted = [n for n in names if n not in self._asked and self._chooser.needs_index(n)]
        self._asked.update(names)
        if wanted:
            self._source.prefetch(wanted, index_extras(needs))

    def _settled(self, name: NormalizedName) -> bool:
        """Installed and not to be upgraded: no need to ask the index ahead of time."""
        return name in self._chooser.policy.installed and not self._chooser.may_upgrade(name)

    # -- preference --------------------------------------------------------------------------

    def get_preference(
        self,
        identifier: str,
        resolutions: Mapping[str, Choice],
        candidates: Mapping[str, Iterator[Choice]],
        information: Mapping[str, Iterator[Info]],
        backtrack_causes: Sequence[Info],
    ) -> tuple[bool, bool, bool, bool, int, float, str]:
        infos = list(information[identifier])
        name = split_ident(identifier)[0]
        direct, pinned = self._kinds(identifier, name, [info.requirement for info in infos])
        count = self._counts.get(identifier, 1 << 30)
        return (
            identifier != PYTHON,
            not direct,
            not pinned,
            self._settled(name),
            count,
            self._depth(identifier, infos),
            identifier,
        )

    def _kinds(self, identifier: str, name: NormalizedName, needs: list[Need]) -> tuple[bool, bool]:
        """Whether a requirement on ``identifier`` is direct (a URL, an extra's base) and
        whether one (or a constraint) pins it; remembered while its requirements are the same
        objects: resolvelib asks on every round for every open identifier (for a lock file's
        n top-level pins, about n²/2 times)."""
        known = self._kinds_known.get(identifier)
        if (
            known is not None
            and len(known[0]) == len(needs)
            and all(a is b for a, b in zip(known[0], needs, strict=True))
        ):
            return known[1]
        direct = any(isinstance(n, Direct | Exact) for n in needs)
        constraint = self._chooser.policy.constraints.get(name)
        pinned = any(isinstance(n, Named) and is_pin(n.specifier) for n in needs) or (
            constraint is not None and is_pin(constraint.specifier)
        )
        self._kinds_known[identifier] = (needs, (direct, pinned))  # keeps the needs alive
        return direct, pinned

    def _depth(self, identifier: str, infos: Sequence[Info]) -> float:
        depth = math.inf
        for info in infos:
            if info.parent is None:
                depth = 1.0
                break
            depth = min(depth, self._depths.get(ident_of(info.parent), math.inf) + 1)
        self._depths[identifier] = depth
        return depth

    def narrow_requirement_selection(
        self,
        identifiers: Iterable[str],
        resolutions: Mapping[str, Choice],
        candidates: Mapping[str, Iterator[Choice]],
        information: Mapping[str, Iterator[Info]],
        backtrack_causes: Sequence[Info],
    ) -> Iterable[str]:
        names = list(identifiers)
        if PYTHON in names:
            return [PYTHON]
        involved = {ident_of(c.requirement) for c in backtrack_causes}
        involved.update(ident_of(c.parent) for c in backtrack_causes if c.parent is not None)
        return [n for n in names if n in involved] or names


def _wrapping(factory: Callable[[], Iterator[Pin]], extra: str) -> Callable[[], Iterator[Choice]]:
    def wrapped() -> Iterator[Choice]:
        for pin in factory():
            yield Extra(pin, extra)

    return wrapped
