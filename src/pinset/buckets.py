"""The registry of the cache's buckets: every directory pinset keeps in its cache, by name, with
the format version that is part of its directory name (``http`` -> ``http-v3``).

This is the only place a bucket's name and version are written: every writer asks
:func:`bucket_dir_name` for its directory, and ``pinset cache info | clean | prune`` and
``docs/cache.md`` (checked by a test) follow the same table. A bucket's version goes up
whenever the layout or meaning of its entries changes; old versions are never read again and
``pinset cache prune`` removes them.

It sits in the foundation layer and imports nothing: the no-op fast path reads it before
argparse, and the HTTP client and the interpreter probe are below the ``cache`` package.
"""

from __future__ import annotations

from types import MappingProxyType

_TABLE = (
    # Never 2: ``http-v2`` is pip's own HTTP cache in a shared cache directory (PIP_DIRS).
    ("http", 3, "index pages, with their ETag / Last-Modified for revalidation"),
    # Goes up whenever pinset.index.page_form's layout, or what it keeps, changes.
    (
        "pages",
        2,
        "JSON index pages kept parsed (files by version), each for one page body's sha256",
    ),
    ("metadata", 2, "core metadata of candidates (PEP 658 files, wheel METADATA)"),
    (
        "archives",
        1,
        "downloaded wheels and sdists + a sha256 sidecar each (a wheel leaves once unpacked)",
    ),
    (
        "wheels-unpacked",
        5,
        "wheels unpacked once, named by the archive's sha256, with their bytecode per "
        "interpreter; installs link or copy from here",
    ),
    ("wheels-built", 1, "wheels built from sdists, local trees, VCS checkouts"),
    ("vcs", 1, "clones of VCS repositories"),
    # Goes up with pinset.environment.probe.PROBE_VERSION (a test holds them together).
    ("interpreters", 3, "facts about target interpreters, by (path, mtime, size)"),
    ("noop", 1, "no-op verdicts: an unchanged satisfied install is answered from here"),
    (
        "plans",
        1,
        "install plans of runs whose pins name their files (hashes, commits, or fresh index "
        "pages): the same install into an environment in the same state replays one",
    ),
    (
        "locks",
        2,
        "each pin's file, each lock's text: a lock keeping its pins, a hashed install, "
        "reads no page",
    ),
)

BUCKETS: MappingProxyType[str, int] = MappingProxyType({n: v for n, v, _ in _TABLE})
"""Every bucket by name, with its current version."""

HOLDS: MappingProxyType[str, str] = MappingProxyType({n: text for n, _, text in _TABLE})
"""What each bucket holds, in the words of ``docs/cache.md``."""

PIP_DIRS = frozenset({"http", "http-v2", "wheels", "selfcheck"})
"""pip's own directories in a cache shared through ``cache-dir``: never one of our buckets."""


def bucket_dir_name(name: str) -> str:
    """``http`` -> ``http-v3``; ValueError for a name that is not a bucket."""
    try:
        version = BUCKETS[name]
    except KeyError:
        known = ", ".join(BUCKETS)
        raise ValueError(f"unknown cache bucket {name!r} (known: {known})") from None
    return f"{name}-v{version}"


def parse_dir_name(dir_name: str) -> tuple[str, int] | None:
    """``http-v1`` -> ``("http", 1)`` for a directory of a known bucket (of any version), else
    None (pip's directories included)."""
    name, sep, version = dir_name.rpartition("-v")
    if not sep or name not in BUCKETS or dir_name in PIP_DIRS:
        return None
    if not (version.isascii() and version.isdigit()):
        return None
    return name, int(version)
