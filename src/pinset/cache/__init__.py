"""pinset's cache: versioned buckets of entries written atomically and locked per entry.

See ``docs/cache.md`` for the layout; the buckets and their versions are named in
:mod:`pinset.buckets`.
"""

from __future__ import annotations

from pinset.cache.keys import make_key, shard_path
from pinset.cache.location import cache_root, default_cache_dir, open_cache
from pinset.cache.maintenance import BucketInfo, CacheInfo, Removal, cache_info, clean, prune
from pinset.cache.store import Cache

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
