"""Distribution kinds: where a candidate comes from and what installing it takes.

One closed union, :data:`Kind`, carried by every :class:`~pinset.dists.Candidate`; code that
differs by kind ``match``es on it. The two wheel kinds are installed as they are; the others
become wheels through the source builder (:mod:`pinset.distribution.build`), which refuses
each by name when building is off.
"""

from __future__ import annotations

from typing import TypeAlias

from pinset._dataclass import dataclass


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
    """A revision of a repository (``git+https://…``); ``vcs`` is its tool, ``commit_id`` the
    immutable id the revision named when the candidate was made (empty until then): it travels
    with the candidate into ``direct_url.json`` and the report. ``tree``, for an editable: the
    project's directory in the ``--src`` checkout (what ``direct_url.json`` names)."""

    vcs: str
    editable: bool = False
    commit_id: str = ""
    tree: str = ""


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
