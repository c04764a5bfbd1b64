"""One HTTP GET over pooled urllib3 connections: credentials, redirects, retries, errors.

* Connections are pooled per (proxy, verification) in urllib3 managers, kept alive per host.
* Redirects (301, 302, 303, 307, 308; at most 10) are followed here, not by urllib3, so each hop
  gets the credentials of *its* origin only; a caller's ``Authorization`` header never crosses
  to another host or port; a redirect to a scheme other than http(s) raises NetworkError.
* A 401 with no working credentials asks ``.netrc`` / keyring once and retries.
* What can recover is retried ``retries`` times with exponential backoff (``Retry-After``
  honoured up to 30 s): timeouts, connections reset or broken off, a name server that says
  "try again", 429 and 5xx. What cannot is an error at once: a refused connection, a name that
  does not resolve, TLS and proxy failures, an invalid URL.
* Bodies are read through :mod:`pinset.http.body`: at most ``max_body`` bytes once decoded,
  and no longer than ``download_timeout`` seconds in all (from the request), per attempt.
* Every error is a :class:`NetworkError` whose text went through redaction.
"""

from __future__ import annotations

import errno
import os
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import urllib3
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    IncompleteRead,
    LocationValueError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ProxyError,
    ReadTimeoutError,
    SSLError,
)

from pinset._dataclass import dataclass
from pinset.errors import ConfigurationError, NetworkError
from pinset.http.addresses import HostAddresses, connection_classes
from pinset.http.auth import Credentials, CredentialStore, split_credentials
from pinset.http.body import read_body
from pinset.http.config import HttpConfig
from pinset.http.proxies import proxy_for
from pinset.http.tls import (
    EarlyContext,
    is_trusted,
    parse_trusted_hosts,
    unverified_context,
    verified_context,
)

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 10
_MAX_BACKOFF = 10.0
_MAX_RETRY_AFTER = 30.0
_DRAINED = 64 * 1024  # the largest unneeded body read to keep its connection


def is_retryable_status(status: int) -> bool:
    return status == 429 or (status >= 500 and status not in (501, 505))


class _QuietHTTPSConnectionPool(HTTPSConnectionPool):
    """For trusted hosts only: unverified on purpose, so no InsecureRequestWarning per request."""

    def _validate_conn(self, conn: Any) -> None:
        HTTPConnectionPool._validate_conn(self, conn)
        if conn.is_closed:
            conn.connect()


def _pool_classes(
    addresses: HostAddresses,
) -> dict[bool, dict[str, type[HTTPConnectionPool]]]:
    """urllib3's pool class of each scheme, whose connections dial through ``addresses`` (one
    name lookup per host, :mod:`pinset.http.addresses`), for untrusted (False) and trusted
    (True) hosts."""
    plain, tls = connection_classes(addresses)
    http = type("HTTPPool", (HTTPConnectionPool,), {"ConnectionCls": plain})
    https = type("HTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": tls})
    quiet = type("QuietHTTPSPool", (_QuietHTTPSConnectionPool,), {"ConnectionCls": tls})
    return {False: {"http": http, "https": https}, True: {"http": http, "https": quiet}}


@dataclass
class Opened:
    """A response whose body is still to be read from ``raw`` (the caller releases it)."""

    url: str
    status: int
    headers: dict[str, str]
    raw: urllib3.BaseHTTPResponse
    body: bytes | None = None


class Transport:
    """Thread-safe; one per :class:`HttpClient`."""

    def __init__(
        self, config: HttpConfig, creds: CredentialStore, *, verified: EarlyContext | None = None
    ) -> None:
        """``verified``: the verifying TLS context, being made already (else made when the
        first verified connection needs it)."""
        self.config = config
        self._verified = verified
        self.creds = creds
        self.environ: Mapping[str, str] = (
            config.environ if config.environ is not None else os.environ
        )
        self.trusted = parse_trusted_hosts(config.trusted_hosts)
        self._lock = threading.Lock()
        self._managers: dict[tuple[str | None, bool], urllib3.PoolManager] = {}
        self._contexts: dict[bool, ssl.SSLContext] = {}
        self._pools = _pool_classes(HostAddresses())
        seconds = config.timeout or None  # 0: no timeout, as pip's --timeout 0
        self._timeout = urllib3.Timeout(connect=seconds, read=seconds)

    # -- connection managers -------------------------------------------------------------
    def _context(self, trusted: bool) -> ssl.SSLContext:
        context = self._contexts.get(trusted)
        if context is None:
            cfg = self.config
            if trusted:
                context = unverified_context(cfg.client_cert)
            elif self._verified is not None:
                context = self._verified.get()
            else:
                context = verified_context(cfg.cert, cfg.client_cert)
            self._contexts[trusted] = context
        return context

    def _manager(self, url: str) -> urllib3.PoolManager:
        proxy = proxy_for(url, proxy=self.config.proxy, environ=self.environ)
        trusted = is_trusted(self.trusted, url)
        with self._lock:
            manager = self._managers.get((proxy, trusted))
            if manager is None:
                manager = self._new_manager(proxy, trusted)
                self._managers[(proxy, trusted)] = manager
            return manager

    def _new_manager(self, proxy: str | None, trusted: bool) -> urllib3.PoolManager:
        kw: dict[str, Any] = {
            "num_pools": 32,
            "maxsize": max(1, self.config.max_workers),
            "timeout": self._timeout,
            "retries": False,
            "ssl_context": self._context(trusted),
        }
        if trusted:
            kw.update(cert_reqs="CERT_NONE", assert_hostname=False)
        manager: urllib3.PoolManager
        if proxy is None:
            manager = urllib3.PoolManager(**kw)
        else:
            proxy_url, proxy_creds = split_credentials(proxy)
            _check_proxy(proxy_url)
            headers = {}
            if proxy_creds is not None:
                self.creds.remember(("proxy:" + proxy_url, None), proxy_creds)
                headers["Proxy-Authorization"] = proxy_creds.authorization()
            manager = urllib3.ProxyManager(proxy_url, proxy_headers=headers, **kw)
        manager.pool_classes_by_scheme = self._pools[trusted]
        return manager

    def close(self) -> None:
        with self._lock:
            managers = list(self._managers.values())
            self._managers.clear()
        for manager in managers:
            manager.clear()

    # -- errors --------------------------------------------------------------------------
    def wrap_error(self, url: str, exc: BaseException) -> NetworkError:
        """A NetworkError for ``exc`` with every URL and secret redacted."""
        shown = self.creds.scrub(url)
        hint: str | None = "check the URL, your network connection and proxy settings"
        if isinstance(exc, SSLError | ssl.SSLError):
            what = f"TLS error ({self.creds.scrub(_tls_reason(exc))})"
            hint = (
                "pass the CA bundle of this server with --cert, or (only if you trust the "
                "network) --trusted-host"
            )
        elif isinstance(exc, NewConnectionError):  # before timeouts: it subclasses them
            what = f"cannot connect ({_reason(exc)})"
        elif isinstance(exc, ConnectTimeoutError | ReadTimeoutError | TimeoutError):
            what = f"timed out after {self.config.timeout:g} s"
            hint = "the server is slow or unreachable; raise --timeout or check the network"
        elif isinstance(exc, ProxyError):
            what = "the proxy refused or failed the connection"
            hint = "check --proxy and HTTP(S)_PROXY / NO_PROXY"
        elif isinstance(exc, ProtocolError | IncompleteRead):
            what = "the connection broke off before the response was complete"
        elif isinstance(exc, LocationValueError):
            what = "invalid URL"
            hint = "check the URL"
        else:
            what = f"connection failed ({type(exc).__name__})"
        return NetworkError(f"GET {shown}: {what}", hint=hint)

    # -- retries -------------------------------------------------------------------------
    def delays(self) -> Iterator[float]:
        """Sleep before each retry: backoff, doubling, capped; ``retries`` of them."""
        for attempt in range(max(0, self.config.retries)):
            yield min(_MAX_BACKOFF, self.config.backoff * (2**attempt))

    @staticmethod
    def retry_after(headers: Mapping[str, str], default: float) -> float:
        value = headers.get("retry-after", "")
        if value.isdigit():
            return min(_MAX_RETRY_AFTER, max(default, float(value)))
        return default

    def with_retries(self, url: str, attempt: Callable[[], Opened]) -> Opened:
        """Run ``attempt`` until it gives a non-retryable response or retries run out."""
        delays = self.delays()
        while True:
            try:
                opened = attempt()
            except (HTTPError, OSError) as exc:
                if is_definitive(exc):
                    raise self.wrap_error(url, exc) from None
                delay = next(delays, None)
                if delay is None:
                    raise self.wrap_error(url, exc) from None
                time.sleep(delay)
                continue
            if not is_retryable_status(opened.status):
                return opened
            delay = next(delays, None)
            if delay is None:
                opened.raw.release_conn()
                shown = self.creds.scrub(opened.url)
                raise NetworkError(
                    f"GET {shown}: HTTP {opened.status} after {self.config.retries + 1} attempts",
                    hint="the server keeps failing; try again later",
                )
            discard(opened)
            time.sleep(self.retry_after(opened.headers, delay))

    # -- bodies --------------------------------------------------------------------------
    def deadline(self) -> float | None:
        """When a transfer started now must end (``time.monotonic``); None: never."""
        seconds = self.config.download_timeout
        return time.monotonic() + seconds if seconds else None

    def read_all(self, opened: Opened, deadline: float | None) -> Opened:
        """Read the whole body, bounded (see :mod:`pinset.http.body`), and give the
        connection back (closed when the body was not read to its end)."""
        try:
            opened.body = read_body(
                opened.raw,
                opened.headers,
                limit=self.config.max_body,
                deadline=deadline,
                seconds=self.config.download_timeout,
                shown=self.creds.scrub(opened.url),
            )
        except BaseException:
            opened.raw.close()
            raise
        finally:
            opened.raw.release_conn()
        return opened

    # -- one request with redirects ------------------------------------------------------
    def get(self, url: str, headers: Mapping[str, str] | None = None) -> Opened:
        """GET ``url`` following redirects, with retries; the body is read (``.body``)."""

        def attempt() -> Opened:
            deadline = self.deadline()
            return self.read_all(self.follow(url, dict(headers or {})), deadline)

        return self.with_retries(url, attempt)

    def follow(self, url: str, headers: dict[str, str]) -> Opened:
        """GET ``url`` following redirects (no retries); the body is left to the caller."""
        if urllib.parse.urlsplit(url).scheme.lower() not in ("http", "https"):
            raise NetworkError(
                f"unsupported URL {self.creds.scrub(url)}",
                hint="pinset fetches http://, https:// and file:// URLs",
            )
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            opened = self._send_authenticated(current, headers)
            location = opened.headers.get("location")
            if opened.status not in _REDIRECTS or not location:
                return opened
            discard(opened)
            target = urllib.parse.urljoin(split_credentials(current)[0], location)
            scheme = urllib.parse.urlsplit(target).scheme.lower()
            if scheme not in ("http", "https"):
                raise NetworkError(
                    f"GET {self.creds.scrub(url)}: refused redirect to "
                    f"{self.creds.scrub(target)} (only http and https are followed)",
                )
            if _origin(target) != _origin(current):
                headers = {k: v for k, v in headers.items() if k.lower() != "authorization"}
            current = target
        raise NetworkError(
            f"GET {self.creds.scrub(url)}: more than {MAX_REDIRECTS} redirects",
            hint="the server redirects in a loop",
        )

    def _send_authenticated(self, url: str, headers: dict[str, str]) -> Opened:
        bare, given = split_credentials(url)
        sent = None if _has_auth(headers) else self.creds.for_request(bare, given)
        opened = self._send(url, bare, headers, sent)
        if opened.status != 401 or _has_auth(headers):
            return opened
        retry_with = self.creds.after_challenge(bare, sent)
        if retry_with is None:
            return opened
        discard(opened)
        return self._send(url, bare, headers, retry_with)

    def _send(
        self, url: str, bare: str, headers: Mapping[str, str], creds: Credentials | None
    ) -> Opened:
        request_headers = {
            "User-Agent": self.config.user_agent,
            "Accept-Encoding": "gzip, deflate",
            **headers,
        }
        if creds is not None:
            request_headers["Authorization"] = creds.authorization()
        raw = self._manager(bare).request(
            "GET",
            bare,
            headers=request_headers,
            redirect=False,
            preload_content=False,
            decode_content=True,
        )
        response_headers = {k.lower(): v for k, v in raw.headers.itermerged()}
        return Opened(url=url, status=raw.status, headers=response_headers, raw=raw)


def discard(opened: Opened) -> None:
    """Give up a body pinset does not need (a redirect's, a 401's, a 503's): a small one
    with a declared length is read so the connection can be reused; any other is not read at
    all (it could be endless), and its connection is closed."""
    length = opened.headers.get("content-length", "").strip()
    if length.isdigit() and int(length) <= _DRAINED and "transfer-encoding" not in opened.headers:
        opened.raw.drain_conn()
    else:
        opened.raw.close()
    opened.raw.release_conn()


def _check_proxy(proxy_url: str) -> None:
    parts = urllib.parse.urlsplit(proxy_url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(
            f"unsupported proxy {proxy_url!r}",
            hint="use an http:// or https:// proxy URL (SOCKS proxies are not supported)",
        )


def is_definitive(exc: BaseException) -> bool:
    """A failure that asking again cannot mend: TLS, proxy, invalid URL, a refused connection,
    a host name that does not exist (a name server's "try again" is worth retrying)."""
    if isinstance(exc, SSLError | ssl.SSLError | ProxyError | LocationValueError):
        return True
    if isinstance(exc, ConnectionRefusedError):
        return True
    if not isinstance(exc, NewConnectionError):
        return False
    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, socket.gaierror):
        return cause.errno != socket.EAI_AGAIN
    if isinstance(exc, NameResolutionError):
        return True
    return isinstance(cause, OSError) and cause.errno in _DEFINITIVE_ERRNOS


_DEFINITIVE_ERRNOS = frozenset({errno.ECONNREFUSED})


def _tls_reason(exc: BaseException) -> str:
    """The plain words of a TLS failure ("certificate verify failed: self-signed ...")."""
    seen: BaseException | None = exc
    for _depth in range(10):  # exception chains can loop
        if seen is None:
            break
        if isinstance(seen, ssl.SSLCertVerificationError) and seen.verify_message:
            return f"certificate verify failed: {seen.verify_message}"
        if isinstance(seen, ssl.SSLError) and seen.reason:
            return str(seen.reason).replace("_", " ").lower()
        seen = (
            seen.__cause__
            or seen.__context__
            or (seen.args[0] if seen.args and isinstance(seen.args[0], BaseException) else None)
        )
    return str(exc)


def _reason(exc: NewConnectionError) -> str:
    """The OS's words for a failed connection ("Connection refused"), without any URL."""
    cause = exc.__context__ or exc.__cause__
    if isinstance(cause, OSError) and cause.strerror:
        return cause.strerror
    if isinstance(exc, NameResolutionError):
        return "name not resolved"
    return "connection failed"


def _has_auth(headers: Mapping[str, str]) -> bool:
    return any(k.lower() == "authorization" for k in headers)


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or {"http": 80, "https": 443}[scheme]
