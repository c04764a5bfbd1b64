"""The HTTP cache for index pages: one file per (URL, Accept) in ``<cache_dir>``, not sharded
(a cold resolve writes a page per project: a directory costs more to make than the file).

``cache_dir`` is the directory it is given (in a run, the cache's ``http`` bucket: see
:mod:`pinset.buckets`); it adds no name of its own.

Key: sha256 of the URL without credentials, a NUL, and the request's ``Accept`` header.
File layout: a magic line, one line of JSON (URL, status, headers, time stored, body length and
sha256), then the body. A file that does not parse or whose body does not match its recorded
length and hash is *corrupt*: it is dropped and the page fetched again.

Rules: ``Cache-Control: no-store`` responses are not stored; only 200 responses are stored.
An entry is *fresh* while its age is below ``max-age`` (or before ``Expires``) and it has no
``no-cache``; a fresh entry is answered with no request at all. A stale entry is revalidated
with ``If-None-Match`` (ETag) / ``If-Modified-Since`` (Last-Modified); a 304 answers from the
cache and refreshes the entry's headers and time. Offline, any entry (stale too) answers.

*Heuristic freshness* (RFC 9111 §4.2.2): a response that says nothing about its freshness
(no ``max-age``, no ``Expires``, no ``no-cache``) *and* offers no validator (no ``ETag``, no
``Last-Modified``) could only ever be fetched again in full; such an entry is fresh for
``heuristic`` seconds (the client's ``HttpConfig.page_freshness``, default
:data:`HEURISTIC_FRESHNESS`, 10 minutes: the ``max-age`` PyPI itself normally sends for
project pages). A response with a validator is revalidated instead (a cheap 304).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path

from pinset._dataclass import dataclass, replace
from pinset._fs import WriteBehind, write_entry

HEURISTIC_FRESHNESS = 600.0
"""Seconds an index page without freshness information or validators is reused for."""
_MAGIC = b"pinset-http-cache 1\n"
_MAX_HEADER = 1024 * 1024  # the magic and JSON lines before the body, at most
_HEAD_READ = 16 * 1024  # read at a time when only the head is wanted
_UNSTORED_HEADERS = frozenset({"set-cookie", "connection", "keep-alive", "transfer-encoding"})


class CorruptEntry(ValueError):
    """A cache file that cannot be trusted; the caller drops it."""


def parse_cache_control(value: str | None) -> dict[str, str | None]:
    """``"max-age=600, no-cache"`` → ``{"max-age": "600", "no-cache": None}`` (names lowered)."""
    directives: dict[str, str | None] = {}
    for part in (value or "").split(","):
        name, sep, arg = part.strip().partition("=")
        if name:
            directives[name.strip().lower()] = arg.strip().strip('"') if sep else None
    return directives


def cache_key(url: str, accept: str) -> str:
    """The entry name for a credential-free ``url`` requested with ``accept``."""
    return hashlib.sha256(f"{url}\0{accept}".encode()).hexdigest()


def _http_date(value: str | None) -> float | None:
    if not value:
        return None
    import email.utils  # only for a response that dates itself: most runs never parse one

    try:
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _seconds(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(int(value)))
    except ValueError:
        return None


def is_storable(status: int, headers: Mapping[str, str]) -> bool:
    """Whether a response may be written to the cache."""
    return status == 200 and "no-store" not in parse_cache_control(headers.get("cache-control"))


@dataclass(frozen=True)
class CacheEntry:
    """A stored response; ``headers`` have lower-case names."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    stored_at: float
    digest: str = ""
    """The body's sha256 (hex) when known: checked when the entry was read, or computed once
    when it was made; "" when not known yet."""

    def lifetime(self) -> float | None:
        """Seconds the entry is fresh for after the origin sent it; None when not said."""
        directives = parse_cache_control(self.headers.get("cache-control"))
        if "no-cache" in directives or "no-store" in directives:
            return 0.0
        max_age = _seconds(directives.get("max-age"))
        if max_age is not None:
            return max_age
        expires = _http_date(self.headers.get("expires"))
        if expires is None:
            return None
        sent = _http_date(self.headers.get("date")) or self.stored_at
        return max(0.0, expires - sent)

    def age(self, now: float) -> float:
        initial = _seconds(self.headers.get("age")) or 0.0
        return initial + max(0.0, now - self.stored_at)

    def is_fresh(self, now: float, *, heuristic: float = 0.0) -> bool:
        """Within its lifetime; an entry that states none and has no validator is given
        ``heuristic`` seconds (see the module's rules)."""
        lifetime = self.lifetime()
        if lifetime is None:
            lifetime = 0.0 if self.validators() else heuristic
        return self.age(now) < lifetime

    def validators(self) -> dict[str, str]:
        """Request headers that ask the server whether this entry is still current."""
        found: dict[str, str] = {}
        if "etag" in self.headers:
            found["If-None-Match"] = self.headers["etag"]
        if "last-modified" in self.headers:
            found["If-Modified-Since"] = self.headers["last-modified"]
        return found

    def refreshed(self, not_modified: Mapping[str, str], now: float) -> CacheEntry:
        """This entry after a 304: the new response's headers merged in, age restarted."""
        headers = dict(self.headers)
        for name, value in not_modified.items():
            if name not in _UNSTORED_HEADERS and name != "content-length":
                headers[name] = value
        return replace(self, headers=headers, stored_at=now)


def encode_entry(entry: CacheEntry) -> bytes:
    return b"".join(entry_parts(entry))


def entry_parts(entry: CacheEntry) -> tuple[bytes, bytes]:
    """A cache file in two parts, its head and the body (a large page is written as it is,
    not copied to be joined)."""
    meta = {
        "url": entry.url,
        "status": entry.status,
        "headers": {k: v for k, v in entry.headers.items() if k not in _UNSTORED_HEADERS},
        "stored_at": entry.stored_at,
        "length": len(entry.body),
        "sha256": entry.digest or hashlib.sha256(entry.body).hexdigest(),
    }
    return _MAGIC + json.dumps(meta, sort_keys=True).encode() + b"\n", entry.body


def decode_entry(data: bytes) -> CacheEntry:
    """Parse a cache file; :class:`CorruptEntry` when anything about it is off."""
    head, length, body = _split(data)
    if length != len(body) or hashlib.sha256(body).hexdigest() != head.digest:
        raise CorruptEntry("body does not match its recorded length and hash")
    return replace(head, body=body)


def _split(data: bytes) -> tuple[CacheEntry, int, bytes]:
    """A cache file's head (body ``b""``, ``digest`` as recorded), recorded length, and the
    bytes after the head; :class:`CorruptEntry` when the head does not parse."""
    if not data.startswith(_MAGIC):
        raise CorruptEntry("bad magic")
    meta_line, newline, body = data[len(_MAGIC) :].partition(b"\n")
    if not newline:
        raise CorruptEntry("no header line")
    try:
        meta = json.loads(meta_line)
        headers = {str(k).lower(): str(v) for k, v in dict(meta["headers"]).items()}
        head = CacheEntry(
            url=str(meta["url"]),
            status=int(meta["status"]),
            headers=headers,
            body=b"",
            stored_at=float(meta["stored_at"]),
            digest=str(meta["sha256"]),
        )
        return head, int(meta["length"]), body
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CorruptEntry(f"bad header: {exc}") from exc


class HttpCache:
    """Cache files under ``directory``; safe for threads and concurrent processes.

    ``max_body``: the largest body an entry may hold (the client's cap on responses); a file
    larger than that and its header line is corrupt and never read into memory."""

    def __init__(
        self,
        directory: Path,
        *,
        max_body: int | None = None,
        behind: WriteBehind | None = None,
    ) -> None:
        self.directory = directory
        self.max_file = None if max_body is None else max_body + _MAX_HEADER
        self.behind = behind
        """Where entries are written (soon, by another thread); None: at once."""

    def path_for(self, key: str) -> Path:
        return self.directory / key

    def load(self, key: str) -> CacheEntry | None:
        """The entry, or None when absent; raises :class:`CorruptEntry` for a bad file."""
        try:
            path = self.path_for(key)
            if self.max_file is not None and path.stat().st_size > self.max_file:
                raise CorruptEntry("larger than any response pinset keeps")
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise CorruptEntry(f"unreadable: {exc.strerror}") from exc
        return decode_entry(data)

    def load_head(self, key: str) -> CacheEntry | None:
        """The entry without its body: ``body`` is ``b""`` and ``digest`` the body's sha256 as
        recorded (checked only when the whole entry is loaded); None when absent; raises
        :class:`CorruptEntry` for a head that does not parse. Only the head is read: a caller
        that holds something made from a body with that digest needs nothing more."""
        try:
            with self.path_for(key).open("rb") as handle:
                data = handle.read(_HEAD_READ)
                while b"\n" not in data[len(_MAGIC) :] and len(data) < _MAX_HEADER:
                    more = handle.read(_HEAD_READ)
                    if not more:
                        break
                    data += more
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise CorruptEntry(f"unreadable: {exc.strerror}") from exc
        return _split(data)[0]

    def store(
        self, key: str, entry: CacheEntry, on_error: Callable[[OSError], None] | None = None
    ) -> None:
        """Write ``entry``: at once (OSError raised), or by :attr:`behind` (an OSError goes to
        ``on_error``)."""
        write_entry(self.path_for(key), entry_parts(entry), self.behind, on_error)

    def drop(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path_for(key).unlink()
