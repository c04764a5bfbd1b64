"""PEP 503 project pages (and find-links pages): HTML anchors → :class:`~pinset.links.Link`.

Grammar read: every ``<a href="URL#ALGO=HEX">`` is one file; relative URLs resolve against
``<base href>`` when present, else the page URL. Attributes: ``data-requires-python`` (HTML
entities decoded), ``data-yanked`` (present = yanked, value = reason), ``data-core-metadata``
(PEP 714; ``data-dist-info-metadata`` as the PEP 658 fallback): ``"true"`` or ``ALGO=HEX``.

Pages are hostile input: oversized attributes and URLs of other schemes (``javascript:``,
``data:``) are dropped, a remote page's ``file:`` links are dropped (a server may not make pinset
read local files), and markup garbage is skipped. A page is never cut short: one larger than
:data:`MAX_PAGE_BYTES` or with more than :data:`MAX_LINKS` anchors is a
:class:`~pinset.http.body.ResponseTooLarge` (a cut page would turn into a wrong "no version
satisfies"); nothing else about page content raises.
"""

from __future__ import annotations

import hashlib
import re
import urllib.parse
from collections.abc import Iterator

from pinset.http.body import MAX_BODY, ResponseTooLarge, size_text
from pinset.links import Link, filename_from_url
from pinset.redaction import redact_url

MAX_PAGE_BYTES = MAX_BODY
MAX_LINKS = 200_000
"""The most files one page may list: ten times PyPI's largest projects, and a bound on the
memory and time one page costs (a 64 MiB page of bare anchors would list two million)."""
MAX_ATTR_CHARS = 16 * 1024
MAX_TAG_CHARS = 64 * 1024
ALLOWED_SCHEMES = frozenset({"http", "https", "file"})
HASH_ALGORITHMS = frozenset({"md5", "sha1", "sha224", "sha256", "sha384", "sha512"})

_HEX = re.compile(r"^[0-9a-fA-F]+$")
_TAG_START = re.compile(r"<!--|<(?:a|base)(?=[\s/>])", re.IGNORECASE)
# the rest of a start tag: quoted values may hold ">"; each alternative starts differently,
# so a failed match backtracks linearly
_TAG_BODY = re.compile(r"""(?:[^>"']|"[^"]*"|'[^']*')*>""")


def parse_hash(text: str) -> tuple[str, str] | None:
    """``"sha256=HEX"`` → ``("sha256", "hex")`` when the algorithm and digest length are valid."""
    algo, sep, digest = text.strip().partition("=")
    algo = algo.lower()
    if not sep or algo not in HASH_ALGORITHMS or not _HEX.match(digest):
        return None
    if len(digest) != hashlib.new(algo).digest_size * 2:
        return None
    return algo, digest.lower()


def scheme_allowed(page_url: str, url: str) -> bool:
    """http(s) and file links; a remote page may not point at local files."""
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        return False
    return scheme != "file" or urllib.parse.urlsplit(page_url).scheme.lower() == "file"


def parse_metadata_attr(value: str | None) -> tuple[tuple[str, str], ...] | None:
    """PEP 658/714 attribute value → hashes offered (``()`` for "true"), None when not offered."""
    if value is None:
        return None
    if value.strip().lower() == "true":
        return ()
    parsed = parse_hash(value)
    return (parsed,) if parsed else None


def link_from_href(
    href: str,
    base_url: str,
    *,
    source: str,
    requires_python: str | None = None,
    yanked: str | None = None,
    metadata: tuple[tuple[str, str], ...] | None = None,
) -> Link | None:
    """A :class:`Link` for one anchor, or None when the URL is unusable."""
    url = urllib.parse.urljoin(base_url, href.strip())
    parts = urllib.parse.urlsplit(url)
    if not scheme_allowed(base_url, url) or parts.path.endswith("/"):
        return None
    filename = filename_from_url(url)
    if not filename or "/" in filename or "\x00" in filename:
        return None
    found = parse_hash(parts.fragment) if parts.fragment else None
    return Link(
        url=url,
        filename=filename,
        source=source,
        hashes=(found,) if found else (),
        requires_python=requires_python.strip() or None if requires_python else None,
        yanked=yanked,
        metadata=metadata,
    )


def too_many_links(page_url: str) -> ResponseTooLarge:
    """The error for a page listing more than :data:`MAX_LINKS` files."""
    return ResponseTooLarge(
        f"{redact_url(page_url)}: the index page lists more than {MAX_LINKS:,} files, the most "
        "pinset reads of one page",
        hint="no real index lists that many files for one project; check the index URL",
    )


def page_too_large(page_url: str, size: int) -> ResponseTooLarge:
    """The error for a page larger than :data:`MAX_PAGE_BYTES`."""
    return ResponseTooLarge(
        f"{redact_url(page_url)}: the index page is larger than {size_text(MAX_PAGE_BYTES)} "
        f"({size:,} bytes), the most pinset reads of one page",
        hint="no real index page is that large; check the index URL",
    )


def decode_page(body: bytes, charset: str | None = None) -> str:
    """Page bytes → text: the declared charset when known, else UTF-8; never raises."""
    encoding = charset or "utf-8"
    try:
        return body.decode(encoding, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def start_tags(text: str) -> Iterator[str]:
    """The complete ``<a ...>`` and ``<base ...>`` tags of ``text``, outside comments.

    A linear scan: ``html.parser`` fed a whole hostile page can take quadratic time, so it is
    only ever given one bounded tag at a time. A tag that does not close within
    :data:`MAX_TAG_CHARS` is skipped together with the text it spans.
    """
    pos = 0
    while len(text) > pos:
        found = _TAG_START.search(text, pos)
        if found is None:
            return
        if found.group() == "<!--":
            end = text.find("-->", found.end())
            if end < 0:
                return
            pos = end + 3
            continue
        start = found.start()
        limit = min(len(text), start + MAX_TAG_CHARS)
        body = _TAG_BODY.match(text, found.end(), limit)
        if body is None:
            pos = limit
            continue
        pos = body.end()
        yield text[start:pos]


def parse_html(body: bytes | str, base_url: str, *, source: str = "") -> list[Link]:
    """Every usable file link on an HTML page, in page order (the limits: see the module)."""
    if len(body) > MAX_PAGE_BYTES:
        raise page_too_large(base_url, len(body))
    text = decode_page(body) if isinstance(body, bytes) else body
    from pinset.index.html_anchors import AnchorParser  # html.parser: only for HTML pages

    parser = AnchorParser(base_url, MAX_ATTR_CHARS)
    for tag in start_tags(text):
        if len(parser.anchors) >= MAX_LINKS:
            raise too_many_links(base_url)
        parser.reset()
        try:
            parser.feed(tag)
            parser.close()
        except (AssertionError, ValueError):  # old html.parser versions on broken markup
            continue
    links: list[Link] = []
    for attrs in parser.anchors:
        meta = attrs.get("data-core-metadata", attrs.get("data-dist-info-metadata"))
        yanked = (attrs.get("data-yanked") or "") if "data-yanked" in attrs else None
        link = link_from_href(
            attrs["href"] or "",
            parser.base_url,
            source=source,
            requires_python=attrs.get("data-requires-python"),
            yanked=yanked,
            metadata=parse_metadata_attr(meta),
        )
        if link is not None:
            links.append(link)
    return links
