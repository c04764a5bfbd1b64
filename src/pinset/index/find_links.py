"""``--find-links`` locations: a local directory, an HTML page (local or remote), or one file.

- a directory (path or ``file:`` URL): every file directly in it is a link;
- a URL or path whose last segment is a distribution file name: that one file;
- anything else: an HTML page whose anchors are the links (as pip reads find-links pages).

Missing locations and unreadable pages give a warning, never an error: pip carries on too.
A page larger than pinset reads (:class:`~pinset.http.body.ResponseTooLarge`) and a directory of
more than :data:`MAX_DIR_ENTRIES` entries are errors: a location is never read in part.
"""

from __future__ import annotations

import itertools
import os
import urllib.parse
from pathlib import Path

from pinset._dataclass import dataclass
from pinset.errors import ConfigurationError, NetworkError
from pinset.http.body import ResponseTooLarge
from pinset.index.evaluate import SDIST_SUFFIXES
from pinset.index.simple_json import PageFormatError
from pinset.index.sources import IndexClient, IndexResponse, parse_page
from pinset.links import Link, filename_from_url, fragment_hashes
from pinset.urls import is_file_url, path_to_url, url_to_path

MAX_DIR_ENTRIES = 100_000


@dataclass(frozen=True)
class FlatLinks:
    """Every link a find-links location offers, for any project."""

    location: str
    links: tuple[Link, ...]
    warning: str | None = None


def as_url(location: str, cwd: Path | None = None) -> str:
    """A find-links location as a URL: URLs unchanged, paths made absolute ``file:`` URLs."""
    scheme = urllib.parse.urlsplit(location).scheme.lower()
    if scheme in ("http", "https", "file"):
        return location
    path = Path(os.path.expanduser(location))
    if not path.is_absolute():
        path = (cwd or Path.cwd()) / path
    return path_to_url(path.resolve())


def looks_like_distribution(filename: str) -> bool:
    lower = filename.lower()
    return lower.endswith((".whl", *SDIST_SUFFIXES))


def _file_link(url: str, filename: str, shown: str) -> Link:
    """A find-links URL naming one file; ``#sha256=HEX`` in it is the file's announced hash
    (as on an index page), so that a download is cached under it."""
    return Link(url=url, filename=filename, source=shown, hashes=fragment_hashes(url))


def collect(client: IndexClient, location: str, *, shown: str | None = None) -> FlatLinks:
    """The links at one find-links ``location`` (a path or URL)."""
    url = as_url(location)
    shown = shown or location
    if is_file_url(url):
        try:
            path = url_to_path(url)
        except NetworkError as exc:
            return FlatLinks(shown, (), f"find-links {shown}: {exc.message}; skipped")
        if path.is_dir():
            return FlatLinks(shown, _directory_links(path, shown))
        if not path.exists():
            return FlatLinks(shown, (), f"find-links location {shown} does not exist; skipped")
    filename = filename_from_url(url)
    if looks_like_distribution(filename):
        return FlatLinks(shown, (_file_link(url, filename, shown),))
    try:
        response: IndexResponse = client.get(url, headers={"Accept": "text/html"}, cache=True)
    except ResponseTooLarge:
        raise  # never skipped: what the page lists would be lost
    except NetworkError as exc:
        return FlatLinks(shown, (), f"find-links {shown}: {exc.message}; skipped")
    if response.status >= 400:
        return FlatLinks(shown, (), f"find-links {shown} answered HTTP {response.status}; skipped")
    try:
        links = parse_page(response, shown).links()
    except PageFormatError as exc:
        return FlatLinks(shown, (), f"find-links {shown}: {exc.message}; skipped")
    return FlatLinks(shown, tuple(links))


def _directory_links(path: Path, shown: str) -> tuple[Link, ...]:
    """Every distribution file in ``path``, by name; a directory of more than
    :data:`MAX_DIR_ENTRIES` entries is refused (never read in part), after reading no more."""
    links: list[Link] = []
    try:
        with os.scandir(path) as scan:
            entries = list(itertools.islice(scan, MAX_DIR_ENTRIES + 1))
    except OSError:
        return ()
    if len(entries) > MAX_DIR_ENTRIES:
        raise ConfigurationError(
            f"find-links directory {shown} holds more than {MAX_DIR_ENTRIES:,} entries, the "
            "most pinset reads",
            hint="point --find-links at a directory that holds only distributions",
        )
    entries.sort(key=lambda e: e.name)
    for entry in entries:
        if entry.is_file() and looks_like_distribution(entry.name):
            file_path = Path(entry.path).resolve()
            links.append(Link(url=path_to_url(file_path), filename=entry.name, source=shown))
    return tuple(links)
