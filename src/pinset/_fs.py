"""Small filesystem primitives: atomic writes and renames, inter-process locks.

Every file pinset writes into a cache or an environment goes through a temporary path in the
same directory and is renamed into place, so a concurrent reader never sees a partial file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported by the first write behind: a run that writes none never does
    from concurrent.futures import Future, ThreadPoolExecutor


def atomic_write_bytes(
    path: Path,
    data: bytes | Sequence[bytes | memoryview],
    *,
    mode: int = 0o644,
    durable: bool = True,
) -> None:
    """Write ``data`` to ``path`` so that readers see either the old or the new file whole
    (``data`` may come in parts, written one after the other: a large file is not copied to
    be joined).

    ``durable=False`` skips the fsync: for cache entries, which are checked when read and
    produced again when damaged, a crash of the machine may cost an entry but never a wrong one.
    The directory is made only when it is missing (a cold run writes hundreds of entries).
    """
    if _is_special(path):  # /dev/null, a FIFO: written through, never replaced by a file
        with open(path, "wb") as fh:
            fh.writelines([data] if isinstance(data, bytes) else data)
        return
    fd, tmp = _create_temporary(path)
    try:
        try:
            _set_mode(fd, tmp, mode)
            _write_all(fd, data)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


class WriteBehind:
    """Atomic writes of cache files (not synced, as ``atomic_write_bytes(durable=False)``)
    done by one thread of their own, in the order given, so that the threads fetching for a
    run go on instead of waiting on the file system: a cold resolve of 150 projects writes
    about 450 cache entries, and written by its fetching threads they cost it a tenth of its
    time. :meth:`close` waits for every write (a reader in a later run finds them all); a
    write that fails goes to its ``on_error`` (a cache entry not written only costs a later
    run a fetch). Once closed, a write is done at once, by its caller."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._pending: list[Future[None]] = []
        self._closed = False

    def write(
        self,
        path: Path,
        data: bytes | Sequence[bytes | memoryview],
        on_error: Callable[[OSError], None] | None = None,
    ) -> None:
        """Write ``data`` to ``path`` soon (see :func:`atomic_write_bytes`)."""
        with self._lock:
            if not self._closed:
                if self._pool is None:
                    from concurrent.futures import ThreadPoolExecutor  # a run that writes

                    self._pool = ThreadPoolExecutor(1, thread_name_prefix="pinset-write-behind")
                self._pending.append(self._pool.submit(_write, path, data, on_error))
                return
        _write(path, data, on_error)

    def close(self) -> None:
        """Wait for every write; raise what went wrong other than the file system (a bug)."""
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
            pending, self._pending = self._pending, []
        if pool is not None:
            pool.shutdown(wait=True)
        for done in pending:
            done.result()


def write_entry(
    path: Path,
    data: bytes | Sequence[bytes | memoryview],
    behind: WriteBehind | None,
    on_error: Callable[[OSError], None] | None = None,
) -> None:
    """A cache entry written (``atomic_write_bytes(durable=False)``): by ``behind`` when there
    is one (an OSError then goes to ``on_error``), else at once (an OSError is raised)."""
    if behind is None:
        atomic_write_bytes(path, data, durable=False)
    else:
        behind.write(path, data, on_error)


def _write(
    path: Path,
    data: bytes | Sequence[bytes | memoryview],
    on_error: Callable[[OSError], None] | None,
) -> None:
    try:
        atomic_write_bytes(path, data, durable=False)
    except OSError as exc:
        if on_error is not None:
            on_error(exc)


def _create_temporary(path: Path) -> tuple[int, str]:
    """A new file ``.<name>.<random>.tmp`` beside ``path`` (its directory made if missing),
    opened for writing: an open file descriptor and its path."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)  # O_BINARY: Windows
    directory = os.fspath(path.parent)
    for _attempt in range(100):
        tmp = os.path.join(directory, f".{path.name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(tmp, flags, 0o600), tmp
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")


def _set_mode(fd: int, path: str, mode: int) -> None:
    """Exactly ``mode``, whatever the umask (by the open file where the platform can)."""
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)
    else:  # Windows before Python 3.13
        os.chmod(path, mode)


def _write_all(fd: int, data: bytes | Sequence[bytes | memoryview]) -> None:
    for part in [data] if isinstance(data, bytes) else data:
        view = memoryview(part)
        while view:
            view = view[os.write(fd, view) :]


def _is_special(path: Path) -> bool:
    """True for an existing device, FIFO or socket: renaming a file over ``/dev/null`` (say, for
    ``--report /dev/null``, run as root) would replace the system's null device."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def atomic_write_text(path: Path, text: str, *, mode: int = 0o644) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), mode=mode)


def write_output_file(path: Path, text: str) -> None:
    """Write a file the user named (``-o``, ``--report``): atomically, through a symbolic link
    to the file it names (``requirements.txt -> requirements/prod.txt`` stays a link), keeping
    the permissions of the file it replaces; a file that already holds ``text`` is not touched.
    """
    data = text.encode("utf-8")
    if _is_special(path):  # /dev/stdout, /dev/null: written through by atomic_write_bytes
        atomic_write_bytes(path, data)
        return
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
        if stat.S_ISREG(target.stat().st_mode) and target.read_bytes() == data:
            return
    except FileNotFoundError:
        mode = 0o644
    atomic_write_bytes(target, data, mode=mode)


@contextlib.contextmanager
def temporary_sibling_dir(target: Path) -> Iterator[Path]:
    """A fresh directory next to ``target`` (same filesystem), removed unless renamed away."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"))
    try:
        yield tmp
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def publish_dir(tmp: Path, target: Path) -> bool:
    """Rename a finished ``tmp`` directory to ``target``; False if another process won the race.

    The loser's ``tmp`` is left for its ``temporary_sibling_dir`` context to remove.
    """
    try:
        os.rename(tmp, target)
    except OSError:
        if target.is_dir():
            return False
        raise
    return True


@contextlib.contextmanager
def locked(lock_path: Path) -> Iterator[None]:
    """Hold an inter-process lock on ``lock_path`` (created if needed), waiting for it.

    On POSIX this is ``flock`` on the file itself (the lock file stays, so waiters share its
    inode); where ``flock`` is missing or refused (Windows, some network filesystems),
    ``filelock``, whose import alone costs a warm run more than all its locking.
    """
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = _flocked(lock_path)
    if fd is None:
        from filelock import FileLock

        with FileLock(str(lock_path)):
            yield
        return
    try:
        yield
    finally:
        os.close(fd)  # releases the lock


_NO_FLOCK = frozenset({errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOLCK, errno.EINVAL})


def _flocked(lock_path: Path) -> int | None:
    """An open descriptor of ``lock_path`` holding its exclusive ``flock``; None without flock.

    A lock file removed (say by ``cache prune``) while this process waited is no lock for the
    next one to open the path: the lock is taken again on the file now at that path.
    """
    try:
        import fcntl
    except ImportError:  # Windows
        return None
    while True:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if _same_file(fd, lock_path):
                return fd
        except OSError as exc:
            os.close(fd)
            if exc.errno in _NO_FLOCK:
                return None
            raise
        os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    held = os.fstat(fd)
    try:
        now = os.stat(path)
    except FileNotFoundError:
        return False
    return (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino)
