"""The typed states of a distribution on its way into an environment.

Requirement (``pinset.requirements``) → :class:`Candidate` → :class:`LocalWheel` →
:class:`InstalledDist`. Each is frozen; a candidate's kind (registry or direct, wheel or source)
is one of :mod:`pinset.kinds`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from packaging.tags import Tag
from packaging.utils import NormalizedName
from packaging.version import Version

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


@dataclass(frozen=True, slots=True)
class LocalWheel:
    """A wheel file on disk (downloaded or built), verified against ``sha256``."""

    name: NormalizedName
    version: Version
    path: Path
    sha256: str
    candidate: Candidate | None = None


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
