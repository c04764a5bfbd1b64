"""Open a wheel as hostile input, verify it whole, and unpack it into a directory.

Nothing reaches an environment from here: a wheel is unpacked into a scratch or cache directory
first, every member checked against RECORD (hash and size) while it is written, and every name
checked to stay inside the archive root (no ``..``, no absolute or drive paths, no backslashes,
no symbolic links, no duplicates). Failures raise :class:`~pinset.errors.IntegrityError`; a wheel
that is well-formed but unusable (wrong ``Wheel-Version``, name mismatch) raises
:class:`~pinset.errors.InstallError`.

An unpacked wheel is a directory with ``files/`` (the members) and ``manifest.json`` (what was
learned: names, versions, modes, RECORD rows, and each file's size, mtime and inode as written),
so a cached unpack is reused without re-reading the archive. Environments may hard-link (or
symlink) these files, so an edit made in an environment can reach the cache: before each reuse
every file is stat'ed, and an entry where one went missing or changed size, mtime or inode is
unpacked again from the archive — a changed file is never placed in another environment. (Hashes
are not re-read on each reuse: an edit that keeps the size and puts the mtime back is not seen.)
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from packaging.utils import NormalizedName, canonicalize_name, parse_wheel_filename
from packaging.version import InvalidVersion, Version

from pinset._dataclass import dataclass
from pinset._fs import publish_dir, temporary_sibling_dir
from pinset.cache.unpacked_entry import MANIFEST, entry_dir, is_digest
from pinset.errors import InstallError, IntegrityError
from pinset.install.record import (
    RECORD_SIDE_FILES,
    RecordRow,
    encode_hash,
    hash_algorithm,
    parse_record,
)
from pinset.zipformat import (
    LAYOUT_HINT,
    Buffer,
    CentralEntry,
    FileSlices,
    MemberTooLarge,
    Readable,
    ZipLayoutError,
    check_archive,
    map_fd,
    member_bytes,
)

MANIFEST_VERSION = 2
_META_LIMIT = 64 * 1024 * 1024
_CHUNK = 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_O_BINARY = getattr(os, "O_BINARY", 0)
_FCHMOD = hasattr(os, "fchmod")


@dataclass(frozen=True, slots=True)
class Member:
    """One file of a wheel: archive path, RECORD hash (``sha256=...``), size, executable bit, and
    the mtime (ns) and inode of the unpacked copy when it was written."""

    path: str
    hash: str
    size: int
    executable: bool
    mtime_ns: int = 0
    inode: int = 0


@dataclass(frozen=True)
class UnpackedWheel:
    root: Path  # the directory holding the members, by archive path
    name: NormalizedName
    display_name: str
    version: Version
    dist_info: str
    root_is_purelib: bool
    members: tuple[Member, ...]

    @property
    def data_dir(self) -> str:
        return self.dist_info[: -len(".dist-info")] + ".data"


def unpack_cached(
    wheel: Path,
    sha256: str,
    cache_dir: Path,
    *,
    hashed: bool = False,
    on_changed: Callable[[UnpackedWheel, str], None] | None = None,
) -> UnpackedWheel:
    """Unpack ``wheel`` once into ``cache_dir/<sha256>`` and reuse it afterwards.

    ``hashed``: the caller computed ``sha256`` from this file itself just before, so it is not
    read again (otherwise it is, before anything is filed under that hash). ``on_changed`` is
    told of an entry that is unpacked again because a file of it changed (and which)."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        sha256, hashed = _file_sha256(wheel), True
    target = entry_dir(sha256, cache_dir)
    found = load_manifest(target)
    if found is not None:
        changed = first_changed(found)
        if changed is None:
            return found
        if on_changed is not None:
            on_changed(found, changed)
    shutil.rmtree(target, ignore_errors=True)  # damaged (a file removed or changed)
    actual = sha256 if hashed else _file_sha256(wheel)
    if actual != sha256:  # never file one wheel's contents under another's hash
        raise IntegrityError(
            f"{wheel.name} has sha256 {actual}, expected {sha256}",
            hint="the file changed after it was downloaded or built; it was not installed",
        )
    with temporary_sibling_dir(target) as tmp:
        unpack(wheel, tmp)
        publish_dir(tmp, target)
    found = load_manifest(target)
    if found is None:  # pragma: no cover - a concurrent writer left something unreadable
        raise InstallError(f"could not read the unpacked wheel cache at {target}")
    return found


def lookup_unpacked(sha256: str, cache_dir: Path) -> UnpackedWheel | None:
    """The intact unpacked wheel whose archive had ``sha256``, if the cache holds it."""
    if not is_digest(sha256):
        return None
    found = load_manifest(entry_dir(sha256, cache_dir))
    return found if found is not None and first_changed(found) is None else None


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def first_changed(unpacked: UnpackedWheel) -> str | None:
    """The first member that is gone or no longer has the size, mtime and inode it was written
    with, or None when all are intact (a cheap check: one stat per file; hashes were verified
    once, when the wheel was unpacked)."""
    stamps = ((m.path, m.size, m.mtime_ns, m.inode) for m in unpacked.members)
    return first_changed_file(os.fspath(unpacked.root), stamps)


def first_changed_file(root: str, stamps: Iterable[tuple[str, int, int, int]]) -> str | None:
    """The first ``(path under root, size, mtime_ns, inode)`` whose file is gone or differs
    (the one check of every file a cache entry keeps for linking), or None."""
    prefix = root + "/"
    for path, size, mtime_ns, inode in stamps:
        try:
            st = os.stat(prefix + path)
        except OSError:
            return path
        if st.st_size != size or st.st_mtime_ns != mtime_ns or st.st_ino != inode:
            return path
    return None


def load_manifest(root: Path) -> UnpackedWheel | None:
    try:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        if data.get("version") != MANIFEST_VERSION:
            return None
        return UnpackedWheel(
            root=root / "files",
            name=canonicalize_name(data["name"]),
            display_name=data["display_name"],
            version=Version(data["wheel_version"]),
            dist_info=data["dist_info"],
            root_is_purelib=bool(data["root_is_purelib"]),
            members=tuple(
                Member(m[0], m[1], int(m[2]), bool(m[3]), int(m[4]), int(m[5]))
                for m in data["members"]
            ),
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError, InvalidVersion):
        return None


def unpack(wheel: Path, dest: Path) -> UnpackedWheel:
    """Verify ``wheel`` and unpack it into ``dest`` (``files/`` + ``manifest.json``).

    The archive is parsed once: :func:`~pinset.zipformat.check_archive` checks its mapped
    structure and lists its members, and each member's data is then read from the same open
    file by slices and inflated (:func:`~pinset.zipformat.member_bytes`), not through a map,
    whose pages would stay resident until the whole wheel is done."""
    name, version = _parse_filename(wheel)
    try:
        with open(wheel, "rb") as fh:
            with map_fd(fh.fileno()) as view:  # the check touches every header: unmapped after
                entries = _layout(view, wheel)
            archive = _Archive(wheel, FileSlices(fh.fileno()), _checked_members(entries, wheel))
            dist_info = _find_dist_info(list(archive.members), name, wheel)
            record = _read_record(archive, dist_info)
            root_is_purelib = _read_wheel_info(archive, dist_info)
            display = _check_metadata(archive, dist_info, name, version)
            members = _extract_all(archive, record, os.fspath(dest / "files"), dist_info)
    except ZipLayoutError as exc:
        raise IntegrityError(f"{wheel.name} is not a valid wheel archive: {exc}") from None
    except OSError as exc:
        raise InstallError(f"could not unpack {wheel.name}: {exc}") from exc
    unpacked = UnpackedWheel(
        dest / "files", name, display, version, dist_info, root_is_purelib, members
    )
    manifest = {
        "version": MANIFEST_VERSION,
        "name": name,
        "display_name": display,
        "wheel_version": str(version),
        "dist_info": dist_info,
        "root_is_purelib": root_is_purelib,
        "members": [[m.path, m.hash, m.size, m.executable, m.mtime_ns, m.inode] for m in members],
    }
    (dest / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    return unpacked


def _layout(view: Buffer, wheel: Path) -> list[CentralEntry]:
    try:
        return check_archive(view)
    except ZipLayoutError as exc:
        raise IntegrityError(
            f"{wheel.name} is not a valid wheel archive: {exc}", hint=LAYOUT_HINT
        ) from None


class _Archive:
    """A mapped wheel and its file members by name, read by :meth:`chunks`."""

    def __init__(self, wheel: Path, view: Readable, members: dict[str, CentralEntry]) -> None:
        self.wheel = wheel
        self.view = view
        self.members = members

    def chunks(self, name: str, limit: int) -> Iterator[bytes]:
        """Member ``name``'s bytes, in pieces; MemberTooLarge past ``limit`` bytes."""
        return member_bytes(self.view, self.members[name], limit, self.wheel)


def _parse_filename(wheel: Path) -> tuple[NormalizedName, Version]:
    try:
        name, version, _build, _tags = parse_wheel_filename(wheel.name)
    except ValueError as exc:
        raise InstallError(f"{wheel.name} is not a valid wheel file name: {exc}") from exc
    return name, version


def safe_member_name(name: str) -> bool:
    """True when an archive path stays inside the archive root on every platform, and holds
    no control character (a ``\\r`` or ``\\n`` would break RECORD's one-line-per-file CSV and
    any listing of the path)."""
    if not name or "\\" in name or name.startswith("/") or _DRIVE.match(name):
        return False
    if _CONTROL.search(name):
        return False
    parts = name.rstrip("/").split("/")
    return all(part not in ("", ".", "..") for part in parts)


def _checked_members(entries: list[CentralEntry], wheel: Path) -> dict[str, CentralEntry]:
    """The file members by name (as :mod:`zipfile` decodes names), after refusing unsafe
    names, symbolic links and a name given twice."""
    files: dict[str, CentralEntry] = {}
    for entry in entries:
        try:
            name = entry.filename
        except UnicodeDecodeError:
            raise IntegrityError(
                f"{wheel.name} contains a name that is not valid UTF-8: {entry.shown!r}"
            ) from None
        if not safe_member_name(name):
            raise IntegrityError(
                f"{wheel.name} contains an unsafe path {name!r}",
                hint="the wheel tries to write outside the environment; it was not installed",
            )
        if stat.S_ISLNK(entry.external_attr >> 16):
            raise IntegrityError(f"{wheel.name} contains a symbolic link {name!r}")
        if name.endswith("/"):
            continue
        if name in files:
            raise IntegrityError(f"{wheel.name} contains {name!r} twice")
        files[name] = entry
    return files


def _find_dist_info(names: list[str], name: NormalizedName, wheel: Path) -> str:
    tops = {n.split("/", 1)[0] for n in names if "/" in n}
    found = sorted(t for t in tops if t.endswith(".dist-info"))
    mine = [
        t for t in found if canonicalize_name(t[: -len(".dist-info")].rsplit("-", 1)[0]) == name
    ]
    if len(found) != 1 or len(mine) != 1:
        raise InstallError(
            f"{wheel.name} must have exactly one .dist-info directory for {name}, "
            f"found {', '.join(found) or 'none'}"
        )
    return mine[0]


def _read_small(archive: _Archive, path: str) -> str:
    wheel = archive.wheel
    entry = archive.members.get(path)
    if entry is None:
        raise InstallError(f"{wheel.name} has no {path}")
    if entry.size > _META_LIMIT:
        raise IntegrityError(f"{wheel.name}: {path} is implausibly large")
    try:
        return b"".join(archive.chunks(path, _META_LIMIT)).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InstallError(f"{wheel.name}: {path} is not UTF-8") from exc


def _read_record(archive: _Archive, dist_info: str) -> dict[str, RecordRow]:
    text = _read_small(archive, f"{dist_info}/RECORD")
    try:
        rows = parse_record(text)
    except ValueError as exc:
        raise IntegrityError(f"{archive.wheel.name}: invalid RECORD: {exc}") from exc
    return {row.path: row for row in rows}


def _read_wheel_info(archive: _Archive, dist_info: str) -> bool:
    headers = _headers(_read_small(archive, f"{dist_info}/WHEEL"))
    major = headers.get("wheel-version", "").split(".")[0]
    if major != "1":
        raise InstallError(
            f"{archive.wheel.name} has Wheel-Version {headers.get('wheel-version') or 'missing'}; "
            "pinset installs Wheel-Version 1.x"
        )
    return headers.get("root-is-purelib", "false").strip().lower() == "true"


def _check_metadata(
    archive: _Archive, dist_info: str, name: NormalizedName, version: Version
) -> str:
    headers = _headers(_read_small(archive, f"{dist_info}/METADATA"))
    meta_name = headers.get("name", "")
    try:
        meta_version = Version(headers.get("version", ""))
    except InvalidVersion:
        meta_version = None
    if canonicalize_name(meta_name) != name or meta_version != version:
        raise InstallError(
            f"{archive.wheel.name}: its METADATA says {meta_name} {headers.get('version')}, "
            f"its file name says {name} {version}"
        )
    return meta_name


def _headers(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in text.split("\n\n", 1)[0].splitlines():
        key, sep, value = line.partition(":")
        if sep and not line[:1].isspace():
            out.setdefault(key.strip().lower(), value.strip())
    return out


SPREAD_MEMBERS = 512
"""A wheel with more members than this is unpacked by :data:`UNPACKERS` threads, each a run
of consecutive members (a directory's files stay together): making thousands of files waits
on the file system, not the interpreter, and a large wheel (django's 3,700 files,
botocore's 2,100) was the one a cold install waited for, seconds after every download had
ended."""
UNPACKERS = 4


def _extract_all(
    archive: _Archive, record: dict[str, RecordRow], dest: str, dist_info: str
) -> tuple[Member, ...]:
    side_files = {f"{dist_info}/{name}" for name in RECORD_SIDE_FILES}
    work: list[tuple[str, CentralEntry, RecordRow]] = []
    for name, entry in archive.members.items():
        if name in side_files:
            continue
        row = record.get(name)
        if row is None or not row.hash:
            raise IntegrityError(
                f"{archive.wheel.name}: {name} is not listed with a hash in RECORD",
                hint="the wheel was modified after it was built; it was not installed",
            )
        work.append((name, entry, row))
    made: set[str] = set()  # shared: a directory two threads both make is made once

    def extract(items: list[tuple[str, CentralEntry, RecordRow]]) -> list[Member]:
        return [_extract_one(archive, *item, dest, made=made) for item in items]

    if len(work) <= SPREAD_MEMBERS:
        return tuple(extract(work))
    from concurrent.futures import ThreadPoolExecutor  # only for a large wheel

    size = -(-len(work) // UNPACKERS)
    runs = [work[at : at + size] for at in range(0, len(work), size)]
    with ThreadPoolExecutor(len(runs), thread_name_prefix="pinset-unpack") as pool:
        done = list(pool.map(extract, runs))  # the first failure, once all have stopped
    return tuple(member for run in done for member in run)


def _extract_one(
    archive: _Archive, name: str, entry: CentralEntry, row: RecordRow, dest: str, *, made: set[str]
) -> Member:
    wheel = archive.wheel
    try:
        algorithm, _digest = hash_algorithm(row.hash)
    except ValueError as exc:
        raise IntegrityError(f"{wheel.name}: {name}: {exc}") from exc
    limit = row.size if row.size is not None else entry.size
    sha256 = hashlib.sha256()
    hasher = sha256 if algorithm == "sha256" else hashlib.new(algorithm)
    target = f"{dest}/{name}"
    _make_parent(target, dest, made)
    executable = bool((entry.external_attr >> 16) & 0o111)
    written = 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _O_BINARY, 0o644)
    try:
        if _FCHMOD:
            os.fchmod(fd, 0o755 if executable else 0o644)
        try:
            for chunk in archive.chunks(name, limit):
                sha256.update(chunk)
                if hasher is not sha256:
                    hasher.update(chunk)
                _write_all(fd, chunk)
                written += len(chunk)
        except MemberTooLarge:
            raise IntegrityError(f"{wheel.name}: {name} is larger than RECORD says") from None
        written_stat = os.fstat(fd)
    finally:
        os.close(fd)
    if not _FCHMOD:  # pragma: no cover - Windows
        os.chmod(target, 0o755 if executable else 0o644)
    digest = encode_hash(sha256.digest())
    wanted = digest if hasher is sha256 else encode_hash(hasher.digest(), algorithm)
    if wanted != row.hash or (row.size is not None and written != row.size):
        raise IntegrityError(
            f"{wheel.name}: {name} does not match its RECORD hash",
            hint="the wheel was modified after it was built; it was not installed",
        )
    return Member(
        name,
        digest,
        written,
        executable,
        written_stat.st_mtime_ns,
        written_stat.st_ino,
    )


def _make_parent(target: str, dest: str, made: set[str]) -> None:
    """Create ``target``'s directory unless ``made`` (the directories under ``dest`` made
    so far) has it: one ``mkdir`` for most members, their parents made when missing."""
    parent = target.rpartition("/")[0]
    if parent in made:
        return
    try:
        os.mkdir(parent)
    except FileNotFoundError:
        os.makedirs(parent, exist_ok=True)  # another thread may make a part meanwhile
    except FileExistsError:
        pass
    while parent not in made and len(parent) > len(dest):
        made.add(parent)
        parent = parent.rpartition("/")[0]


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
