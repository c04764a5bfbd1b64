"""The typed states of a distribution on its way into an environment.

Requirement (``pinset.requirements``) → :class:`Candidate` → :class:`LocalWheel` →
:class:`InstalledDist`. Each is frozen; a candidate's kind (registry or direct, wheel or source)
is one of :mod:`pinset.kinds`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from packaging.tags import Tag
from packaging.utils import NormalizedName
from packaging.version import Version

from pinset._dataclass import dataclass, field
from pinset.direct_url import DirectUrl
from pinset.links import Link

if TYPE_CHECKING:  # a type only: the no-op path reads installed distributions, not kinds
    from pinset.kinds import Kind


@dataclass(frozen=True, slots=True)
class Candidate:
    """One concrete version of a project from one concrete file.

    ``tags`` is the wheel's tag set (empty for sdists). ``kind`` says where the file comes
    from (an index or a URL/path the user named) and what installing it takes.
    """

    name: NormalizedName
    version: Version
    link: Link
    tags: frozenset[Tag] = frozenset()
    kind: Kind = field(kw_only=True)

    @property
    def is_wheel(self) -> bool:
        return self.link.is_wheel

    def __str__(self) -> str:
        return f"{self.name}=={self.version}"


class Offered(Sequence[Candidate]):
    """One project's usable files, judged a version at a time.

    ``versions``, newest first, are read from the files' names; ``judge(version)`` gives that
    version's usable files, best first, and is asked once per version (two threads racing on
    one compute the same answer), only for the versions someone looks at: a resolution looks
    at a few of a project's hundreds of versions. As a sequence every version is judged and
    the files come best first by ``order`` (larger is better). ``by_version``: that order is
    newest version first among files not yanked (false when a preference such as
    ``--prefer-binary`` ranks some files above newer versions).
    """

    __slots__ = ("_all", "_by_version", "_files", "_judge", "_order", "_versions")

    def __init__(
        self,
        versions: Sequence[Version],
        judge: Callable[[Version], Sequence[Candidate]],
        order: Callable[[Candidate], Any],
        *,
        by_version: bool = True,
    ) -> None:
        self._versions = tuple(versions)
        self._judge = judge
        self._order = order
        self._by_version = by_version
        self._files: dict[Version, Sequence[Candidate]] = {}
        self._all: tuple[Candidate, ...] | None = None

    @property
    def by_version(self) -> bool:
        return self._by_version

    def versions(self) -> Sequence[Version]:
        """Every version a file name shows, newest first (usable files or not)."""
        return self._versions

    @property
    def judged(self) -> tuple[Version, ...]:
        """The versions judged so far, newest first."""
        return tuple(v for v in self._versions if v in self._files)

    def files(self, version: Version) -> Sequence[Candidate]:
        """The usable files of ``version``, best first."""
        found = self._files.get(version)
        if found is None:
            found = self._files[version] = self._judge(version)
        return found

    def best(self, version: Version, *, yanked: bool = False) -> Candidate | None:
        """The best usable file of ``version``; a yanked one only with ``yanked`` (PEP 592)."""
        return next((c for c in self.files(version) if yanked or c.link.yanked is None), None)

    def _every(self) -> tuple[Candidate, ...]:
        if self._all is None:
            files = [c for v in self._versions for c in self.files(v)]
            self._all = tuple(sorted(files, key=self._order, reverse=True))
        return self._all

    @overload
    def __getitem__(self, index: int) -> Candidate: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Candidate]: ...

    def __getitem__(self, index: int | slice) -> Candidate | Sequence[Candidate]:
        return self._every()[index]

    def __len__(self) -> int:
        return len(self._every())

    def __iter__(self) -> Iterator[Candidate]:
        return iter(self._every())

    def __eq__(self, other: object) -> bool:
        """Equal to the same files as a tuple (what the finder gave before it judged lazily)."""
        if isinstance(other, Offered):
            return self._every() == other._every()
        if isinstance(other, tuple):
            return self._every() == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class LocalWheel:
    """A wheel file on disk (downloaded or built), verified against ``sha256``."""

    name: NormalizedName
    version: Version
    path: Path
    sha256: str
    candidate: Candidate | None = None


@dataclass(frozen=True)
class Change:
    """One line of a change's report: ``name==version`` installed or removed."""

    name: str
    version: str

    def __str__(self) -> str:
        return f"{self.name}=={self.version}"


@dataclass(frozen=True, slots=True)
class InstalledDist:
    """A ``.dist-info`` (or legacy ``.egg-info``) found in a target environment."""

    name: NormalizedName
    version: Version
    path: Path
    installer: str | None = None
    requested: bool = False
    direct_url: DirectUrl | None = None
    """PEP 610 ``direct_url.json``, when present and valid."""

    @property
    def editable(self) -> bool:
        return self.direct_url is not None and self.direct_url.editable
