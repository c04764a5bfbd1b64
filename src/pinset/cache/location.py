"""Which directory is the cache, whether this run may use it, and the throwaway cache of
``--no-cache-dir``.

A cache directory that cannot be written (a read-only file system, a directory owned by
another user after ``sudo``, a file where the directory should be) is not an error: like pip,
the run warns once and goes on as with ``--no-cache-dir``. :func:`usable_cache` is the one
place that decides, at the start of a run, so no cache writer needs its own error handling.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pinset._dataclass import replace
from pinset.buckets import parse_dir_name
from pinset.cache.store import Cache

TYPE_CHECKING = False  # the settings machinery (config files, pip's options): only for runs
if TYPE_CHECKING:  # that decide whether the cache is usable, not for every cache reader
    from pinset.settings import Settings

UNWRITABLE_SOURCE = "the cache directory cannot be written"


def default_cache_dir() -> Path:
    """The per-user cache: ``$XDG_CACHE_HOME/pinset`` (``~/.cache/pinset``) on Linux,
    ``~/Library/Caches/pinset`` on macOS, ``%LOCALAPPDATA%\\pinset\\Cache`` on Windows."""
    import platformdirs  # a run given --cache-dir (or PIP_CACHE_DIR) never needs it

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


def unwritable(root: Path) -> str | None:
    """Why pinset cannot write into the cache at ``root`` (None when it can): the directory
    and each existing bucket directory (``sudo`` without ``-H`` leaves buckets owned by root
    in a user's cache) must be writable. ``access(2)`` answers for read-only file systems,
    immutable directories and permissions without touching the disk; a directory it refuses
    is then tried with a real file, for the reason to show."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        with os.scandir(root) as entries:
            buckets = [Path(e.path) for e in entries if parse_dir_name(e.name) and e.is_dir()]
    except OSError as exc:
        return f"{exc.strerror or exc}: {exc.filename or root}"
    for directory in (root, *buckets):
        if not os.access(directory, os.W_OK | os.X_OK):
            why = _probe(directory)
            if why is not None:
                return why
    return None


def _probe(directory: Path) -> str | None:
    try:
        fd, name = tempfile.mkstemp(dir=directory, prefix=".pinset-probe-", suffix=".tmp")
        os.close(fd)
        os.unlink(name)
    except OSError as exc:
        return f"{exc.strerror or exc}: {directory}"
    return None


def usable_cache(settings: Settings) -> tuple[Settings, str | None]:
    """``settings`` for this run, with the cache disabled (as by ``--no-cache-dir``) when its
    directory cannot be written, and then the warning to show (once)."""
    if settings.no_cache_dir.value:
        return settings, None
    root = cache_root(settings.cache_dir.value)
    why = unwritable(root)
    if why is None:
        return settings, None
    from pinset.settings import Setting

    off = Setting(True, UNWRITABLE_SOURCE)
    warning = (
        f"the cache directory {root} cannot be written ({why}); the cache is disabled for this run"
    )
    return replace(settings, no_cache_dir=off), warning
