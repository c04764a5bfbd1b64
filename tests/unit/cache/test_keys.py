"""Cache keys and bucket names."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest

from pinset.cache import BUCKETS, bucket_dir_name, make_key, shard_path
from pinset.cache.buckets import parse_dir_name


def test_keys_are_sha256_and_unambiguous() -> None:
    key = make_key("https://h/simple/a/")
    assert len(key) == 64
    assert int(key, 16) >= 0
    assert make_key("ab", "c") != make_key("a", "bc")
    assert make_key("a", "1.0") == make_key("a", b"1.0")


def test_shard_path() -> None:
    key = make_key("x")
    assert shard_path(key) == PurePosixPath(key[:2], key[2:4], key)
    with pytest.raises(ValueError, match="not a cache key"):
        shard_path("../../etc/passwd")


def test_every_bucket_has_a_version_in_its_directory_name() -> None:
    assert set(BUCKETS) == {
        "http",
        "metadata",
        "archives",
        "wheels-unpacked",
        "wheels-built",
        "vcs",
        "interpreters",
    }
    for name in BUCKETS:
        assert parse_dir_name(bucket_dir_name(name)) == (name, BUCKETS[name])
    assert bucket_dir_name("wheels-built") == "wheels-built-v1"
    assert parse_dir_name("wheels-built-v0") == ("wheels-built", 0)
    assert parse_dir_name("wheels") is None
    assert parse_dir_name("selfcheck-v1") is None
    with pytest.raises(ValueError, match="unknown cache bucket"):
        bucket_dir_name("nope")
