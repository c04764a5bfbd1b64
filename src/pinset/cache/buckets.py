"""The cache's buckets: one directory per kind of entry, with the format version in its name.

A bucket's version goes up whenever the layout or meaning of its entries changes; old
versions are never read again and ``pinset cache prune`` removes them.
"""

from __future__ import annotations

import re
from types import MappingProxyType

BUCKETS: MappingProxyType[str, int] = MappingProxyType(
    {
        "http": 1,  # HTTP responses of index pages (ETag/Last-Modified revalidation)
        "metadata": 1,  # core metadata of candidates (PEP 658 files, METADATA from wheels)
        "archives": 1,  # downloaded wheels and sdists, each with a sha256 sidecar
        "wheels-unpacked": 1,  # wheels unpacked once, hard-linked into environments
        "wheels-built": 1,  # wheels built from sdists, local trees, VCS checkouts
        "vcs": 1,  # VCS clones and checkouts, by repository URL
        "interpreters": 1,  # facts about target interpreters, by (path, mtime, size)
    }
)
"""Every bucket by name, with its current version."""

_DIR_NAME = re.compile(r"^(?P<name>[a-z][a-z-]*?)-v(?P<version>[0-9]+)$")


def bucket_dir_name(name: str) -> str:
    """``http`` -> ``http-v1``; ValueError for a name that is not a bucket."""
    try:
        version = BUCKETS[name]
    except KeyError:
        known = ", ".join(BUCKETS)
        raise ValueError(f"unknown cache bucket {name!r} (known: {known})") from None
    return f"{name}-v{version}"


def parse_dir_name(dir_name: str) -> tuple[str, int] | None:
    """``http-v1`` -> ``("http", 1)`` for a directory of a known bucket family, else None."""
    match = _DIR_NAME.match(dir_name)
    if match is None or match["name"] not in BUCKETS:
        return None
    return match["name"], int(match["version"])
