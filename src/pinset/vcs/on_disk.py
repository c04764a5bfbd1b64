"""What a checkout says about itself, read from its files (no tool runs).

``pip freeze`` asks ``git`` for the remote URL (``origin``, else the first remote), the commit
of ``HEAD`` and the project's directory inside the repository, and writes
``-e git+URL@COMMIT#egg=name[&subdirectory=DIR]``; for Mercurial, ``hg`` for ``paths.default``
and the working directory's parent. pinset reads the same facts from ``.git/config``, ``HEAD``,
loose refs and ``packed-refs`` (a ``.git`` file and linked worktrees' ``commondir`` included),
and from ``.hg/hgrc`` and ``.hg/dirstate`` (v1 and v2): freeze and the no-op check of an
editable checkout need no tool. A checkout it cannot read is reported as such, never guessed.

For the no-op check only (:func:`checkout_at`), a Subversion working copy's URL and revision
are read from ``.svn/wc.db`` (SQLite, opened read-only: every node at one revision, else it
is not at one), and a Bazaar branch's parent location and its working tree's revision from
``.bzr/branch/branch.conf`` and the parents line of ``.bzr/checkout/dirstate`` (format 3).
Anything else (a lightweight checkout, pending merges, another format) is not known: the
caller asks the tool.
"""

from __future__ import annotations

import contextlib
import os
import re
import urllib.parse
from pathlib import Path

from pinset._dataclass import dataclass

_SCP = re.compile(r"^(\w+@)?([^/:]+):(\w[^:]*)$")
_SECTION = re.compile(r'^\s*\[\s*remote\s+"((?:[^"\\]|\\.)*)"\s*\]')
_SHA = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")


@dataclass(frozen=True)
class CheckoutFacts:
    """What a checkout says about itself; ``remote`` is None when it has none,
    ``remote_error`` holds a remote that pip could not use as a URL; ``vcs``: ``git`` or
    ``hg``."""

    root: Path
    commit: str | None
    remote: str | None
    remote_error: str | None = None
    vcs: str = "git"


def checkout_at(root: Path, vcs: str) -> CheckoutFacts | None:
    """The checkout of tool ``vcs`` whose top is ``root`` (``commit``: the revision its
    tree is at: a git or Mercurial hash, a Subversion revision number, a Bazaar revision id),
    or None when ``root`` is not one or cannot be read."""
    if vcs == "svn":
        return _svn_facts(root)
    if vcs == "bzr":
        return _bzr_facts(root)
    facts = find_checkout(root)
    return facts if facts is not None and facts.root == root and facts.vcs == vcs else None


def _svn_facts(root: Path) -> CheckoutFacts | None:
    database = root / ".svn" / "wc.db"
    if not database.is_file():
        return None
    import sqlite3  # only for a Subversion working copy (with datetime, ~3 ms to import)

    try:
        with contextlib.closing(sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)) as db:
            top = db.execute(_SVN_TOP).fetchone()
            revisions = db.execute(_SVN_REVISIONS).fetchall()
    except sqlite3.Error:
        return None
    if top is None or len(revisions) != 1 or not isinstance(top[0], str):
        return None
    repository, path = top[0].rstrip("/"), top[1] or ""
    url = f"{repository}/{urllib.parse.quote(path)}" if path else repository
    return CheckoutFacts(root, str(revisions[0][0]), url, vcs="svn")


_SVN_TOP = (
    "SELECT repository.root, nodes.repos_path FROM nodes JOIN repository "
    "ON nodes.repos_id = repository.id "
    "WHERE nodes.local_relpath = '' AND nodes.op_depth = 0 AND nodes.presence = 'normal'"
)
_SVN_REVISIONS = "SELECT DISTINCT revision FROM nodes WHERE op_depth = 0 AND revision IS NOT NULL"
"""The working copy's base revisions: one when it is at one revision (not mixed)."""

_DIRSTATE_3 = b"#bazaar dirstate flat format 3\n"


def _bzr_facts(root: Path) -> CheckoutFacts | None:
    branch = root / ".bzr" / "branch"
    if (branch / "location").exists():  # a lightweight checkout: the branch is elsewhere
        return None
    remote = None
    for line in (_read(branch / "branch.conf") or "").splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip() == "parent_location":
            remote = value.strip() or None
    revision = _bzr_tree_revision(root / ".bzr" / "checkout" / "dirstate")
    if revision is None:
        return None
    return CheckoutFacts(root, revision, remote, vcs="bzr")


def _bzr_tree_revision(dirstate: Path) -> str | None:
    """The working tree's one parent revision (its fourth line: count, then the ids)."""
    try:
        with open(dirstate, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return None
    if not head.startswith(_DIRSTATE_3):
        return None
    lines = head.split(b"\n", 3)
    if len(lines) < 4:
        return None
    fields = lines[3].split(b"\0")
    if fields[0] != b"1" or len(fields) < 3 or not fields[1]:
        return None  # no revision yet, or a pending merge
    try:
        return fields[1].decode("utf-8")
    except UnicodeDecodeError:
        return None


def find_checkout(location: Path) -> CheckoutFacts | None:
    """The git or Mercurial checkout containing ``location`` (the nearest), or None."""
    for directory in (location, *location.parents):
        marker = directory / ".git"
        git_dir = _git_dir(marker)
        if git_dir is not None:
            common = _common_dir(git_dir)
            remote, error = _remote(common / "config")
            return CheckoutFacts(directory, _head(git_dir, common), remote, error)
        if (directory / ".hg" / "requires").is_file() or (directory / ".hg" / "store").is_dir():
            return _hg_facts(directory)
    return None


_DIRSTATE_V2 = b"dirstate-v2\n"


def _hg_facts(root: Path) -> CheckoutFacts:
    """A Mercurial checkout's ``paths.default`` (from ``.hg/hgrc``) and working parent (the
    first 20 bytes of ``.hg/dirstate``, after the marker in format v2)."""
    remote, error = _hg_default(root / ".hg" / "hgrc")
    return CheckoutFacts(root, _hg_parent(root / ".hg" / "dirstate"), remote, error, "hg")


def _hg_parent(dirstate: Path) -> str | None:
    try:
        with open(dirstate, "rb") as fh:
            head = fh.read(len(_DIRSTATE_V2) + 20)
    except OSError:
        return None
    node = head[len(_DIRSTATE_V2) :] if head.startswith(_DIRSTATE_V2) else head[:20]
    if len(node) != 20 or node == bytes(20):
        return None
    return node.hex()


def _hg_default(hgrc: Path) -> tuple[str | None, str | None]:
    """``paths.default``: a local path as a ``file:`` URL (as pip), else as written."""
    section, found = "", None
    for line in (_read(hgrc) or "").splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            section = stripped.strip("[]").strip()
            continue
        key, sep, value = stripped.partition("=")
        if section == "paths" and sep and key.strip() == "default":
            found = value.strip()
    if not found:
        return None, None
    if os.path.isabs(found) and os.path.exists(found):
        return Path(found).as_uri(), None
    return found, None  # pip writes any other value as it is


def _git_dir(marker: Path) -> Path | None:
    if marker.is_dir():
        return marker if (marker / "HEAD").is_file() else None
    if marker.is_file():
        text = _read(marker) or ""
        if text.startswith("gitdir:"):
            target = Path(text[len("gitdir:") :].strip())
            git_dir = target if target.is_absolute() else marker.parent / target
            return git_dir if (git_dir / "HEAD").is_file() else None
    return None


def _common_dir(git_dir: Path) -> Path:
    text = _read(git_dir / "commondir")
    if not text:
        return git_dir
    common = Path(text.strip())
    return common if common.is_absolute() else git_dir / common


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _head(git_dir: Path, common: Path) -> str | None:
    head = (_read(git_dir / "HEAD") or "").strip()
    for _ in range(5):  # symbolic refs may point at symbolic refs; git allows a few levels
        if not head.startswith("ref:"):
            return head if _SHA.match(head) else None
        ref = head[len("ref:") :].strip()
        if not ref.startswith("refs/") or ".." in ref.split("/"):
            return None
        head = (_read(git_dir / ref) or _read(common / ref) or _packed(common, ref) or "").strip()
    return None


def _packed(common: Path, ref: str) -> str | None:
    for line in (_read(common / "packed-refs") or "").splitlines():
        sha, _, name = line.partition(" ")
        if name.strip() == ref:
            return sha
    return None


def _remote(config: Path) -> tuple[str | None, str | None]:
    urls: list[tuple[str, str]] = []
    section: str | None = None
    for line in (_read(config) or "").splitlines():
        if line.lstrip().startswith("["):
            match = _SECTION.match(line)
            section = match.group(1) if match else None
            continue
        key, sep, value = line.partition("=")
        if section is not None and sep and key.strip().lower() == "url":
            urls.append((section, value.strip().split(" ")[0]))  # as pip reads git's output
    if not urls:
        return None, None
    url = next((u for name, u in urls if name == "origin"), urls[0][1])
    return _as_pip_url(url)


def _as_pip_url(url: str) -> tuple[str | None, str | None]:
    """A remote as a URL: as written, a local path as ``file://``, ``host:path`` as ssh."""
    if re.match(r"\w+://", url):
        return url, None
    if os.path.isabs(url) and os.path.exists(url):
        return Path(url).as_uri(), None
    scp = _SCP.match(url)
    if scp:
        return scp.expand(r"ssh://\1\2/\3"), None
    return None, url


def project_subdirectory(location: Path, root: Path) -> str | None:
    """The project's directory (nearest with ``pyproject.toml`` or ``setup.py`` from
    ``location`` up) relative to the repository root; None at the root or when none is found."""
    for directory in (location, *location.parents):
        if (directory / "pyproject.toml").is_file() or (directory / "setup.py").is_file():
            if directory == root:
                return None
            try:
                return directory.relative_to(root).as_posix()
            except ValueError:
                return None
    return None
