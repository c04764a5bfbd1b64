"""A small, real, programmable HTTP(S) server on 127.0.0.1 for tests of the HTTP layer.

    with HttpServer() as server:
        server.route("/flaky", Reply(503), Reply(503), Reply(200, b"ok"))
        server.route("/page", static(b"<html>", etag='"v1"', max_age=60))
        ... server.url + "/flaky" ...
        assert len(server.hits("/flaky")) == 3

A route is a sequence of :class:`Reply` values or handlers (``Callable[[Request], Reply]``):
each request takes the next one, the last repeats. Faults are fields of :class:`Reply`:
``delay`` (slow), ``reset`` (connection dropped with no response), ``truncate`` (fewer body bytes
than Content-Length, then the connection closes), ``trickle`` (the body sent one byte at a time,
this many seconds apart). ``stream`` produces a large body piece by piece (the server never
holds it whole), with its Content-Length ``stream_length`` (None: the body ends when the
connection closes). Requests whose target is an absolute URL
(what a client sends to a forward proxy) are routed by that URL, so the server doubles as an
http proxy. Pass ``tls=`` a server ``ssl.SSLContext`` for https.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


@dataclass(frozen=True)
class Request:
    """What the server received: method, request target, headers (lower-case names), and the
    client's address (``peer``: the same for requests over one kept-alive connection)."""

    method: str
    path: str
    headers: Mapping[str, str]
    peer: tuple[str, int] = ("", 0)


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    reset: bool = False
    truncate: int | None = None
    trickle: float = 0.0
    stream: Callable[[], Iterator[bytes]] | None = None
    stream_length: int | None = None


Handler = Callable[[Request], Reply]


def static(
    body: bytes,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    max_age: int | None = None,
    no_store: bool = False,
    content_type: str = "text/html",
) -> Handler:
    """A resource that honours If-None-Match / If-Modified-Since (→ 304) and Range (→ 206)."""
    base: dict[str, str] = {"Content-Type": content_type}
    if etag is not None:
        base["ETag"] = etag
    if last_modified is not None:
        base["Last-Modified"] = last_modified
    directives = [f"max-age={max_age}"] if max_age is not None else []
    if no_store:
        directives.append("no-store")
    if directives:
        base["Cache-Control"] = ", ".join(directives)

    def handle(request: Request) -> Reply:
        inm = request.headers.get("if-none-match")
        ims = request.headers.get("if-modified-since")
        if (etag is not None and inm == etag) or (
            inm is None and last_modified is not None and ims == last_modified
        ):
            return Reply(304, b"", base)
        wanted = request.headers.get("range", "")
        if wanted.startswith("bytes="):
            return _ranged(body, wanted[len("bytes=") :], base)
        return Reply(200, body, base)

    return handle


def _ranged(body: bytes, spec: str, base: Mapping[str, str]) -> Reply:
    size = len(body)
    first_text, _, last_text = spec.partition("-")
    if not first_text:
        first, last = max(0, size - int(last_text)), size - 1
    else:
        first = int(first_text)
        last = min(int(last_text), size - 1) if last_text else size - 1
    if first >= size:
        return Reply(416, b"", {"Content-Range": f"bytes */{size}"})
    headers = {**base, "Content-Range": f"bytes {first}-{last}/{size}"}
    return Reply(206, body[first : last + 1], headers)


def basic_auth(user: str, password: str, inner: Handler | Reply) -> Handler:
    """``inner`` behind HTTP Basic auth: 401 with a challenge unless the header matches."""
    expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    def handle(request: Request) -> Reply:
        if request.headers.get("authorization") != expected:
            return Reply(401, b"unauthorized", {"WWW-Authenticate": 'Basic realm="test"'})
        return inner(request) if callable(inner) else inner

    return handle


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status, b"", {"Location": location})


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        peer = (str(self.client_address[0]), int(self.client_address[1]))
        request = Request(self.command, self.path, headers, peer)
        reply = self.server.owner.dispatch(request)
        if reply.delay:
            time.sleep(reply.delay)
        if reply.reset:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.close()
            return
        self._send(reply)

    def _send(self, reply: Reply) -> None:
        if reply.stream is not None:
            self._send_stream(reply, reply.stream)
            return
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if reply.trickle:
            self._trickle(reply)
            return
        body = reply.body if reply.truncate is None else reply.body[: reply.truncate]
        with contextlib.suppress(OSError):
            self.wfile.write(body)
            self.wfile.flush()
        if reply.truncate is not None:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)

    def _trickle(self, reply: Reply) -> None:
        for i in range(len(reply.body)):
            try:
                self.wfile.write(reply.body[i : i + 1])
                self.wfile.flush()
            except OSError:  # the client gave up
                self.close_connection = True
                return
            time.sleep(reply.trickle)

    def _send_stream(self, reply: Reply, stream: Callable[[], Iterator[bytes]]) -> None:
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.stream_length is not None:
            self.send_header("Content-Length", str(reply.stream_length))
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        try:
            for piece in stream():
                self.wfile.write(piece)
        except OSError:  # the client gave up
            return


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, owner: HttpServer) -> None:
        self.owner = owner
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # failed TLS handshakes and dropped connections are expected in tests


class HttpServer:
    """A threaded server; routes and the request log are safe to use from the test thread."""

    def __init__(self, *, tls: ssl.SSLContext | None = None) -> None:
        self._lock = threading.Lock()
        self._routes: dict[str, list[Handler | Reply]] = {}
        self._requests: list[Request] = []
        self._server = _Server(self)
        if tls is not None:
            self._server.socket = tls.wrap_socket(
                self._server.socket, server_side=True, do_handshake_on_connect=True
            )
        self.scheme = "https" if tls is not None else "http"
        self.port: int = self._server.server_address[1]
        self.url = f"{self.scheme}://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __enter__(self) -> HttpServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()

    def route(self, path: str, *replies: Handler | Reply) -> None:
        with self._lock:
            self._routes[path] = list(replies) or [Reply(200)]

    def dispatch(self, request: Request) -> Reply:
        with self._lock:
            self._requests.append(request)
            steps = self._routes.get(request.path) or self._routes.get(
                request.path.split("?", 1)[0]
            )
            if not steps:
                return Reply(404, b"not found")
            step = steps.pop(0) if len(steps) > 1 else steps[0]
        return step(request) if callable(step) else step

    @property
    def requests(self) -> list[Request]:
        with self._lock:
            return list(self._requests)

    def hits(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]
