"""A candidate's core metadata by the cheapest way the source allows.

1. The PEP 658/714 metadata file (``<file>.metadata``) when the index offers one; its hash is
   verified when the index gave one (a mismatch is an :class:`IntegrityError`).
   A local (``file:``) wheel is simply opened in place.
2. For a remote wheel: its ``*.dist-info/METADATA`` read with HTTP Range requests (tail → central
   directory → that one member; see :mod:`pinset.distribution.lazy_zip`).
3. Else the whole wheel, downloaded and verified against the index's hashes.

Source distributions give ``None``: their metadata needs a build (the caller's job).
The metadata's Name and Version must match the candidate's, as pip insists.
"""

from __future__ import annotations

import hashlib
import re
import struct
import tempfile
from contextlib import ExitStack
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from pinset.core_metadata import CoreMetadata
from pinset.distribution.download import download_candidate, index_hashes
from pinset.distribution.lazy_zip import (
    MAX_MEMBER,
    Member,
    Tail,
    ZipFormatError,
    read_directory,
    read_member,
    tail_bytes,
)
from pinset.dists import Candidate
from pinset.errors import IntegrityError, NetworkError
from pinset.index.sources import IndexClient, IndexResponse
from pinset.redaction import redact_url
from pinset.urls import url_to_path
from pinset.zipformat import LAYOUT_HINT, ZipLayoutError, check_archive, mapped, member_bytes

_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+)")


def fetch_metadata(
    client: IndexClient, candidate: Candidate, *, dest_dir: Path | None = None
) -> CoreMetadata | None:
    """The METADATA of ``candidate`` (None for an sdist).

    ``dest_dir``: where to keep the wheel when it has to be downloaded whole (else a temporary
    directory, removed afterwards).
    """
    if not candidate.is_wheel:
        return None
    data = _from_metadata_file(client, candidate)
    if data is None and candidate.link.is_file_url:
        data = _from_local_file(candidate)
    if data is None:
        data = _from_ranges(client, candidate)
    if data is None:
        data = _from_download(client, candidate, dest_dir)
    return _parse_checked(data, candidate)


def metadata_from_wheel(path: Path, candidate: Candidate) -> CoreMetadata:
    """The METADATA of ``candidate`` read from its wheel file at ``path`` (already verified by
    the caller), checked against the candidate's name and version."""
    return _parse_checked(_read_from_zip(path, candidate), candidate)


def metadata_from_bytes(data: bytes, candidate: Candidate) -> CoreMetadata:
    """``candidate``'s METADATA from its bytes (read from a verified source), checked against
    the candidate's name and version."""
    return _parse_checked(data, candidate)


def _from_metadata_file(client: IndexClient, candidate: Candidate) -> bytes | None:
    link = candidate.link
    url = link.metadata_url
    if url is None:
        return None
    try:
        response: IndexResponse = client.get(url)
    except NetworkError:
        return None
    if response.status != 200 or len(response.body) > MAX_MEMBER:
        return None
    for algo, expected in link.metadata or ():
        if algo in hashlib.algorithms_guaranteed:
            got = hashlib.new(algo, response.body).hexdigest()
            if got != expected:
                raise IntegrityError(
                    f"hash mismatch for the metadata of {candidate} ({redact_url(url)})",
                    note=f"expected {algo}: {expected}\n     got {algo}: {got}",
                    hint="the index serves metadata that does not match what it announced",
                )
    return response.body


def _from_local_file(candidate: Candidate) -> bytes | None:
    """A local wheel is opened in place (its hashes are checked when it is installed)."""
    path = url_to_path(candidate.link.url_without_fragment)
    return _read_from_zip(path, candidate) if path.is_file() else None


def _from_ranges(client: IndexClient, candidate: Candidate) -> bytes | None:
    """METADATA via Range requests; the whole file when the server ignores ranges."""
    url = candidate.link.url_without_fragment
    try:
        first: IndexResponse = client.get_range(url, -tail_bytes(candidate.link.size), None)
    except NetworkError:
        return None
    if first.status == 200:
        return _whole_file_metadata(first.body, candidate)
    size = _total_size(first)
    if first.status != 206 or size is None:
        return None
    tail = Tail(first.body, size - len(first.body), size)

    def fetch(start: int, end: int) -> bytes:
        part: IndexResponse = client.get_range(url, start, end)
        if part.status != 206 or len(part.body) != end - start + 1:
            raise ZipFormatError("server did not honour a range request")
        return part.body

    try:
        member = _metadata_member(read_directory(tail, fetch, _is_metadata), candidate)
        return read_member(member, tail, fetch) if member else None
    except (ZipFormatError, struct.error, NetworkError):
        return None


def _total_size(response: IndexResponse) -> int | None:
    """The file size from ``Content-Range``, when the body really is the file's tail."""
    value = response.headers.get("content-range", "")
    match = _CONTENT_RANGE.fullmatch(value.strip())
    if match is None:
        return None
    first, last, total = (int(g) for g in match.groups())
    if last != total - 1 or last - first + 1 != len(response.body):
        return None
    return total


def _metadata_member(members: list[Member], candidate: Candidate) -> Member | None:
    found = _metadata_members(members, candidate)
    return found[0] if len(found) == 1 else None


def _metadata_members(members: list[Member], candidate: Candidate) -> list[Member]:
    """The ``<name>-<version>.dist-info/METADATA`` members whose name is the candidate's."""
    return [
        m
        for m in _all_metadata(members)
        if canonicalize_name(m.name.split("/")[0][: -len(".dist-info")].rpartition("-")[0])
        == candidate.name
    ]


def _all_metadata(members: list[Member]) -> list[Member]:
    return [m for m in members if m.name.count("/") == 1 and m.name.endswith(".dist-info/METADATA")]


def _is_metadata(name: bytes) -> bool:
    """Whether a member's name (its bytes) may be a top-level ``.dist-info/METADATA``: the
    lazy read keeps no other (:func:`_all_metadata` decides on the decoded name)."""
    return name.endswith(b".dist-info/METADATA")


def _shown(candidate: Candidate) -> str:
    return redact_url(candidate.link.url_without_fragment)


def _no_metadata(members: list[Member], candidate: Candidate) -> IntegrityError:
    """Why no single METADATA of ``candidate`` could be read from its wheel, with what was
    expected and what the archive holds."""
    filename, mine = candidate.link.filename, _metadata_members(members, candidate)
    expected = f"{candidate.name.replace('-', '_')}-*.dist-info/METADATA"
    hint = f"it is not a valid wheel of {candidate.name} {candidate.version}; report it"
    if len(mine) > 1:
        return IntegrityError(
            f"{filename} has {len(mine)} METADATA files for {candidate.name}, expected one",
            where=_shown(candidate),
            note="found: " + ", ".join(m.name for m in mine),
            hint=hint,
        )
    if mine:
        return IntegrityError(
            f"{filename} has a METADATA of {mine[0].size} bytes, more than pinset reads "
            f"({MAX_MEMBER})",
            where=_shown(candidate),
            hint=hint,
        )
    others = [m.name for m in _all_metadata(members)]
    return IntegrityError(
        f"{filename} has no {expected} at its top level",
        where=_shown(candidate),
        note=("found: " + ", ".join(others)) if others else "it holds no .dist-info/METADATA",
        hint=hint,
    )


def _whole_file_metadata(body: bytes, candidate: Candidate) -> bytes:
    _verify(body, candidate)
    return _read_from_zip(body, candidate)


def _verify(body: bytes, candidate: Candidate) -> None:
    wanted = index_hashes(candidate.link)
    for algo, values in wanted.items():
        got = hashlib.new(algo, body).hexdigest()
        if got in values:
            return
    if wanted:
        raise IntegrityError(
            f"hash mismatch for {redact_url(candidate.link.url)}",
            hint="the file does not match the hash the index announced",
        )


def _read_from_zip(source: bytes | Path, candidate: Candidate) -> bytes:
    """METADATA from a whole wheel, after the same layout check as an install makes, so the
    resolver never sees a METADATA other than the one that would be installed (the archive
    is read once: its checked directory names the member, read from the same bytes)."""
    try:
        with ExitStack() as stack:
            view = source if isinstance(source, bytes) else stack.enter_context(mapped(source))
            entries = {entry.filename: entry for entry in check_archive(view)}
            members = [
                Member(e.filename, e.method, e.crc, e.compressed_size, e.size, e.offset)
                for e in entries.values()
            ]
            member = _metadata_member(members, candidate)
            if member is None or member.size > MAX_MEMBER:
                raise _no_metadata(members, candidate)
            return b"".join(member_bytes(view, entries[member.name], MAX_MEMBER, source))
    except ZipLayoutError as exc:
        raise IntegrityError(
            f"{candidate.link.filename} is not a valid wheel: {exc}", hint=LAYOUT_HINT
        ) from None
    except UnicodeDecodeError:
        raise IntegrityError(
            f"{candidate.link.filename} is not a valid wheel: a member name is not UTF-8"
        ) from None
    except OSError as exc:
        raise IntegrityError(f"{candidate.link.filename} is not a valid wheel: {exc}") from exc


def _from_download(client: IndexClient, candidate: Candidate, dest_dir: Path | None) -> bytes:
    if dest_dir is not None:
        path = download_candidate(client, candidate, dest_dir).path
        return _read_from_zip(path, candidate)
    with tempfile.TemporaryDirectory(prefix="pinset-meta-") as tmp:
        path = download_candidate(client, candidate, Path(tmp)).path
        return _read_from_zip(path, candidate)


def _parse_checked(data: bytes, candidate: Candidate) -> CoreMetadata:
    message = CoreMetadata.from_bytes(data)
    name, version = message.get("Name"), message.get("Version")
    expected = f"{candidate.name} {candidate.version}"
    missing = [field for field, value in (("Name", name), ("Version", version)) if not value]
    if missing:
        raise IntegrityError(
            f"the METADATA of {candidate.link.filename} has no {' and no '.join(missing)}",
            where=_shown(candidate),
            note=f"expected the metadata of {expected}",
            hint="the file is not a valid wheel; report it to the index or the project",
        )
    try:
        same = canonicalize_name(str(name)) == candidate.name and Version(str(version)) == (
            candidate.version
        )
    except InvalidVersion:
        same = False
    if not same:
        raise IntegrityError(
            f"the METADATA of {candidate.link.filename} is for {name} {version}, not {expected}",
            where=_shown(candidate),
            hint="the file is mislabelled; report it to the index or the project",
        )
    return message
