"""Safe extraction of tar archives: the tar half of :mod:`pinset.build.unpack` and its rules.

Kept apart so that a run that reads only zips (wheels, a cached built wheel's ``.dist-info``)
never imports ``tarfile``.
"""

from __future__ import annotations

import tarfile
from pathlib import PurePosixPath

from pinset.build.unpack import _refuse, _Writer, safe_name

_LONG_HEADERS = (
    tarfile.GNUTYPE_LONGNAME,
    tarfile.GNUTYPE_LONGLINK,
    tarfile.XHDTYPE,
    tarfile.XGLTYPE,
    tarfile.SOLARIS_XHDTYPE,
)
MAX_HEADER = 1024 * 1024
"""The largest pax or GNU long-name header read (tarfile reads one whole into memory)."""


class _BoundedTarInfo(tarfile.TarInfo):
    """A tar header whose extended headers are refused past :data:`MAX_HEADER` bytes."""

    def _proc_member(self, tarfile_: tarfile.TarFile) -> tarfile.TarInfo:
        if self.type in _LONG_HEADERS and self.size > MAX_HEADER:
            raise tarfile.HeaderError(f"an extended header of {self.size} bytes")
        member: tarfile.TarInfo = super()._proc_member(tarfile_)  # type: ignore[misc]
        return member


class TarReader(_Writer):
    def extract(self) -> None:
        try:
            with tarfile.open(self.archive, mode="r:*", tarinfo=_BoundedTarInfo) as tar:
                for member in tar:
                    self.member(tar, member)
        except (tarfile.TarError, EOFError, OSError) as exc:
            raise _refuse(self.archive, f"cannot read the archive: {exc}") from exc

    def member(self, tar: tarfile.TarFile, member: tarfile.TarInfo) -> None:
        rel = safe_name(self.archive, member.name)
        if member.isdir():
            self.directory(rel)
        elif member.isreg():
            self.limit(rel, member.size)
            source = tar.extractfile(member)
            assert source is not None  # a regular member always has a body
            self.file(rel, source, member.size, member.mode)
        elif member.issym():
            self.symlink(rel, member.linkname)
        elif member.islnk():
            self.hardlink(rel, member.linkname)
        else:
            raise _refuse(self.archive, f"member {str(rel)!r} is a device, FIFO or other special")

    def limit(self, rel: PurePosixPath, size: int) -> None:
        if size < 0 or self.written + size > self.limits.total:
            raise _refuse(self.archive, f"member {str(rel)!r} unpacks larger than allowed")

    def hardlink(self, rel: PurePosixPath, linkname: str) -> None:
        source_rel = safe_name(self.archive, linkname)
        source = self.root.joinpath(*source_rel.parts)
        self.inside(source, rel)
        if source.is_symlink() or not source.is_file():
            raise _refuse(self.archive, f"hard link {str(rel)!r} names no file extracted before")
        size = source.stat().st_size
        self.limit(rel, size)
        with open(source, "rb") as body:
            self.file(rel, body, size, source.stat().st_mode)
