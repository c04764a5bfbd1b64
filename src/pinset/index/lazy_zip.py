"""Read one member of a remote zip (a wheel) with HTTP Range requests.

A zip ends with the *end of central directory* record (EOCD, 22 bytes plus a comment of at most
64 KiB; ZIP64 archives add a locator and a ZIP64 EOCD before it). The EOCD gives the offset and
size of the *central directory*, which lists every member with its compression method, sizes,
CRC-32 and the offset of its *local header*. So: fetch the tail, parse EOCD and central
directory (fetching more if the directory starts before the tail), then fetch only the local
header and compressed bytes of the wanted member, inflate and check its CRC.

Every number read is bounds-checked against the file size; any inconsistency raises
:class:`ZipFormatError` (callers fall back to downloading the whole file).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from pinset.zipformat import (
    CENTRAL_SIG,
    EOCD_SIG,
    LOCAL_SIG,
    ZIP64_EOCD_SIG,
    ZIP64_LOCATOR_SIG,
    zip64_extra,
)

TAIL_BYTES = 64 * 1024 + 22 + 20 + 56
MAX_CENTRAL_DIR = 64 * 1024 * 1024
MAX_MEMBER = 32 * 1024 * 1024

Fetch = Callable[[int, int], bytes]
"""``fetch(start, end_inclusive)`` → exactly those bytes of the remote file."""


class ZipFormatError(ValueError):
    """The bytes are not a zip pinset can read lazily."""


@dataclass(frozen=True)
class Member:
    name: str
    method: int
    crc: int
    compressed_size: int
    size: int
    header_offset: int


@dataclass(frozen=True)
class Tail:
    """The last bytes of a file of ``size`` bytes, starting at ``offset``."""

    data: bytes
    offset: int
    size: int

    def slice(self, start: int, length: int) -> bytes | None:
        if start < self.offset or start + length > self.size:
            return None
        lo = start - self.offset
        return self.data[lo : lo + length]


def _directory_bounds(tail: Tail) -> tuple[int, int, int]:
    """(offset, size, entries) of the central directory, from the EOCD in ``tail``."""
    pos = tail.data.rfind(EOCD_SIG)
    if pos < 0 or len(tail.data) - pos < 22:
        raise ZipFormatError("no end of central directory record")
    _, _, _, _, entries, cd_size, cd_offset, _ = struct.unpack(
        "<4s4H2LH", tail.data[pos : pos + 22]
    )
    if 0xFFFFFFFF in (cd_size, cd_offset) or entries == 0xFFFF:
        return _zip64_bounds(tail, tail.offset + pos)
    return cd_offset, cd_size, entries


def _zip64_bounds(tail: Tail, eocd_at: int) -> tuple[int, int, int]:
    locator = tail.slice(eocd_at - 20, 20)
    if locator is None or locator[:4] != ZIP64_LOCATOR_SIG:
        raise ZipFormatError("ZIP64 locator missing")
    (record_at,) = struct.unpack("<Q", locator[8:16])
    record = tail.slice(record_at, 56)
    if record is None or record[:4] != ZIP64_EOCD_SIG:
        raise ZipFormatError("ZIP64 end of central directory not in the tail")
    entries, cd_size, cd_offset = struct.unpack("<QQQ", record[32:56])
    return cd_offset, cd_size, entries


def parse_directory(data: bytes, entries: int) -> list[Member]:
    members: list[Member] = []
    pos = 0
    for _ in range(entries):
        if data[pos : pos + 4] != CENTRAL_SIG or pos + 46 > len(data):
            raise ZipFormatError("corrupt central directory")
        fields = struct.unpack("<4s6H3L5H2L", data[pos : pos + 46])
        method, crc, csize, usize = fields[4], fields[7], fields[8], fields[9]
        name_len, extra_len, comment_len, offset = fields[10], fields[11], fields[12], fields[16]
        name_end = pos + 46 + name_len
        name = data[pos + 46 : name_end].decode("utf-8", errors="replace")
        extra = data[name_end : name_end + extra_len]
        (usize, csize, offset), _ = zip64_extra(extra, [usize, csize, offset])
        members.append(Member(name, method, crc, csize, usize, offset))
        pos = name_end + extra_len + comment_len
    return members


def read_directory(tail: Tail, fetch: Fetch) -> list[Member]:
    """Every member listed in the central directory."""
    cd_offset, cd_size, entries = _directory_bounds(tail)
    if cd_size > MAX_CENTRAL_DIR or cd_offset + cd_size > tail.size or entries > cd_size // 46:
        raise ZipFormatError("central directory out of bounds")
    data = tail.slice(cd_offset, cd_size)
    if data is None:
        data = fetch(cd_offset, cd_offset + cd_size - 1)
    return parse_directory(data, entries)


def read_member(member: Member, size: int, fetch: Fetch) -> bytes:
    """The uncompressed bytes of ``member``, CRC-checked."""
    if member.size > MAX_MEMBER or member.compressed_size > MAX_MEMBER:
        raise ZipFormatError(f"{member.name} is too large")
    guess = 30 + len(member.name.encode()) + 512 + member.compressed_size
    end = min(size, member.header_offset + guess) - 1
    if member.header_offset + 30 > size:
        raise ZipFormatError("local header out of bounds")
    chunk = fetch(member.header_offset, end)
    if chunk[:4] != LOCAL_SIG or len(chunk) < 30:
        raise ZipFormatError("corrupt local header")
    method, name_len, extra_len = struct.unpack("<H16xHH", chunk[8:30])
    if chunk[30 : 30 + name_len].decode("utf-8", "replace") != member.name or (
        method != member.method
    ):
        raise ZipFormatError(f"{member.name}: local header and central directory disagree")
    start = 30 + name_len + extra_len
    stop = start + member.compressed_size
    if member.header_offset + stop > size:
        raise ZipFormatError("member data out of bounds")
    if stop > len(chunk):
        chunk += fetch(member.header_offset + len(chunk), member.header_offset + stop - 1)
    return _inflate(member, chunk[start:stop])


def _inflate(member: Member, raw: bytes) -> bytes:
    if member.method == 0:
        data = raw
    elif member.method == 8:
        inflater = zlib.decompressobj(-15)
        try:
            data = inflater.decompress(raw, MAX_MEMBER + 1)
        except zlib.error as exc:
            raise ZipFormatError(f"cannot inflate {member.name}: {exc}") from exc
    else:
        raise ZipFormatError(f"{member.name}: compression method {member.method} not supported")
    if len(data) != member.size or zlib.crc32(data) != member.crc:
        raise ZipFormatError(f"{member.name}: size or CRC does not match the directory")
    return data
