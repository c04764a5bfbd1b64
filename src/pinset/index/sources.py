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
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from packaging.utils import NormalizedName

from pinset._dataclass import dataclass, field
from pinset.errors import NetworkError
from pinset.http.body import ResponseTooLarge
from pinset.index.evaluate import LinkEvaluator
from pinset.index.simple_html import decode_page, parse_html
from pinset.index.simple_json import JSON_CONTENT_TYPE, PageFormatError, parse_json_files
from pinset.index.versions import PageVersions, group_page
from pinset.links import PageFiles
from pinset.urls import is_file_url, url_to_path

if TYPE_CHECKING:
    from pinset.index.page_form import PageForms

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
    @property
    def digest(self) -> str: ...


class IndexClient(Protocol):
    """What the index layer needs from the HTTP client."""

    def get(
        self, url: str, *, headers: Mapping[str, str] | None = None, cache: bool = False
    ) -> Any: ...
    def get_known(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        known: Callable[[Any], T | None],
    ) -> tuple[Any, T | None]: ...
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
    an insecure location): the finder decides whether that stops the run. ``versions``:
    what the page lists by version, each file's link made when asked."""

    index_url: str
    found: bool
    versions: PageVersions = field(default_factory=lambda: PageVersions(PageFiles.of(())))
    failure: NetworkError | None = None

    @property
    def files(self) -> PageFiles:
        return self.versions.files

    @property
    def warning(self) -> str | None:
        """The failure as a one-line warning, for an index whose answer is not needed."""
        return f"{self.failure.message}; skipped" if self.failure is not None else None


def project_url(index_url: str, name: NormalizedName) -> str:
    """``<index>/<name>/`` (PEP 503)."""
    return index_url.rstrip("/") + "/" + urllib.parse.quote(name) + "/"


def fetch_project_page(
    client: IndexClient,
    index_url: str,
    name: NormalizedName,
    *,
    shown: str,
    reader: LinkEvaluator,
    forms: PageForms | None = None,
) -> ProjectPage:
    """Fetch and parse ``name``'s page on one index; a failure is returned, not raised, except
    a page larger than pinset reads (:class:`ResponseTooLarge`): that stops the run.

    ``shown`` is the redacted index URL used in messages and as each link's ``source``;
    ``reader`` reads the file names; ``forms``: where pages are kept parsed, read instead of
    a page the HTTP cache answers with unchanged (see :mod:`pinset.index.page_form`).
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

    def known(head: IndexResponse) -> PageVersions | None:
        return forms.load(head, name, reader, shown) if forms is not None else None

    try:
        response: IndexResponse
        response, kept = client.get_known(url, headers={"Accept": ACCEPT}, known=known)
    except ResponseTooLarge:
        raise  # never skipped: what the index lists would be lost
    except NetworkError as exc:
        return _failed(index_url, f"index {shown} cannot be read: {exc.message}", exc.hint)
    if kept is not None:
        return ProjectPage(index_url, True, kept)
    return _answered(response, index_url, name, shown=shown, reader=reader, forms=forms)


def _answered(
    response: IndexResponse,
    index_url: str,
    name: NormalizedName,
    *,
    shown: str,
    reader: LinkEvaluator,
    forms: PageForms | None,
) -> ProjectPage:
    """The page of an index's answer (its body read), kept parsed in ``forms``."""
    if response.status == 404:
        return ProjectPage(index_url, False)
    if response.status >= 400:
        return _failed(
            index_url,
            f"index {shown} answered HTTP {response.status} for {name}",
            _STATUS_HINTS.get(response.status, "check the index URL"),
        )
    kept = forms.read_elsewhere(response, name, reader, shown) if forms is not None else None
    if kept is not None:
        return ProjectPage(index_url, True, kept)
    try:
        versions = group_page(parse_page(response, shown), name, reader)
    except PageFormatError as exc:
        return _failed(index_url, f"index {shown}: {exc.message} for {name}", None)
    if forms is not None:
        forms.store(response, name, versions)
    return ProjectPage(index_url, True, versions)


_STATUS_HINTS = {
    401: "the index wants credentials: put them in the URL, in .netrc or in a keyring",
    403: "the index refused these credentials, or this project is not yours to read",
}


def _failed(index_url: str, message: str, hint: str | None) -> ProjectPage:
    return ProjectPage(index_url, False, failure=NetworkError(message, hint=hint))


def is_json(response: IndexResponse) -> bool:
    """Whether ``response`` is a PEP 691 JSON page (by its Content-Type)."""
    media = response.headers.get("content-type", "").partition(";")[0]
    return media.strip().lower() == JSON_CONTENT_TYPE


def parse_page(response: IndexResponse, source: str) -> PageFiles:
    """The files of a fetched page, by its Content-Type (JSON or, by default, HTML)."""
    if is_json(response):
        return parse_json_files(response.body, response.url, source=source)
    params = response.headers.get("content-type", "").partition(";")[2]
    charset = None
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip("\"' ")
    return PageFiles.of(
        parse_html(decode_page(response.body, charset), response.url, source=source)
    )
