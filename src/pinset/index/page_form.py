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
judged (:func:`pinset.index.simple_json.kept_link`).

Layout: a magic line, the CRC-32 of the rest (4 bytes), then ``marshal`` of ``(digest, name,
packaging version, version texts, each version's places, unusable names, entries)``: the
versions as their names read (:func:`pinset.index.versions.group_page`), the places of
their files, the places of files whose names give no version with why, and every entry,
each marshalled on its own so that loading a page makes no object per file.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeGuard, TypeVar

import packaging
from packaging.utils import NormalizedName
from packaging.version import Version

from pinset._fs import atomic_write_bytes
from pinset.index.evaluate import LinkEvaluator, Unusable
from pinset.index.simple_json import kept_link
from pinset.index.sources import IndexResponse, is_json
from pinset.index.versions import PageVersions
from pinset.links import Link, PageFiles

T = TypeVar("T")

_MAGIC = b"pinset-page-form\n"
_CRC = len(_MAGIC) + 4
_PARTS = 7


class PageForms:
    """The forms under ``directory`` (the ``pages`` bucket); safe for threads and processes
    (each file is written whole, atomically)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path_for(self, url: str, name: NormalizedName) -> Path:
        key = hashlib.sha256(f"{url}\0{name}".encode()).hexdigest()
        return self.directory / key[:2] / key

    def load(
        self, head: IndexResponse, name: NormalizedName, reader: LinkEvaluator, source: str
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

    def store(self, response: IndexResponse, name: NormalizedName, page: PageVersions) -> None:
        """Keep ``page``, read from ``response``'s body (a JSON page the HTTP cache holds);
        a failure to write only costs the next run a parse."""
        digest = response.digest
        if not digest or response.status != 200 or not is_json(response):
            return
        data = _encode(digest, name, page)
        if data is not None:
            with contextlib.suppress(OSError):
                atomic_write_bytes(self.path_for(response.url, name), data, durable=False)


def _encode(digest: str, name: NormalizedName, page: PageVersions) -> bytes | None:
    texts = tuple(str(v) for v in page.by_version)
    places = tuple(tuple(p) for p in page.by_version.values())
    unnamed = tuple((place, why.reason, why.kind) for place, why in page.unnamed)
    try:
        entries = tuple(marshal.dumps(entry) for entry in page.files.raw)
        body = marshal.dumps((digest, name, packaging.__version__, texts, places, unnamed, entries))
    except ValueError:  # an entry marshal cannot write (nested too deep): keep no form
        return None
    return _MAGIC + zlib.crc32(body).to_bytes(4, "big") + body


def _decode(
    data: bytes,
    digest: str,
    name: NormalizedName,
    *,
    reader: LinkEvaluator,
    base_url: str,
    source: str,
) -> PageVersions | None:
    if not data.startswith(_MAGIC):
        return None
    body = memoryview(data)[_CRC:]
    if zlib.crc32(body) != int.from_bytes(data[len(_MAGIC) : _CRC], "big"):
        return None
    try:
        parts = marshal.loads(body)
    except (ValueError, EOFError, TypeError):
        return None
    if type(parts) is not tuple or len(parts) != _PARTS:
        return None
    if parts[:3] != (digest, name, packaging.__version__):
        return None
    return _page(parts[3:], reader, base_url, source)


def _page(
    parts: tuple[Any, ...], reader: LinkEvaluator, base_url: str, source: str
) -> PageVersions | None:
    texts, places, unnamed, entries = parts
    if not (_all(entries, bytes) and _all(texts, str) and _all(places, tuple)):
        return None
    if len(texts) != len(places) or not _all(unnamed, tuple):
        return None
    count = len(entries)
    by_version: dict[Version, Sequence[int]] = {}
    for text, at in zip(texts, places, strict=True):
        version = reader.version(text)
        if version is None or version in by_version or not _places(at, count):
            return None
        by_version[version] = at
    kept_unnamed: list[tuple[int, Unusable]] = []
    for item in unnamed:
        if len(item) != 3 or not _places(item[:1], count) or not _all(item[1:], str):
            return None
        kept_unnamed.append((item[0], Unusable(item[1], item[2])))

    def make(entry: bytes) -> Link | None:
        return kept_link(_entry(entry), base_url, source)

    files = PageFiles(_Names(entries), entries, make)
    return PageVersions(files, by_version, kept_unnamed)


def _all(items: object, kind: type[T]) -> TypeGuard[tuple[T, ...]]:
    """A tuple of exactly ``kind`` items (what marshal gives back for what was written)."""
    return type(items) is tuple and all(type(item) is kind for item in items)


def _places(places: Sequence[object], count: int) -> bool:
    """Ascending places of files of a page of ``count`` files."""
    last = -1
    for place in places:
        if type(place) is not int or not last < place < count:
            return False
        last = place
    return True


def _entry(data: bytes) -> object:
    try:
        return marshal.loads(data)
    except (ValueError, EOFError, TypeError):
        return None


class _Names(Sequence[str]):
    """The file names of kept entries, each read when asked (a kept page is grouped already:
    nothing reads them all)."""

    def __init__(self, entries: Sequence[bytes]) -> None:
        self._entries = entries

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, at: int) -> str:  # type: ignore[override]
        fields = _entry(self._entries[at])
        name = fields[0] if type(fields) is tuple and fields else None
        return name if type(name) is str else ""
