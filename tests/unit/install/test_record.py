"""RECORD rows round-trip, with CSV quoting and urlsafe-base64 sha256 digests."""

from __future__ import annotations

import pytest

from pinset.install.record import RecordRow, hash_bytes, parse_record, render_record
from tests.helpers.dists import record_hash


def test_round_trip_with_commas_in_paths() -> None:
    rows = [RecordRow("a,b/c.py", hash_bytes(b"x"), 1), RecordRow("x.dist-info/RECORD", "", None)]
    assert parse_record(render_record(rows)) == rows
    assert '"a,b/c.py"' in render_record(rows)


def test_hash_matches_the_wheel_spec_encoding() -> None:
    assert hash_bytes(b"hello") == record_hash(b"hello")
    assert "=" not in hash_bytes(b"hello").split("=", 1)[1]


def test_malformed_row_is_an_error() -> None:
    with pytest.raises(ValueError, match="2 fields"):
        parse_record("a.py,sha256=x\n")


@pytest.mark.parametrize("odd", ['say "hi".py', "line\nbreak.py", "a,b.py"])
def test_one_path_that_needs_quoting_among_plain_ones_round_trips(odd: str) -> None:
    rows = [RecordRow(f"pkg/m{i}.py", hash_bytes(bytes([i])), i) for i in range(50)]
    rows.insert(25, RecordRow(f"pkg/{odd}", hash_bytes(b"odd"), 3))
    rows.append(RecordRow("pkg-1.dist-info/RECORD", "", None))
    text = render_record(rows)
    assert parse_record(text) == rows
    assert text.startswith(f"pkg/m0.py,{hash_bytes(bytes([0]))},0\n")  # plain rows stay plain
    assert text.endswith("\npkg-1.dist-info/RECORD,,\n")
