"""Bazaar, through Breezy (``brz``; ``bzr`` when only that is installed): a branch without
working tree per repository URL in the cache, refreshed by ``pull --overwrite``; checkouts are
branches of it at one revision.

A revision (a revno, ``tag:``, ``revid:``, ``date:``…) reaches the tool only as
``--revision=VALUE``; URLs and paths come after ``--``. No prompt: the tool has no terminal and
an empty input. Breezy takes credentials only from the URL (then visible on its command line)
or from its ``authentication.conf``: a URL with credentials is refused, with that hint.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pinset.vcs._run import DEFAULT_TIMEOUT, Invocation, probe, run
from pinset.vcs.base import Checkout, VcsError
from pinset.vcs.mirrors import create, held
from pinset.vcs.url import VcsUrl

_ENV = {"BRZ_PROGRESS_BAR": "none", "BZR_PROGRESS_BAR": "none"}


class Bzr:
    """The Bazaar backend (see the module's docstring)."""

    name = "bzr"
    tool = "brz"
    control_dir = ".bzr"

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.timeout = timeout

    def _brz(self, *args: str) -> str:
        return run(self._invocation(*args), timeout=self.timeout)

    def _invocation(self, *args: str) -> Invocation:
        tool = "bzr" if shutil.which("brz") is None and shutil.which("bzr") else "brz"
        return Invocation((tool, *args), _ENV)

    def resolve(self, source: VcsUrl, mirrors: Path) -> str:
        return self._refreshed(source, mirrors)[1]

    def obtain(self, source: VcsUrl, mirrors: Path, dest: Path) -> Checkout:
        mirror, revid = self._refreshed(source, mirrors)
        self._brz("branch", "--quiet", f"--revision=revid:{revid}", "--", str(mirror), str(dest))
        self._brz("config", f"--directory={dest}", f"parent_location={source.url}")
        return Checkout(dest, revid, source.revision)

    def switch(self, tree: Path, source: VcsUrl) -> Checkout:
        _refuse_credentials(source)
        self._brz("pull", "--quiet", "--overwrite", f"--directory={tree}", "--", source.url)
        revid = self._revid(source, tree)
        self._brz("update", "--quiet", f"--revision=revid:{revid}", "--", str(tree))
        return Checkout(tree, revid, source.revision)

    def current_id(self, tree: Path) -> str:
        return self._brz("revision-info", f"--directory={tree}").split()[-1]

    def freeze_revision(self, tree: Path) -> str:
        """The branch's revno (``bzr revno``, as pip)."""
        return self._brz("revision-info", f"--directory={tree}").split()[0]

    def remote_url(self, tree: Path) -> str | None:
        invocation = self._invocation("config", f"--directory={tree}", "parent_location")
        out = probe(invocation, timeout=self.timeout)
        return out.strip() or None if out else None

    def is_commit_id(self, revision: str) -> bool:
        """Never: a revno is a position on a branch, and pinset keeps hash-checking
        and the built-wheel cache to git and Mercurial hashes."""
        return False

    def fixed_id(self, revision: str) -> str | None:
        """``revid:ID``'s id (a revno is not fixed: ``uncommit`` then a commit reuses it)."""
        found = revision[len("revid:") :] if revision.startswith("revid:") else ""
        return found or None

    def revision_for(self, commit_id: str) -> str:
        return f"revid:{commit_id}"

    def _refreshed(self, source: VcsUrl, mirrors: Path) -> tuple[Path, str]:
        _refuse_credentials(source)
        with held(mirrors, source.url) as mirror:
            if not (mirror / ".bzr").is_dir():
                create(mirror, lambda target: self._clone(source, target))
            else:
                self._brz(
                    "pull", "--quiet", "--overwrite", f"--directory={mirror}", "--", source.url
                )
            return mirror, self._revid(source, mirror)

    def _clone(self, source: VcsUrl, target: Path) -> None:
        self._brz("branch", "--quiet", "--no-tree", "--", source.url, str(target))

    def _revid(self, source: VcsUrl, branch: Path) -> str:
        args = ["revision-info", f"--directory={branch}"]
        if source.revision is not None:
            args.append(f"--revision={source.revision}")
        out = probe(self._invocation(*args), timeout=self.timeout)
        if not out:
            raise VcsError(
                f"{source.display} has no revision {source.revision!r}",
                hint="name a revno (12), a tag (tag:v1.0), a revid (revid:…) or a date (date:…)",
            )
        return out.split()[-1]


def _refuse_credentials(source: VcsUrl) -> None:
    if source.username is not None:
        raise VcsError(
            f"{source.display}: pinset does not pass credentials in a Bazaar URL",
            hint="Breezy would show them on its command line; put them in "
            "~/.config/breezy/authentication.conf and remove them from the URL",
        )
