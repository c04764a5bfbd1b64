"""Cache keys: sha256 over an unambiguous encoding of the parts, stored in sharded directories.

``make_key("https://h/simple/a/")`` and ``make_key("a", "1.0")`` give 64 hex digits; the parts
are length-prefixed so ``("ab", "c")`` and ``("a", "bc")`` never collide. An entry lives at
``<bucket>/<k[0:2]>/<k[2:4]>/<k>`` so no directory grows past a few hundred entries (the
buckets of small JSON files are not sharded: ``pinset.cache.store.UNSHARDED``).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePosixPath

_KEY = re.compile(r"^[0-9a-f]{64}$")


def make_key(*parts: str | bytes) -> str:
    """The key of an entry identified by ``parts`` (URLs, names, versions, hashes...)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(f"{len(data)}:".encode("ascii"))
        digest.update(data)
    return digest.hexdigest()


def is_key(text: str) -> bool:
    return _KEY.match(text) is not None


def shard_path(key: str) -> PurePosixPath:
    """``ab12...`` -> ``ab/12/ab12...``; ValueError for anything that is not a key."""
    if not is_key(key):
        raise ValueError(f"not a cache key: {key!r}")
    return PurePosixPath(key[:2], key[2:4], key)
