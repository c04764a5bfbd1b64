"""Reading one member of a zip from byte ranges only."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import pytest

from pinset.distribution.lazy_zip import (
    MAX_TAIL,
    TAIL_BYTES,
    Tail,
    ZipFormatError,
    read_directory,
    read_member,
    tail_bytes,
)

METADATA = b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n" + b"Requires-Dist: x\n" * 50


def _zip(*, comment: bytes = b"", zip64: bool = False, padding: int = 200_000) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("demo/big.bin", bytes(range(256)) * (padding // 256))
        with zf.open("demo-1.0.dist-info/METADATA", "w", force_zip64=zip64) as fh:
            fh.write(METADATA)
        zf.writestr(zipfile.ZipInfo("demo-1.0.dist-info/RECORD"), b"")
        zf.comment = comment
    return buf.getvalue()


def _read(data: bytes) -> tuple[bytes, list[tuple[int, int]]]:
    fetched: list[tuple[int, int]] = []

    def fetch(start: int, end: int) -> bytes:
        fetched.append((start, end))
        return data[start : end + 1]

    start = max(0, len(data) - TAIL_BYTES)
    tail = Tail(data[start:], start, len(data))
    members = read_directory(tail, fetch)
    (member,) = [m for m in members if m.name.endswith("METADATA")]
    return read_member(member, tail, fetch), fetched


@pytest.mark.parametrize(
    "options", [{}, {"comment": b"c" * 65535}, {"zip64": True}, {"padding": 0}]
)
def test_member_read_from_ranges(options: dict[str, object]) -> None:
    data = _zip(**options)  # type: ignore[arg-type]
    got, fetched = _read(data)
    assert got == METADATA
    assert sum(end - start + 1 for start, end in fetched) < 10_000 or len(data) < TAIL_BYTES


def test_a_member_inside_the_tail_is_read_without_a_request() -> None:
    data = _zip(padding=200_000)
    got, fetched = _read(data)
    assert got == METADATA
    assert fetched == []  # the tail held the directory and METADATA: one request in all
    # a member before the tail is fetched
    small_tail = _zip(padding=0)
    members = read_directory(
        Tail(small_tail[-200:], len(small_tail) - 200, len(small_tail)),
        lambda s, e: small_tail[s : e + 1],
    )
    (member,) = [m for m in members if m.name.endswith("METADATA")]
    asked: list[int] = []

    def fetch(start: int, end: int) -> bytes:
        asked.append(start)
        return small_tail[start : end + 1]

    tail = Tail(small_tail[-200:], len(small_tail) - 200, len(small_tail))
    assert read_member(member, tail, fetch) == METADATA
    assert asked == [member.header_offset]


@pytest.mark.parametrize(
    "mangle",
    [
        lambda d: d[:-22] + b"\0" * 22,  # EOCD gone
        lambda d: d.replace(b"PK\x01\x02", b"XX\x01\x02"),  # central directory corrupt
        lambda d: d.replace(b"PK\x03\x04", b"XX\x03\x04"),  # local headers corrupt
        lambda d: d[:-22] + d[-22:-6] + b"\xff\xff\xff\x7f" + d[-2:],  # offset past the end
    ],
)
def test_corrupt_archives_raise_zip_format_error(mangle: object) -> None:
    data = mangle(_zip())  # type: ignore[operator]
    with pytest.raises(ZipFormatError):
        _read(data)


def test_crc_mismatch_is_detected() -> None:
    data = bytearray(_zip(padding=0))
    # flip a byte inside the stored CRC of METADATA in the central directory
    pos = data.rfind(b"PK\x01\x02", 0, data.rfind(b"demo-1.0.dist-info/METADATA"))
    data[pos + 16] ^= 0xFF
    with pytest.raises(ZipFormatError, match="CRC"):
        _read(bytes(data))


def _other_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(
            "demo-1.0.dist-info/METADATA", b"Name: demo\nVersion: 1.0\nRequires-Dist: evil\n"
        )
    return buf.getvalue()


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (lambda: _zip(comment=_other_zip(), padding=0), "comment holds another archive"),
        (lambda: _zip(padding=0) + _other_zip(), "bytes precede the archive"),
        (lambda: b"\0" * 512 + _zip(padding=0), "bytes precede the archive"),
        (lambda: _zip(padding=0) + b"\0" * 9, "9 bytes follow"),
    ],
)
def test_archives_with_two_readings_are_refused_as_for_whole_files(
    build: Callable[[], bytes], reason: str
) -> None:
    """The METADATA read by ranges is never that of a hidden second archive."""
    with pytest.raises(ZipFormatError, match=reason):
        _read(build())


def test_a_local_header_naming_another_file_is_refused() -> None:
    data = bytearray(_zip(padding=0))
    local = data.find(b"demo-1.0.dist-info/METADATA")  # the first: in its local header
    data[local + 19 : local + 27] = b"METADATX"
    with pytest.raises(ZipFormatError, match="disagree"):
        _read(bytes(data))


def _is_metadata(name: bytes) -> bool:
    return name.endswith(b".dist-info/METADATA")


def _central(data: bytearray, name: bytes) -> int:
    """Where the central directory entry of ``name`` starts."""
    return data.rfind(b"PK\x01\x02", 0, data.rfind(name))


def test_a_read_keeping_only_metadata_returns_it_alone() -> None:
    data = _zip(padding=0)
    tail = Tail(data, 0, len(data))
    members = read_directory(tail, lambda s, e: data[s : e + 1], _is_metadata)
    assert [m.name for m in members] == ["demo-1.0.dist-info/METADATA"]
    assert read_member(members[0], tail, lambda s, e: data[s : e + 1]) == METADATA


@pytest.mark.parametrize(
    ("offset", "value", "reason"),
    [
        (8, b"\x01\x00", "encrypted"),  # general purpose flags: traditional encryption
        (10, b"\x63\x00", "compression method 99"),
        (34, b"\x01\x00", "several disks"),  # the disk the member starts on
    ],
)
def test_a_read_keeping_only_metadata_still_checks_every_member(
    offset: int, value: bytes, reason: str
) -> None:
    """The members it does not keep are refused as a whole-file check refuses them."""
    data = bytearray(_zip(padding=0))
    at = _central(data, b"demo/big.bin")
    data[at + offset : at + offset + 2] = value
    tail = Tail(bytes(data), 0, len(data))
    with pytest.raises(ZipFormatError, match=reason):
        read_directory(tail, lambda s, e: bytes(data[s : e + 1]), _is_metadata)


def test_a_member_listed_twice_is_refused_when_not_kept() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("demo/a.py", b"one")
        with pytest.warns(UserWarning, match="Duplicate"):
            zf.writestr("demo/a.py", b"two")
        zf.writestr("demo-1.0.dist-info/METADATA", METADATA)
    data = buf.getvalue()
    with pytest.raises(ZipFormatError, match="listed twice"):
        read_directory(Tail(data, 0, len(data)), lambda s, e: data[s : e + 1], _is_metadata)


@pytest.mark.parametrize(
    ("size", "asked"),
    [
        (None, TAIL_BYTES),  # not announced: the end records' bytes
        (100_000, TAIL_BYTES),
        (40 * TAIL_BYTES, TAIL_BYTES),
        (17_500_000, 17_500_000 // 40),  # botocore: its directory and METADATA in one request
        (900_000_000, MAX_TAIL),
    ],
)
def test_the_first_range_grows_with_the_file_within_bounds(size: int | None, asked: int) -> None:
    assert tail_bytes(size) == asked
