"""The cache store: entries of bytes, JSON, verified files and directories, safe across processes.

Every entry is written under a temporary name in its final directory and renamed into place
(``pinset._fs``), so a reader sees a whole entry or none. Producing an entry that two processes
could both want (a download, a build, an unpacked wheel) happens under a per-entry file lock
(``<entry>.lock``), and the second process then finds the first one's entry. An entry found
corrupt (JSON that does not parse, a file whose sha256 sidecar disagrees) is removed and
reported in :attr:`Cache.warnings`; the ``ensure_*`` methods then produce it again.

Layout: ``<root>/<bucket>-v<N>/<k[0:2]>/<k[2:4]>/<key>[suffix]``, or ``<bucket>-v<N>/<key>[suffix]``
for the buckets in :data:`UNSHARDED` (see ``docs/cache.md``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pinset._fs import (
    WriteBehind,
    atomic_write_bytes,
    locked,
    publish_dir,
    temporary_sibling_dir,
    write_entry,
)
from pinset.buckets import bucket_dir_name
from pinset.cache.keys import shard_path

UNSHARDED = frozenset({"metadata", "locks"})
"""Buckets of small JSON entries, dozens new on every cold resolve, kept in one directory:
sharding them made two directories per entry (about 0.3 ms of CPU each on ext4 here) for
directories that hold thousands of names at most."""
SIDECAR_SUFFIX = ".sha256"
LOCK_SUFFIX = ".lock"
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by pinset.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


def _sidecar(path: Path) -> str:
    return path.with_name(path.name + SIDECAR_SUFFIX).read_text("ascii").strip()


def _kept_sidecar(path: Path | None) -> str | None:
    """The sidecar of an entry's file found a moment ago, or None when the entry has left
    since (an archive is dropped once its wheel is unpacked, by another thread or run, and
    :meth:`Cache.remove` takes no lock): the caller produces it again."""
    if path is None:
        return None
    try:
        return _sidecar(path)
    except FileNotFoundError:
        return None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def discard(path: Path) -> None:
    """Remove a file or directory entry so that no reader ever sees half of it."""
    if path.is_dir() and not path.is_symlink():
        grave = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"))
        try:
            os.replace(path, grave / path.name)
        except OSError:
            shutil.rmtree(grave, ignore_errors=True)
            return
        shutil.rmtree(grave, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


class Cache:
    """One cache directory. Thread-safe; share one per run."""

    def __init__(self, root: Path, *, temporary: bool = False) -> None:
        self.root = root
        self.temporary = temporary
        self._warnings: list[str] = []
        self._guard = threading.Lock()
        self._buckets_seen: set[str] = set()  # bucket directories known to exist

    # -- places ---------------------------------------------------------------------------
    def bucket_dir(self, bucket: str) -> Path:
        """The directory of ``bucket`` (``<root>/<name>-v<N>``, named by :mod:`pinset.buckets`),
        created on first use."""
        path = self.root / bucket_dir_name(bucket)
        if bucket in self._buckets_seen:
            return path
        if not path.is_dir():
            path.mkdir(parents=True, exist_ok=True)
            tag = self.root / "CACHEDIR.TAG"
            if not tag.exists():
                atomic_write_bytes(tag, CACHEDIR_TAG.encode("ascii"), durable=False)
        with self._guard:
            self._buckets_seen.add(bucket)
        return path

    def path_for(self, bucket: str, key: str, suffix: str = "") -> Path:
        """Where the entry ``key`` of ``bucket`` lives (it may not exist)."""
        shard = shard_path(key)
        if bucket in UNSHARDED:
            return self.bucket_dir(bucket) / f"{shard.name}{suffix}"
        return self.bucket_dir(bucket) / shard.parent / f"{shard.name}{suffix}"

    @contextlib.contextmanager
    def entry_lock(self, bucket: str, key: str) -> Iterator[None]:
        """Hold the inter-process lock of one entry while producing it."""
        with locked(self.path_for(bucket, key, LOCK_SUFFIX)):
            yield

    # -- warnings -------------------------------------------------------------------------
    def warn(self, message: str) -> None:
        with self._guard:
            self._warnings.append(message)

    @property
    def warnings(self) -> tuple[str, ...]:
        """Problems met and repaired so far (corrupt entries dropped), for the CLI to show."""
        with self._guard:
            return tuple(self._warnings)

    def _drop_corrupt(self, path: Path, why: str) -> None:
        discard(path)
        self.warn(f"cache entry {path} was corrupt ({why}); removed, it will be fetched again")

    # -- bytes and JSON -------------------------------------------------------------------
    def read_bytes(self, bucket: str, key: str, suffix: str = "") -> bytes | None:
        try:
            return self.path_for(bucket, key, suffix).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None

    def write_bytes(
        self,
        bucket: str,
        key: str,
        data: bytes,
        suffix: str = "",
        *,
        behind: WriteBehind | None = None,
    ) -> Path:
        """Write the entry at once, or by ``behind`` (soon, in another thread: for entries no
        one reads back in this run; one not written only costs a later run its work)."""
        path = self.path_for(bucket, key, suffix)
        write_entry(path, data, behind)
        return path

    def _json_state(self, bucket: str, key: str) -> tuple[Any | None, str | None]:
        data = self.read_bytes(bucket, key, ".json")
        if data is None:
            return None, None
        try:
            return json.loads(data), None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return None, f"invalid JSON: {exc}"

    def _read_json(self, bucket: str, key: str, *, have_lock: bool) -> Any | None:
        value, why = self._json_state(bucket, key)
        if why is None:
            return value
        if not have_lock:
            # Another process may be replacing the entry right now: look again under its lock
            # so that only an entry that is still corrupt is removed.
            with self.entry_lock(bucket, key):
                return self._read_json(bucket, key, have_lock=True)
        self._drop_corrupt(self.path_for(bucket, key, ".json"), why)
        return None

    def read_json(self, bucket: str, key: str) -> Any | None:
        """The JSON value stored at ``key``, or None (missing, or corrupt and now removed)."""
        return self._read_json(bucket, key, have_lock=False)

    def write_json(
        self, bucket: str, key: str, value: Any, *, behind: WriteBehind | None = None
    ) -> Path:
        data = json.dumps(value, sort_keys=True, separators=(",", ":")).encode("utf-8")
        return self.write_bytes(bucket, key, data, ".json", behind=behind)

    def ensure_json(self, bucket: str, key: str, produce: Callable[[], Any]) -> Any:
        """The JSON value at ``key``, produced (once, under the entry lock) when missing."""
        found = self.read_json(bucket, key)
        if found is not None:
            return found
        with self.entry_lock(bucket, key):
            found = self._read_json(bucket, key, have_lock=True)
            if found is not None:
                return found
            value = produce()
            self.write_json(bucket, key, value)
            return value

    # -- verified files -------------------------------------------------------------------
    @staticmethod
    def _file_state(entry: Path, filename: str, verify: bool) -> str | None:
        """None when the entry holds ``filename`` intact, else why it does not."""
        try:
            expected = (entry / f"{filename}{SIDECAR_SUFFIX}").read_text("ascii").strip()
        except (OSError, UnicodeDecodeError):
            return "its sha256 sidecar is missing or unreadable"
        if not (entry / filename).is_file():
            return f"{filename} is missing"
        if verify and file_sha256(entry / filename) != expected:
            return f"sha256 of {filename} does not match its sidecar"
        return None

    def _lookup_file(
        self, bucket: str, key: str, filename: str, *, verify: bool, have_lock: bool
    ) -> Path | None:
        entry = self.path_for(bucket, key)
        if not entry.is_dir():
            return None
        why = self._file_state(entry, filename, verify)
        if why is None:
            return entry / filename
        if not have_lock:
            with self.entry_lock(bucket, key):
                return self._lookup_file(bucket, key, filename, verify=verify, have_lock=True)
        self._drop_corrupt(entry, why)
        return None

    def lookup_file(
        self, bucket: str, key: str, filename: str, *, verify: bool = True
    ) -> Path | None:
        """The stored file ``filename`` of entry ``key`` if present and its sha256 matches
        (a corrupt entry is removed, and reported in :attr:`warnings`)."""
        return self._lookup_file(bucket, key, filename, verify=verify, have_lock=False)

    def ensure_file(
        self, bucket: str, key: str, filename: str, produce: Callable[[Path], object]
    ) -> Path:
        """The file of entry ``key``; when missing, ``produce(dest)`` writes it (under lock)."""

        def hashed(dest: Path) -> str:
            produce(dest)
            return file_sha256(dest)

        return self.ensure_file_hashed(bucket, key, filename, hashed)[0]

    def ensure_file_hashed(
        self, bucket: str, key: str, filename: str, produce: Callable[[Path], str]
    ) -> tuple[Path, str]:
        """Like :meth:`ensure_file`, for a ``produce`` that returns the sha256 of what it wrote
        (a download hashes as it streams, so the file is not read again); returns the file and
        its sha256 (a stored one is verified against its sidecar)."""
        if os.sep in filename or filename in ("", ".", ".."):
            raise ValueError(f"not a plain file name: {filename!r}")
        found = self.lookup_file(bucket, key, filename)
        digest = _kept_sidecar(found)
        if found is not None and digest is not None:
            return found, digest
        entry = self.path_for(bucket, key)
        with self.entry_lock(bucket, key):
            found = self._lookup_file(bucket, key, filename, verify=True, have_lock=True)
            digest = _kept_sidecar(found)
            if found is not None and digest is not None:
                return found, digest
            with temporary_sibling_dir(entry) as tmp:
                digest = produce(tmp / filename)
                (tmp / f"{filename}{SIDECAR_SUFFIX}").write_text(digest + "\n", "ascii")
                if not publish_dir(tmp, entry):
                    discard(entry)
                    publish_dir(tmp, entry)
        return entry / filename, digest

    def store_file(
        self, bucket: str, key: str, source: Path, *, filename: str | None = None
    ) -> Path:
        """Copy ``source`` into entry ``key`` (kept if already there and intact)."""
        return self.ensure_file(
            bucket, key, filename or source.name, lambda dest: shutil.copyfile(source, dest)
        )

    # -- directories ----------------------------------------------------------------------
    def lookup_dir(self, bucket: str, key: str) -> Path | None:
        path = self.path_for(bucket, key)
        return path if path.is_dir() else None

    def ensure_dir(self, bucket: str, key: str, build: Callable[[Path], object]) -> Path:
        """The directory entry ``key``; when missing, ``build(tmp)`` fills a fresh directory
        that is then renamed into place (under the entry lock, so it is built once)."""
        path = self.path_for(bucket, key)
        if path.is_dir():
            return path
        with self.entry_lock(bucket, key):
            if path.is_dir():
                return path
            with temporary_sibling_dir(path) as tmp:
                build(tmp)
                publish_dir(tmp, path)
        return path

    def remove(self, bucket: str, key: str, suffix: str = "") -> None:
        """Drop one entry (a file or a directory) if present."""
        discard(self.path_for(bucket, key, suffix))
