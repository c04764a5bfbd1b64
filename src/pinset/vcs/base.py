"""What every version-control backend offers, and what it hands back."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pinset._dataclass import dataclass
from pinset.errors import PinsetError

if TYPE_CHECKING:
    from pinset.vcs.url import VcsUrl


class VcsError(PinsetError):
    """A version-control tool is missing, refused a source, or failed."""


class ToolMissing(VcsError):
    """The version-control tool a source needs is not on ``PATH``."""


@dataclass(frozen=True, slots=True)
class Checkout:
    """A working tree at ``path`` holding the immutable ``commit_id`` that
    ``requested_revision`` (``None``: the default branch) named when it was checked out."""

    path: Path
    commit_id: str
    requested_revision: str | None


class Backend(Protocol):
    """One version-control tool.

    ``obtain`` checks ``source`` out into the new directory ``dest``, keeping what it can of the
    repository under ``mirrors`` (a cache directory, keyed by the repository URL) so that the
    next run fetches instead of cloning. ``switch`` moves an existing checkout to the revision
    ``source`` names, ``resolve`` turns that revision into an immutable id and ``current_id``
    reports the id a checkout is at. ``remote_url`` is the repository a checkout says it came
    from (``None`` when it names none), ``is_commit_id`` whether a revision is written as an
    immutable id of this tool (a full commit hash: what may stand in for a hash, and key a cache).
    ``freeze_revision`` is the revision ``pip freeze`` writes for a checkout (git and Mercurial:
    the commit hash; Subversion: the working copy's revision; Bazaar: the revno).
    ``fixed_id`` is the id a checkout's files record when it is at ``revision``, when that
    revision can never name another tree (git and Mercurial: a full hash; Subversion: a
    revision number; Bazaar: ``revid:``, a revno being only a position on a branch that
    ``uncommit`` can reuse), else ``None``: what lets an unchanged editable checkout be
    recognised without running the tool.
    ``revision_for`` is how a URL's revision names an id ``current_id`` reported (to move a
    checkout back where it was).
    ``control_dir`` is the directory that makes a tree a checkout of this tool (``.git``).
    """

    name: str
    tool: str
    control_dir: str

    def obtain(self, source: VcsUrl, mirrors: Path, dest: Path) -> Checkout: ...

    def switch(self, tree: Path, source: VcsUrl) -> Checkout: ...

    def resolve(self, source: VcsUrl, mirrors: Path) -> str: ...

    def current_id(self, tree: Path) -> str: ...

    def remote_url(self, tree: Path) -> str | None: ...

    def freeze_revision(self, tree: Path) -> str: ...

    def is_commit_id(self, revision: str) -> bool: ...

    def fixed_id(self, revision: str) -> str | None: ...

    def revision_for(self, commit_id: str) -> str: ...
