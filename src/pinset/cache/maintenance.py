"""``pinset cache info | clean | prune``: look at and shrink a cache directory.

Only pinset's own buckets (``<name>-v<N>`` of a known bucket family), its temporary leftovers
and its ``CACHEDIR.TAG`` are ever touched, so a cache directory shared with pip (``cache-dir``
in ``pip.conf``) keeps pip's own entries.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

from pinset._dataclass import dataclass
from pinset.buckets import BUCKETS, bucket_dir_name, parse_dir_name
from pinset.cache.store import LOCK_SUFFIX, SIDECAR_SUFFIX, discard
from pinset.cache.unpacked_entry import has_entry

TEMP_SUFFIX = ".tmp"
_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True, slots=True)
class BucketInfo:
    name: str  # bucket family, e.g. "http"
    version: int
    path: Path
    entries: int
    size: int  # bytes
    current: bool  # False for a version this pinset no longer reads


@dataclass(frozen=True, slots=True)
class CacheInfo:
    root: Path
    exists: bool
    buckets: tuple[BucketInfo, ...]
    temporary_leftovers: int

    @property
    def size(self) -> int:
        return sum(b.size for b in self.buckets)


@dataclass(frozen=True, slots=True)
class Removal:
    removed: tuple[Path, ...]
    freed: int  # bytes


def _tree_size(path: Path) -> int:
    if path.is_file() or path.is_symlink():
        return path.lstat().st_size
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                continue
    return total


def _is_shard(path: Path) -> bool:
    """A shard directory: two hex digits of the keys below it (``ab/``)."""
    name = path.name
    return len(name) == 2 and all(c in _HEX for c in name) and path.is_dir()


def _entries(directory: Path) -> Iterator[Path]:
    """Entry paths of a bucket, whatever its shard depth (the store shards by two levels, the
    HTTP cache by one, the interpreter facts and no-op verdicts not at all), without lock and
    temporary files."""
    for child in sorted(directory.iterdir()):
        if _is_shard(child):
            yield from _entries(child)
        elif not child.name.startswith(".") and not child.name.endswith(LOCK_SUFFIX):
            yield child


def _bucket_dirs(root: Path) -> list[tuple[str, int, Path]]:
    if not root.is_dir():
        return []
    found = []
    for child in sorted(root.iterdir()):
        parsed = parse_dir_name(child.name)
        if parsed is not None and child.is_dir():
            found.append((parsed[0], parsed[1], child))
    return found


def _temporary_leftovers(root: Path, *, older_than: float) -> list[Path]:
    now = time.time()
    found = [p for p in root.glob(".*" + TEMP_SUFFIX)] if root.is_dir() else []
    for _name, _version, bucket in _bucket_dirs(root):
        for dirpath, dirs, files in os.walk(bucket):
            for name in [*dirs, *files]:
                if name.startswith(".") and name.endswith(TEMP_SUFFIX):
                    found.append(Path(dirpath, name))
            dirs[:] = [d for d in dirs if not (d.startswith(".") and d.endswith(TEMP_SUFFIX))]
    return [p for p in found if now - p.lstat().st_mtime >= older_than]


def cache_info(root: Path) -> CacheInfo:
    """Entries and sizes per bucket directory found under ``root``."""
    buckets = tuple(
        BucketInfo(
            name,
            version,
            path,
            sum(1 for _ in _entries(path)),
            _tree_size(path),
            BUCKETS[name] == version,
        )
        for name, version, path in _bucket_dirs(root)
    )
    leftovers = len(_temporary_leftovers(root, older_than=0))
    return CacheInfo(root, root.is_dir(), buckets, leftovers)


def clean(root: Path, bucket: str | None = None) -> Removal:
    """Remove every version of ``bucket`` (or all of pinset's buckets and leftovers)."""
    if bucket is not None:
        bucket_dir_name(bucket)  # ValueError for an unknown bucket
    targets = [p for name, _v, p in _bucket_dirs(root) if bucket in (None, name)]
    if bucket is None:
        targets += _temporary_leftovers(root, older_than=0)
        if (root / "CACHEDIR.TAG").is_file():
            targets.append(root / "CACHEDIR.TAG")
    return _remove(targets)


def _orphans(bucket: Path) -> list[Path]:
    """Archive entries missing their file or sidecar (left by an old crash or a hand edit)."""
    found = []
    for entry in _entries(bucket):
        if not entry.is_dir():
            continue
        names = {p.name for p in entry.iterdir()}
        files = {n for n in names if not n.endswith(SIDECAR_SUFFIX)}
        sidecars = {n[: -len(SIDECAR_SUFFIX)] for n in names if n.endswith(SIDECAR_SUFFIX)}
        if not names or files != sidecars:
            found.append(entry)
    return found


def _kept_unpacked(archives: Path, unpacked: Path) -> list[Path]:
    """Archive entries of a wheel the cache also keeps unpacked (``wheels-unpacked/<sha256>``):
    a second copy, left by a pinset that kept both."""
    found = []
    for entry in _entries(archives):
        sidecars = list(entry.glob(f"*.whl{SIDECAR_SUFFIX}")) if entry.is_dir() else []
        if len(sidecars) != 1:
            continue
        try:
            sha256 = sidecars[0].read_text("ascii").strip()
        except (OSError, UnicodeDecodeError):
            continue
        if sha256 and has_entry(sha256, unpacked):
            found.append(entry)
    return found


def prune(root: Path, *, min_age: float = 3600.0) -> Removal:
    """Remove what no run will read again: buckets of other versions, temporary leftovers
    older than ``min_age`` seconds (younger ones may belong to a running pinset), archive
    entries whose file or sha256 sidecar is missing, and archives of wheels kept unpacked."""
    targets = [p for name, v, p in _bucket_dirs(root) if BUCKETS[name] != v]
    targets += _temporary_leftovers(root, older_than=min_age)
    archives = root / bucket_dir_name("archives")
    if archives.is_dir():
        targets += _orphans(archives)
        targets += _kept_unpacked(archives, root / bucket_dir_name("wheels-unpacked"))
    return _remove(targets)


def _remove(targets: list[Path]) -> Removal:
    removed: list[Path] = []
    freed = 0
    for path in targets:
        if not path.exists() and not path.is_symlink():
            continue
        size = _tree_size(path)
        discard(path)
        removed.append(path)
        freed += size
    return Removal(tuple(removed), freed)
