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
from collections.abc import Mapping
from typing import TypeGuard

from pinset.errors import NetworkError
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
    """The files of a PEP 691 project page, in page order, each link made when asked."""
    if len(body) > MAX_PAGE_BYTES:
        raise page_too_large(base_url, len(body))
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise PageFormatError("index page is not valid JSON", where=source or None) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("files"), list):
        raise PageFormatError("index page is not a PEP 691 project page", where=source or None)
    meta = doc.get("meta")
    version = meta.get("api-version") if isinstance(meta, dict) else None
    if isinstance(version, str) and not version.startswith("1."):
        raise PageFormatError(
            f"index speaks simple API version {version[:20]!r}; pinset reads version 1",
            where=source or None,
        )
    if len(doc["files"]) > MAX_LINKS:
        raise too_many_links(base_url)
    names, kept = _entries(doc["files"])
    return PageFiles(names, kept, lambda fields: _link(fields, base_url, source))


def _entries(files: list[object]) -> tuple[list[str], list[_Fields]]:
    """The usable file names and the fields of their entries, in page order (one loop, one
    call per entry: a large page lists tens of thousands)."""
    names: list[str] = []
    kept: list[_Fields] = []
    for entry in files:
        if type(entry) is not dict:
            continue
        get = entry.get
        filename = get("filename")
        if _usable_filename(filename):
            names.append(filename)
            meta = entry["core-metadata"] if "core-metadata" in entry else get("dist-info-metadata")
            url, hashes, python = get("url"), get("hashes"), get("requires-python")
            kept.append((filename, url, hashes, python, get("yanked"), meta, get("size")))
    return names, kept


_Fields = tuple[str, object, object, object, object, object, object]
"""An entry's filename, url, hashes, requires-python, yanked, core metadata and size, as the
page gave them (not yet checked): a tuple keeps less memory than the page's dict."""


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


def kept_link(fields: object, base_url: str, source: str) -> Link | None:
    """The link of an entry's fields as :func:`parse_json_files` keeps them (read back from
    a kept form of the page): anything not of that shape is an unusable entry; the rest is
    checked as when the page was read."""
    if type(fields) is not tuple or len(fields) != _FIELDS:
        return None
    return _link(fields, base_url, source)


_FIELDS = 7


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
