"""Cache entries: freshness, validators, encoding, corruption, the on-disk store."""

from __future__ import annotations

from pathlib import Path

import pytest

from pinset.http.cache import (
    CacheEntry,
    CorruptEntry,
    HttpCache,
    cache_key,
    decode_entry,
    encode_entry,
    is_storable,
    parse_cache_control,
)

T0 = 1_800_000_000.0


def entry(headers: dict[str, str], body: bytes = b"page") -> CacheEntry:
    return CacheEntry("https://idx.example/simple/p/", 200, headers, body, T0)


def test_parse_cache_control() -> None:
    assert parse_cache_control('max-age=600, No-Cache, private="x"') == {
        "max-age": "600",
        "no-cache": None,
        "private": "x",
    }
    assert parse_cache_control(None) == {}


def test_max_age_freshness_counts_the_age_header() -> None:
    e = entry({"cache-control": "max-age=600"})
    assert e.is_fresh(T0 + 599)
    assert not e.is_fresh(T0 + 600)
    aged = entry({"cache-control": "max-age=600", "age": "500"})
    assert aged.is_fresh(T0 + 99)
    assert not aged.is_fresh(T0 + 100)


def test_no_cache_or_no_lifetime_is_stale() -> None:
    assert not entry({"cache-control": "max-age=600, no-cache"}).is_fresh(T0)
    assert not entry({}).is_fresh(T0)
    assert not entry({"cache-control": "max-age=junk"}).is_fresh(T0)


def test_expires_header() -> None:
    e = entry({"date": "Fri, 15 Jan 2027 08:00:00 GMT", "expires": "Fri, 15 Jan 2027 08:10:00 GMT"})
    assert e.lifetime() == 600
    assert entry({"expires": "not a date"}).lifetime() is None


def test_validators_and_refresh() -> None:
    e = entry({"etag": '"abc"', "last-modified": "Wed, 21 Oct 2026 07:28:00 GMT"})
    assert e.validators() == {
        "If-None-Match": '"abc"',
        "If-Modified-Since": "Wed, 21 Oct 2026 07:28:00 GMT",
    }
    fresh = e.refreshed({"cache-control": "max-age=60", "content-length": "0"}, T0 + 1000)
    assert fresh.body == b"page"
    assert fresh.stored_at == T0 + 1000
    assert fresh.headers["cache-control"] == "max-age=60"
    assert "content-length" not in fresh.headers
    assert fresh.is_fresh(T0 + 1030)


def test_storable() -> None:
    assert is_storable(200, {})
    assert not is_storable(200, {"cache-control": "no-store"})
    assert not is_storable(404, {})


def test_key_depends_on_url_and_accept() -> None:
    a = cache_key("https://h/simple/p/", "text/html")
    assert a == cache_key("https://h/simple/p/", "text/html")
    assert a != cache_key("https://h/simple/p/", "application/vnd.pypi.simple.v1+json")
    assert a != cache_key("https://h/simple/q/", "text/html")


def test_roundtrip_drops_hop_headers() -> None:
    e = entry({"etag": '"1"', "set-cookie": "session=abc"}, body=b"\x00\nbinary\n")
    back = decode_entry(encode_entry(e))
    assert back.body == e.body
    assert back.headers == {"etag": '"1"'}
    assert (back.url, back.status, back.stored_at) == (e.url, 200, T0)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda b: b"garbage",
        lambda b: b[:-1],
        lambda b: b + b"extra",
        lambda b: b.replace(b'"status": 200', b'"status": "x"'),
        lambda b: b.split(b"\n", 1)[0],
    ],
)
def test_corrupt_files_are_detected(mangle: object) -> None:
    data = encode_entry(entry({"etag": '"1"'}))
    with pytest.raises(CorruptEntry):
        decode_entry(mangle(data))  # type: ignore[operator]


def test_store_load_drop(tmp_path: Path) -> None:
    cache = HttpCache(tmp_path)
    key = cache_key("https://h/x", "")
    assert cache.load(key) is None
    cache.store(key, entry({"etag": '"1"'}))
    assert cache.path_for(key).parent == tmp_path  # the directory given, as it is, flat
    stored = cache.path_for(key).read_bytes()
    assert stored == encode_entry(entry({"etag": '"1"'}))  # written in parts, read whole
    loaded = cache.load(key)
    assert loaded is not None
    assert loaded.body == b"page"
    cache.drop(key)
    cache.drop(key)
    assert cache.load(key) is None
    assert [p.name for p in cache.path_for(key).parent.iterdir()] == []


def test_heuristic_freshness_only_without_freshness_and_validators() -> None:
    bare = entry({"content-type": "application/vnd.pypi.simple.v1+json"})
    assert bare.is_fresh(T0 + 599, heuristic=600)
    assert not bare.is_fresh(T0 + 600, heuristic=600)
    assert not bare.is_fresh(T0, heuristic=0)
    # a validator means a cheap revalidation is possible: no guessing
    assert not entry({"etag": '"v1"'}).is_fresh(T0, heuristic=600)
    assert not entry({"last-modified": "Wed, 21 Oct 2026 07:28:00 GMT"}).is_fresh(T0, heuristic=600)
    # what the server says always wins over the heuristic
    assert not entry({"cache-control": "no-cache"}).is_fresh(T0, heuristic=600)
    assert not entry({"cache-control": "max-age=10"}).is_fresh(T0 + 11, heuristic=600)


def test_an_entry_larger_than_the_client_keeps_is_corrupt(tmp_path: Path) -> None:
    cache = HttpCache(tmp_path, max_body=4)
    key = cache_key("https://h/x", "")
    cache.store(key, entry({"etag": '"1"'}))  # a 4-byte body: fine
    assert cache.load(key) is not None
    with cache.path_for(key).open("ab") as handle:  # grown past the cap by someone else
        handle.write(bytes(2 * 1024 * 1024))
    with pytest.raises(CorruptEntry, match="larger than"):
        cache.load(key)
