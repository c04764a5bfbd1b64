"""A version-control requirement as a source tree at one commit, ready to be built like a local
directory.

Non-editable (:func:`checkout_tree`): the repository's copy in the cache's ``vcs`` bucket is
refreshed (fetched, never cloned again) and the revision checked out into a new directory the
caller gives (a temporary one). Editable (:func:`checkout_editable`): checked out into
``--src``'s ``<name>`` directory; when that directory exists, a checkout of the same repository
is updated (nothing touched when it is already at the pinned commit), anything else is dealt
with as ``--exists-action`` says (pip's switch, ignore, wipe, backup, abort; abort when nothing
says otherwise). A new tree is made beside its place and renamed into it: a failed checkout
leaves ``--src`` as it was; what a checkout created, backed up or wiped is recorded in the
run's :class:`~pinset.distribution.src_changes.SrcChanges`, so that a run failing later
undoes it too.

:func:`wheel_cache_key` is what the builder keys a built wheel by (URL, commit, subdirectory),
only for a revision written as an immutable commit id; :func:`vcs_direct_url` (and
:meth:`VcsTree.direct_url`) is the PEP 610 record of what a checkout yields, and
:func:`same_checkout` tells whether an installed copy is that record's.
"""

from __future__ import annotations

import enum
import hashlib
import json
import os
import urllib.parse
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from packaging.utils import canonicalize_name

from pinset._dataclass import dataclass, replace
from pinset._fs import publish_dir, temporary_sibling_dir
from pinset.direct_url import DirectUrl, DirInfo, VcsInfo, public_url
from pinset.distribution.src_changes import SrcChanges
from pinset.errors import PinsetError, UsageError
from pinset.redaction import redact_url
from pinset.requirements.locations import subdirectory_fragment
from pinset.urls import path_to_url
from pinset.vcs.backends import BACKENDS
from pinset.vcs.base import Backend, Checkout, VcsError
from pinset.vcs.on_disk import checkout_at
from pinset.vcs.url import VcsUrl, parse_vcs_url

Action = Literal["cloned", "updated", "unchanged", "ignored", "switched", "wiped", "backed up"]


class ExistsAction(enum.Enum):
    """What to do with an editable's directory that exists and is not a checkout of the
    requirement's repository (pip's ``--exists-action``)."""

    SWITCH = "switch"
    IGNORE = "ignore"
    WIPE = "wipe"
    BACKUP = "backup"
    ABORT = "abort"


_DONE: Mapping[ExistsAction, Action] = MappingProxyType(
    {
        ExistsAction.SWITCH: "switched",
        ExistsAction.IGNORE: "ignored",
        ExistsAction.WIPE: "wiped",
        ExistsAction.BACKUP: "backed up",
    }
)

EXISTS_ACTION_HINT = (
    "choose with --exists-action: (s)witch to the requested repository, (i)gnore it, (w)ipe it, "
    "(b)ackup it (renamed to .bak) or (a)bort"
)


def exists_actions(values: Iterable[str]) -> tuple[ExistsAction, ...]:
    """``--exists-action`` values in order: pip's letters (``s``, ``i``, ``w``, ``b``, ``a``) or
    the words."""
    found: list[ExistsAction] = []
    for value in values:
        word = value.strip().lower()
        match = next((a for a in ExistsAction if word in (a.value, a.value[0])), None)
        if match is None:
            raise UsageError(f"--exists-action {value!r} is not an action", hint=EXISTS_ACTION_HINT)
        found.append(match)
    return tuple(found)


@dataclass(frozen=True, slots=True)
class VcsTree:
    """A checkout made for a requirement: the project is at :attr:`path`."""

    root: Path
    """The checkout (the repository's top)."""
    vcs: str
    url: str
    """The repository's URL without ``vcs+``, revision, fragment or credentials."""
    commit_id: str
    requested_revision: str | None
    subdirectory: str | None = None
    editable: bool = False
    action: Action = "cloned"
    """What this run did to the tree (for an editable, what it found)."""

    @property
    def path(self) -> Path:
        """The project's directory: the checkout, or its ``#subdirectory=``."""
        return self.root / self.subdirectory if self.subdirectory else self.root

    def direct_url(self) -> DirectUrl:
        """PEP 610 ``direct_url.json`` as pip writes it: ``vcs_info`` for a checkout built and
        thrown away; for an editable, ``dir_info`` naming the project's directory (freeze reads
        the repository from there)."""
        if self.editable:
            return DirectUrl(path_to_url(self.path), DirInfo(editable=True))
        info = VcsInfo(self.vcs, self.commit_id, self.requested_revision)
        return DirectUrl(public_url(self.url, vcs=self.vcs), info, self.subdirectory)


def recorded_url(url: str) -> str:
    """The repository URL ``direct_url.json`` records for a requirement's ``url``: without
    ``vcs+``, revision, fragment or credentials (``${VAR}`` references and git's ``git@``
    user kept, as pip keeps them)."""
    source = parse_vcs_url(url)
    transport = url.partition("#")[0].split("+", 1)[1]
    parts = urllib.parse.urlsplit(transport)
    path = parts.path.rpartition("@")[0] if source.revision is not None else parts.path
    return public_url(urllib.parse.urlunsplit(parts._replace(path=path)), vcs=source.vcs)


def vcs_direct_url(url: str, commit_id: str, editable_tree: str = "") -> DirectUrl:
    """PEP 610 ``direct_url.json`` (and a report's ``download_info``) of an install of ``url``
    built from ``commit_id``, as pip writes it: ``vcs_info``; for an editable checkout (whose
    project directory is ``editable_tree``), ``dir_info`` naming that directory."""
    if editable_tree:
        return DirectUrl(path_to_url(Path(editable_tree)), DirInfo(editable=True))
    source = parse_vcs_url(url)
    info = VcsInfo(source.vcs, commit_id, source.revision)
    return DirectUrl(recorded_url(url), info, _subdirectory(url))


def same_checkout(recorded: DirectUrl | None, url: str, commit_id: str) -> bool:
    """Whether an installed copy whose ``direct_url.json`` is ``recorded`` was built from
    ``url``'s repository (credentials aside) and subdirectory at ``commit_id``."""
    if recorded is None or not isinstance(recorded.info, VcsInfo) or not commit_id:
        return False
    wanted = vcs_direct_url(url, commit_id)
    assert isinstance(wanted.info, VcsInfo)
    return (
        recorded.url == wanted.url
        and recorded.subdirectory == wanted.subdirectory
        and (recorded.info.vcs, recorded.info.commit_id) == (wanted.info.vcs, commit_id)
    )


def checkout_holds(url: str, name: str, src_dir: Path, recorded: DirectUrl) -> bool:
    """Whether the editable checkout of ``url`` (``-e vcs+url@REV#egg=name``) in ``src_dir``
    is still what an install recorded as ``recorded`` came from: the revision can never name
    another tree (:meth:`~pinset.vcs.base.Backend.fixed_id`: a full git or Mercurial hash, a
    Subversion revision number, a Bazaar ``revid:``), the checkout is at it and from
    ``url``'s repository, and ``recorded`` names its project directory. Read from the
    checkout's files (:func:`pinset.vcs.on_disk.checkout_at`): no tool runs; anything else is
    not known to hold."""
    try:
        backend, source = vcs_source(url)
        subdirectory = _subdirectory(url)
    except PinsetError:
        return False
    fixed = backend.fixed_id(source.revision) if source.revision is not None else None
    root = editable_location(src_dir, name)
    tree = root / subdirectory if subdirectory else root
    if fixed is None or recorded.url != path_to_url(tree):
        return False
    facts = checkout_at(root, source.vcs)
    return (
        facts is not None
        and facts.commit == fixed
        and facts.remote is not None
        and _same_url(facts.remote, source.url)
    )


def vcs_source(url: str) -> tuple[Backend, VcsUrl]:
    """The backend and the parsed source of a requirement's version-control URL."""
    source = parse_vcs_url(url)
    return BACKENDS[source.vcs], source


def pinned_commit(url: str) -> str | None:
    """The revision of ``url`` when it is written as an immutable commit id of its tool (a
    full git or Mercurial hash), else ``None``."""
    backend, source = vcs_source(url)
    revision = source.revision
    return revision if revision is not None and backend.is_commit_id(revision) else None


def wheel_cache_key(url: str) -> str | None:
    """The built-wheel cache key of a version-control requirement, or ``None`` when its wheel
    must not be cached.

    Only a revision written as a full commit id names one tree for good; a branch or tag can
    move, and a short id can become ambiguous, so those are built every time (as pip does; pip
    also checks the checkout is at that commit, which :func:`checkout_tree` guarantees). The key
    hashes the credential-free URL, the commit and the subdirectory; the builder adds what it
    adds for every source (the target's tags, the config settings). Known before anything is
    checked out, so that a warm cache clones nothing.
    """
    commit = pinned_commit(url)
    if commit is None:
        return None
    source = parse_vcs_url(url)
    identity = [source.vcs, source.url, commit, _subdirectory(url)]
    return hashlib.sha256(json.dumps(identity).encode()).hexdigest()


def resolve_commit(url: str, mirrors: Path) -> str:
    """The commit ``url``'s revision names now (the repository's copy refreshed first)."""
    backend, source = vcs_source(url)
    return backend.resolve(source, mirrors)


def checkout_tree(url: str, mirrors: Path, dest: Path) -> VcsTree:
    """``url``'s revision checked out into the new directory ``dest``, the repository's copy
    under ``mirrors`` (the ``vcs`` bucket) fetched rather than cloned again."""
    backend, source = vcs_source(url)
    subdirectory = _subdirectory(url)
    return _tree(backend.obtain(source, mirrors, dest), source, subdirectory, editable=False)


def editable_location(src_dir: Path, name: str) -> Path:
    """Where an editable checkout of ``name`` goes: ``<src>/<normalized name>``, as pip."""
    return src_dir / canonicalize_name(name)


def checkout_editable(
    url: str,
    name: str,
    src_dir: Path,
    mirrors: Path,
    actions: Iterable[ExistsAction] = (),
    *,
    changes: SrcChanges | None = None,
) -> VcsTree:
    """``url``'s revision checked out into ``src_dir/<name>`` for an editable install (see the
    module's docstring for an existing directory); what it creates, backs up or wipes there is
    recorded in ``changes``, to be undone if the run fails."""
    backend, source = vcs_source(url)
    subdirectory = _subdirectory(url)
    dest = editable_location(src_dir, name)
    log = changes if changes is not None else SrcChanges()
    if not os.path.lexists(dest):
        log.made_dirs(dest.parent)
        got = _fresh(backend, source, mirrors, dest)
        log.created(dest)
        return _tree(got, source, subdirectory, editable=True)
    remote = _remote_of(backend, dest)
    if remote is not None and _same_url(remote, source.url):
        got, action = _update(backend, source, dest, log)
        return _tree(got, source, subdirectory, editable=True, action=action)
    chosen = _choose(backend, source, dest, remote, tuple(actions))
    got = _apply(chosen, backend, source, mirrors, dest, changes=log)
    if changes is None:
        log.keep()  # nobody will undo: what was wiped goes now
    return _tree(got, source, subdirectory, editable=True, action=_DONE[chosen])


def check_editable_place(
    url: str, name: str, src_dir: Path, actions: Iterable[ExistsAction] = ()
) -> None:
    """Raise what :func:`checkout_editable` would raise about a directory already at the
    editable's place in ``src_dir`` (a dry run's check: nothing is changed)."""
    backend, source = vcs_source(url)
    dest = editable_location(src_dir, name)
    if not os.path.lexists(dest):
        return
    remote = _remote_of(backend, dest)
    if remote is None or not _same_url(remote, source.url):
        _choose(backend, source, dest, remote, tuple(actions))


def _remote_of(backend: Backend, dest: Path) -> str | None:
    return backend.remote_url(dest) if (dest / backend.control_dir).is_dir() else None


def _tree(
    got: Checkout,
    source: VcsUrl,
    subdirectory: str | None,
    *,
    editable: bool,
    action: Action = "cloned",
) -> VcsTree:
    tree = VcsTree(
        got.path,
        source.vcs,
        source.url,
        got.commit_id,
        got.requested_revision,
        subdirectory,
        editable,
        action,
    )
    if subdirectory is not None and not tree.path.is_dir():
        raise PinsetError(
            f"{source.display} has no directory {subdirectory!r} at {got.commit_id}",
            hint="#subdirectory= names the project's directory inside the repository",
        )
    return tree


def _subdirectory(url: str) -> str | None:
    """``#subdirectory=``, refused unless it is a plain relative path inside the tree."""
    value = subdirectory_fragment(url)
    if value is None:
        return None
    parts = value.replace("\\", "/").split("/")
    if value.startswith(("/", "\\")) or ":" in value or ".." in parts:
        raise PinsetError(
            f"{redact_url(url)}: #subdirectory={value} leaves the repository",
            hint="#subdirectory= is a relative path inside the repository (pkg/sub)",
        )
    return "/".join(p for p in parts if p not in ("", ".")) or None


def _same_url(found: str, wanted: str) -> bool:
    """Whether a checkout's remote is the requested repository (compared as pip does:
    percent-decoded, without a trailing ``/``)."""

    def norm(url: str) -> str:
        return urllib.parse.unquote(url).rstrip("/")

    return norm(found) == norm(wanted)


def _fresh(backend: Backend, source: VcsUrl, mirrors: Path, dest: Path) -> Checkout:
    """A new checkout made beside ``dest`` and renamed into place (``dest`` must not exist)."""
    with temporary_sibling_dir(dest) as tmp:
        got = backend.obtain(source, mirrors, tmp / "tree")
        if not publish_dir(tmp / "tree", dest):
            raise PinsetError(f"{dest} appeared while pinset was checking it out")
    return Checkout(dest, got.commit_id, got.requested_revision)


def _update(
    backend: Backend, source: VcsUrl, dest: Path, changes: SrcChanges
) -> tuple[Checkout, Action]:
    """A checkout of the requested repository: left alone when it is at the pinned commit,
    else moved to the revision (fetched first); moved back if the run fails."""
    before = backend.current_id(dest)
    revision = source.revision
    if revision is not None and backend.is_commit_id(revision) and before == revision:
        return Checkout(dest, before, revision), "unchanged"
    got = backend.switch(dest, source)
    if got.commit_id == before:
        return got, "unchanged"
    back = replace(source, revision=backend.revision_for(before))
    changes.moved(lambda: backend.switch(dest, back))
    return got, "updated"


def _choose(
    backend: Backend,
    source: VcsUrl,
    dest: Path,
    remote: str | None,
    actions: tuple[ExistsAction, ...],
) -> ExistsAction:
    """The first of ``actions`` that applies here (switch only to a checkout of this tool);
    abort when none does."""
    if remote is not None:
        found = f"a {backend.name} checkout of {redact_url(remote)}"
        allowed = set(ExistsAction)
    else:
        found = f"not a {backend.name} checkout"
        allowed = set(ExistsAction) - {ExistsAction.SWITCH}
    action = next((a for a in actions if a in allowed), ExistsAction.ABORT)
    if action is ExistsAction.ABORT:
        raise PinsetError(
            f"{dest} exists and is {found}, not of {source.display}",
            hint=EXISTS_ACTION_HINT,
        )
    return action


def _apply(
    action: ExistsAction,
    backend: Backend,
    source: VcsUrl,
    mirrors: Path,
    dest: Path,
    *,
    changes: SrcChanges,
) -> Checkout:
    if action is ExistsAction.IGNORE:
        return Checkout(dest, _current_id(backend, dest), source.revision)
    if action is ExistsAction.SWITCH:
        return backend.switch(dest, source)
    with temporary_sibling_dir(dest) as tmp:
        got = backend.obtain(source, mirrors, tmp / "tree")
        if action is ExistsAction.BACKUP:
            backup = _backup_name(dest)
            os.rename(dest, backup)
            os.rename(tmp / "tree", dest)
            changes.backed_up(dest, backup)
        else:
            changes.wipe(dest)
            os.rename(tmp / "tree", dest)
    return Checkout(dest, got.commit_id, got.requested_revision)


def _current_id(backend: Backend, dest: Path) -> str:
    """The id a directory kept as it is holds; empty when it is no checkout of this tool."""
    if not (dest / backend.control_dir).is_dir():
        return ""
    try:
        return backend.current_id(dest)
    except VcsError:
        return ""


def _backup_name(dest: Path) -> Path:
    """``dest.bak``, else ``dest.bak2``, ``dest.bak3``… (pip's names)."""
    candidate, n = dest.with_name(dest.name + ".bak"), 1
    while os.path.lexists(candidate):
        n += 1
        candidate = dest.with_name(f"{dest.name}.bak{n}")
    return candidate
