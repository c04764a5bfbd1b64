"""The request handler of :class:`tests.helpers.index_server.IndexServer`: routing, content
negotiation, Range, basic auth and fault injection."""

from __future__ import annotations

import base64
import contextlib
import socket
import struct
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Literal

from packaging.utils import canonicalize_name

if TYPE_CHECKING:
    from tests.helpers.index_server import IndexServer

JSON_TYPE = "application/vnd.pypi.simple.v1+json"
HTML_TYPE = "application/vnd.pypi.simple.v1+html"

FaultKind = Literal["500", "reset", "slow", "truncate", "redirect", "404"]


@dataclass
class Fault:
    kind: FaultKind
    remaining: int
    path: str
    delay: float
    target: str | None


def make_handler(server: IndexServer) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        index = server

    return Handler


class _Handler(BaseHTTPRequestHandler):
    index: IndexServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.index._log((self.command, self.path, headers))
        fault = self.index._take_fault(self.path)
        if fault is not None and self._apply_fault(fault):
            return
        if not self._authorized(headers):
            self._send(401, b"unauthorized", extra={"WWW-Authenticate": 'Basic realm="test"'})
            return
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._route(path, headers, fault)

    def _apply_fault(self, fault: Fault) -> bool:
        """Act out ``fault``; True when the request is fully answered."""
        if fault.kind == "slow":
            time.sleep(fault.delay)
            return False
        if fault.kind == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return True
        if fault.kind in ("500", "404"):
            self._send(int(fault.kind), b"injected fault")
            return True
        if fault.kind == "redirect":
            target = fault.target or f"http://localhost:{self.index.port}"
            self._send(302, b"", extra={"Location": target.rstrip("/") + self.path})
            return True
        return False  # "truncate" happens when the body is sent

    def _authorized(self, headers: dict[str, str]) -> bool:
        if self.index.auth is None:
            return True
        value = headers.get("authorization", "")
        scheme, _, token = value.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            user, _, password = base64.b64decode(token).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        return (user, password) == self.index.auth

    def _route(self, path: str, headers: dict[str, str], fault: Fault | None) -> None:
        truncate = fault is not None and fault.kind == "truncate"
        parts = [p for p in path.split("/") if p]
        if parts[:1] == ["simple"] and len(parts) <= 2:
            self._serve_page(parts[1] if len(parts) == 2 else None, headers, truncate)
            return
        if parts[:1] == ["files"] and len(parts) == 2:
            self._serve_file(parts[1], headers, truncate)
            return
        self._send(404, b"not found")

    def _serve_page(self, project: str | None, headers: dict[str, str], truncate: bool) -> None:
        fmt = self.index.choose_format(headers.get("accept", ""))
        if fmt is None:
            self._send(406, b"not acceptable")
            return
        as_json = fmt == JSON_TYPE
        if project is None:
            body = self.index.root_page(as_json)
        else:
            if canonicalize_name(project) != project:
                self._send(301, b"", extra={"Location": f"/simple/{canonicalize_name(project)}/"})
                return
            if project not in self.index.projects():
                self._send(404, b"no such project")
                return
            body = self.index.project_json(project) if as_json else self.index.project_html(project)
        self._send(200, body, content_type=fmt, truncate=truncate)

    def _serve_file(self, filename: str, headers: dict[str, str], truncate: bool) -> None:
        if filename.endswith(".metadata"):
            meta = self.index.metadata_file(filename[: -len(".metadata")])
            if meta is None:
                self._send(404, b"no metadata")
                return
            self._send(200, meta, content_type="application/octet-stream", truncate=truncate)
            return
        path = self.index.root / filename
        if "/" in filename or not path.is_file():
            self._send(404, b"no such file")
            return
        data = path.read_bytes()
        rng = headers.get("range")
        if rng and self.index.ranges:
            self._send_range(data, rng, truncate)
            return
        self._send(
            200,
            data,
            content_type="application/octet-stream",
            truncate=truncate,
            extra={"Accept-Ranges": "bytes"} if self.index.ranges else None,
        )

    def _send_range(self, data: bytes, header: str, truncate: bool) -> None:
        size = len(data)
        unit, _, spec = header.partition("=")
        first, _, last = spec.partition("-")
        try:
            if unit.strip() != "bytes" or "," in spec:
                raise ValueError(header)
            if first == "":
                start, end = max(0, size - int(last)), size - 1
            else:
                start = int(first)
                end = min(int(last), size - 1) if last else size - 1
        except ValueError:
            self._send(200, data, content_type="application/octet-stream")
            return
        if start >= size or start > end:
            self._send(416, b"", extra={"Content-Range": f"bytes */{size}"})
            return
        self._send(
            206,
            data[start : end + 1],
            content_type="application/octet-stream",
            truncate=truncate,
            extra={"Content-Range": f"bytes {start}-{end}/{size}", "Accept-Ranges": "bytes"},
        )

    def _send(
        self,
        status: int,
        body: bytes,
        *,
        content_type: str = "text/plain",
        truncate: bool = False,
        extra: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        if truncate:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command == "HEAD":
            return
        self.wfile.write(body[: len(body) // 2] if truncate else body)
        self.wfile.flush()
