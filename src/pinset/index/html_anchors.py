"""The one ``html.parser`` subclass: collects ``<a>`` and ``<base>`` attributes of one tag at a
time for :func:`pinset.index.simple_html.parse_html` (a module of its own, imported only when an
HTML page is parsed: a run that parses none never imports ``html.parser``)."""

from __future__ import annotations

import urllib.parse
from html.parser import HTMLParser


class AnchorParser(HTMLParser):
    """The anchors (attributes no longer than ``max_attr_chars``) and the first ``<base href>``
    of the tags fed to it."""

    def __init__(self, base_url: str, max_attr_chars: int) -> None:
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.max_attr_chars = max_attr_chars
        self.anchors: list[dict[str, str | None]] = []
        self.seen_base = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        limit = self.max_attr_chars
        if tag == "base" and not self.seen_base:
            href = dict(attrs).get("href")
            if href and len(href) <= limit:
                self.seen_base = True
                self.base_url = urllib.parse.urljoin(self.base_url, href)
        elif tag == "a":
            kept = {k: v for k, v in attrs if v is None or len(v) <= limit}
            if kept.get("href"):
                self.anchors.append(kept)
