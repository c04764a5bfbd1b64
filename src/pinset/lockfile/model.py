"""What a lock file says: one :class:`LockedPin` per project, and the run's facts around them."""

from __future__ import annotations

from packaging.utils import NormalizedName

from pinset._dataclass import dataclass
from pinset.links import Link


@dataclass(frozen=True, slots=True)
class LockedPin:
    """One project of a locked set."""

    name: NormalizedName
    version: str
    via: tuple[str, ...] = ()
    """The ``# via`` entries: ``-r FILE``/``-c FILE`` for the inputs' lines, project names."""
    extras: tuple[str, ...] = ()
    url: str | None = None
    """A direct URL, as the input wrote it (``name @ url``); None for an index's project."""
    hashes: tuple[str, ...] = ()
    """``algo:hex`` of every file of the version the lock allows, sorted."""
    files: tuple[Link, ...] = ()
    """Every file of the version (pylock's ``wheels``/``sdist``, or the direct URL's)."""
    requires_python: str | None = None
    index: str | None = None
    """The index the files come from (pylock's ``index``)."""


@dataclass(frozen=True, slots=True)
class LockedSet:
    """A whole lock: the pins (sorted by name when written) and what is written around them."""

    pins: tuple[LockedPin, ...]
    command: str
    """The command that made it (``pinset lock requirements.in -o requirements.txt``)."""
    python: str
    """The target's ``X.Y``."""
    options: tuple[str, ...] = ()
    """Option lines as the inputs wrote them (``--index-url ${URL}``, ``--find-links DIR``)."""
