"""Reading a response body, bounded in size and in time.

* :func:`body_chunks` yields the body's bytes as they arrive (each read returns what the
  connection has, never waiting for a full buffer) and ends the transfer with a
  :class:`NetworkError` once the ``deadline`` (a :func:`time.monotonic` value) has passed: a
  server that trickles bytes cannot hold a run forever, though every read beats the socket
  timeout. Downloads stream through it.
* :func:`read_body` holds a body in memory: at most ``limit`` bytes *after* undoing the
  ``Content-Encoding`` (gzip, deflate), inflated in bounded steps so that a small compressed
  "bomb" costs no more memory than the limit; more is a :class:`ResponseTooLarge`, raised before
  anything is kept (so nothing reaches the HTTP cache). Index pages, metadata files,
  requirements files and range reads are read this way.

Neither error is retried by the transport: a second try would meet the same server (a gzip
stream that ends early is a broken read, and is retried like one).
"""

from __future__ import annotations

import io
import time
import zlib
from collections.abc import Iterator, Mapping
from typing import Any, Protocol

from pinset.errors import NetworkError
from pinset.http.download import CHUNK

MAX_BODY = 64 * 1024 * 1024
"""The most bytes (decoded) pinset holds of one response: ``HttpConfig.max_body``'s default."""
_STEP = 1024 * 1024  # the most bytes one inflate step may produce

DEADLINE_HINT = (
    "the server sends too slowly; raise --download-timeout (seconds, 0: no limit) or try "
    "another mirror"
)


class ResponseTooLarge(NetworkError):
    """A response larger than pinset reads into memory (or an index page listing more files
    than pinset reads); never "skipped": the run stops with this error."""


class RawBody(Protocol):
    """What is read of a urllib3 response."""

    def read1(self, amt: int | None = None, decode_content: bool | None = None) -> bytes: ...


def size_text(size: int) -> str:
    """``64 MiB``, ``512 KiB``, ``100 bytes``."""
    for unit, name in ((1024 * 1024, "MiB"), (1024, "KiB")):
        if size >= unit and size % unit == 0:
            return f"{size // unit} {name}"
    return f"{size} bytes"


def too_large(shown: str, limit: int) -> ResponseTooLarge:
    """The error for a response from ``shown`` (a redacted URL) past ``limit`` bytes."""
    return ResponseTooLarge(
        f"GET {shown}: the response is larger than {size_text(limit)}, the most pinset reads "
        "of one response",
        hint="the server sent far more than a package index ever needs; check the URL, or tell "
        "the index's operators",
    )


def _past(deadline: float | None, seconds: float, shown: str) -> None:
    """A NetworkError once ``deadline`` has passed."""
    if deadline is not None and time.monotonic() > deadline:
        raise NetworkError(
            f"GET {shown}: took longer than {seconds:g} s in all", hint=DEADLINE_HINT
        )


def _read_declared(
    raw: RawBody, size: int, *, deadline: float | None, seconds: float, shown: str
) -> bytes | None:
    """The body of exactly ``size`` bytes (its Content-Length; no Content-Encoding), read as
    it arrives straight into one buffer of that size; None when ``raw`` is not a response
    over :mod:`http.client` with that length still to read (read it by :func:`body_chunks`).

    A piece at a time then joined, a large page costs twice the memory traffic and, on a
    cold resolve's 50 MB of pages, about a fifth of the transport's CPU. The deadline is
    checked before every read, as :func:`body_chunks` does; a body that ends early is a
    broken read (retried like one)."""
    response: Any = getattr(raw, "_fp", None)  # the http.client response urllib3 reads from
    stream: Any = getattr(response, "fp", None)
    if (
        size == 0
        or getattr(response, "chunked", True) is not False
        or getattr(response, "length", None) != size
        or not callable(getattr(stream, "readinto1", None))
    ):
        return None
    buffer = io.BytesIO()
    buffer.seek(size - 1)
    buffer.write(b"\0")  # the buffer made at its size once: getvalue() then copies nothing
    done = 0
    with buffer.getbuffer() as view:
        while done < size:
            _past(deadline, seconds, shown)
            count = stream.readinto1(view[done:])
            if not count:
                break
            done += count
    response.length = size - done
    if done < size:
        from urllib3.exceptions import ProtocolError  # imported by any request already

        raise ProtocolError(f"the body ended after {done} of its {size} bytes")
    response.read()  # nothing is left: http.client ends the response, the connection is reusable
    return buffer.getvalue()


def body_chunks(
    raw: RawBody, *, deadline: float | None, seconds: float, shown: str
) -> Iterator[bytes]:
    """The raw (still encoded) body in the pieces it arrives in; a NetworkError once
    ``deadline`` has passed (``seconds``: the limit, for the message)."""
    while True:
        _past(deadline, seconds, shown)
        chunk = raw.read1(CHUNK, decode_content=False)
        if not chunk:
            return
        yield chunk


class _Inflater:
    """Undoes one ``Content-Encoding`` in steps of at most ``_STEP`` bytes."""

    def __init__(self, encoding: str, shown: str) -> None:
        self.shown = shown
        self.gzip = encoding in ("gzip", "x-gzip")
        if not self.gzip and encoding != "deflate":
            raise NetworkError(
                f"GET {shown}: unsupported Content-Encoding {encoding[:40]!r}",
                hint="pinset asks for gzip or deflate; the server answered with something else",
            )
        self.started = False
        self.inflater = self._new(raw=False)

    def _new(self, *, raw: bool) -> zlib._Decompress:
        if self.gzip:
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        return zlib.decompressobj(-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)

    def pieces(self, data: bytes) -> Iterator[bytes]:
        try:
            yield from self._pieces(data)
        except zlib.error:
            raise NetworkError(
                f"GET {self.shown}: the response's {'gzip' if self.gzip else 'deflate'} "
                "encoding is corrupt",
                hint="the server sent a damaged response; try again later",
            ) from None

    def _pieces(self, data: bytes) -> Iterator[bytes]:
        if not self.started and not self.gzip:
            self.started = True
            try:  # deflate is zlib-wrapped by the standard, raw by some servers
                probe = self._new(raw=False)
                first = probe.decompress(data, _STEP)
                self.inflater = probe
                yield first
                data = probe.unconsumed_tail
            except zlib.error:
                self.inflater = self._new(raw=True)
        while data:
            inflater = self.inflater
            yield inflater.decompress(data, _STEP)
            while inflater.unconsumed_tail and not inflater.eof:
                yield inflater.decompress(inflater.unconsumed_tail, _STEP)
            data = inflater.unused_data if inflater.eof and self.gzip else b""
            if data:  # another gzip member follows
                self.inflater = self._new(raw=False)

    def finish(self) -> bytes:
        if self.gzip and not self.inflater.eof:
            # urllib3 is imported by the first real request, never by a run the cache answers
            from urllib3.exceptions import ProtocolError

            raise ProtocolError("the gzip stream ended early")  # retried like a broken read
        return self.inflater.flush()


def read_body(
    raw: RawBody,
    headers: Mapping[str, str],
    *,
    limit: int,
    deadline: float | None,
    seconds: float,
    shown: str,
) -> bytes:
    """The whole decoded body, at most ``limit`` bytes (see the module's rules)."""
    encoding = headers.get("content-encoding", "").strip().lower()
    declared = headers.get("content-length", "").strip()
    identity = encoding in ("", "identity")
    if identity and declared.isdigit() and int(declared) > limit:
        raise too_large(shown, limit)
    if identity and declared.isdigit():
        whole = _read_declared(raw, int(declared), deadline=deadline, seconds=seconds, shown=shown)
        if whole is not None:
            return whole
    inflater = None if identity else _Inflater(encoding, shown)
    parts: list[bytes] = []
    size = 0
    for chunk in body_chunks(raw, deadline=deadline, seconds=seconds, shown=shown):
        for piece in (chunk,) if inflater is None else inflater.pieces(chunk):
            parts.append(piece)
            size += len(piece)
            if size > limit:
                raise too_large(shown, limit)
    if inflater is not None:
        parts.append(inflater.finish())
        if size + len(parts[-1]) > limit:
            raise too_large(shown, limit)
    return b"".join(parts)
