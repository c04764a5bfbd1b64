"""Craft zip archives byte by byte: a well-formed wheel taken apart and put back together with
one thing wrong, for the archive-layout checks (a comment holding a second archive, a second
archive appended, a tar header in front, local and central headers that disagree, overlapping
members, encryption flags, unknown compression, ZIP64 end records, data descriptors).

:func:`entries_of` reads a wheel written by :func:`tests.helpers.dists.make_wheel` (no data
descriptors) into :class:`RawEntry` values; :func:`build` writes entries back as a zip, with
whatever each entry's fields say in its local header and in the central directory.
Written independently of pinset's reader, so a test does not check the code with itself.
"""

from __future__ import annotations

import io
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path


@dataclass(frozen=True)
class RawEntry:
    """One member: the same values go to the local header and the central directory unless a
    ``local_*`` field says otherwise; ``offset`` overrides the central directory's offset."""

    name: bytes
    data: bytes  # as stored (compressed)
    method: int
    crc: int
    size: int
    flags: int = 0
    external_attr: int = 0o644 << 16
    local_name: bytes | None = None
    local_sizes: tuple[int, int, int] | None = None  # (crc, compressed, size)
    local_method: int | None = None
    offset: int | None = None
    descriptor: bool = False  # write a signed data descriptor after the data

    @property
    def compressed_size(self) -> int:
        return len(self.data)


def entries_of(path: Path) -> list[RawEntry]:
    """The members of a simple zip file (no data descriptors, no ZIP64) in file order."""
    raw = path.read_bytes()
    out: list[RawEntry] = []
    with zipfile.ZipFile(path) as zf:
        for info in sorted(zf.infolist(), key=lambda i: i.header_offset):
            pos = info.header_offset
            name_len, extra_len = struct.unpack_from("<HH", raw, pos + 26)
            start = pos + 30 + name_len + extra_len
            out.append(
                RawEntry(
                    name=info.filename.encode("utf-8"),
                    data=raw[start : start + info.compress_size],
                    method=info.compress_type,
                    crc=info.CRC,
                    size=info.file_size,
                    flags=info.flag_bits,
                    external_attr=info.external_attr,
                )
            )
    return out


def _local(entry: RawEntry) -> bytes:
    name = entry.name if entry.local_name is None else entry.local_name
    crc, csize, size = entry.local_sizes or (entry.crc, entry.compressed_size, entry.size)
    if entry.descriptor and entry.local_sizes is None:
        crc, csize, size = 0, 0, 0
    method = entry.method if entry.local_method is None else entry.local_method
    header = struct.pack(
        "<4s5H3L2H", b"PK\x03\x04", 20, entry.flags, method, 0, 0x5021, crc, csize, size,
        len(name), 0,
    )  # fmt: skip
    body = header + name + entry.data
    if entry.descriptor:
        body += struct.pack("<4s3L", b"PK\x07\x08", entry.crc, entry.compressed_size, entry.size)
    return body


def _central(entry: RawEntry, offset: int) -> bytes:
    header = struct.pack(
        "<4s6H3L5H2L", b"PK\x01\x02", 0x0314, 20, entry.flags, entry.method, 0, 0x5021,
        entry.crc, entry.compressed_size, entry.size, len(entry.name), 0, 0, 0, 0,
        entry.external_attr, offset,
    )  # fmt: skip
    return header + entry.name


def _end(count: int, cd_size: int, cd_offset: int, comment: bytes) -> bytes:
    return (
        struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, cd_size, cd_offset, len(comment))
        + comment
    )


def _zip64_end(count: int, cd_size: int, cd_offset: int, comment: bytes) -> bytes:
    record_at = cd_offset + cd_size
    record = struct.pack(
        "<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, cd_size, cd_offset
    )
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, record_at, 1)
    plain = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, len(comment)
    )
    return record + locator + plain + comment


def build(
    entries: Sequence[RawEntry],
    *,
    comment: bytes = b"",
    gap_after: int | None = None,
    zip64: bool = False,
    central: Sequence[RawEntry] | None = None,
) -> bytes:
    """A zip of ``entries`` in this order. ``gap_after``: index of an entry followed by 16
    stray bytes; ``central``: the entries the central directory lists (default: the same);
    ``zip64``: end with ZIP64 end records."""
    out = io.BytesIO()
    offsets: dict[bytes, int] = {}
    for i, entry in enumerate(entries):
        offsets.setdefault(entry.name, out.tell())
        out.write(_local(entry))
        if i == gap_after:
            out.write(b"\x00" * 16)
    cd_offset = out.tell()
    for entry in central if central is not None else entries:
        offset = entry.offset if entry.offset is not None else offsets[entry.name]
        out.write(_central(entry, offset))
    cd_size = out.tell() - cd_offset
    count = len(central if central is not None else entries)
    out.write((_zip64_end if zip64 else _end)(count, cd_size, cd_offset, comment))
    return out.getvalue()


def as_tar(archive: bytes, name: str = "wheel.whl") -> bytes:
    """A real tar file whose one member is ``archive`` (header before it, padding after)."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        info = tarfile.TarInfo(name)
        info.size = len(archive)
        info.mtime = 1577836800
        tar.addfile(info, io.BytesIO(archive))
    return out.getvalue()


def stored(entry: RawEntry) -> RawEntry:
    """``entry`` stored uncompressed (its data inflated when it was deflated)."""
    if entry.method == 0:
        return entry
    content = zlib.decompress(entry.data, -15)
    return replace(entry, data=content, method=0, crc=zlib.crc32(content), size=len(content))


def stored_local(name: str, content: bytes) -> bytes:
    """The local header and data of ``name`` stored uncompressed (to hide inside a member)."""
    entry = RawEntry(name.encode(), content, 0, zlib.crc32(content), len(content))
    return _local(entry)


def overlapping(entries: Sequence[RawEntry], container: str, inner: str) -> bytes:
    """A zip whose member ``inner`` is not written on its own: the central directory points
    into the data of ``container`` (written first, stored), whose content must be
    ``stored_local(inner, <inner's content>)``, so two members share the same bytes."""
    by_name = {e.name.decode(): e for e in entries}
    outer = stored(by_name[container])
    hidden = replace(stored(by_name[inner]), offset=30 + len(outer.name))
    others = [e for e in entries if e.name.decode() not in (container, inner)]
    return build([outer, *others], central=[outer, hidden, *others])
