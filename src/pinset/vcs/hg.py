"""Mercurial: a clone without working copy per repository URL in the cache, refreshed by
``pull``; checkouts are local clones of it updated to one changeset.

A revision reaches hg only as ``--rev=VALUE`` (one argument: never an option, the
CVE-2023-5752 class) and as a quoted revset symbol (a name, number or hash, never an
expression); the URL comes after ``--``. Prompts are off (``--noninteractive``,
``ui.interactive=false``). Credentials go into an ``[auth]`` section of a private temporary
configuration file added to ``HGRCPATH``, never onto the command line or into ``.hg/hgrc``.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pinset.vcs._run import DEFAULT_TIMEOUT, Invocation, probe, run
from pinset.vcs.base import Checkout, VcsError
from pinset.vcs.mirrors import create, held
from pinset.vcs.url import VcsUrl

_FULL_ID = re.compile(r"[0-9a-f]{40}")
_FIXED = ("--noninteractive", "--config", "ui.interactive=false")
_ENV = {"HGPLAIN": "1", "HGENCODING": "utf-8"}


class Hg:
    """The Mercurial backend (see the module's docstring)."""

    name = "hg"
    tool = "hg"
    control_dir = ".hg"

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.timeout = timeout

    def _hg(self, *args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
        env = {**_ENV, **(env or {})}
        invocation = Invocation(("hg", *_FIXED, *args), env, cwd, fixed=len(_FIXED))
        return run(invocation, timeout=self.timeout)

    def _remote(self, source: VcsUrl, *args: str, cwd: Path | None = None) -> str:
        """An hg command that talks to ``source``'s server, with its credentials."""
        with _auth_config(source) as env:
            return self._hg(*args, cwd=cwd, env=env)

    def resolve(self, source: VcsUrl, mirrors: Path) -> str:
        return self._refreshed(source, mirrors)[1]

    def obtain(self, source: VcsUrl, mirrors: Path, dest: Path) -> Checkout:
        mirror, node = self._refreshed(source, mirrors)
        self._hg("clone", "--quiet", f"--updaterev={node}", "--", str(mirror), str(dest))
        _set_default_path(dest, source.url)
        return Checkout(dest, node, source.revision)

    def switch(self, tree: Path, source: VcsUrl) -> Checkout:
        _set_default_path(tree, source.url)
        self._remote(source, "pull", "--quiet", cwd=tree)
        node = self._node(source, tree)
        self._hg("update", "--quiet", "--clean", f"--rev={node}", cwd=tree)
        return Checkout(tree, node, source.revision)

    def freeze_revision(self, tree: Path) -> str:
        return self.current_id(tree)

    def current_id(self, tree: Path) -> str:
        return self._hg("log", "--rev=.", "--template={node}", cwd=tree).strip()

    def remote_url(self, tree: Path) -> str | None:
        invocation = Invocation(("hg", *_FIXED, "paths", "default"), _ENV, tree, fixed=len(_FIXED))
        out = probe(invocation, timeout=self.timeout)
        return out.strip() if out else None

    def is_commit_id(self, revision: str) -> bool:
        return _FULL_ID.fullmatch(revision) is not None

    def fixed_id(self, revision: str) -> str | None:
        return revision if self.is_commit_id(revision) else None

    def revision_for(self, commit_id: str) -> str:
        return commit_id

    def _refreshed(self, source: VcsUrl, mirrors: Path) -> tuple[Path, str]:
        with held(mirrors, source.url) as mirror:
            if not (mirror / ".hg").is_dir():
                create(mirror, lambda target: self._clone(source, target))
            elif not self._holds(source, mirror):
                self._remote(source, "pull", "--quiet", cwd=mirror)
            return mirror, self._node(source, mirror)

    def _clone(self, source: VcsUrl, target: Path) -> None:
        self._remote(source, "clone", "--quiet", "--noupdate", "--", source.url, str(target))

    def _holds(self, source: VcsUrl, mirror: Path) -> bool:
        revision = source.revision
        return bool(revision and _FULL_ID.fullmatch(revision) and self._lookup(mirror, revision))

    def _node(self, source: VcsUrl, repo: Path) -> str:
        node = self._lookup(repo, source.revision or "default")
        if node is None:
            raise VcsError(
                f"{source.display} has no revision {source.revision!r}",
                hint="name a changeset (hash or revision number), a tag, a bookmark or a branch",
            )
        return node

    def _lookup(self, repo: Path, revision: str) -> str | None:
        symbol = '"' + revision.replace("\\", "\\\\").replace('"', '\\"') + '"'
        invocation = Invocation(
            ("hg", *_FIXED, "log", "--limit=1", f"--rev={symbol}", "--template={node}"), _ENV, repo
        )
        out = probe(invocation, timeout=self.timeout)
        return out.strip() if out else None


def _set_default_path(tree: Path, url: str) -> None:
    """Point the checkout's ``default`` path at the repository (not at the cache's copy, or at
    the repository it was switched from), keeping the rest of its ``.hg/hgrc``."""
    import configparser  # only when a Mercurial checkout is made

    rc = tree / ".hg" / "hgrc"
    config = configparser.RawConfigParser()
    config.optionxform = str  # type: ignore[assignment,method-assign]
    if rc.is_file():
        config.read(rc, encoding="utf-8")
    if not config.has_section("paths"):
        config.add_section("paths")
    config.set("paths", "default", url)
    with rc.open("w", encoding="utf-8") as out:
        config.write(out)


def _default_rc_path() -> list[str]:
    """The files hg reads when ``HGRCPATH`` is unset (the user's and the system's), so that
    adding ours to the list keeps them."""
    if "HGRCPATH" in os.environ:
        return [p for p in os.environ["HGRCPATH"].split(os.pathsep) if p]
    home = Path.home()
    xdg = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    known = ("/etc/mercurial/hgrc", "/etc/mercurial/hgrc.d", home / ".hgrc", xdg / "hg" / "hgrc")
    return [str(p) for p in known if Path(p).exists()]


def _auth_section(source: VcsUrl) -> str:
    """``[auth]`` for ``source``: its host and path (hg matches a prefix without scheme), over
    its own scheme only (``static-http`` is plain ``http`` underneath)."""
    scheme, _, rest = source.url.partition("://")
    scheme = scheme.removeprefix("static-")
    return (
        f"[auth]\npinset.prefix = {rest}\npinset.schemes = {scheme}\n"
        f"pinset.username = {source.username}\n"
    )


@contextlib.contextmanager
def _auth_config(source: VcsUrl) -> Iterator[dict[str, str]]:
    """The environment that gives hg ``source``'s credentials, for its URL prefix only."""
    if source.username is None:
        yield {}
        return
    fd, name = tempfile.mkstemp(prefix="pinset-hg-", suffix=".rc")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as rc:
            rc.write(_auth_section(source))
            if source.password is not None:
                rc.write(f"pinset.password = {source.password}\n")
        yield {"HGRCPATH": os.pathsep.join([*_default_rc_path(), name])}
    finally:
        os.unlink(name)
