"""Safe extraction of source archives (``.tar.gz``, ``.tgz``, ``.tar.bz2``, ``.tar.xz``,
``.tar``, ``.zip``), every one treated as hostile input.

The rules are those of Python's ``data`` extraction filter (PEP 706), applied by pinset itself
so that they hold on every Python pinset runs on, plus limits:

- a member's name is relative, has no ``..`` component and no backslash, and, with the
  symbolic links already extracted resolved, lands inside the destination;
- a symbolic link (tar only) points inside the destination once resolved; a hard link names a
  regular file extracted before it and becomes a copy of it; devices, FIFOs and other special
  members are refused; nothing is ever written through a link;
- modes lose set-user/group-ID, sticky and group/other write bits; a file is executable only
  when its owner could execute it; owners and times are not restored;
- at most ``limits.members`` members and ``limits.total`` bytes once unpacked (a member that
  says otherwise is caught while it is read); a pax or GNU long-name header over 1 MiB is
  refused before it is read (Python's tarfile would hold it whole in memory);
- the bytes must be what the name says (gzip, bzip2, xz or zip magic), a zip must pass
  :func:`pinset.zipformat.check_file` (one reading only), and a tar file that is also a zip
  (a zip end record ending the file: a polyglot) is refused.

Any violation raises :class:`~pinset.errors.BuildError` naming the archive and the member; the
caller discards the partly filled destination.
"""

from __future__ import annotations

import mmap
import os
import shutil
import stat
import zipfile
from pathlib import Path, PurePosixPath
from typing import IO

from pinset._dataclass import dataclass
from pinset.errors import BuildError
from pinset.zipformat import (
    LAYOUT_HINT,
    CentralEntry,
    MemberTooLarge,
    ZipLayoutError,
    check_archive,
    check_file,
    find_end,
    mapped,
    member_bytes,
)

_CHUNK = 1024 * 1024
_TAR_MAGIC = {".gz": b"\x1f\x8b", ".tgz": b"\x1f\x8b", ".bz2": b"BZh", ".xz": b"\xfd7zXZ\x00"}
_HINT = "the archive was not used; check where it came from"


@dataclass(frozen=True)
class Limits:
    """Bounds on one archive's contents once unpacked."""

    members: int = 100_000
    total: int = 4 * 1024**3


def archive_kind(path: Path) -> str:
    """``"zip"`` or ``"tar"`` from the file name; BuildError for any other name."""
    name = path.name.lower()
    if name.endswith(".zip"):
        return "zip"
    if name.endswith((".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar")):
        return "tar"
    raise BuildError(
        f"{path.name} is not a source archive pinset can unpack",
        hint="source archives are .tar.gz, .tar.bz2, .tar.xz, .tar or .zip",
    )


def unpack_archive(archive: Path, dest: Path, limits: Limits | None = None) -> Path:
    """Extract ``archive`` into the empty directory ``dest``; the source tree's root: the one
    top-level directory when every member is inside it (an sdist's ``name-version/``), else
    ``dest``."""
    limits = limits or Limits()
    dest.mkdir(parents=True, exist_ok=True)
    root = dest.resolve()
    if archive_kind(archive) == "zip":
        _ZipReader(archive, root, limits).extract()
    else:
        from pinset.build.untar import TarReader  # tarfile: only for a tar archive

        _check_tar_bytes(archive)
        TarReader(archive, root, limits).extract()
    return _tree_root(root)


def _tree_root(dest: Path) -> Path:
    entries = list(dest.iterdir())
    if len(entries) == 1 and entries[0].is_dir() and not entries[0].is_symlink():
        return entries[0]
    return dest


def _refuse(archive: Path, message: str, hint: str = _HINT) -> BuildError:
    return BuildError(f"{archive.name}: {message}", where=str(archive), hint=hint)


def _check_tar_bytes(archive: Path) -> None:
    suffix = archive.suffix.lower()
    with open(archive, "rb") as fh:
        head = fh.read(8)
        if suffix in _TAR_MAGIC and not head.startswith(_TAR_MAGIC[suffix]):
            raise _refuse(archive, f"the file is not {suffix[1:]}-compressed as its name says")
        if os.fstat(fh.fileno()).st_size == 0:
            raise _refuse(archive, "the file is empty")
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as view:
            try:
                find_end(view)
            except ZipLayoutError:
                return
    raise _refuse(archive, "the file is both a tar archive and a zip archive (a polyglot)")


def safe_name(archive: Path, name: str) -> PurePosixPath:
    """``name`` as a relative path without ``.`` parts; BuildError when absolute, with ``..``,
    a backslash or a NUL."""
    if "\\" in name or "\x00" in name:
        raise _refuse(archive, f"member {name!r} has a backslash or NUL in its name")
    path = PurePosixPath(name)
    if path.is_absolute() or name.startswith("/"):
        raise _refuse(archive, f"member {name!r} has an absolute path")
    if ".." in path.parts:
        raise _refuse(archive, f"member {name!r} leads outside the archive ('..')")
    return PurePosixPath(*[p for p in path.parts if p not in ("", ".")])


class _Writer:
    """Writes members under ``root``, never through a link, within the limits."""

    def __init__(self, archive: Path, root: Path, limits: Limits) -> None:
        self.archive = archive
        self.root = root
        self.limits = limits
        self.members = 0
        self.written = 0

    def target(self, rel: PurePosixPath) -> Path:
        self.members += 1
        if self.members > self.limits.members:
            raise _refuse(archive=self.archive, message="more members than pinset unpacks")
        path = self.root.joinpath(*rel.parts)
        self.inside(path.parent, rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.inside(path.parent, rel)
        return path

    def inside(self, path: Path, rel: PurePosixPath) -> None:
        real = Path(os.path.realpath(path))
        if real != self.root and self.root not in real.parents:
            raise _refuse(self.archive, f"member {str(rel)!r} would be written outside the tree")

    def directory(self, rel: PurePosixPath) -> None:
        if not rel.parts:
            return
        path = self.target(rel)
        if path.is_symlink() or (path.exists() and not path.is_dir()):
            raise _refuse(self.archive, f"member {str(rel)!r} replaces a file with a directory")
        path.mkdir(mode=0o755, exist_ok=True)

    def file(self, rel: PurePosixPath, source: IO[bytes], size: int, mode: int) -> None:
        path = self.target(rel)
        if path.is_dir() and not path.is_symlink():
            raise _refuse(self.archive, f"member {str(rel)!r} replaces a directory with a file")
        if path.is_symlink() or path.exists():
            path.unlink()
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        with os.fdopen(os.open(path, flags, _file_mode(mode)), "wb") as out:
            self.copy(rel, source, size, out)

    def copy(self, rel: PurePosixPath, source: IO[bytes], size: int, out: IO[bytes]) -> None:
        seen = 0
        while chunk := source.read(_CHUNK):
            seen += len(chunk)
            self.written += len(chunk)
            if seen > size or self.written > self.limits.total:
                raise _refuse(self.archive, f"member {str(rel)!r} unpacks larger than allowed")
            out.write(chunk)

    def symlink(self, rel: PurePosixPath, link: str) -> None:
        if not link or link.startswith("/") or "\x00" in link:
            raise _refuse(self.archive, f"link {str(rel)!r} points to an absolute path")
        path = self.target(rel)
        self.inside(path.parent / link, rel)
        if path.is_symlink() or path.is_file():
            path.unlink()
        os.symlink(link, path)


def _file_mode(mode: int) -> int:
    return 0o755 if mode & stat.S_IXUSR else 0o644


class _ZipReader(_Writer):
    def extract(self) -> None:
        try:
            check_file(self.archive)
        except ZipLayoutError as exc:
            raise _refuse(self.archive, str(exc), hint=LAYOUT_HINT) from exc
        try:
            with zipfile.ZipFile(self.archive) as zf:
                for info in zf.infolist():
                    self.member(zf, info)
        except (zipfile.BadZipFile, OSError) as exc:
            raise _refuse(self.archive, f"cannot read the archive: {exc}") from exc

    def member(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        rel = safe_name(self.archive, info.filename)
        mode = info.external_attr >> 16
        if info.is_dir():
            self.directory(rel)
            return
        if stat.S_IFMT(mode) not in (0, stat.S_IFREG):
            raise _refuse(self.archive, f"member {str(rel)!r} is a link or special file")
        if self.written + info.file_size > self.limits.total:
            raise _refuse(self.archive, f"member {str(rel)!r} unpacks larger than allowed")
        with zf.open(info) as source:
            self.file(rel, source, info.file_size, mode)


def discard(dest: Path) -> None:
    """Remove a destination that extraction filled partly (or wholly)."""
    shutil.rmtree(dest, ignore_errors=True)


class _DistInfoReader(_ZipReader):
    def member(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        if info.filename.split("/", 1)[0].endswith(".dist-info"):
            super().member(zf, info)


def dist_info_metadata(wheel: Path) -> bytes:
    """The ``METADATA`` of ``wheel``'s one ``.dist-info`` directory, read without writing
    anything, under the rules :func:`extract_dist_info` applies to the same members (the zip
    layout checked, safe names, no links, the limits); the archive is parsed once, its
    member read from the checked directory (:func:`~pinset.zipformat.member_bytes`)."""
    try:
        with mapped(wheel) as view:
            files = _dist_info_files(wheel, check_archive(view))
            directories = {rel.parts[0] for rel in files}
            if len(directories) != 1:
                raise _refuse(
                    wheel, f"the built wheel has {len(directories)} .dist-info directories, not 1"
                )
            entry = files.get(PurePosixPath(directories.pop(), "METADATA"))
            if entry is None or entry.filename.endswith("/"):
                raise _refuse(wheel, "the built wheel's .dist-info has no METADATA file")
            return b"".join(member_bytes(view, entry, entry.size, wheel))
    except MemberTooLarge:
        raise _refuse(wheel, "member 'METADATA' unpacks larger than allowed") from None
    except ZipLayoutError as exc:
        raise _refuse(wheel, str(exc), hint=LAYOUT_HINT) from exc
    except UnicodeDecodeError:
        raise _refuse(wheel, "a member name is not valid UTF-8") from None
    except OSError as exc:
        raise _refuse(wheel, f"cannot read the archive: {exc}") from exc


def _dist_info_files(wheel: Path, entries: list[CentralEntry]) -> dict[PurePosixPath, CentralEntry]:
    """The members :func:`extract_dist_info` would write, by their safe relative path (the
    last of a repeated name wins, as when unpacking), each checked as it checks them."""
    limits, total = Limits(), 0
    found: dict[PurePosixPath, CentralEntry] = {}
    for entry in entries:
        name = entry.filename
        if not name.split("/", 1)[0].endswith(".dist-info"):
            continue
        rel = safe_name(wheel, name)
        if not rel.parts:
            continue
        if len(found) >= limits.members:
            raise _refuse(wheel, "more members than pinset unpacks")
        if not name.endswith("/"):
            if stat.S_IFMT(entry.external_attr >> 16) not in (0, stat.S_IFREG):
                raise _refuse(wheel, f"member {str(rel)!r} is a link or special file")
            total += entry.size
            if total > limits.total:
                raise _refuse(wheel, f"member {str(rel)!r} unpacks larger than allowed")
            if len(rel.parts) == 1:
                continue  # a file named like a .dist-info directory: not one
        found[rel] = entry
    return found


def extract_dist_info(wheel: Path, dest: Path) -> Path:
    """The one ``.dist-info`` directory of ``wheel``, extracted into ``dest`` with the zip
    rules above (the wheel came out of a backend that ran code from the source)."""
    dest.mkdir(parents=True, exist_ok=True)
    _DistInfoReader(wheel, dest.resolve(), Limits()).extract()
    found = [p for p in dest.iterdir() if p.name.endswith(".dist-info") and p.is_dir()]
    if len(found) != 1:
        raise _refuse(wheel, f"the built wheel has {len(found)} .dist-info directories, not 1")
    return found[0]
