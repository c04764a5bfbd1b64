"""The settings of the HTTP layer (one frozen value per run; see ``docs/http.md``)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pinset import __version__
from pinset._dataclass import dataclass
from pinset.http.body import MAX_BODY
from pinset.http.cache import HEURISTIC_FRESHNESS

DOWNLOAD_TIMEOUT = 3600.0
"""Seconds one transfer (a download, a page) may take in all, by default."""


@dataclass(frozen=True)
class HttpConfig:
    """How pinset talks HTTP.

    ``proxy`` (``--proxy``) overrides ``http(s)_proxy`` from ``environ``; ``NO_PROXY`` applies
    either way. ``cert`` replaces the system trust store; ``trusted_hosts`` entries are
    ``host`` or ``host:port``. ``cache_dir`` is the directory of the HTTP cache of index pages,
    used as it is (None: no cache). ``environ`` is where proxies and ``NETRC`` are read (None:
    ``os.environ``).
    ``timeout``: seconds a connection or a read may wait (0: no limit, as pip).
    ``backoff`` is the first retry delay in seconds (doubling each retry, at most 10 s);
    ``max_workers`` bounds :meth:`HttpClient.map_parallel` and the connections kept per host.
    ``page_freshness``: seconds a cached index page that states no freshness and has no
    validator is reused without a request (0: always fetch again; see ``pinset.http.cache``).
    ``download_timeout``: seconds one transfer (request and body: a download, a page) may take
    in all, per attempt (0: no limit). ``max_body``: the most bytes, decoded, of a response
    held in memory (index pages, metadata, requirements files; see ``pinset.http.body``).
    """

    timeout: float = 15.0
    retries: int = 5
    proxy: str | None = None
    cert: str | None = None
    client_cert: str | None = None
    trusted_hosts: tuple[str, ...] = ()
    offline: bool = False
    cache_dir: Path | None = None
    environ: Mapping[str, str] | None = None
    keyring: bool = True
    user_agent: str = f"pinset/{__version__}"
    backoff: float = 0.25
    max_workers: int = 8
    page_freshness: float = HEURISTIC_FRESHNESS
    download_timeout: float = DOWNLOAD_TIMEOUT
    max_body: int = MAX_BODY
