"""Cache keys."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest

from pinset.cache import make_key, shard_path


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
