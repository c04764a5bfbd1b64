"""The HTTP client of a pinset run: pooled, thread-safe, cached, verified, redacted.

``HttpClient(config)`` is made once per run (by the session) and shared by every thread; use it
as a context manager. ``get`` answers http(s) and file URLs, optionally through the HTTP cache
(index pages); ``get_range`` asks for a byte range; ``download`` streams a file into place while
hashing it; ``map_parallel`` runs work on a bounded thread pool. Warnings (e.g. a corrupt cache
entry) are never printed: they go to ``on_warning`` and are kept in ``warnings``.
See ``docs/http.md`` for the rules.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import threading
import time
import urllib.parse
from collections.abc import Callable, Collection, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import TYPE_CHECKING, TypeVar

from pinset._dataclass import dataclass, field, replace
from pinset._fs import WriteBehind
from pinset.errors import NetworkError
from pinset.http.auth import CredentialStore, split_credentials
from pinset.http.body import body_chunks, too_large
from pinset.http.cache import CacheEntry, CorruptEntry, HttpCache, cache_key, is_storable
from pinset.http.config import HttpConfig
from pinset.http.download import DownloadResult, Progress, file_chunks, stream_into
from pinset.http.tls import EarlyContext, is_secure_origin, parse_trusted_hosts
from pinset.redaction import redact_url
from pinset.urls import url_to_path

if TYPE_CHECKING:  # urllib3, http.client and ssl: imported by the first request, not before
    from pinset.http.transport import Opened, Transport

__all__ = ["DownloadListener", "DownloadResult", "HttpClient", "HttpConfig", "Response"]

DownloadListener = Callable[[str, int, int | None], None]
"""Hears every download's progress: file name, bytes so far, total bytes (None: unknown)."""

T = TypeVar("T")
R = TypeVar("R")

_STATUS_HINTS: Mapping[int, str] = MappingProxyType(
    {
        401: "the server wants credentials: put them in the URL, in .netrc, or in keyring",
        403: "the credentials were refused or lack access to this resource",
        404: "check the URL (and the project name)",
    }
)


@dataclass(frozen=True)
class Response:
    """A complete response. ``url`` is the final URL and may hold credentials: redact it."""

    url: str
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    from_cache: bool = False
    digest: str = ""
    """The body's sha256 (hex) when the HTTP cache holds it (answered or stored), else "":
    what a caller keys something it makes from the body by (see :meth:`HttpClient.get_known`)."""

    @property
    def ok(self) -> bool:
        return self.status < 400

    def raise_for_status(self) -> None:
        """NetworkError (URL redacted) when the status is 400 or more."""
        if self.status >= 400:
            raise NetworkError(
                f"GET {redact_url(self.url)}: HTTP {self.status}",
                hint=_STATUS_HINTS.get(self.status),
            )

    def __repr__(self) -> str:
        return (
            f"Response(url={redact_url(self.url)!r}, status={self.status}, "
            f"body=<{len(self.body)} bytes>, from_cache={self.from_cache})"
        )


def _named_progress(listener: DownloadListener, name: str) -> Progress:
    def progress(done: int, total: int | None) -> None:
        listener(name, done, total)

    return progress


def _accept(headers: Mapping[str, str]) -> str:
    """The request's ``Accept`` header (part of the cache key), "" when none."""
    return next((v for k, v in headers.items() if k.lower() == "accept"), "")


def _cached_response(entry: CacheEntry) -> Response:
    return Response(
        entry.url, entry.status, entry.headers, entry.body, from_cache=True, digest=entry.digest
    )


def _range_header(start: int, end: int | None) -> str:
    if start < 0:
        return f"bytes={start}"
    return f"bytes={start}-{'' if end is None else end}"


class HttpClient:
    """Thread-safe; one per run."""

    def __init__(
        self,
        config: HttpConfig,
        *,
        on_warning: Callable[[str], None] | None = None,
        on_download: DownloadListener | None = None,
        on_trace: Callable[[str], None] | None = None,
        behind: WriteBehind | None = None,
    ) -> None:
        """``behind``: what writes the HTTP cache's entries (soon, in another thread; None:
        the thread that fetched writes them)."""
        self.config = config
        self._on_download = on_download
        self._on_trace = on_trace
        environ = config.environ if config.environ is not None else os.environ
        self._creds = CredentialStore(environ, use_keyring=config.keyring)
        self._trusted = parse_trusted_hosts(config.trusted_hosts)
        self._made: Transport | None = None
        self._cache = (
            HttpCache(config.cache_dir, max_body=config.max_body, behind=behind)
            if config.cache_dir is not None
            else None
        )
        self._on_warning = on_warning
        self._warnings: list[str] = []
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None
        self._local = threading.local()
        self._pages: list[tuple[str, float]] = []
        self._unkept = False

    # -- lifecycle -----------------------------------------------------------------------
    def __enter__(self) -> HttpClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            transport, self._made = self._made, None
        if transport is not None:
            transport.close()

    # -- warnings and redaction ----------------------------------------------------------
    @property
    def warnings(self) -> tuple[str, ...]:
        with self._lock:
            return tuple(self._warnings)

    def _warn(self, message: str) -> None:
        message = self._creds.scrub(message)
        with self._lock:
            self._warnings.append(message)
        if self._on_warning is not None:
            self._on_warning(message)

    @property
    def pages_read(self) -> tuple[tuple[str, float], ...] | None:
        """Every HTTP cache entry a cached GET was answered from (or stored into), with the
        time (``time.time()``) until which it answers without a request; None when a cached
        GET was answered by something no entry keeps (a response the cache did not store, or
        a local file). What a later run must find again to reach the same answers."""
        with self._lock:
            return None if self._unkept else tuple(self._pages)

    def _kept(self, cache: HttpCache, key: str, entry: CacheEntry | None) -> None:
        """Note that an answer came from ``entry``, cached under ``key`` (None: not kept)."""
        with self._lock:
            if entry is None:
                self._unkept = True
                return
            now = time.time()
            lifetime = entry.lifetime()
            if lifetime is None:
                lifetime = 0.0 if entry.validators() else self.config.page_freshness
            until = now + max(0.0, lifetime - entry.age(now))
            self._pages.append((str(cache.path_for(key)), until))

    def _trace(self, url: str, what: str) -> None:
        """Tell the ``-v`` listener what was asked (credentials hidden) and how it went."""
        if self._on_trace is not None:
            self._on_trace(f"GET {self._creds.scrub(url)}: {what}")

    def redact(self, text: str) -> str:
        """``text`` with URL credentials and every secret this client has seen redacted."""
        return self._creds.scrub(text)

    def is_secure_origin(self, url: str) -> bool:
        """https, file, loopback or ``--trusted-host``: what the index layer may use."""
        return is_secure_origin(url, self._trusted)

    # -- requests ------------------------------------------------------------------------
    def get(
        self, url: str, *, headers: Mapping[str, str] | None = None, cache: bool = False
    ) -> Response:
        """GET ``url``; any status is returned, NetworkError when unreachable or offline."""
        local = urllib.parse.urlsplit(url).scheme.lower() == "file"
        if cache and self._cache is not None and not local:
            return self._get_cached(self._cache, url, dict(headers or {}))
        if cache:  # a page no cache entry keeps (a local file, or no cache)
            with self._lock:
                self._unkept = True
        if local:
            return self._get_file(url, None, None)
        self._refuse_offline(url)
        response = self._response(self._transport.get(url, headers))
        self._trace(url, f"HTTP {response.status}")
        return response

    def get_known(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        known: Callable[[Response], T | None],
    ) -> tuple[Response, T | None]:
        """``get(url, cache=True)``, asking ``known`` first when the HTTP cache can answer
        without a request: ``known`` gets that answer's head (``body`` empty, ``digest`` the
        body's sha256) and returns what the caller keeps for that body, or None. When it
        returns something, the body is not read: ``(head, value)``; otherwise the whole
        response and None. ``known`` must check what it returns against the digest."""
        cache = self._cache
        if cache is None or urllib.parse.urlsplit(url).scheme.lower() == "file":
            return self.get(url, headers=headers, cache=True), None
        bare, _ = split_credentials(url)
        key = cache_key(bare, _accept(headers or {}))
        head = self._load_head(cache, key)
        if head is not None and self._answers(head):
            response = Response(
                head.url, head.status, head.headers, b"", from_cache=True, digest=head.digest
            )
            value = known(response)
            if value is not None:
                self._trace(url, "fresh in the cache (no request), kept parsed")
                self._kept(cache, key, head)
                return response, value
        return self._get_cached(cache, url, dict(headers or {})), None

    def get_range(self, url: str, start: int, end: int | None) -> Response:
        """Bytes ``start``..``end`` (inclusive; None: to the end; negative start: the last
        ``-start`` bytes). The status is 206 when the server honoured the range, else 200."""
        if urllib.parse.urlsplit(url).scheme.lower() == "file":
            return self._get_file(url, start, end)
        self._refuse_offline(url)
        ranged = {"Range": _range_header(start, end), "Accept-Encoding": "identity"}
        opened = self._transport.get(url, ranged)
        self._trace(url, f"HTTP {opened.status} ({ranged['Range']})")
        return self._response(opened)

    def download(
        self,
        url: str,
        dest: Path,
        *,
        hashes: Mapping[str, Collection[str]] | None = None,
        progress: Progress | None = None,
    ) -> DownloadResult:
        """Stream ``url`` into ``dest`` verifying ``hashes``; IntegrityError on mismatch.

        ``progress(done, total)`` hears the bytes as they arrive; without it, the client's
        ``on_download(filename, done, total)`` listener (if any) does."""
        shown = self._creds.scrub(url)
        if progress is None and self._on_download is not None:
            progress = _named_progress(self._on_download, dest.name)
        if urllib.parse.urlsplit(url).scheme.lower() == "file":
            path = url_to_path(url)
            if not path.is_file():
                raise NetworkError(f"no such file: {shown}", hint="check the path")
            return stream_into(
                dest,
                file_chunks(path),
                shown_url=shown,
                expected=hashes,
                total=path.stat().st_size,
                progress=progress,
            )
        self._refuse_offline(url)
        done: list[DownloadResult] = []

        def attempt() -> Opened:
            deadline = self._transport.deadline()
            opened = self._transport.follow(url, {"Accept-Encoding": "identity"})
            if opened.status != 200:
                return self._transport.read_all(opened, deadline)
            length = opened.headers.get("content-length", "")
            try:
                # the file's own bytes: never undo a Content-Encoding (pip does the same)
                chunks = body_chunks(
                    opened.raw,
                    deadline=deadline,
                    seconds=self.config.download_timeout,
                    shown=shown,
                )
                total = int(length) if length.isdigit() else None
                done[:] = [
                    stream_into(
                        dest,
                        chunks,
                        shown_url=shown,
                        expected=hashes,
                        total=total,
                        progress=progress,
                    )
                ]
            except BaseException:
                opened.raw.close()  # not read to its end: the connection cannot be reused
                raise
            finally:
                opened.raw.release_conn()
            return opened

        opened = self._transport.with_retries(url, attempt)
        if not done:
            self._response(opened).raise_for_status()
            raise NetworkError(f"GET {shown}: unexpected HTTP {opened.status} for a download")
        self._trace(url, f"downloaded {done[0].size} bytes")
        return done[0]

    def map_parallel(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """``[fn(x) for x in items]`` run on the bounded pool, results in order; the first
        exception (in item order) is raised. Called from inside the pool it runs inline."""
        work = list(items)
        if len(work) <= 1 or getattr(self._local, "in_pool", False):
            return [fn(item) for item in work]
        executor = self._pool()
        futures: list[Future[R]] = [executor.submit(self._in_pool, fn, item) for item in work]
        try:
            return [future.result() for future in futures]
        except BaseException:
            for future in futures:
                future.cancel()
            raise

    # -- internals -----------------------------------------------------------------------
    @property
    def _transport(self) -> Transport:
        """The connections, made by the first request: a run that the cache and local files
        answer never imports the HTTP stack (urllib3, ``http.client``, ``ssl``)."""
        with self._lock:
            if self._made is None:
                # the trusted certificates load while the HTTP stack is imported
                early = EarlyContext(self.config.cert, self.config.client_cert)
                from pinset.http.transport import Transport

                self._made = Transport(self.config, self._creds, verified=early)
            return self._made

    def _pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    max_workers=max(1, self.config.max_workers), thread_name_prefix="pinset-http"
                )
            return self._executor

    def _in_pool(self, fn: Callable[[T], R], item: T) -> R:
        self._local.in_pool = True
        return fn(item)

    def _refuse_offline(self, url: str) -> None:
        if self.config.offline:
            raise NetworkError(
                f"GET {self._creds.scrub(url)}: offline and not cached",
                hint="run without --offline, or fill the cache with a run that has network",
            )

    @staticmethod
    def _response(opened: Opened) -> Response:
        return Response(
            url=opened.url,
            status=opened.status,
            headers=opened.headers,
            body=opened.body or b"",
        )

    def _get_file(self, url: str, start: int | None, end: int | None) -> Response:
        """A local file (or the asked part of it), never more than ``max_body`` bytes."""
        path = url_to_path(url)
        if not path.is_file():
            return Response(url=url, status=404, headers={}, body=b"")
        size = path.stat().st_size
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        headers = {"content-type": kind}
        first, last = 0, size - 1
        if start is not None:
            first = max(0, size + start) if start < 0 else start
            last = size - 1 if end is None or start < 0 else min(end, size - 1)
            if first >= size or last < first:
                return Response(url, 416, {"content-range": f"bytes */{size}"}, b"")
            headers["content-range"] = f"bytes {first}-{last}/{size}"
        if last - first + 1 > self.config.max_body:
            raise too_large(self._creds.scrub(url), self.config.max_body)
        with path.open("rb") as handle:
            handle.seek(first)
            data = handle.read(last - first + 1)
        if start is None:
            return Response(url, 200, {**headers, "content-length": str(len(data))}, data)
        return Response(url, 206, headers, data)

    def _load_entry(self, cache: HttpCache, key: str, shown: str) -> CacheEntry | None:
        try:
            return cache.load(key)
        except CorruptEntry as exc:
            self._warn(f"dropped a corrupt HTTP cache entry for {shown} ({exc}); fetching again")
            cache.drop(key)
            return None

    def _load_head(self, cache: HttpCache, key: str) -> CacheEntry | None:
        """The entry's head, or None (absent, or a head that does not parse: the whole load
        that follows drops it with a warning)."""
        try:
            return cache.load_head(key)
        except CorruptEntry:
            return None

    def _answers(self, entry: CacheEntry) -> bool:
        """Whether ``entry`` answers without a request: fresh, or any entry when offline."""
        fresh = entry.is_fresh(time.time(), heuristic=self.config.page_freshness)
        return self.config.offline or fresh

    def _get_cached(self, cache: HttpCache, url: str, headers: dict[str, str]) -> Response:
        bare, _ = split_credentials(url)
        key = cache_key(bare, _accept(headers))
        shown = self._creds.scrub(url)
        entry = self._load_entry(cache, key, shown)
        now = time.time()
        if entry is not None and self._answers(entry):
            self._trace(url, "fresh in the cache (no request)")
            self._kept(cache, key, entry)
            return _cached_response(entry)
        self._refuse_offline(url)
        if entry is not None:
            headers.update(entry.validators())
        opened = self._transport.get(url, headers)
        if opened.status == 304 and entry is not None:
            self._trace(url, "HTTP 304, the cached page is still valid")
            entry = entry.refreshed(opened.headers, time.time())
            self._kept(cache, key, entry if self._store(cache, key, entry, shown) else None)
            return _cached_response(entry)
        response = self._response(opened)
        self._trace(url, f"HTTP {response.status}" + (" (cache miss)" if entry is None else ""))
        if is_storable(response.status, response.headers):
            final, _ = split_credentials(response.url)
            digest = hashlib.sha256(response.body).hexdigest()
            fresh = CacheEntry(final, response.status, response.headers, response.body, now, digest)
            if self._store(cache, key, fresh, shown):
                response = replace(response, digest=digest)
                self._kept(cache, key, fresh)
                return response
        self._kept(cache, key, None)
        return response

    def _store(self, cache: HttpCache, key: str, entry: CacheEntry, shown: str) -> bool:
        """Write ``entry`` (True: written, or to be written by the cache's write-behind)."""

        def failed(exc: OSError) -> None:
            self._warn(f"cannot write the HTTP cache entry for {shown}: {exc.strerror}")

        try:
            cache.store(key, entry, failed)
        except OSError as exc:
            failed(exc)
            return False
        return True
