"""info, clean and prune on a real cache tree."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from pinset.cache import Cache, cache_info, clean, make_key, prune


def _populate(root: Path) -> Cache:
    cache = Cache(root)
    cache.write_bytes("http", make_key("a"), b"x" * 100)
    cache.write_json("metadata", make_key("b"), {"k": 1})
    cache.ensure_file("archives", make_key("c"), "c.whl", lambda d: d.write_bytes(b"c" * 10))
    return cache


def test_info_counts_entries_per_bucket(tmp_path: Path) -> None:
    cache = _populate(tmp_path)
    info = cache_info(cache.root)
    by_name = {b.name: b for b in info.buckets}
    assert set(by_name) == {"http", "metadata", "archives"}
    assert by_name["http"].entries == 1
    assert by_name["http"].size == 100
    assert by_name["archives"].entries == 1
    assert all(b.current for b in info.buckets)
    assert info.size >= 110
    assert not cache_info(tmp_path / "missing").exists


def test_clean_one_bucket_or_everything_but_not_foreign_files(tmp_path: Path) -> None:
    cache = _populate(tmp_path)
    (tmp_path / "http").mkdir()  # pip's own bucket in a shared cache dir
    (tmp_path / "selfcheck").mkdir()
    removal = clean(cache.root, "http")
    assert removal.removed == (tmp_path / "http-v3",)
    assert removal.freed == 100
    assert (tmp_path / "metadata-v2").is_dir()
    clean(cache.root)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["http", "selfcheck"]
    with pytest.raises(ValueError, match="unknown cache bucket"):
        clean(cache.root, "wheels")


def test_prune_removes_old_versions_leftovers_and_broken_archives(tmp_path: Path) -> None:
    cache = _populate(tmp_path)
    old = tmp_path / "http-v0" / "ab" / "cd"
    old.mkdir(parents=True)
    (old / "entry").write_bytes(b"old")
    shard = cache.path_for("http", make_key("a")).parent
    leftover = shard / ".entry.abc.tmp"
    leftover.write_bytes(b"partial")
    fresh = shard / ".fresh.def.tmp"
    fresh.write_bytes(b"in progress")
    hour_ago = time.time() - 7200
    os.utime(leftover, (hour_ago, hour_ago))
    broken = cache.path_for("archives", make_key("broken"))
    broken.mkdir(parents=True)
    (broken / "x.whl").write_bytes(b"no sidecar")

    removal = prune(cache.root)
    assert set(removal.removed) == {tmp_path / "http-v0", leftover, broken}
    assert fresh.exists()
    assert cache.read_bytes("http", make_key("a")) == b"x" * 100
    assert cache.lookup_file("archives", make_key("c"), "c.whl") is not None
    assert prune(cache.root, min_age=0).removed == (fresh,)


def test_a_cache_shared_with_pip_keeps_pips_http_v2(tmp_path: Path) -> None:
    cache = _populate(tmp_path)
    pips = tmp_path / "http-v2" / "a" / "b"  # pip >= 23.3's HTTP cache, in a shared cache-dir
    pips.mkdir(parents=True)
    (pips / "entry.body").write_bytes(b"pip's")
    assert prune(cache.root).removed == ()
    assert {b.path.name for b in cache_info(cache.root).buckets} == {
        "http-v3",
        "metadata-v2",
        "archives-v1",
    }
    clean(cache.root, "http")
    clean(cache.root)
    assert (pips / "entry.body").read_bytes() == b"pip's"


def test_info_counts_entries_of_unsharded_and_one_level_buckets(tmp_path: Path) -> None:
    (tmp_path / "interpreters-v3").mkdir()
    (tmp_path / "interpreters-v3" / "0123abcd.json").write_text("{}")
    (tmp_path / "noop-v1").mkdir()
    (tmp_path / "noop-v1" / "feed.verdict").write_bytes(b"v")
    (tmp_path / "noop-v1" / ".feed.verdict.x.tmp").write_bytes(b"half")
    (tmp_path / "http-v1" / "0d").mkdir(parents=True)
    (tmp_path / "http-v1" / "0d" / ("0d" + "e" * 62)).write_bytes(b"page")
    entries = {b.name: b.entries for b in cache_info(tmp_path).buckets}
    assert entries == {"interpreters": 1, "noop": 1, "http": 1}


def test_prune_removes_archives_of_wheels_kept_unpacked(tmp_path: Path) -> None:
    """A cache filled before pinset kept one copy of each wheel holds both the archive and its
    unpacked tree: prune drops the archive, keeps an archive nothing unpacked yet."""
    cache = Cache(tmp_path)
    twice = cache.ensure_file("archives", make_key("t"), "t-1.0-py3-none-any.whl", _wheel(b"t"))
    once = cache.ensure_file("archives", make_key("o"), "o-1.0-py3-none-any.whl", _wheel(b"o"))
    sha = Path(f"{twice}.sha256").read_text().strip()
    unpacked = cache.bucket_dir("wheels-unpacked") / sha
    unpacked.mkdir(parents=True)
    (unpacked / "manifest.json").write_text("{}")
    assert prune(cache.root).removed == (twice.parent,)
    assert once.is_file()
    assert unpacked.is_dir()


def _wheel(data: bytes) -> Callable[[Path], object]:
    return lambda dest: dest.write_bytes(data)
