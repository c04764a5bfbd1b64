"""The state of a local source tree, cheaply: has anything in it changed?

A local directory (``./dir``, ``name @ file:///dir``) is built again only when a file in it
changed. Both questions walk the tree the same way, skipping what builds write and version
control keeps (:data:`IGNORED`), and read only ``stat`` results, never file contents:

- :func:`tree_fingerprint`: a digest of every path and every file's size and modification
  time (the key of the tree's built wheel in the cache);
- :func:`changed_since`: whether any file or directory was modified at or after a moment;
  :func:`tree_unchanged`: whether an installed copy is newer than its whole tree (the planner
  and the no-op check keep it then).

An *editable* install follows the tree by itself: only its metadata can go stale. So it is
judged by :func:`inputs_fingerprint`, a digest of the contents of the files metadata is made
from (:data:`METADATA_INPUTS`), recorded at install time in :data:`INPUTS_FILE` of its
``.dist-info`` (:func:`inputs_record`) and compared by :func:`editable_unchanged`.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from pinset.direct_url import FILENAME, DirectUrl
from pinset.errors import PinsetError
from pinset.urls import url_to_path

IGNORED = frozenset({"build", "dist", ".git", ".hg", ".svn", ".bzr", "__pycache__", ".tox"})
"""Directory names never looked into (what builds and tools write, version control)."""


def _entries(root: Path) -> Iterator[tuple[str, os.stat_result]]:
    """Every entry under ``root`` (the root included) with its ``lstat``, in a stable order."""
    stack = [(root, "")]
    while stack:
        directory, rel = stack.pop()
        try:
            yield rel or ".", os.lstat(directory)
            with os.scandir(directory) as found:
                names = sorted(found, key=lambda e: e.name)
        except OSError:
            continue
        for entry in names:
            child = f"{rel}/{entry.name}" if rel else entry.name
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in IGNORED and not entry.name.endswith(".egg-info"):
                    stack.append((Path(entry.path), child))
                continue
            try:
                yield child, entry.stat(follow_symlinks=False)
            except OSError:
                continue


def tree_fingerprint(root: Path) -> str:
    """A digest of the tree's paths, sizes and modification times."""
    digest = hashlib.sha256()
    for rel, st in _entries(root):
        if stat.S_ISDIR(st.st_mode):  # a build adds build/ or *.egg-info: only names count
            digest.update(f"{rel}/\n".encode())
            continue
        digest.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_mode}\n".encode())
    return digest.hexdigest()


def changed_since(root: Path, moment_ns: int) -> bool:
    """Whether an entry of the tree was modified at or after ``moment_ns`` (or is unreadable:
    a tree that cannot be checked counts as changed)."""
    if not root.is_dir():
        return True
    return any(st.st_mtime_ns >= moment_ns for _, st in _entries(root))


def tree_unchanged(dist_info: Path, recorded: DirectUrl) -> bool:
    """Nothing in the local directory ``recorded`` (an installed copy's ``direct_url.json``)
    names was modified since that copy was installed into ``dist_info``."""
    try:
        since = (dist_info / FILENAME).stat().st_mtime_ns
        tree = url_to_path(recorded.url)
    except (OSError, ValueError, PinsetError):
        return False
    if recorded.subdirectory:
        tree = tree / recorded.subdirectory
    return not changed_since(tree, since)


METADATA_INPUTS = ("pyproject.toml", "setup.cfg", "setup.py")
"""The files a project's metadata (name, version, dependencies, entry points) is made from."""
INPUTS_FILE = "pinset_editable.json"
"""The file of an editable install's ``.dist-info`` that records :func:`inputs_fingerprint`."""


def inputs_fingerprint(tree: Path) -> str:
    """A digest of the contents of the tree's :data:`METADATA_INPUTS` (an absent one counts
    as absent: creating or removing one changes it)."""
    digest = hashlib.sha256()
    for name in METADATA_INPUTS:
        try:
            data = (tree / name).read_bytes()
        except OSError:
            digest.update(f"{name}\0-\n".encode())
            continue
        digest.update(f"{name}\0{len(data)}\n".encode())
        digest.update(data)
    return digest.hexdigest()


def inputs_record(fingerprint: str) -> bytes:
    """The contents of :data:`INPUTS_FILE` for ``fingerprint``."""
    return json.dumps({"version": 1, "inputs": fingerprint}).encode("utf-8")


def editable_unchanged(dist_info: Path, recorded: DirectUrl) -> bool:
    """The metadata inputs of the tree an editable install (``recorded``: its
    ``direct_url.json``) points at are what they were when it was installed into
    ``dist_info``."""
    try:
        saved = json.loads((dist_info / INPUTS_FILE).read_text(encoding="utf-8"))
        tree = url_to_path(recorded.url)
    except (OSError, ValueError, PinsetError):
        return False
    if not isinstance(saved, dict) or not isinstance(saved.get("inputs"), str):
        return False
    if recorded.subdirectory:
        tree = tree / recorded.subdirectory
    return tree.is_dir() and saved["inputs"] == inputs_fingerprint(tree)
