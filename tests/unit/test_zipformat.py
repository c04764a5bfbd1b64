"""The central directory as :mod:`pinset.zipformat` reads it, against :mod:`zipfile`'s
reading of the same archives: entries with no extra field (most wheels'), with an extra field
that is not ZIP64, and ZIP64 entries."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from pinset.zipformat import ZipLayoutError, check_archive, find_end, read_central

_TIMESTAMP = struct.pack("<HHBL", 0x5455, 5, 1, 1_700_000_000)  # an "extended timestamp"


def _archive(*, extra: bytes = b"", zip64: bool = False) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for i in range(40):
            info = zipfile.ZipInfo(f"demo/module_{i}.py")
            info.extra = extra
            info.compress_type = zipfile.ZIP_DEFLATED
            with zf.open(info, "w", force_zip64=zip64) as fh:
                fh.write(b"x = %d\n" % i * (i + 1))
        zf.writestr("demo-1.0.dist-info/METADATA", b"Name: demo\nVersion: 1.0\n")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("extra", "zip64"), [(b"", False), (_TIMESTAMP, False), (b"", True), (_TIMESTAMP, True)]
)
def test_entries_are_what_zipfile_reads(extra: bytes, zip64: bool) -> None:
    data = _archive(extra=extra, zip64=zip64)
    entries = read_central(data, find_end(data))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        expected = [_listed(i) for i in zf.infolist()]
    got = [
        (e.shown, e.method, e.crc, e.compressed_size, e.size, e.offset, e.zip64) for e in entries
    ]
    assert got == expected
    assert check_archive(data) == entries  # the whole check agrees, local headers included


def _listed(i: zipfile.ZipInfo) -> tuple[object, ...]:
    zip64 = _has_zip64_field(i.extra)
    return (
        i.filename,
        i.compress_type,
        i.CRC,
        i.compress_size,
        i.file_size,
        i.header_offset,
        zip64,
    )


def _has_zip64_field(extra: bytes) -> bool:
    pos = 0
    while pos + 4 <= len(extra):
        tag, length = struct.unpack_from("<HH", extra, pos)
        if tag == 1:
            return True
        pos += 4 + length
    return False


def test_a_name_listed_twice_is_refused() -> None:
    data = _archive()
    twice = data.replace(b"demo/module_1.py", b"demo/module_2.py")
    with pytest.raises(ZipLayoutError, match="listed twice"):
        read_central(twice, find_end(twice))
