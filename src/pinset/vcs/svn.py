"""Subversion: a checkout straight from the repository at one revision.

Subversion keeps no local history to mirror, so nothing is cached: ``obtain`` checks out the
revision the URL names (a number, ``{date}`` or ``HEAD``), its id being the revision number the
working copy is then at (what pip records and freezes: for ``HEAD`` the youngest revision, even
when only other paths changed in it). Every URL (and path svn reads) ends with a peg ``@`` (an
``@`` inside it stays data) and comes after ``--``; a revision only as ``--revision=VALUE``.
``--non-interactive`` and ``--no-auth-cache``: no prompt, nothing stored. The password is read
from standard input (``--password-from-stdin``); the user name is on the command line
(Subversion has no other way to take it).
"""

from __future__ import annotations

import re
from pathlib import Path

from pinset.vcs._run import DEFAULT_TIMEOUT, Invocation, probe, run
from pinset.vcs.base import Checkout, VcsError
from pinset.vcs.url import VcsUrl

_FIXED = ("--non-interactive", "--no-auth-cache")
_ID = "--show-item=revision"
_NUMBER = re.compile(r"[0-9]{1,12}")


class Svn:
    """The Subversion backend (see the module's docstring)."""

    name = "svn"
    tool = "svn"
    control_dir = ".svn"

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.timeout = timeout

    def invocation(self, source: VcsUrl, *args: str, cwd: Path | None = None) -> Invocation:
        """``svn ARGS`` for ``source``, its credentials given as the module's docstring says."""
        credentials: list[str] = []
        stdin = b""
        if source.username is not None:
            credentials.append(f"--username={source.username}")
        if source.password is not None:
            credentials.append("--password-from-stdin")
            stdin = source.password.encode() + b"\n"
        fixed = len(_FIXED) + len(credentials)
        return Invocation(("svn", *_FIXED, *credentials, *args), {}, cwd, stdin, fixed)

    def _svn(self, source: VcsUrl, *args: str) -> str:
        return run(self.invocation(source, *args), timeout=self.timeout)

    def resolve(self, source: VcsUrl, mirrors: Path) -> str:
        self._svn(source, "info", "--", f"{source.url}@")
        revision = source.revision or "HEAD"
        args = ("info", _ID, f"--revision={revision}", "--", f"{source.url}@")
        out = probe(self.invocation(source, *args), timeout=self.timeout)
        if not out or not out.strip().isdigit():
            raise VcsError(
                f"{source.display} has no revision {source.revision!r}",
                hint="name a revision number, a date ({2024-01-31}) or HEAD",
            )
        return out.strip()

    def obtain(self, source: VcsUrl, mirrors: Path, dest: Path) -> Checkout:
        commit = self.resolve(source, mirrors)
        self._svn(source, "checkout", "--quiet", "--", self._target(source, commit), str(dest))
        return Checkout(dest, commit, source.revision)

    def switch(self, tree: Path, source: VcsUrl) -> Checkout:
        commit = self.resolve(source, tree)
        self._svn(source, "switch", "--quiet", "--", self._target(source, commit), str(tree))
        return Checkout(tree, commit, source.revision)

    def _target(self, source: VcsUrl, commit: str) -> str:
        """``URL@REV``: the revision number written (the working copy then records it, as
        pip's ``-r N``, and a re-run sees it on disk), else the one resolved (``{date}``,
        ``HEAD``: the number they stand for now)."""
        fixed = self.fixed_id(source.revision) if source.revision is not None else None
        return f"{source.url}@{fixed or commit}"

    def current_id(self, tree: Path) -> str:
        local = VcsUrl("svn", "", None)
        return self._svn(local, "info", _ID, "--", f"{tree}@").strip()

    def freeze_revision(self, tree: Path) -> str:
        """The working copy's revision (what ``svn info --xml`` reports at most, as pip)."""
        local = VcsUrl("svn", "", None)
        return self._svn(local, "info", "--show-item=revision", "--", f"{tree}@").strip()

    def remote_url(self, tree: Path) -> str | None:
        local = VcsUrl("svn", "", None)
        args = ("info", "--show-item=url", "--", f"{tree}@")
        out = probe(self.invocation(local, *args), timeout=self.timeout)
        return out.strip() if out else None

    def is_commit_id(self, revision: str) -> bool:
        """Never: a revision number names a state of the whole repository, and pinset
        keeps hash-checking and the built-wheel cache to git and Mercurial hashes."""
        return False

    def fixed_id(self, revision: str) -> str | None:
        """A revision number (a working copy checked out at it records it), normalized."""
        return str(int(revision)) if _NUMBER.fullmatch(revision) else None

    def revision_for(self, commit_id: str) -> str:
        return commit_id
