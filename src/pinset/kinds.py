"""Distribution kinds: where a candidate comes from and what installing it takes.

One closed union, :data:`Kind`, carried by every :class:`~pinset.dists.Candidate`; code that
differs by kind ``match``es on it. Only the two wheel kinds can be installed today; the others
exist as types so that the one place that would build them
(:class:`pinset.distribution.build.NoBuilds`) refuses each by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias


@dataclass(frozen=True, slots=True)
class RegistryWheel:
    """A wheel an index or a find-links location offered."""


@dataclass(frozen=True, slots=True)
class RegistrySdist:
    """A source distribution an index or a find-links location offered."""


@dataclass(frozen=True, slots=True)
class DirectWheel:
    """A wheel the user named by URL or path (``name @ url``, a bare URL or path)."""


@dataclass(frozen=True, slots=True)
class DirectArchive:
    """A source archive the user named by URL or path; ``editable`` for ``-e``."""

    editable: bool = False


@dataclass(frozen=True, slots=True)
class LocalDirectory:
    """A source tree on disk the user named by path; ``editable`` for ``-e``."""

    editable: bool = False


@dataclass(frozen=True, slots=True)
class VcsCheckout:
    """A revision of a repository (``git+https://…``); ``vcs`` is its tool."""

    vcs: str
    editable: bool = False


Kind: TypeAlias = (
    RegistryWheel | RegistrySdist | DirectWheel | DirectArchive | LocalDirectory | VcsCheckout
)
Buildable: TypeAlias = RegistrySdist | DirectArchive | LocalDirectory | VcsCheckout
"""The kinds that become a wheel only by a build from source."""


def is_direct(kind: Kind) -> bool:
    """A file or tree the user named (PEP 610 ``direct_url.json``, ``is_direct`` in reports),
    rather than one an index offered."""
    match kind:
        case RegistryWheel() | RegistrySdist():
            return False
        case DirectWheel() | DirectArchive() | LocalDirectory() | VcsCheckout():
            return True


def is_editable(kind: Kind) -> bool:
    """An editable install (``-e``): the project's own tree is what the environment imports."""
    match kind:
        case DirectArchive(editable=True) | LocalDirectory(editable=True):
            return True
        case VcsCheckout(editable=True):
            return True
        case _:
            return False
