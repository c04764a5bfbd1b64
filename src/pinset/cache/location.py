"""Which directory is the cache, and the throwaway cache of ``--no-cache-dir``."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import platformdirs

from pinset.cache.store import Cache


def default_cache_dir() -> Path:
    """The per-user cache: ``$XDG_CACHE_HOME/pinset`` (``~/.cache/pinset``) on Linux,
    ``~/Library/Caches/pinset`` on macOS, ``%LOCALAPPDATA%\\pinset\\Cache`` on Windows."""
    return Path(platformdirs.user_cache_dir("pinset", appauthor=False))


def cache_root(cache_dir: str | os.PathLike[str] | None) -> Path:
    """``cache_dir`` (``~`` expanded, made absolute), else :func:`default_cache_dir`."""
    if cache_dir is None or str(cache_dir) == "":
        return default_cache_dir()
    return Path(os.path.expanduser(os.fspath(cache_dir))).absolute()


@contextmanager
def open_cache(
    cache_dir: str | os.PathLike[str] | None, *, disabled: bool = False
) -> Iterator[Cache]:
    """The cache for one run. ``disabled`` (``--no-cache-dir``) gives a fresh temporary cache
    that is deleted when the context exits, so every step still has a place to work in."""
    if not disabled:
        yield Cache(cache_root(cache_dir))
        return
    root = Path(tempfile.mkdtemp(prefix="pinset-cache-"))
    try:
        yield Cache(root, temporary=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
