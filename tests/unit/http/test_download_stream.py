"""Streaming into place with hashing and verification (local files only)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from pinset.errors import IntegrityError
from pinset.http.download import check_digests, stream_into, wanted_algorithms

DATA = [b"abc", b"", b"def" * 1000]
WHOLE = b"".join(DATA)
SHA256 = hashlib.sha256(WHOLE).hexdigest()
SHA512 = hashlib.sha512(WHOLE).hexdigest()


def test_stream_into_hashes_and_renames(tmp_path: Path) -> None:
    dest = tmp_path / "sub" / "f.whl"
    result = stream_into(dest, iter(DATA), shown_url="u", expected={"sha512": [SHA512.upper()]})
    assert (result.path, result.sha256, result.size) == (dest, SHA256, len(WHOLE))
    assert dest.read_bytes() == WHOLE
    assert [p.name for p in dest.parent.iterdir()] == ["f.whl"]


def test_any_listed_digest_passes(tmp_path: Path) -> None:
    stream_into(
        tmp_path / "f",
        iter(DATA),
        shown_url="u",
        expected={"sha256": ["00" * 32, SHA256], "sha512": ["11" * 64]},
    )


def test_a_failing_stream_leaves_nothing(tmp_path: Path) -> None:
    def broken() -> Iterator[bytes]:
        yield b"partial"
        raise OSError("connection reset")

    with pytest.raises(OSError, match="reset"):
        stream_into(tmp_path / "f", broken(), shown_url="u")
    assert list(tmp_path.iterdir()) == []


def test_mismatch_message() -> None:
    with pytest.raises(IntegrityError) as info:
        check_digests("https://h/f.whl", {"sha256": "b" * 64}, {"sha256": {"a" * 64}})
    assert str(info.value) == "hash mismatch for https://h/f.whl"
    assert info.value.note == f"expected sha256: {'a' * 64}\n     got sha256: {'b' * 64}"
    assert info.value.hint


def test_algorithms_are_checked() -> None:
    assert wanted_algorithms({"SHA256": ["AB", ""], "sha512": []}) == {"sha256": {"ab"}}
    assert wanted_algorithms(None) == {}
    with pytest.raises(IntegrityError, match="unsupported hash algorithm"):
        wanted_algorithms({"crc32": ["x"]})
