"""Index pages kept parsed: a PEP 691 page's files of one project by version, in a compact
form that a warm run loads instead of reading and parsing the page again.

One file per (page URL, project) in the cache's ``pages`` bucket (see :mod:`pinset.buckets`),
written when the page is read from its body (fetched, or read from the HTTP cache without a
form). It holds the sha256 of the page body it was made from: it is used only while the HTTP
cache answers that URL with that very body, without a request (see
:meth:`pinset.http.client.HttpClient.get_known`), so a page that changed, a form of another
pinset (the bucket's version) or of another ``packaging`` (which reads versions), a form
that fails its CRC or any check of its shape is ignored, and the page is read again and its
form written anew. Nothing in a form is trusted over the page: each file's entry is kept as
the page gave it, and its link is made, with every check of hostile input, when its version is
judged (:func:`pinset.index.simple_json.entry_link`).

Layout: a magic line; the CRC-32 and length of the head (4 bytes each); the head, ``marshal``
of ``(digest, project, format, version texts, places, ends, unusable names, gap, entry ends,
record's CRC-32)``: the versions as the file names read
(:func:`pinset.index.versions.group_page`), the places of their files (one array, each
version's ending at its ``ends``), the places of files whose names give no version with why,
where each entry's JSON text (without its braces) ends in the record, plus ``gap``; then the
record: the entries' texts ``gap`` bytes apart, for a scanned page the part of the page's own
bytes that holds them (:mod:`pinset.index.json_entries`), written from the page without a
copy. An entry is decoded only when a version with a file in it is judged: loading a page
makes an object per version, none per file.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import sys
import zlib
from array import array
from collections.abc import Sequence
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard, TypeVar

import packaging
from packaging.utils import NormalizedName
from packaging.version import Version

from pinset._fs import WriteBehind, write_entry
from pinset.http.auth import split_credentials
from pinset.index.evaluate import NameReader, Unusable
from pinset.index.json_entries import JsonEntries, decode_entry
from pinset.index.simple_json import entry_link
from pinset.index.sources import IndexResponse, is_json
from pinset.index.versions import PageVersions
from pinset.links import Link, PageFiles

if TYPE_CHECKING:
    from pinset.index.page_worker import PageWorker

T = TypeVar("T")

_MAGIC = b"pinset-page-form\n"
_HEAD = len(_MAGIC) + 8  # then the head's CRC-32 and length, 4 bytes each
_PARTS = 10
_ITEM = array("I").itemsize
_FORMAT = (packaging.__version__, sys.byteorder, array("I").itemsize)
"""What else a form depends on: the ``packaging`` that read the versions, the byte order
and size of the arrays of places."""


class PageForms:
    """The forms under ``directory`` (the ``pages`` bucket); safe for threads and processes
    (each file is written whole, atomically). ``worker``: where large pages are read, their
    forms written by another process (:mod:`pinset.index.page_worker`); ``behind``: what
    writes the forms of the pages read here (soon, in another thread; None: at once)."""

    def __init__(
        self,
        directory: Path,
        worker: PageWorker | None = None,
        behind: WriteBehind | None = None,
    ) -> None:
        self.directory = directory
        self.worker = worker
        self.behind = behind

    def path_for(self, url: str, name: NormalizedName) -> Path:
        """The form of ``name``'s page at ``url`` (keyed, as the HTTP cache keys pages, by
        the URL without credentials)."""
        bare, _ = split_credentials(url)
        key = hashlib.sha256(f"{bare}\0{name}".encode()).hexdigest()
        return self.directory / key

    def load(
        self, head: IndexResponse, name: NormalizedName, reader: NameReader, source: str
    ) -> PageVersions | None:
        """The kept form of the page ``head`` answers (its body unread), or None when there
        is none usable for that body."""
        digest = head.digest
        if not digest or head.status != 200 or not is_json(head):
            return None
        try:
            data = self.path_for(head.url, name).read_bytes()
        except OSError:
            return None
        return _decode(data, digest, name, reader=reader, base_url=head.url, source=source)

    def read_elsewhere(
        self, response: IndexResponse, name: NormalizedName, reader: NameReader, source: str
    ) -> PageVersions | None:
        """The page ``response`` answers (a JSON page the HTTP cache holds, its body read),
        read by the worker and loaded from the form it wrote; None when there is no worker,
        the page is not one for it or it did not write the form (read the page here)."""
        worker = self.worker
        if worker is None or not _keepable(response):
            return None
        if not worker.make_form(self.directory, response, name):  # asks wants() itself
            return None
        return self.load(response, name, reader, source)

    def store(self, response: IndexResponse, name: NormalizedName, page: PageVersions) -> bool:
        """Keep ``page``, read from ``response``'s body (a JSON page the HTTP cache holds);
        a failure to write only costs the next run a parse. True when the form was written
        (or handed to :attr:`behind`, which writes it soon)."""
        if not _keepable(response):
            return False
        data = _encode(response.digest, name, page, response.body)
        if data is None:
            return False
        try:  # written as parts: no copy of a large page's text
            write_entry(self.path_for(response.url, name), data, self.behind)
        except OSError:
            return False
        return True


def _keepable(response: IndexResponse) -> bool:
    """Whether a form of ``response`` can be kept: a JSON page the HTTP cache holds."""
    return bool(response.digest) and response.status == 200 and is_json(response)


def _encode(
    digest: str, name: NormalizedName, page: PageVersions, body: bytes
) -> list[bytes | memoryview] | None:
    texts = tuple(str(v) for v in page.by_version)
    places, ends = array("I"), array("I")
    for at in page.by_version.values():
        places.extend(at)
        ends.append(len(places))
    unnamed = tuple((place, why.reason, why.kind) for place, why in page.unnamed)
    found = _records(page.files.raw, body)
    if found is None:
        return None
    records, gap, stops = found
    parts = (digest, name, _FORMAT, texts, places, ends, unnamed, gap, stops, zlib.crc32(records))
    head = marshal.dumps(tuple(p.tobytes() if isinstance(p, array) else p for p in parts))
    sizes = zlib.crc32(head).to_bytes(4, "big") + len(head).to_bytes(4, "big")
    return [_MAGIC, sizes, head, records]


def _records(raw: Sequence[object], body: bytes) -> tuple[memoryview, int, array[int]] | None:
    """The entries' JSON texts without their braces, ``gap`` bytes apart, and where each ends
    plus the gap: a scanned page's texts where ``body`` has them (not copied), anything else
    written anew, one after the other."""
    if isinstance(raw, JsonEntries):
        spans = raw.spans()
        if spans is not None:
            at, gap, ends = spans
            return memoryview(body)[at : at + (ends[-1] - gap if ends else 0)], gap, ends
        bodies = raw.texts()
    else:
        try:
            bodies = [json.dumps(entry)[1:-1] for entry in raw]
        except (ValueError, TypeError, RecursionError):  # not what JSON gives (a made page)
            return None
    encoded = [text.encode("utf-8", "surrogatepass") for text in bodies]
    return memoryview(b"".join(encoded)), 0, array("I", accumulate(map(len, encoded)))


def _decode(
    data: bytes,
    digest: str,
    name: NormalizedName,
    *,
    reader: NameReader,
    base_url: str,
    source: str,
) -> PageVersions | None:
    if not data.startswith(_MAGIC) or len(data) < _HEAD:
        return None
    crc = int.from_bytes(data[len(_MAGIC) : len(_MAGIC) + 4], "big")
    size = int.from_bytes(data[len(_MAGIC) + 4 : _HEAD], "big")
    head = memoryview(data)[_HEAD : _HEAD + size]
    if len(head) != size or zlib.crc32(head) != crc:
        return None
    try:
        parts = marshal.loads(head)
    except (ValueError, EOFError, TypeError):
        return None
    if type(parts) is not tuple or len(parts) != _PARTS:
        return None
    if parts[:3] != (digest, name, _FORMAT):
        return None
    body = _Entries.of(data, _HEAD + size, parts[7:])
    if body is None:
        return None
    return _page(parts[3:7], body, reader=reader, base_url=base_url, source=source)


def _page(
    parts: tuple[Any, ...], entries: _Entries, *, reader: NameReader, base_url: str, source: str
) -> PageVersions | None:
    texts, places, ends, unnamed = parts
    at, bounds = _array(places), _array(ends)
    if not _all(texts, str) or at is None or bounds is None or len(bounds) != len(texts):
        return None
    count = len(entries)
    if at and max(at) >= count:
        return None
    view = memoryview(at)
    by_version: dict[Version, Sequence[int]] = {}
    start = 0
    for text, end in zip(texts, bounds, strict=True):
        version = reader.version(text)
        if version is None or end < start:
            return None
        by_version[version] = view[start:end]
        start = end
    kept_unnamed = _unnamed(unnamed, count)
    if start != len(at) or len(by_version) != len(texts) or kept_unnamed is None:
        return None

    def make(entry: object) -> Link | None:
        return entry_link(entry, base_url, source)

    files = PageFiles(_Names(entries), entries, make)
    return PageVersions(files, by_version, kept_unnamed)


def _unnamed(items: object, count: int) -> list[tuple[int, Unusable]] | None:
    if not _all(items, tuple):
        return None
    kept: list[tuple[int, Unusable]] = []
    for item in items:
        if len(item) != 3 or type(item[0]) is not int or not 0 <= item[0] < count:
            return None
        if not _all(item[1:], str):
            return None
        kept.append((item[0], Unusable(item[1], item[2])))
    return kept


def _array(data: object) -> array[int] | None:
    if type(data) is not bytes or len(data) % _ITEM:
        return None
    found = array("I")
    found.frombytes(data)
    return found


def _all(items: object, kind: type[T]) -> TypeGuard[tuple[T, ...]]:
    """A tuple of exactly ``kind`` items (what marshal gives back for what was written)."""
    return type(items) is tuple and all(type(item) is kind for item in items)


class _Entries(Sequence[object]):
    """The kept entries, in page order: their JSON texts after the head (checked against one
    CRC-32 when the form is loaded), each decoded when first asked for (when its link is
    made); an entry that does not decode is None (an unusable entry)."""

    def __init__(self, data: bytes, offset: int, gap: int, ends: array[int]) -> None:
        self._data = data
        self._offset = offset
        self._gap = gap
        self._ends = ends

    @classmethod
    def of(cls, data: bytes, offset: int, parts: tuple[Any, ...]) -> _Entries | None:
        """The entries after ``offset``, ``gap`` bytes apart, each ending at its place in
        ``ends`` less the gap."""
        gap, ends, crc = parts
        at = _array(ends)
        if at is None or type(gap) is not int or gap < 0:
            return None
        if offset + (at[-1] - gap if at else 0) != len(data):
            return None
        if zlib.crc32(memoryview(data)[offset:]) != crc:
            return None
        return cls(data, offset, gap, at)

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, place: int) -> object:  # type: ignore[override]
        if not 0 <= place < len(self._ends):
            raise IndexError(place)
        offset, ends = self._offset, self._ends
        start = offset + (ends[place - 1] if place else 0)
        text = self._data[start : offset + ends[place] - self._gap]
        try:
            return decode_entry(text.decode("utf-8", "surrogatepass"))
        except UnicodeDecodeError:
            return None


class _Names(Sequence[str]):
    """The file names of kept entries, each read when asked (a kept page is grouped already:
    nothing reads them all)."""

    def __init__(self, entries: _Entries) -> None:
        self._entries = entries

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, at: int) -> str:  # type: ignore[override]
        entry = self._entries[at]
        name = entry.get("filename") if type(entry) is dict else None
        return name if type(name) is str else ""
