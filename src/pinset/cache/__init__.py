"""pinset's cache: versioned buckets of entries written atomically and locked per entry.

See ``docs/cache.md`` for the layout; the buckets and their versions are named in
:mod:`pinset.buckets`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pinset._lazy_exports import exported_from
from pinset.cache.keys import make_key, shard_path
from pinset.cache.location import cache_root, default_cache_dir, open_cache
from pinset.cache.store import Cache

if TYPE_CHECKING:
    from pinset.cache.maintenance import BucketInfo, CacheInfo, Removal, cache_info, clean, prune

MAINTENANCE = frozenset({"BucketInfo", "CacheInfo", "Removal", "cache_info", "clean", "prune"})
"""What :mod:`pinset.cache.maintenance` defines for ``pinset cache``: imported when first
asked for (a run that uses the cache needs none of it)."""


if not TYPE_CHECKING:  # type checkers see the names imported above
    __getattr__ = exported_from(__name__, "pinset.cache.maintenance", MAINTENANCE)


__all__ = [
    "BucketInfo",
    "Cache",
    "CacheInfo",
    "Removal",
    "cache_info",
    "cache_root",
    "clean",
    "default_cache_dir",
    "make_key",
    "open_cache",
    "prune",
    "shard_path",
]
