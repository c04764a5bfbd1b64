"""Each version-control tool's own server on 127.0.0.1, started by a test and stopped after it.

- :func:`git_daemon`: ``git daemon`` (the ``git://`` protocol of the seed's ``git://`` URLs);
- :func:`git_smart_http`: git's smart HTTP protocol, ``git http-backend`` run as a CGI program
  by a small Python server that asks for Basic credentials (the private-repository case);
- :func:`hg_serve`: ``hg serve``, optionally behind a Basic-auth proxy;
- :func:`svnserve`: ``svnserve -d --foreground`` (``svn://``);
- :func:`static_http`: a directory served as plain files (Breezy reads a branch over http
  without a smart server).

Every server listens on a free port; the context managers yield its base URL.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_listening(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 15
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{process.args!r} did not start listening") from None
            time.sleep(0.05)


@contextlib.contextmanager
def _process(argv: Sequence[str], port: int, env: dict[str, str] | None = None) -> Iterator[None]:
    process = subprocess.Popen(
        list(argv),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
        start_new_session=True,
    )
    try:
        _wait_listening(port, process)
        yield
    finally:
        # The whole group: `git daemon` runs `git-daemon` as a child, which killing `git`
        # alone would leave listening after the test.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextlib.contextmanager
def git_daemon(served: Path) -> Iterator[str]:
    """``git daemon`` exporting every repository under ``served``; ``git://127.0.0.1:PORT``."""
    port = free_port()
    argv = [
        "git",
        "daemon",
        "--reuseaddr",
        "--export-all",
        f"--base-path={served}",
        "--listen=127.0.0.1",
        f"--port={port}",
        str(served),
    ]
    with _process(argv, port):
        yield f"git://127.0.0.1:{port}"


@contextlib.contextmanager
def hg_serve(repo: Path) -> Iterator[str]:
    """``hg serve`` of ``repo``; ``http://127.0.0.1:PORT``."""
    port = free_port()
    argv = ["hg", "serve", "-R", str(repo), "--address=127.0.0.1", f"--port={port}"]
    with _process(argv, port, {"HGRCPATH": "", "HGPLAIN": "1"}):
        yield f"http://127.0.0.1:{port}"


@contextlib.contextmanager
def svnserve(root: Path) -> Iterator[str]:
    """``svnserve`` serving the repositories under ``root`` read-only to anyone;
    ``svn://127.0.0.1:PORT``."""
    port = free_port()
    argv = [
        "svnserve",
        "-d",
        "--foreground",
        f"--root={root}",
        "--listen-host=127.0.0.1",
        f"--listen-port={port}",
    ]
    with _process(argv, port):
        yield f"svn://127.0.0.1:{port}"


class _Server(ThreadingHTTPServer):
    daemon_threads = True


@contextlib.contextmanager
def _serving(handler: Callable[..., BaseHTTPRequestHandler]) -> Iterator[str]:
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def static_http(directory: Path) -> Iterator[str]:
    """The files under ``directory`` over plain HTTP; ``http://127.0.0.1:PORT``."""
    with _serving(functools.partial(_Quiet, directory=str(directory))) as url:
        yield url


def _authorized(handler: BaseHTTPRequestHandler, user: str, password: str) -> bool:
    expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    if handler.headers.get("Authorization") == expected:
        return True
    handler.send_response(401)
    handler.send_header("WWW-Authenticate", 'Basic realm="private"')
    handler.send_header("Content-Length", "0")
    handler.end_headers()
    return False


class GitHttp:
    """A record of the requests the smart-HTTP server saw (the Authorization headers, to check
    that credentials did reach it)."""

    def __init__(self) -> None:
        self.authorized = 0
        self.refused = 0


@contextlib.contextmanager
def git_smart_http(root: Path, user: str, password: str) -> Iterator[tuple[str, GitHttp]]:
    """Every repository under ``root`` over git's smart HTTP protocol (``git http-backend``),
    for ``user``/``password`` only; ``http://127.0.0.1:PORT`` and the request record."""
    seen = GitHttp()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            self._cgi()

        def do_POST(self) -> None:
            self._cgi()

        def _cgi(self) -> None:
            if not _authorized(self, user, password):
                seen.refused += 1
                return
            seen.authorized += 1
            path, _, query = self.path.partition("?")
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            env = {
                "PATH": os.environ.get("PATH", ""),
                "GIT_PROJECT_ROOT": str(root),
                "GIT_HTTP_EXPORT_ALL": "1",
                "REQUEST_METHOD": self.command,
                "PATH_INFO": path,
                "QUERY_STRING": query,
                "CONTENT_TYPE": self.headers.get("Content-Type") or "",
                "CONTENT_LENGTH": str(len(body)),
                "REMOTE_USER": user,
                "REMOTE_ADDR": "127.0.0.1",
                "GATEWAY_INTERFACE": "CGI/1.1",
                "SERVER_PROTOCOL": "HTTP/1.0",
                "HTTP_GIT_PROTOCOL": self.headers.get("Git-Protocol") or "",
                "HTTP_CONTENT_ENCODING": self.headers.get("Content-Encoding") or "",
            }
            done = subprocess.run(
                ["git", "http-backend"], input=body, env=env, capture_output=True, check=False
            )
            self._reply(done.stdout)

        def _reply(self, output: bytes) -> None:
            head, _, payload = output.partition(b"\r\n\r\n")
            status = 200
            headers: list[tuple[str, str]] = []
            for line in head.decode("latin-1").split("\r\n"):
                name, _, value = line.partition(":")
                if name.lower() == "status":
                    status = int(value.strip().split()[0])
                elif name:
                    headers.append((name, value.strip()))
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    with _serving(Handler) as url:
        yield url, seen


@contextlib.contextmanager
def auth_proxy(upstream: str, user: str, password: str) -> Iterator[str]:
    """A server that asks for ``user``/``password`` and passes authorized requests on to
    ``upstream`` (``hg serve`` has no authentication of its own)."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            self._forward()

        def do_POST(self) -> None:
            self._forward()

        def _forward(self) -> None:
            if not _authorized(self, user, password):
                return
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            kept = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
            request = urllib.request.Request(
                upstream + self.path, data=body, headers=kept, method=self.command
            )
            try:
                with urllib.request.urlopen(request, timeout=60) as answer:
                    status, headers, payload = answer.status, answer.headers, answer.read()
            except urllib.error.HTTPError as refused:
                status, headers, payload = refused.code, refused.headers, refused.read()
            self.send_response(status)
            for name, value in headers.items():
                if name.lower() not in _HOP and name.lower() != "content-length":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    with _serving(Handler) as url:
        yield url


_HOP = frozenset({"authorization", "host", "connection", "transfer-encoding", "keep-alive"})
