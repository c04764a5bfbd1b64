"""The vocabulary the resolver engine works in: needs (requirements), choices (candidates), results.

resolvelib sees three kinds of requirement (*needs*) and four kinds of *choice*, each keyed by an
*identifier*:

- ``"name"``: a project (``Candidate`` from the source, or an ``InstalledDist`` kept as is);
- ``"name[extra]"``: one extra of a project (:class:`Extra`), which needs its base at exactly the
  same version (:class:`Exact`) plus the extra's own Requires-Dist;
- ``PYTHON``: the target interpreter (:class:`PythonCandidate`), needed by candidates whose
  Requires-Python excludes it, so that such candidates are rejected and explained like any other
  conflict.

:class:`Named` is a version range, :class:`Direct` a link the user named (a direct URL).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol, TypeAlias

from packaging.requirements import Requirement as Pep508
from packaging.specifiers import SpecifierSet
from packaging.utils import NormalizedName
from packaging.version import Version

from pinset._dataclass import dataclass, field
from pinset.dists import Candidate, InstalledDist
from pinset.errors import Location
from pinset.requirements.model import Requirement

PYTHON = "<python>"
"""The identifier of the target interpreter."""

Pin: TypeAlias = Candidate | InstalledDist
"""What a project resolves to: a file to fetch, or the distribution already installed."""

Extras: TypeAlias = frozenset[str]
"""Extras of one project, each name normalized."""


class CandidateSource(Protocol):
    """Where candidates and their metadata come from (index + metadata at the composition root).

    ``dependencies`` and ``requires_python`` are also asked about installed distributions (read
    their ``.dist-info`` METADATA). ``rejections`` explains "no matching version" errors: one
    entry per skipped file or version of ``name``, e.g. ``"needs Python >=3.12"``, ``"yanked"``.
    ``missing_on`` names the places asked (indexes, find-links locations) when none of them
    knows ``name`` at all, and is empty otherwise ("not found" is not "no version satisfies").
    ``prefetch`` is a hint: names the resolver will ask about soon (fetch their pages and the
    best candidates' metadata in the background), with the extras it will want of each
    (``extras``: only the names that have some); it may do nothing.
    """

    def candidates(self, name: NormalizedName) -> Sequence[Candidate]: ...

    def dependencies(self, candidate: Pin) -> Sequence[Pep508]: ...

    def requires_python(self, candidate: Pin) -> SpecifierSet | None: ...

    def direct(self, requirement: Requirement) -> Candidate: ...

    def rejections(self, name: NormalizedName) -> Sequence[str]: ...

    def missing_on(self, name: NormalizedName) -> Sequence[str]: ...

    def prefetch(
        self, names: Iterable[NormalizedName], extras: Mapping[NormalizedName, Extras] | None = None
    ) -> None: ...


@dataclass(frozen=True, slots=True)
class Cause:
    """Why a need exists: the user (``parent is None``, with ``origin``) or a parent choice."""

    text: str
    """The requirement as written, without its marker, e.g. ``"lib>=2"``."""
    origin: Location | None = None


@dataclass(frozen=True, slots=True)
class Named:
    """A version range of ``name`` (or of one of its extras when ``extra`` is set)."""

    name: NormalizedName
    extra: str | None
    specifier: SpecifierSet
    cause: Cause

    @property
    def ident(self) -> str:
        return identifier(self.name, self.extra)


@dataclass(frozen=True, slots=True)
class Direct:
    """Exactly the file ``candidate`` (a direct URL), or one of its extras."""

    name: NormalizedName
    extra: str | None
    candidate: Candidate
    cause: Cause

    @property
    def ident(self) -> str:
        return identifier(self.name, self.extra)


@dataclass(frozen=True, slots=True)
class Exact:
    """An extra's need of its own base: the same version, and the same file for direct URLs."""

    pin: Pin
    cause: Cause

    @property
    def ident(self) -> str:
        return str(self.pin.name)


@dataclass(frozen=True, slots=True)
class NeedsPython:
    """A candidate's Requires-Python that excludes the target interpreter."""

    specifier: SpecifierSet
    cause: Cause

    @property
    def ident(self) -> str:
        return PYTHON


Need: TypeAlias = Named | Direct | Exact | NeedsPython


@dataclass(frozen=True, slots=True)
class Extra:
    """One extra of a chosen base: needs the base plus the extra's Requires-Dist."""

    base: Pin
    extra: str

    @property
    def ident(self) -> str:
        return identifier(self.base.name, self.extra)


@dataclass(frozen=True, slots=True)
class PythonCandidate:
    """The target interpreter's version as the resolver's one choice for :data:`PYTHON` (the
    interpreter itself is :class:`pinset.environment.interpreter.Interpreter`)."""

    version: Version


Choice: TypeAlias = Candidate | InstalledDist | Extra | PythonCandidate


def identifier(name: str, extra: str | None) -> str:
    return f"{name}[{extra}]" if extra else name


def ident_of(item: Need | Choice) -> str:
    """The resolvelib identifier of a need or a choice."""
    match item:
        case Candidate() | InstalledDist():
            return str(item.name)
        case PythonCandidate():
            return PYTHON
        case _:
            return item.ident


def version_of(choice: Choice) -> Version:
    match choice:
        case Extra():
            return choice.base.version
        case _:
            return choice.version


def describe(choice: Choice) -> str:
    """``"lib 2.0"``, ``"lib[fast] 2.0"``, ``"Python 3.11.4"``."""
    match choice:
        case PythonCandidate():
            return f"Python {choice.version}"
        case _:
            return f"{ident_of(choice)} {version_of(choice)}"


@dataclass(frozen=True, slots=True)
class Via:
    """One reason a pin is in the set: a parent project's requirement, or a user's line."""

    parent: NormalizedName | None
    """The project that needs the pin; ``None`` when the user asked for it."""
    requirement: str
    """The requirement as written (by the parent's metadata or on the user's line)."""
    origin: Location | None = None
    """For the user's lines (and constraints): where they are."""
    constraint: bool = False


@dataclass(frozen=True, slots=True)
class Resolution:
    """The pinned set: for every project, one pin; how each pin was reached; chosen extras.

    ``pins`` is ordered dependencies first (an install order; cycles broken by name).
    ``parents`` gives the ``# via`` entries of lock files: parent project names, ``-r FILE`` for
    the user's lines and ``-c FILE`` for constraints that applied, sorted.
    """

    pins: Mapping[NormalizedName, Pin]
    parents: Mapping[NormalizedName, tuple[str, ...]]
    via: Mapping[NormalizedName, tuple[Via, ...]] = field(default_factory=dict)
    extras: Mapping[NormalizedName, frozenset[str]] = field(default_factory=dict)
    requested: frozenset[NormalizedName] = frozenset()
    """Projects named by the user's (top-level) requirements."""
    ignored: tuple[Requirement, ...] = ()
    """The user's lines (and constraints) whose markers don't match the target."""

    def chains(self, name: NormalizedName) -> tuple[tuple[str, ...], ...]:
        """One shortest path from a user's line down to ``name`` per reason it is pinned.

        Each path starts with ``"-r FILE"`` then project names, e.g.
        ``("-r requirements.txt", "app", "lib")``; shortest first.
        """
        found: set[tuple[str, ...]] = set()
        for via in self.via.get(name, ()):
            if via.constraint:
                continue
            if via.parent is None:
                found.add((_top(via), name))
                continue
            path = self._shortest(via.parent, name)
            if path:
                found.add((*path, name))
        return tuple(sorted(found, key=lambda p: (len(p), p)))

    def _shortest(self, start: NormalizedName, avoid: NormalizedName) -> tuple[str, ...]:
        """Breadth-first up the ``via`` links from ``start`` to a user's line."""
        queue: deque[tuple[NormalizedName, tuple[str, ...]]] = deque([(start, (start,))])
        seen = {start, avoid}
        while queue:
            current, path = queue.popleft()
            for via in self.via.get(current, ()):
                if via.constraint:
                    continue
                if via.parent is None:
                    return (_top(via), *path)
                if via.parent not in seen:
                    seen.add(via.parent)
                    queue.append((via.parent, (via.parent, *path)))
        return ()


def _top(via: Via) -> str:
    return f"-r {via.origin.file}" if via.origin else "-r"


@dataclass(frozen=True, slots=True)
class Constraint:
    """Everything ``-c`` files say about one project: a range, maybe a link, and the lines."""

    name: NormalizedName
    specifier: SpecifierSet
    lines: tuple[Requirement, ...]
    link: Requirement | None = None
    """A constraint naming a URL: that file is the only one allowed."""
