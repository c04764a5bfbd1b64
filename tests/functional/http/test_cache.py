"""The HTTP cache of index pages against a real server: freshness, revalidation, offline."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pinset.errors import NetworkError
from pinset.http.client import HttpClient
from tests.functional.http.conftest import fast_config
from tests.helpers.http_server import HttpServer, static

PAGE = b"<html><a href='pkg-1.0.tar.gz'>pkg-1.0.tar.gz</a></html>"
SECRET = "cache-s3cret"


def cached_client(cache_dir: Path, **kw: object) -> HttpClient:
    return HttpClient(fast_config(cache_dir=cache_dir, **kw))


def cache_files(cache_dir: Path) -> list[Path]:
    return [p for p in cache_dir.rglob("*") if p.is_file()]


def test_fresh_entry_answers_without_a_request(server: HttpServer, tmp_path: Path) -> None:
    server.route("/simple/pkg/", static(PAGE, max_age=600))
    with cached_client(tmp_path) as client:
        first = client.get(server.url + "/simple/pkg/", cache=True)
        second = client.get(server.url + "/simple/pkg/", cache=True)
    assert (first.from_cache, second.from_cache) == (False, True)
    assert second.body == PAGE
    assert second.status == 200
    assert len(server.hits("/simple/pkg/")) == 1
    # a new run (new client) reads the same cache
    with cached_client(tmp_path) as client:
        assert client.get(server.url + "/simple/pkg/", cache=True).from_cache
    assert len(server.hits("/simple/pkg/")) == 1


def test_cache_false_always_asks_the_server(server: HttpServer, tmp_path: Path) -> None:
    server.route("/p", static(PAGE, max_age=600))
    with cached_client(tmp_path) as client:
        client.get(server.url + "/p", cache=True)
        assert not client.get(server.url + "/p").from_cache
    assert len(server.hits("/p")) == 2


def test_stale_entry_is_revalidated_with_etag(server: HttpServer, tmp_path: Path) -> None:
    server.route("/simple/pkg/", static(PAGE, etag='"v1"', max_age=0))
    with cached_client(tmp_path) as client:
        client.get(server.url + "/simple/pkg/", cache=True)
        again = client.get(server.url + "/simple/pkg/", cache=True)
    assert (again.status, again.body, again.from_cache) == (200, PAGE, True)
    hits = server.hits("/simple/pkg/")
    assert "if-none-match" not in hits[0].headers
    assert hits[1].headers["if-none-match"] == '"v1"'


def test_stale_entry_is_revalidated_with_last_modified(server: HttpServer, tmp_path: Path) -> None:
    stamp = "Wed, 21 Oct 2026 07:28:00 GMT"
    server.route("/p", static(PAGE, last_modified=stamp))
    with cached_client(tmp_path) as client:
        client.get(server.url + "/p", cache=True)
        assert client.get(server.url + "/p", cache=True).from_cache
    assert server.hits("/p")[1].headers["if-modified-since"] == stamp


def test_changed_page_replaces_the_entry(server: HttpServer, tmp_path: Path) -> None:
    server.route("/p", static(b"old", etag='"1"'), static(b"new", etag='"2"'))
    with cached_client(tmp_path) as client:
        assert client.get(server.url + "/p", cache=True).body == b"old"
        second = client.get(server.url + "/p", cache=True)
        assert (second.body, second.from_cache) == (b"new", False)
    with cached_client(tmp_path, offline=True) as client:
        assert client.get(server.url + "/p", cache=True).body == b"new"


def test_no_store_is_not_stored(server: HttpServer, tmp_path: Path) -> None:
    server.route("/p", static(PAGE, no_store=True, etag='"x"'))
    with cached_client(tmp_path) as client:
        client.get(server.url + "/p", cache=True)
        assert not client.get(server.url + "/p", cache=True).from_cache
    assert cache_files(tmp_path) == []


def test_accept_header_is_part_of_the_key(server: HttpServer, tmp_path: Path) -> None:
    server.route("/p", static(PAGE, max_age=600))
    html = {"Accept": "text/html"}
    json = {"Accept": "application/vnd.pypi.simple.v1+json"}
    with cached_client(tmp_path) as client:
        client.get(server.url + "/p", headers=html, cache=True)
        assert not client.get(server.url + "/p", headers=json, cache=True).from_cache
        assert client.get(server.url + "/p", headers=json, cache=True).from_cache
    assert len(server.hits("/p")) == 2


def test_offline_answers_from_stale_cache_without_requests(
    server: HttpServer, tmp_path: Path
) -> None:
    server.route("/p", static(PAGE, etag='"v"', max_age=0))
    with cached_client(tmp_path) as client:
        client.get(server.url + "/p", cache=True)
    with cached_client(tmp_path, offline=True) as client:
        response = client.get(server.url + "/p", cache=True)
        assert (response.body, response.from_cache) == (PAGE, True)
        with pytest.raises(NetworkError, match="offline and not cached"):
            client.get(server.url + "/other", cache=True)
    assert len(server.requests) == 1


def test_corrupt_entry_is_dropped_with_a_warning_and_refetched(
    server: HttpServer, tmp_path: Path
) -> None:
    server.route("/p", static(PAGE, max_age=600))
    url = f"http://alice:{SECRET}@127.0.0.1:{server.port}/p"
    with cached_client(tmp_path) as client:
        client.get(url, cache=True)
    [entry] = cache_files(tmp_path)
    entry.write_bytes(entry.read_bytes()[:-5] + b"XXXXX")
    warnings: list[str] = []
    with HttpClient(fast_config(cache_dir=tmp_path), on_warning=warnings.append) as client:
        response = client.get(url, cache=True)
        assert (response.body, response.from_cache) == (PAGE, False)
        assert client.warnings == tuple(warnings)
    assert len(warnings) == 1
    assert "corrupt HTTP cache entry" in warnings[0]
    assert "alice:****@" in warnings[0]
    assert SECRET not in warnings[0]
    assert len(server.hits("/p")) == 2


def test_credentials_never_reach_the_cache(server: HttpServer, tmp_path: Path) -> None:
    server.route("/p", static(PAGE, max_age=600))
    with cached_client(tmp_path) as client:
        client.get(f"http://alice:{SECRET}@127.0.0.1:{server.port}/p", cache=True)
        # same page without credentials: same entry (the key ignores credentials)
        assert client.get(server.url + "/p", cache=True).from_cache
    [entry] = cache_files(tmp_path)
    assert SECRET.encode() not in entry.read_bytes()
    assert b"alice" not in entry.read_bytes()


def test_page_without_cache_headers_is_reused_for_page_freshness(
    server: HttpServer, tmp_path: Path
) -> None:
    """PyPI as some networks see it sends no Cache-Control, ETag or Last-Modified: such a page
    is reused for ``page_freshness`` seconds (a new run included) without any request."""
    server.route("/simple/pkg/", static(PAGE))
    with cached_client(tmp_path) as client:
        assert not client.get(server.url + "/simple/pkg/", cache=True).from_cache
    with cached_client(tmp_path) as client:
        again = client.get(server.url + "/simple/pkg/", cache=True)
    assert (again.status, again.body, again.from_cache) == (200, PAGE, True)
    assert len(server.hits("/simple/pkg/")) == 1
    with cached_client(tmp_path, page_freshness=0.0) as client:
        assert not client.get(server.url + "/simple/pkg/", cache=True).from_cache
    assert len(server.hits("/simple/pkg/")) == 2


def test_page_with_a_validator_is_revalidated_not_guessed(
    server: HttpServer, tmp_path: Path
) -> None:
    server.route("/p", static(PAGE, etag='"v1"'))
    with cached_client(tmp_path) as client:
        client.get(server.url + "/p", cache=True)
        assert client.get(server.url + "/p", cache=True).from_cache
    hits = server.hits("/p")
    assert len(hits) == 2
    assert hits[1].headers["if-none-match"] == '"v1"'


def test_pages_read_name_each_entry_and_until_when_it_answers(
    server: HttpServer, tmp_path: Path
) -> None:
    """What a remembered install plan holds on to: every entry a cached GET was answered
    from or stored into, with the time it stops answering without a request."""
    server.route("/fresh", static(PAGE, max_age=600))
    server.route("/validated", static(PAGE, etag='"v1"', max_age=0))
    before = time.time()
    with cached_client(tmp_path) as client:
        client.get(server.url + "/fresh", cache=True)  # fetched and stored
        client.get(server.url + "/fresh", cache=True)  # answered by the entry
        client.get(server.url + "/validated", cache=True)
        read = client.pages_read
    assert read is not None
    entries = sorted(set(p for p, _ in read))
    assert entries == sorted(str(p) for p in cache_files(tmp_path))
    fresh = [until for path, until in read if until > before + 500]
    assert len(fresh) == 2  # both reads of /fresh: about 600 s from now
    assert all(until < before + 700 for _, until in read)
    assert min(until for _, until in read) <= time.time()  # /validated: asked again next time


def test_a_page_no_entry_keeps_makes_pages_read_unknown(server: HttpServer, tmp_path: Path) -> None:
    server.route("/kept", static(PAGE, max_age=600))
    server.route("/unkept", static(PAGE, no_store=True))
    with cached_client(tmp_path) as client:
        client.get(server.url + "/kept", cache=True)
        assert client.pages_read is not None
        client.get(server.url + "/unkept", cache=True)
        assert client.pages_read is None
    local = tmp_path / "page.html"
    local.write_bytes(PAGE)
    with cached_client(tmp_path / "other") as client:
        client.get(local.as_uri(), cache=True)  # a local file: no entry stands for it
        assert client.pages_read is None
    with cached_client(tmp_path) as client:
        client.get(server.url + "/plain")  # not a cached GET: not a page read
        assert client.pages_read == ()
