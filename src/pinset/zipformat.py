"""The ZIP format as pinset reads it, and a strict check that an archive means one thing.

A zip can be read two ways: from the end (the *end of central directory* record, EOCD, points
to the *central directory*, which lists every member and the offset of its *local header*), as
Python's :mod:`zipfile` and pip do; or from the start, local header after local header, as
streaming unzippers do. Python's reader also tolerates bytes before the archive (it shifts every
offset) and finds the EOCD by searching backwards, so a wheel whose comment holds a second zip,
one with a second archive appended, or one behind a tar header, is read as *another* archive
than the one a streaming reader, a scanner or a reviewer sees.

:func:`check_archive` refuses every archive whose two readings could differ (learned from how
uv validates wheels; written here from the ZIP specification):

- the EOCD ends the file exactly (only its comment after it), and the comment holds no ZIP
  record signature; a ZIP64 end record and locator, when present, sit right before the EOCD
  and agree with it; one disk only;
- the central directory ends where the end records start and holds exactly the entries they
  announce, each name once;
- the members' local headers, in offset order, tile the file from offset 0 up to the central
  directory: no prefix, no gap, no overlap, no trailing data;
- each local header agrees with its central entry: name bytes, method, flags that change how a
  member is read, CRC-32 and sizes (or, with a data descriptor, the descriptor's values);
- no member is encrypted, and each uses a compression method :mod:`zipfile` reads.

Every number read is bounds-checked; any failure raises :class:`ZipLayoutError`.
"""

from __future__ import annotations

import io
import mmap
import os
import struct
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from pinset._dataclass import dataclass

EOCD_SIG = b"PK\x05\x06"
ZIP64_LOCATOR_SIG = b"PK\x06\x07"
ZIP64_EOCD_SIG = b"PK\x06\x06"
CENTRAL_SIG = b"PK\x01\x02"
LOCAL_SIG = b"PK\x03\x04"
DESCRIPTOR_SIG = b"PK\x07\x08"
SIGNATURES = (EOCD_SIG, ZIP64_LOCATOR_SIG, ZIP64_EOCD_SIG, CENTRAL_SIG, LOCAL_SIG, DESCRIPTOR_SIG)
EOCD_SIZE = 22
LOCATOR_SIZE = 20
ZIP64_EOCD_SIZE = 56
CENTRAL_SIZE = 46
LOCAL_SIZE = 30
MAX_COMMENT = 0xFFFF
MAX_CENTRAL_DIR = 256 * 1024 * 1024
READABLE_METHODS = {0: "stored", 8: "deflate", 12: "bzip2", 14: "lzma"}
"""The compression methods Python's zipfile reads."""
INFLATABLE_METHODS = frozenset({0, 8})
"""The methods :func:`inflate` reads itself (every wheel pip, uv or setuptools writes)."""
CHUNK = 1024 * 1024

_ENCRYPTED = 0x0001 | 0x0040 | 0x2000  # traditional, strong, masked local headers
_DESCRIPTOR = 0x0008
_UTF8 = 0x0800
_READ_FLAGS = _ENCRYPTED | _DESCRIPTOR | _UTF8  # flags that change how a member is read
_FULL32 = 0xFFFFFFFF

Buffer = bytes | mmap.mmap
"""A whole archive in memory, or mapped (slices of either are bytes)."""


LAYOUT_HINT = "its zip structure could be read as other files than those it lists; it was not used"


class ZipLayoutError(ValueError):
    """The archive is malformed or ambiguous; the message says why."""


class MemberTooLarge(ZipLayoutError):
    """A member's data inflates past the limit its reader set."""


class CentralEntry(NamedTuple):
    """One member as the central directory lists it (a named tuple: a wheel lists thousands,
    and a tuple is made in C, where a frozen dataclass sets each field in Python)."""

    name: bytes
    flags: int
    method: int
    crc: int
    compressed_size: int
    size: int
    offset: int
    zip64: bool
    external_attr: int = 0

    @property
    def shown(self) -> str:
        return self.name.decode("utf-8", errors="replace")

    @property
    def filename(self) -> str:
        """The name as :mod:`zipfile` decodes it: UTF-8 when the entry's flag says so, else
        code page 437 (UnicodeDecodeError, a ValueError, for invalid UTF-8)."""
        return self.name.decode("utf-8" if self.flags & _UTF8 else "cp437")


@dataclass(frozen=True)
class EndRecord:
    """Where the central directory is, and where it must end (the first end record)."""

    entries: int
    cd_size: int
    cd_offset: int
    cd_end: int


def zip64_extra(extra: bytes, values: list[int]) -> tuple[list[int], bool]:
    """``values`` (in the order the ZIP64 extra field stores them: size, compressed size,
    offset) with each 0xFFFFFFFF replaced from that field; True when the field was there."""
    pos = 0
    while pos + 4 <= len(extra):
        tag, length = struct.unpack_from("<HH", extra, pos)
        body = extra[pos + 4 : pos + 4 + length]
        if tag == 1:
            found = [v for (v,) in struct.iter_unpack("<Q", body[: len(body) // 8 * 8])]
            out = list(values)
            for i, current in enumerate(values):
                if current == _FULL32 and found:
                    out[i] = found.pop(0)
            return out, True
        pos += 4 + length
    return values, False


def check_archive(view: Buffer) -> list[CentralEntry]:
    """Every member of the zip held in ``data``, after checking that the archive has one
    reading only (see the module docstring); ZipLayoutError otherwise."""
    end = find_end(view)
    entries = read_central(view, end)
    check_local_headers(view, entries, end.cd_offset)
    return entries


def check_file(path: Path) -> list[CentralEntry]:
    """:func:`check_archive` on the file at ``path``, mapped rather than read into memory."""
    with mapped(path) as view:
        return check_archive(view)


@contextmanager
def mapped(path: Path) -> Iterator[mmap.mmap]:
    """The file at ``path`` mapped read-only (ZipLayoutError when it is empty: nothing to map)."""
    with open(path, "rb") as fh, map_fd(fh.fileno()) as view:
        yield view


@contextmanager
def map_fd(fd: int) -> Iterator[mmap.mmap]:
    """The open file ``fd`` mapped read-only (ZipLayoutError when it is empty)."""
    if os.fstat(fd).st_size == 0:
        raise ZipLayoutError("the file is empty")
    with mmap.mmap(fd, 0, access=mmap.ACCESS_READ) as view:
        yield view


class FileSlices:
    """An open file read by slices (``os.pread``): for member data read once, which a map
    would keep in the process's resident memory until it is closed (eight big wheels
    unpacked at once)."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._size = os.fstat(fd).st_size

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, span: slice) -> bytes:
        start, stop, _ = span.indices(self._size)
        parts: list[bytes] = []
        while start < stop:
            part = os.pread(self._fd, stop - start, start)
            if not part:
                break
            parts.append(part)
            start += len(part)
        return b"".join(parts)


Readable = Buffer | FileSlices
"""What members are read from: the archive in memory, mapped, or read by slices."""


def member_bytes(
    view: Readable, entry: CentralEntry, limit: int, source: Path | bytes
) -> Iterator[bytes]:
    """``entry``'s bytes in pieces, as :func:`inflate` gives them; a member compressed with a
    method it does not read (bzip2, lzma: no common tool writes them) is read by
    :mod:`zipfile` from ``source`` (the archive's path or bytes), under the same ``limit``."""
    if entry.method in INFLATABLE_METHODS:
        return inflate(view, entry, limit)
    return _through_zipfile(source, entry, limit)


def _through_zipfile(source: Path | bytes, entry: CentralEntry, limit: int) -> Iterator[bytes]:
    import lzma  # only for these rare methods: not imported by every run
    import zipfile

    produced = 0
    try:
        with (
            zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as zf,
            zf.open(entry.filename) as src,
        ):
            while piece := src.read(CHUNK):
                produced += len(piece)
                if produced > limit:
                    raise MemberTooLarge(f"{entry.shown!r} is larger than {limit} bytes")
                yield piece
    except (zipfile.BadZipFile, EOFError, RuntimeError, NotImplementedError, OSError) as exc:
        raise ZipLayoutError(f"{entry.shown!r}: {exc}") from exc
    except lzma.LZMAError as exc:
        raise ZipLayoutError(f"{entry.shown!r}: {exc}") from exc


def inflate(view: Readable, entry: CentralEntry, limit: int) -> Iterator[bytes]:
    """``entry``'s uncompressed bytes, read from ``view`` (an archive :func:`check_archive`
    accepted) in pieces of at most :data:`CHUNK` bytes, so memory stays bounded whatever the
    data claims. ZipLayoutError when they pass ``limit`` bytes (checked before a piece is
    given), when the deflate stream is corrupt or ends early, when the CRC-32 differs from the
    directory's, or when the method is not one of :data:`INFLATABLE_METHODS`."""
    if entry.method not in INFLATABLE_METHODS:
        raise ZipLayoutError(f"{entry.shown!r}: compression method {entry.method} not supported")
    (name_len, extra_len) = struct.unpack("<HH", view[entry.offset + 26 : entry.offset + 30])
    start = entry.offset + LOCAL_SIZE + name_len + extra_len
    produced = crc = 0
    for piece in _output(view, start, start + entry.compressed_size, entry):
        produced += len(piece)
        if produced > limit:
            raise MemberTooLarge(f"{entry.shown!r} is larger than {limit} bytes")
        crc = zlib.crc32(piece, crc)
        yield piece
    if crc != entry.crc:
        raise ZipLayoutError(f"{entry.shown!r}: its CRC-32 does not match the directory's")


def _output(view: Readable, start: int, stop: int, entry: CentralEntry) -> Iterator[bytes]:
    if entry.method == 0:
        for pos in range(start, stop, CHUNK):
            yield view[pos : min(pos + CHUNK, stop)]
        return
    inflater = zlib.decompressobj(-15)
    for pos in range(start, stop, CHUNK):
        yield from _pieces(inflater, view[pos : min(pos + CHUNK, stop)])
    if not inflater.eof:
        yield from _pieces(inflater, b"")  # output held back by the size cap
    if not inflater.eof:
        raise ZipLayoutError(f"{entry.shown!r}: its compressed data ends early")


def _pieces(inflater: zlib._Decompress, data: bytes) -> Iterator[bytes]:
    """Feed ``data`` to ``inflater``, taking its output :data:`CHUNK` bytes at a time."""
    try:
        while True:
            piece = inflater.decompress(data, CHUNK)
            data = inflater.unconsumed_tail
            if piece:
                yield piece
            if inflater.eof or (not data and len(piece) < CHUNK):
                return
    except zlib.error as exc:
        raise ZipLayoutError(f"corrupt compressed data: {exc}") from exc


def find_end(view: Buffer, base: int = 0) -> EndRecord:
    """The end records of the archive that ``view`` ends (``view`` holds the file from offset
    ``base``: the whole file, or a tail of it), checked to end the file exactly. Positions
    returned are offsets in the file."""
    size = len(view)
    start = max(0, size - EOCD_SIZE - MAX_COMMENT)
    pos = view[start:].rfind(EOCD_SIG)
    if pos < 0 or start + pos + EOCD_SIZE > size:
        raise ZipLayoutError("no end of central directory record")
    pos += start
    if _outer_end(view, start, pos):
        raise ZipLayoutError("the archive comment holds another archive")
    _, disk, cd_disk, on_disk, entries, cd_size, cd_offset, comment_len = struct.unpack_from(
        "<4s4H2LH", view, pos
    )
    comment = view[pos + EOCD_SIZE :]
    if len(comment) != comment_len:
        raise ZipLayoutError(f"{len(comment)} bytes follow the archive's end record")
    if any(sig in comment for sig in SIGNATURES):
        raise ZipLayoutError("the archive comment holds zip records (another archive)")
    if disk or cd_disk or on_disk != entries:
        raise ZipLayoutError("archives split over several disks are not supported")
    if _FULL32 in (cd_size, cd_offset) or entries == 0xFFFF or _has_locator(view, pos):
        return _zip64_end(view, base, pos, (entries, cd_size, cd_offset))
    return EndRecord(entries, cd_size, cd_offset, base + pos)


def _outer_end(view: Buffer, start: int, last: int) -> bool:
    """True when an end record before ``last`` has a comment reaching the end of the file
    (the record found last is then inside that comment)."""
    region = view[start:last]
    pos = region.rfind(EOCD_SIG)
    while pos >= 0:
        at = start + pos
        (comment_len,) = struct.unpack_from("<H", view, at + EOCD_SIZE - 2)
        if at + EOCD_SIZE + comment_len == len(view):
            return True
        pos = region.rfind(EOCD_SIG, 0, pos)
    return False


def _has_locator(view: Buffer, eocd_at: int) -> bool:
    at = eocd_at - LOCATOR_SIZE
    return at >= 0 and view[at : at + 4] == ZIP64_LOCATOR_SIG


def _zip64_end(view: Buffer, base: int, eocd_at: int, plain: tuple[int, int, int]) -> EndRecord:
    at = eocd_at - LOCATOR_SIZE
    if not _has_locator(view, eocd_at):
        raise ZipLayoutError("the ZIP64 end record locator is missing")
    _, disk, record_abs, disks = struct.unpack_from("<4sLQL", view, at)
    if disk != 0 or disks != 1:
        raise ZipLayoutError("archives split over several disks are not supported")
    record_at = record_abs - base
    if record_at < 0 or record_at + ZIP64_EOCD_SIZE > at:
        raise ZipLayoutError("the ZIP64 end record is not where its locator says")
    if view[record_at : record_at + 4] != ZIP64_EOCD_SIG:
        raise ZipLayoutError("the ZIP64 end record is not where its locator says")
    fields = struct.unpack_from("<4sQ2H2L4Q", view, record_at)
    record_size, disk, cd_disk, on_disk, entries, cd_size, cd_offset = (
        fields[1],
        *fields[4:],
    )
    if record_at + 12 + record_size != at:
        raise ZipLayoutError("data between the ZIP64 end record and its locator")
    if disk or cd_disk or on_disk != entries:
        raise ZipLayoutError("archives split over several disks are not supported")
    placeholders = (0xFFFF, _FULL32, _FULL32)
    for small, large, full in zip(plain, (entries, cd_size, cd_offset), placeholders, strict=True):
        if small not in (full, large):
            raise ZipLayoutError("the ZIP64 end record disagrees with the end record")
    return EndRecord(entries, cd_size, cd_offset, record_abs)


def check_bounds(end: EndRecord) -> None:
    """The central directory ends where the end records start, and is of a plausible size."""
    if end.cd_offset + end.cd_size < end.cd_end:
        extra = end.cd_end - end.cd_offset - end.cd_size
        raise ZipLayoutError(f"{extra} bytes precede the archive (a prefix or another archive)")
    if end.cd_offset + end.cd_size != end.cd_end:
        raise ZipLayoutError("the central directory overlaps the end records")
    if end.cd_size > MAX_CENTRAL_DIR or end.entries > end.cd_size // CENTRAL_SIZE:
        raise ZipLayoutError("the central directory is implausibly large")


def read_central(
    view: Buffer, end: EndRecord, base: int = 0, keep: Callable[[bytes], bool] | None = None
) -> list[CentralEntry]:
    """The central directory's entries (``view`` holds the file from offset ``base``, at
    least the whole directory), checked to fill exactly the space the end records give it,
    each name once, none encrypted or compressed in a way zipfile cannot read. ``keep``: only
    the entries whose name it accepts are returned (every entry is checked all the same: a
    wheel lists thousands, and a lazy read wants one)."""
    check_bounds(end)
    entries: list[CentralEntry] = []
    names: set[bytes] = set()
    pos, stop = end.cd_offset - base, end.cd_end - base
    if pos < 0 or stop > len(view):
        raise ZipLayoutError("the central directory is not in the bytes read")
    unpack = _CENTRAL.unpack_from
    for _ in range(end.entries):  # one loop, no call per entry: the hot path of a lazy read
        if pos + CENTRAL_SIZE > stop:
            raise ZipLayoutError("corrupt central directory")
        fields = unpack(view, pos)
        name_end = pos + CENTRAL_SIZE + fields[10]
        extra_len = fields[11]
        following = name_end + extra_len + fields[12]
        if fields[0] != CENTRAL_SIG or following > stop:
            raise ZipLayoutError("corrupt central directory")
        name = view[pos + CENTRAL_SIZE : name_end]
        if name in names:
            raise ZipLayoutError(f"{_shown(name)!r} is listed twice in the central directory")
        names.add(name)
        if fields[3] & _ENCRYPTED or fields[4] not in READABLE_METHODS:
            raise _unreadable(name, fields[3], fields[4])
        kept = keep is None or keep(name)
        if extra_len or fields[13] or kept:  # most wheels' entries: neither, nor kept
            entry = _entry(fields, name, view[name_end : name_end + extra_len])
            if kept:
                entries.append(entry)
        pos = following
    if pos != stop:
        raise ZipLayoutError("the central directory holds more than its entries")
    return entries


_CENTRAL = struct.Struct("<4s6H3L5H2L")
"""A central directory entry's fixed part: signature, versions, flags, method, time, date,
CRC-32, sizes, name, extra and comment lengths, disk, attributes, local header offset."""


def _entry(fields: tuple[Any, ...], name: bytes, extra: bytes) -> CentralEntry:
    """The entry of a central directory record (its fixed ``fields``, name and extra field),
    its ZIP64 values read; ZipLayoutError when it starts on another disk."""
    usize, csize, offset, zip64 = fields[9], fields[8], fields[16], False
    if extra:
        (usize, csize, offset), zip64 = zip64_extra(extra, [usize, csize, offset])
    disk = fields[13]
    if disk != 0 and not (disk == 0xFFFF and zip64):
        raise ZipLayoutError("archives split over several disks are not supported")
    return CentralEntry(
        name, fields[3], fields[4], fields[7], csize, usize, offset, zip64, fields[15]
    )


def _unreadable(name: bytes, flags: int, method: int) -> ZipLayoutError:
    if flags & _ENCRYPTED:
        return ZipLayoutError(f"{_shown(name)!r} is encrypted")
    return ZipLayoutError(f"{_shown(name)!r} uses compression method {method}")


def _shown(name: bytes) -> str:
    return name.decode("utf-8", errors="replace")


def check_local_headers(view: Buffer, entries: list[CentralEntry], cd_offset: int) -> None:
    """Members' local headers and data, in offset order, fill ``[0, cd_offset)`` exactly and
    each agrees with its central entry."""
    expected = 0
    for entry in sorted(entries, key=lambda e: e.offset):
        if entry.offset != expected:
            raise ZipLayoutError(_misplaced(entry, expected))
        expected = _local_end(view, entry, cd_offset)
    if expected != cd_offset:
        if not entries:
            raise ZipLayoutError(f"{cd_offset} bytes precede an empty central directory")
        raise ZipLayoutError(f"{cd_offset - expected} bytes follow the last member's data")


def _misplaced(entry: CentralEntry, expected: int) -> str:
    if expected == 0:
        return f"{entry.offset} bytes precede the first member (a prefix or another archive)"
    if entry.offset < expected:
        return f"{entry.shown!r} overlaps the member before it"
    return f"{entry.offset - expected} unlisted bytes precede {entry.shown!r}"


def _local_end(view: Buffer, entry: CentralEntry, limit: int) -> int:
    """Where ``entry``'s local header, data and data descriptor end, after checking that the
    header agrees with the central entry."""
    pos = entry.offset
    if pos + LOCAL_SIZE > limit or view[pos : pos + 4] != LOCAL_SIG:
        raise ZipLayoutError(f"{entry.shown!r} has no local header where listed")
    fields = struct.unpack_from("<4s5H3L2H", view, pos)
    flags, method, crc, csize, usize, name_len, extra_len = fields[2], fields[3], *fields[6:]
    data_at = pos + LOCAL_SIZE + name_len + extra_len
    if data_at > limit:
        raise ZipLayoutError(f"{entry.shown!r}: local header out of bounds")
    if view[pos + LOCAL_SIZE : pos + LOCAL_SIZE + name_len] != entry.name:
        raise ZipLayoutError(f"{entry.shown!r} has another name in its local header")
    if method != entry.method or (flags ^ entry.flags) & _READ_FLAGS:
        raise ZipLayoutError(f"{entry.shown!r}: local header and central directory disagree")
    extra = view[data_at - extra_len : data_at]
    (usize, csize), zip64 = zip64_extra(extra, [usize, csize])
    data_end: int = data_at + entry.compressed_size
    if data_end > limit:
        raise ZipLayoutError(f"{entry.shown!r}: data out of bounds")
    local = (crc, csize, usize)
    if not flags & _DESCRIPTOR:
        _same_values(entry, local)
        return data_end
    if local not in ((0, 0, 0), (entry.crc, entry.compressed_size, entry.size)):
        _same_values(entry, local)
    return _descriptor_end(view, entry, data_end, limit, zip64=zip64 or entry.zip64)


def _same_values(entry: CentralEntry, values: tuple[int, int, int]) -> None:
    if values != (entry.crc, entry.compressed_size, entry.size):
        raise ZipLayoutError(
            f"{entry.shown!r}: CRC or sizes differ between its local header and the central "
            "directory"
        )


def _descriptor_end(view: Buffer, entry: CentralEntry, pos: int, limit: int, *, zip64: bool) -> int:
    """The end of the data descriptor at ``pos``, after checking its values."""
    signed = view[pos : pos + 4] == DESCRIPTOR_SIG
    start = pos + 4 if signed else pos
    layout = "<LQQ" if zip64 else "<LLL"
    stop = start + struct.calcsize(layout)
    if stop > limit:
        raise ZipLayoutError(f"{entry.shown!r}: data descriptor out of bounds")
    _same_values(entry, struct.unpack_from(layout, view, start))
    return stop
