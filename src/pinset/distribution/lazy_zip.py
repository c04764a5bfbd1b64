"""Read one member of a remote zip (a wheel) with HTTP Range requests.

A zip ends with the *end of central directory* record (EOCD, 22 bytes plus a comment of at most
64 KiB; ZIP64 archives add a locator and a ZIP64 EOCD before it). The EOCD gives the offset and
size of the *central directory*, which lists every member with its compression method, sizes,
CRC-32 and the offset of its *local header*. So: fetch the tail, parse EOCD and central
directory (fetching more if the directory starts before the tail), then take the local header
and compressed bytes of the wanted member (from the tail when it holds them, else fetched),
inflate and check its CRC.

The end records and the directory are parsed and checked by :mod:`pinset.zipformat`, as a
whole wheel is before it is installed (the end record ends the file, no comment holding
another archive, no prefix); the member's local header must name it with its method. Every
number read is bounds-checked against the file size; any inconsistency raises
:class:`ZipFormatError` (callers fall back to downloading the whole file, which the full check
then refuses).
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import NamedTuple

from pinset._dataclass import dataclass
from pinset.zipformat import (
    LOCAL_SIG,
    CentralEntry,
    ZipLayoutError,
    check_bounds,
    find_end,
    inflate,
    read_central,
)

TAIL_BYTES = 64 * 1024 + 22 + 20 + 56
LARGE_TAIL_SHARE = 40
"""Of a large wheel, the last 1/40 is asked for first: a wheel of thousands of files has a
central directory larger than :data:`TAIL_BYTES`, and its METADATA just before it (of a cold
large resolve's 153 wheels, 14 needed a second request and 9 a third: scipy's directory and
METADATA lie in its last 0.6 %, botocore's 1.7 %, pandas' 2 %)."""
MAX_TAIL = 1024 * 1024
MAX_CENTRAL_DIR = 64 * 1024 * 1024
MAX_MEMBER = 32 * 1024 * 1024

Fetch = Callable[[int, int], bytes]
"""``fetch(start, end_inclusive)`` → exactly those bytes of the remote file."""


class ZipFormatError(ValueError):
    """The bytes are not a zip pinset can read lazily."""


class Member(NamedTuple):
    """One member of the central directory, as read lazily (a named tuple: a wheel lists
    thousands, every one read for the one METADATA)."""

    name: str
    method: int
    crc: int
    compressed_size: int
    size: int
    header_offset: int


def tail_bytes(size: int | None) -> int:
    """How many of the last bytes of a file of ``size`` bytes (None: not known) to ask for
    first: the end records' :data:`TAIL_BYTES` at least, and of a large wheel the share that
    usually holds its central directory and METADATA, at most :data:`MAX_TAIL`."""
    if size is None:
        return TAIL_BYTES
    return max(TAIL_BYTES, min(size // LARGE_TAIL_SHARE, MAX_TAIL))


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


def read_directory(
    tail: Tail, fetch: Fetch, keep: Callable[[bytes], bool] | None = None
) -> list[Member]:
    """Every member listed in the central directory (``keep``: only those whose name, as
    bytes, it accepts), after the checks a whole-file read makes of the end records and the
    whole directory (:mod:`pinset.zipformat`): a comment holding another archive, an archive
    appended or prefixed, are refused here too."""
    try:
        end = find_end(tail.data, tail.offset)
        check_bounds(end)
        if end.cd_size > MAX_CENTRAL_DIR:
            raise ZipFormatError("central directory out of bounds")
        data = tail.slice(end.cd_offset, end.cd_size)
        if data is None:
            data = fetch(end.cd_offset, end.cd_offset + end.cd_size - 1)
        entries = read_central(data, end, base=end.cd_offset, keep=keep)
    except ZipLayoutError as exc:
        raise ZipFormatError(str(exc)) from exc
    return [Member(e.shown, e.method, e.crc, e.compressed_size, e.size, e.offset) for e in entries]


def read_member(member: Member, tail: Tail, fetch: Fetch) -> bytes:
    """The uncompressed bytes of ``member``, CRC-checked; read from ``tail`` when it holds
    them (a wheel's METADATA usually lies in its last 64 KiB: no request), else fetched."""
    size = tail.size

    def read(start: int, end: int) -> bytes:
        held = tail.slice(start, end - start + 1)
        return held if held is not None else fetch(start, end)

    if member.size > MAX_MEMBER or member.compressed_size > MAX_MEMBER:
        raise ZipFormatError(f"{member.name} is too large")
    guess = 30 + len(member.name.encode()) + 512 + member.compressed_size
    end = min(size, member.header_offset + guess) - 1
    if member.header_offset + 30 > size:
        raise ZipFormatError("local header out of bounds")
    chunk = read(member.header_offset, end)
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
        chunk += read(member.header_offset + len(chunk), member.header_offset + stop - 1)
    return _inflate(member, chunk)


def _inflate(member: Member, local: bytes) -> bytes:
    """The member's bytes from ``local`` (its local header, then at least its data)."""
    entry = CentralEntry(
        member.name.encode(),
        0,
        member.method,
        member.crc,
        member.compressed_size,
        member.size,
        0,
        False,
    )
    try:
        data = b"".join(inflate(local, entry, MAX_MEMBER))
    except ZipLayoutError as exc:
        raise ZipFormatError(f"cannot inflate {member.name}: {exc}") from exc
    if len(data) != member.size:
        raise ZipFormatError(f"{member.name}: size or CRC does not match the directory")
    return data
