"""PEP 691 JSON project pages → :class:`~pinset.links.PageFiles` (and :class:`~pinset.links.Link`).

Read: ``meta.api-version`` (major version 1 only), and per entry of ``files``: ``filename``,
``url`` (relative to the page URL), ``hashes`` (``{algo: hex}``), ``requires-python``,
``yanked`` (``true`` or a reason string), ``core-metadata`` (PEP 714; ``dist-info-metadata`` as
the fallback): ``true`` or ``{algo: hex}``.

Pages are hostile input: entries of the wrong shape skipped, never raises on content except
:class:`PageFormatError` for a document that is not a PEP 691 page at all, and (as for HTML
pages) :class:`~pinset.http.body.ResponseTooLarge` for a page larger than pinset reads or
listing more files: a page is never cut short.

Reading a page checks each entry's ``filename`` (the name a file is chosen by); the rest of an
entry (its URL above all) is checked when its :class:`~pinset.links.Link` is made, which
:class:`~pinset.links.PageFiles` does for every file before it can be chosen.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Mapping, Sequence
from typing import Any, TypeGuard

from pinset.errors import NetworkError
from pinset.index.json_entries import JsonEntries, scan_files
from pinset.index.simple_html import (
    MAX_ATTR_CHARS,
    MAX_LINKS,
    MAX_PAGE_BYTES,
    page_too_large,
    parse_hash,
    scheme_allowed,
    too_many_links,
)
from pinset.links import Link, PageFiles

JSON_CONTENT_TYPE = "application/vnd.pypi.simple.v1+json"


_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
_UNPLAIN = re.compile(r"[?#;\[\]\t\r\n\\]")


class PageFormatError(NetworkError):
    """An index answered with a page pinset cannot read."""


def parse_json(body: bytes, base_url: str, *, source: str = "") -> list[Link]:
    """Every usable file of a PEP 691 project page, in page order."""
    return parse_json_files(body, base_url, source=source).links()


def parse_json_files(body: bytes, base_url: str, *, source: str = "") -> PageFiles:
    """The files of a PEP 691 project page, in page order, each link made when asked; each
    entry decoded then too, when the page's shape allows (:mod:`pinset.index.json_entries`)."""
    if len(body) > MAX_PAGE_BYTES:
        raise page_too_large(base_url, len(body))
    scanned = scan_files(body)
    if scanned is None:
        doc = _document(body, source)
        files: list[object] = doc["files"]
        count = len(files)
    else:
        doc, names, entries = scanned
        count = len(entries)
    meta = doc.get("meta")
    version = meta.get("api-version") if isinstance(meta, dict) else None
    if isinstance(version, str) and not version.startswith("1."):
        raise PageFormatError(
            f"index speaks simple API version {version[:20]!r}; pinset reads version 1",
            where=source or None,
        )
    if count > MAX_LINKS:
        raise too_many_links(base_url)

    def make(entry: object) -> Link | None:
        return entry_link(entry, base_url, source)

    if scanned is None:
        return PageFiles(*_usable(files), make)
    return PageFiles(*_usable_scanned(names, entries), make)


def _document(body: bytes, source: str) -> dict[str, Any]:
    """The page decoded whole: a JSON object with a list of ``files``."""
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise PageFormatError("index page is not valid JSON", where=source or None) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("files"), list):
        raise PageFormatError("index page is not a PEP 691 project page", where=source or None)
    return doc


def _usable(files: list[object]) -> tuple[list[str], list[object]]:
    """The usable file names and their entries (as decoded: checked when their links are
    made), in page order."""
    names: list[str] = []
    kept: list[object] = []
    for entry in files:
        if type(entry) is dict:
            filename = entry.get("filename")
            if _usable_filename(filename):
                names.append(filename)
                kept.append(entry)
    return names, kept


def _usable_scanned(
    names: list[str], entries: JsonEntries
) -> tuple[Sequence[str], Sequence[object]]:
    """:func:`_usable` for scanned entries, whose names were read (strings, each entry's)."""
    if all(map(_usable_filename, names)):
        return names, entries
    at = [place for place, filename in enumerate(names) if _usable_filename(filename)]
    return [names[place] for place in at], entries.only(at)


_Fields = tuple[object, object, object, object, object, object, object]
"""An entry's filename, url, hashes, requires-python, yanked, core metadata and size, as the
page gave them (not yet checked)."""


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and len(value) <= MAX_ATTR_CHARS else None


def _hashes(value: object) -> tuple[tuple[str, str], ...]:
    # the common case, ``{"sha256": HEX}`` (json gives plain dicts: no ABC check needed)
    if type(value) is dict and len(value) == 1:
        digest = value.get("sha256")
        if type(digest) is str and len(digest) == 64 and _SHA256.fullmatch(digest):
            return (("sha256", digest.lower()),)
    if not isinstance(value, Mapping):
        return ()
    found = (parse_hash(f"{k}={v}") for k, v in value.items() if _text(k) and _text(v))
    return tuple(sorted(h for h in found if h is not None))


def _metadata(value: object) -> tuple[tuple[str, str], ...] | None:
    if value is True:
        return ()
    if isinstance(value, Mapping):
        return _hashes(value)
    return None


def _size(value: object) -> int | None:
    """A file size as announced: a non-negative integer (not a bool), else unknown."""
    return value if type(value) is int and value >= 0 else None


def _yanked(value: object) -> str | None:
    if value is True:
        return ""
    if isinstance(value, str) and value:
        return value[:MAX_ATTR_CHARS]
    return None


def _plain_https(href: str) -> bool:
    """An absolute https URL that ``urljoin`` would return unchanged (no query, fragment,
    parameters, whitespace or empty host): most files on most indexes; a fast path."""
    return href.startswith("https://") and href[8:9] not in ("/", "") and not _UNPLAIN.search(href)


def _usable_filename(value: object) -> TypeGuard[str]:
    return (
        type(value) is str
        and 0 < len(value) <= MAX_ATTR_CHARS
        and "/" not in value
        and "\\" not in value
        and "\x00" not in value
    )


def entry_link(entry: object, base_url: str, source: str) -> Link | None:
    """The link of one entry of a page's ``files`` (decoded from the page, or read back from
    a kept form of it), with every check of hostile input; None for an unusable entry."""
    if type(entry) is not dict:
        return None
    get = entry.get
    meta = entry["core-metadata"] if "core-metadata" in entry else get("dist-info-metadata")
    fields = (get("filename"), get("url"), get("hashes"), get("requires-python"))
    return _link((*fields, get("yanked"), meta, get("size")), base_url, source)


def _link(fields: _Fields, base_url: str, source: str) -> Link | None:
    filename, url, hashes, requires_python, yanked, meta, size = fields
    href = _text(url)
    if not _usable_filename(filename) or not href:
        return None
    if not _plain_https(href):
        try:
            href = urllib.parse.urljoin(base_url, href)
        except ValueError:  # e.g. a malformed IPv6 host: not a usable link
            return None
        if not scheme_allowed(base_url, href):
            return None
    return Link(
        url=href,
        filename=filename,
        source=source,
        hashes=_hashes(hashes),
        requires_python=(_text(requires_python) or "").strip() or None if requires_python else None,
        yanked=None if yanked is None or yanked is False else _yanked(yanked),
        metadata=None if meta is None else _metadata(meta),
        size=_size(size),
    )
