"""Where files come from: simple indexes (HTTP or ``file://``), and fetching one project page.

:class:`IndexClient` is the slice of :class:`pinset.http.client.HttpClient` this layer uses,
written as a Protocol so the index code is tested against the real client but depends only on
this seam.

A project page is fetched from ``<index>/<normalized-name>/`` asking for PEP 691 JSON first and
HTML second; the answer's ``Content-Type`` picks the parser (anything not JSON is read as HTML,
which is also what a ``file://`` index gives). For a ``file://`` index the project directory's
``index.html`` is read.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from packaging.utils import NormalizedName

from pinset.errors import NetworkError
from pinset.http.body import ResponseTooLarge
from pinset.index.simple_html import decode_page, parse_html
from pinset.index.simple_json import JSON_CONTENT_TYPE, PageFormatError, parse_json_files
from pinset.links import PageFiles
from pinset.urls import is_file_url, url_to_path

T = TypeVar("T")
R = TypeVar("R")

ACCEPT = f"{JSON_CONTENT_TYPE}, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01"


class IndexResponse(Protocol):
    @property
    def url(self) -> str: ...
    @property
    def status(self) -> int: ...
    @property
    def headers(self) -> Mapping[str, str]: ...
    @property
    def body(self) -> bytes: ...


class IndexClient(Protocol):
    """What the index layer needs from the HTTP client."""

    def get(
        self, url: str, *, headers: Mapping[str, str] | None = None, cache: bool = False
    ) -> Any: ...
    def get_range(self, url: str, start: int, end: int | None) -> Any: ...
    def download(
        self,
        url: str,
        dest: Path,
        *,
        hashes: Mapping[str, Collection[str]] | None = None,
        progress: Callable[[int, int | None], None] | None = None,
    ) -> Any: ...
    def map_parallel(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]: ...
    def is_secure_origin(self, url: str) -> bool: ...


@dataclass(frozen=True)
class ProjectPage:
    """One index's answer for one project: ``found`` False on 404 (not there); ``failure``
    when the index could not answer (unreachable, refused, an error status, an unreadable page,
    an insecure location): the finder decides whether that stops the run. ``files``: what
    the page lists, each file's link made when asked."""

    index_url: str
    found: bool
    files: PageFiles = field(default_factory=lambda: PageFiles.of(()))
    failure: NetworkError | None = None

    @property
    def warning(self) -> str | None:
        """The failure as a one-line warning, for an index whose answer is not needed."""
        return f"{self.failure.message}; skipped" if self.failure is not None else None


def project_url(index_url: str, name: NormalizedName) -> str:
    """``<index>/<name>/`` (PEP 503)."""
    return index_url.rstrip("/") + "/" + urllib.parse.quote(name) + "/"


def fetch_project_page(
    client: IndexClient, index_url: str, name: NormalizedName, *, shown: str
) -> ProjectPage:
    """Fetch and parse ``name``'s page on one index; a failure is returned, not raised, except
    a page larger than pinset reads (:class:`ResponseTooLarge`): that stops the run.

    ``shown`` is the redacted index URL used in messages and as each link's ``source``.
    """
    url = project_url(index_url, name)
    if not client.is_secure_origin(url):
        return _failed(
            index_url,
            f"index {shown} is not a secure or trusted host (plain http)",
            "use https, or --trusted-host HOST if you trust the network to this host",
        )
    if is_file_url(url) and url_to_path(url).is_dir():
        url += "index.html"
    try:
        response: IndexResponse = client.get(url, headers={"Accept": ACCEPT}, cache=True)
    except ResponseTooLarge:
        raise  # never skipped: what the index lists would be lost
    except NetworkError as exc:
        return _failed(index_url, f"index {shown} cannot be read: {exc.message}", exc.hint)
    if response.status == 404:
        return ProjectPage(index_url, False)
    if response.status >= 400:
        return _failed(
            index_url,
            f"index {shown} answered HTTP {response.status} for {name}",
            _STATUS_HINTS.get(response.status, "check the index URL"),
        )
    try:
        files = parse_page(response, shown)
    except PageFormatError as exc:
        return _failed(index_url, f"index {shown}: {exc.message} for {name}", None)
    return ProjectPage(index_url, True, files)


_STATUS_HINTS = {
    401: "the index wants credentials: put them in the URL, in .netrc or in a keyring",
    403: "the index refused these credentials, or this project is not yours to read",
}


def _failed(index_url: str, message: str, hint: str | None) -> ProjectPage:
    return ProjectPage(index_url, False, failure=NetworkError(message, hint=hint))


def parse_page(response: IndexResponse, source: str) -> PageFiles:
    """The files of a fetched page, by its Content-Type (JSON or, by default, HTML)."""
    content_type = response.headers.get("content-type", "")
    media, _, params = content_type.partition(";")
    if media.strip().lower() == JSON_CONTENT_TYPE:
        return parse_json_files(response.body, response.url, source=source)
    charset = None
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip("\"' ")
    return PageFiles.of(
        parse_html(decode_page(response.body, charset), response.url, source=source)
    )
