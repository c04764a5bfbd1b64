"""A wheel whose zip structure could be read two ways is refused before anything is unpacked.

Python's zipfile (pip) reads from the end and tolerates a prefix, trailing data and local
headers that disagree with the central directory; a streaming reader or a reviewer would see
other files. Each wheel here is crafted byte by byte (tests/helpers/hostile_zips.py) from a
valid wheel whose every file is listed in RECORD with its right hash, so only the layout check
stands between it and an install.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from pinset.errors import IntegrityError
from pinset.install.wheelfile import unpack
from tests.helpers.dists import make_wheel
from tests.helpers.hostile_zips import (
    RawEntry,
    as_tar,
    build,
    entries_of,
    overlapping,
    stored,
    stored_local,
)

INIT = "p/__init__.py"


def _good(tmp_path: Path, content: str = "GOOD = 1\n", **kwargs: object) -> Path:
    files = {INIT: content, **kwargs.pop("files", {})}  # type: ignore[dict-item]
    return make_wheel(tmp_path / content[:4], "p", "1", files=files, **kwargs)  # type: ignore[arg-type]


def _refused(wheel: Path, data: bytes, tmp_path: Path, reason: str) -> None:
    wheel.write_bytes(data)
    with pytest.raises(IntegrityError, match=reason) as caught:
        unpack(wheel, tmp_path / "out")
    assert wheel.name in caught.value.message
    assert not (tmp_path / "out" / "files").exists()


def _edit(wheel: Path, name: str, **changes: object) -> list[RawEntry]:
    return [
        replace(e, **changes) if e.name == name.encode() else e  # type: ignore[arg-type]
        for e in entries_of(wheel)
    ]


def test_a_second_wheel_in_the_comment_is_refused(tmp_path: Path) -> None:
    good = _good(tmp_path)
    hidden = _good(tmp_path, "HIDDEN = 1\n").read_bytes()
    _refused(good, build(entries_of(good), comment=hidden), tmp_path, "comment holds another")


def test_a_second_wheel_appended_is_refused(tmp_path: Path) -> None:
    good = _good(tmp_path)
    second = _good(tmp_path, "SECOND = 1\n").read_bytes()
    _refused(good, good.read_bytes() + second, tmp_path, r"bytes precede the archive")


def test_a_tar_header_in_front_is_refused(tmp_path: Path) -> None:
    good = _good(tmp_path)
    tar = as_tar(good.read_bytes())
    _refused(good, tar[:512] + good.read_bytes(), tmp_path, r"512 bytes precede the archive")
    _refused(good, tar, tmp_path, r"bytes follow the archive's end record")


def test_trailing_bytes_after_the_end_record_are_refused(tmp_path: Path) -> None:
    good = _good(tmp_path)
    _refused(good, good.read_bytes() + b"\x00" * 7, tmp_path, "7 bytes follow the archive")


def test_a_comment_with_zip_records_is_refused(tmp_path: Path) -> None:
    good = _good(tmp_path)
    comment = b"see PK\x03\x04 here"
    _refused(good, build(entries_of(good), comment=comment), tmp_path, "comment holds zip")


def test_a_plain_comment_is_accepted(tmp_path: Path) -> None:
    good = _good(tmp_path)
    good.write_bytes(build(entries_of(good), comment=b"built by hand"))
    assert (unpack(good, tmp_path / "out").root / INIT).read_text() == "GOOD = 1\n"


def test_local_sizes_that_differ_from_the_central_directory_are_refused(tmp_path: Path) -> None:
    # zipfile reads by the central directory; a streaming reader would use the local sizes
    good = _good(tmp_path)
    entries = entries_of(good)
    victim = next(e for e in entries if e.name == INIT.encode())
    bad = _edit(good, INIT, local_sizes=(victim.crc, victim.compressed_size, victim.size + 1))
    _refused(good, build(bad), tmp_path, "CRC or sizes differ")


def test_a_local_name_other_than_the_central_name_is_refused(tmp_path: Path) -> None:
    good = _good(tmp_path)
    bad = _edit(good, INIT, local_name=b"p/__init__.pz")
    _refused(good, build(bad), tmp_path, "another name in its local header")


def test_a_local_method_other_than_the_central_one_is_refused(tmp_path: Path) -> None:
    good = _good(tmp_path)
    _refused(good, build(_edit(good, INIT, local_method=0)), tmp_path, "disagree")


def test_a_name_listed_twice_is_refused(tmp_path: Path) -> None:
    good = _good(tmp_path)
    entries = entries_of(good)
    _refused(good, build(entries, central=[*entries, entries[0]]), tmp_path, "listed twice")


def test_members_sharing_bytes_are_refused(tmp_path: Path) -> None:
    # p/inner.py is listed at an offset inside p/blob.bin's stored data: both pass RECORD
    inner = b"INNER = 1\n"
    good = _good(
        tmp_path, files={"p/inner.py": inner, "p/blob.bin": stored_local("p/inner.py", inner)}
    )
    data = overlapping(entries_of(good), "p/blob.bin", "p/inner.py")
    _refused(good, data, tmp_path, "overlaps the member before it")


def test_unlisted_bytes_between_members_are_refused(tmp_path: Path) -> None:
    good = _good(tmp_path)
    _refused(good, build(entries_of(good), gap_after=0), tmp_path, "16 unlisted bytes precede")


def test_an_encrypted_member_is_refused(tmp_path: Path) -> None:
    good = _good(tmp_path)
    _refused(good, build(_edit(good, INIT, flags=1)), tmp_path, "encrypted")


def test_an_unknown_compression_method_is_refused(tmp_path: Path) -> None:
    good = _good(tmp_path)
    bad = _edit(good, INIT, method=99, local_method=99)
    _refused(good, build(bad), tmp_path, "compression method 99")


def test_zip64_end_records_that_agree_are_accepted(tmp_path: Path) -> None:
    good = _good(tmp_path)
    good.write_bytes(build(entries_of(good), zip64=True))
    assert (unpack(good, tmp_path / "out").root / INIT).read_text() == "GOOD = 1\n"


def test_a_zip64_end_record_that_disagrees_is_refused(tmp_path: Path) -> None:
    good = _good(tmp_path)
    data = bytearray(build(entries_of(good), zip64=True))
    data[-14:-10] = b"\x01\x00\x01\x00"  # the plain end record: 1 entry, not "see ZIP64"
    _refused(good, bytes(data), tmp_path, "ZIP64 end record disagrees")


def test_data_descriptors_are_accepted(tmp_path: Path) -> None:
    good = _good(tmp_path)
    entries = [replace(e, flags=e.flags | 8, descriptor=True) for e in entries_of(good)]
    good.write_bytes(build(entries))
    assert (unpack(good, tmp_path / "out").root / INIT).read_text() == "GOOD = 1\n"


def test_a_data_descriptor_that_disagrees_is_refused(tmp_path: Path) -> None:
    good = _good(tmp_path)
    entries = entries_of(good)
    bad = [replace(e, flags=e.flags | 8, descriptor=True) for e in entries]
    data = bytearray(build(bad))
    first = data.index(b"PK\x07\x08")
    data[first + 4 : first + 8] = b"\x00\x00\x00\x00"  # the CRC
    _refused(good, bytes(data), tmp_path, "CRC or sizes differ")


def test_wheels_written_by_zipfile_in_every_form_are_accepted(tmp_path: Path) -> None:
    """Stored and deflated members, ZIP64 local headers, and data descriptors written by
    zipfile to a stream that cannot seek (as streaming wheel builders do)."""
    good = _good(tmp_path)
    with zipfile.ZipFile(good) as zf:
        members = [(i, zf.read(i)) for i in zf.infolist()]

    class Unseekable(io.RawIOBase):
        def __init__(self) -> None:
            self.buffer = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, data: bytes) -> int:  # type: ignore[override]
            self.buffer += data
            return len(data)

    sink = Unseekable()
    with zipfile.ZipFile(sink, "w") as zf:
        for n, (info, body) in enumerate(members):
            info.compress_type = zipfile.ZIP_STORED if n % 2 else zipfile.ZIP_DEFLATED
            with zf.open(info, "w", force_zip64=n == 0) as fh:
                fh.write(body)
    good.write_bytes(bytes(sink.buffer))
    assert b"PK\x07\x08" in sink.buffer
    assert (unpack(good, tmp_path / "out").root / INIT).read_text() == "GOOD = 1\n"


def test_the_stored_helper_round_trips(tmp_path: Path) -> None:
    good = _good(tmp_path)
    good.write_bytes(build([stored(e) for e in entries_of(good)]))
    assert (unpack(good, tmp_path / "out").root / INIT).read_text() == "GOOD = 1\n"
