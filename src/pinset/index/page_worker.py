"""Large index pages read in a second process, while this one goes on.

Reading a large PEP 691 page (finding its entries, reading thousands of file names, keeping the
result as a page form) is pure Python work that holds the interpreter lock: on a cold run of a
large resolution it was a third of the lock's time, and the resolver and every other fetch
waited behind it. A :class:`PageWorker` hands such pages to one child process, started by the
first page large enough to be worth it; the child reads the page and writes its form
(:mod:`pinset.index.page_form`), and this process loads that form as a warm run would (every
check of a form applies). The worker is only a shortcut: until it is ready, and when it cannot
start, declines a page, fails or dies, the page is read here as before, which also reports
whatever is wrong with it.

Protocol, on the child's own pipes: the child first reads this process's import path (so it
imports the same pinset and ``packaging``) and answers ``R`` once it has imported what it
needs; then, for each page, two 4-byte big-endian lengths, the marshalled ``(pages directory,
body digest, project, page URL, Content-Type)`` and the page's body; the answer is one byte,
``1`` when the form was written, else ``0``.
"""

from __future__ import annotations

import marshal
import os
import sys
import threading
from pathlib import Path
from typing import IO, TYPE_CHECKING

from packaging.utils import NormalizedName

from pinset._dataclass import dataclass
from pinset.index.simple_html import MAX_PAGE_BYTES
from pinset.index.sources import IndexResponse

if TYPE_CHECKING:
    import subprocess

MIN_SIZE = 64 * 1024
"""Pages smaller than this are read here: a page of about 150 files takes a millisecond or
two, less than handing it over costs."""
START_AFTER = 1024 * 1024
"""The worker is started once the run has met this many bytes of pages it would take (a
small resolution's few large pages are read here, sooner than a process starts)."""
WAIT_SIZE = 512 * 1024
"""While the worker starts, a page this large waits for it (its reading here would take
about as long as the start); a smaller one is read here."""

_BOOT_WAIT = 2.0
"""How long a page waits for the worker to start; a worker not ready by then is given up for
the run (its process stopped), and every page is read here."""
_READY = b"R"
_BOOT = (
    "import marshal, sys\n"
    "size = int.from_bytes(sys.stdin.buffer.read(4), 'big')\n"
    "sys.path[:] = marshal.loads(sys.stdin.buffer.read(size))\n"
    "from pinset.index.page_worker import serve\n"
    "serve(sys.stdin.buffer, sys.stdout.buffer)\n"
)
"""The child's program: ``-I -S`` keep the environment and site customisation out of it, and
the import path it is given is this process's own."""


class PageWorker:
    """One worker process for a run, started when the run has met ``start_after`` bytes of
    pages of at least ``min_size`` bytes (while it starts, pages of ``wait_size`` bytes or more
    wait for it), stopped by :meth:`close`; safe for threads (it reads one page at a time, the
    others wait)."""

    def __init__(
        self,
        *,
        min_size: int = MIN_SIZE,
        start_after: int = START_AFTER,
        wait_size: int = WAIT_SIZE,
    ) -> None:
        self.min_size = min_size
        self.start_after = start_after
        self.wait_size = wait_size
        self._seen = 0
        self._lock = threading.Lock()
        self._settled = threading.Event()
        """Set once the start is over, however it went."""
        self._proc: subprocess.Popen[bytes] | None = None
        self._starting: subprocess.Popen[bytes] | None = None
        """The process while it starts (stopped by :meth:`close` if it never gets ready)."""
        self._start_lock = threading.Lock()
        """Guards ``_starting`` (not ``_lock``, which a page being handed over holds)."""
        self._failed = False
        self._booting = False

    @property
    def pid(self) -> int | None:
        """The worker process's id while it runs, else None."""
        proc = self._proc
        return proc.pid if proc is not None else None

    def wants(self, size: int) -> bool:
        """Whether a page body of ``size`` bytes is to be handed over: the worker is ready
        and can still take one (this page counts towards starting it)."""
        if self._failed or not self.min_size <= size <= MAX_PAGE_BYTES:
            return False
        if self._settled.is_set():
            return self._proc is not None
        with self._lock:
            self._seen += size
            seen = self._seen
        if seen >= self.start_after:
            self._boot()
            if size >= self.wait_size and not self._settled.wait(_BOOT_WAIT):
                self.close()  # longer to read here than to wait for it, and it is not ready
        return self._settled.is_set() and self._proc is not None and not self._failed

    def make_form(self, directory: Path, response: IndexResponse, name: NormalizedName) -> bool:
        """Have the worker read ``response`` (a JSON page the HTTP cache holds as it is) and
        write its form into ``directory``; False when it did not (read the page here)."""
        if not self.wants(len(response.body)):
            return False
        content_type = response.headers.get("content-type", "")
        request = marshal.dumps(
            (os.fspath(directory), response.digest, str(name), response.url, content_type)
        )
        with self._lock:
            proc = self._proc
            if proc is None or self._failed:
                return False
            try:
                _send(_pipe(proc.stdin), request, response.body)
                answer = _pipe(proc.stdout).read(1)
            except (OSError, ValueError):
                answer = b""
            if answer not in (b"0", b"1"):  # it died: every page is read here from now on
                self._failed = True
                self._stop()
        return answer == b"1"

    def close(self) -> None:
        """Stop the worker (it exits when its input closes; one still starting is killed);
        no page is handed over after."""
        self._failed = True
        with self._start_lock:
            starting, self._starting = self._starting, None
        if starting is not None:
            starting.kill()  # the thread starting it sees it end, and reaps it
        self._stop()

    def _boot(self) -> None:
        """Start the child in a thread of its own (once): :meth:`wants` answers True once it
        has said it is ready."""
        with self._lock:
            if self._booting or self._failed:
                return
            self._booting = True
        threading.Thread(target=self._start, name="pinset-page-worker", daemon=True).start()

    def _start(self) -> None:
        try:
            proc = self._spawn()
            with self._lock:
                if proc is None or self._failed:  # could not start, or closed meanwhile
                    self._failed = True
                    if proc is not None:
                        _end(proc)
                    return
                self._proc = proc
        finally:
            self._settled.set()

    def _spawn(self) -> subprocess.Popen[bytes] | None:
        import subprocess  # only when a run reads a large page

        if not sys.executable or getattr(sys, "frozen", False):
            return None  # no interpreter to run (an embedded or frozen pinset)
        try:
            proc = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", _BOOT],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            return None
        with self._start_lock:
            self._starting = proc
            closed = self._failed
        if closed:
            proc.kill()
        try:
            path = marshal.dumps([p for p in sys.path if isinstance(p, str)])
            stdin = _pipe(proc.stdin)
            stdin.write(len(path).to_bytes(4, "big") + path)
            stdin.flush()
            ready = _pipe(proc.stdout).read(1) == _READY
        except (OSError, ValueError):
            ready = False
        with self._start_lock:
            self._starting = None
        if ready:
            return proc
        _end(proc)
        return None

    def _stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            _end(proc)


def _pipe(stream: IO[bytes] | None) -> IO[bytes]:
    if stream is None:  # pragma: no cover - both pipes are always asked for
        raise OSError("the page worker has no pipe")
    return stream


def _send(stream: IO[bytes], head: bytes, body: bytes) -> None:
    stream.write(len(head).to_bytes(4, "big") + len(body).to_bytes(4, "big"))
    stream.write(head)
    stream.write(body)
    stream.flush()


def _end(proc: subprocess.Popen[bytes]) -> None:
    """Close the child's input (it exits at its end) and wait for it; kill it if it does not
    exit at once."""
    import subprocess

    for stream in (proc.stdin, proc.stdout):
        try:
            if stream is not None:
                stream.close()
        except OSError:
            pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@dataclass(frozen=True)
class _Page:
    """A page as the worker is given it (an :class:`IndexResponse`)."""

    url: str
    headers: dict[str, str]
    body: bytes
    digest: str
    status: int = 200


def serve(requests: IO[bytes], answers: IO[bytes]) -> None:
    """The child's loop: read each page handed over, write its form, answer; return at the
    end of ``requests``."""
    from pinset.index.evaluate import NameReader
    from pinset.index.page_form import PageForms
    from pinset.index.sources import parse_page
    from pinset.index.versions import group_page

    reader = NameReader()
    answers.write(_READY)
    answers.flush()
    while True:
        frame = _receive(requests)
        if frame is None:
            return
        head, body = frame
        try:
            directory, digest, name, url, content_type = marshal.loads(head)
            page = _Page(url, {"content-type": content_type}, body, digest)
            versions = group_page(parse_page(page, ""), NormalizedName(name), reader)
            made = PageForms(Path(directory)).store(page, NormalizedName(name), versions)
        except Exception:  # any page it cannot read is read by the parent, which says why
            made = False
        answers.write(b"1" if made else b"0")
        answers.flush()


def _receive(stream: IO[bytes]) -> tuple[bytes, bytes] | None:
    sizes = stream.read(8)
    if len(sizes) != 8:
        return None
    head = stream.read(int.from_bytes(sizes[:4], "big"))
    body = stream.read(int.from_bytes(sizes[4:], "big"))
    if len(head) != int.from_bytes(sizes[:4], "big") or len(body) != int.from_bytes(
        sizes[4:], "big"
    ):
        return None
    return head, body
