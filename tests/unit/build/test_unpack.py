"""Source archives are hostile input: every escape, special member, bomb and polyglot is
refused with the member named, and nothing is written outside the destination."""

from __future__ import annotations

import io
import re
import stat
import tarfile
import zipfile
from pathlib import Path

import pytest

from pinset.build.unpack import Limits, dist_info_metadata, extract_dist_info, unpack_archive
from pinset.errors import BuildError


def _tar(path: Path, members: list[tuple[tarfile.TarInfo, bytes]], *, gz: bool = True) -> Path:
    with tarfile.open(path, "w:gz") if gz else tarfile.open(path, "w") as tf:
        for info, body in members:
            info.size = len(body) if info.isreg() else 0
            tf.addfile(info, io.BytesIO(body) if info.isreg() else None)
    return path


def _file(name: str, body: bytes = b"x", mode: int = 0o644) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.mode = mode
    return info, body


def _special(name: str, kind: bytes, linkname: str = "") -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    return info, b""


def _unpack(tmp_path: Path, archive: Path, limits: Limits | None = None) -> Path:
    return unpack_archive(archive, tmp_path / "dest" / "tree", limits)


def test_sdist_unpacks_to_its_top_directory(tmp_path: Path) -> None:
    archive = _tar(
        tmp_path / "p-1.0.tar.gz",
        [_file("p-1.0/pyproject.toml", b"[x]\n"), _file("p-1.0/run.sh", b"#!/bin/sh\n", 0o4775)],
    )
    root = _unpack(tmp_path, archive)
    assert root.name == "p-1.0"
    assert (root / "pyproject.toml").read_bytes() == b"[x]\n"
    assert stat.S_IMODE((root / "run.sh").stat().st_mode) == 0o755  # no setuid, no g+w


@pytest.mark.parametrize(
    ("member", "message"),
    [
        (_file("p/../../evil", b"owned"), "'p/../../evil' leads outside the archive"),
        (_file("/tmp/evil-abs", b"owned"), "'/tmp/evil-abs' has an absolute path"),
        (_special("p/link", tarfile.SYMTYPE, "../../evil"), "'p/link' would be written outside"),
        (_special("p/link", tarfile.SYMTYPE, "/etc/passwd"), "'p/link' points to an absolute"),
        (_special("p/hard", tarfile.LNKTYPE, "../../etc/passwd"), "leads outside the archive"),
        (_special("p/hard", tarfile.LNKTYPE, "/etc/passwd"), "has an absolute path"),
        (_special("p/dev", tarfile.CHRTYPE), "'p/dev' is a device, FIFO or other special"),
        (_special("p/blk", tarfile.BLKTYPE), "'p/blk' is a device, FIFO or other special"),
        (_special("p/fifo", tarfile.FIFOTYPE), "'p/fifo' is a device, FIFO or other special"),
    ],
)
def test_hostile_tar_members_are_refused(
    tmp_path: Path, member: tuple[tarfile.TarInfo, bytes], message: str
) -> None:
    archive = _tar(tmp_path / "bad-1.0.tar.gz", [_file("p/ok.py"), member])
    with pytest.raises(BuildError, match=r"bad-1\.0\.tar\.gz: ") as caught:
        _unpack(tmp_path, archive)
    assert message in caught.value.message
    assert not (tmp_path / "evil").exists()
    assert not (tmp_path / "dest" / "evil").exists()


def test_links_chained_out_of_the_tree_are_refused(tmp_path: Path) -> None:
    archive = _tar(
        tmp_path / "chain.tar",
        [
            _special("p/a/x", tarfile.SYMTYPE, "../.."),  # the tree's own root: allowed
            _special("p/c", tarfile.SYMTYPE, "a/x/.."),  # one above it: refused
        ],
        gz=False,
    )
    with pytest.raises(BuildError, match="'p/c' would be written outside the tree"):
        _unpack(tmp_path, archive)


def test_hard_link_inside_becomes_a_copy(tmp_path: Path) -> None:
    archive = _tar(
        tmp_path / "h.tar.gz",
        [_file("p/a.txt", b"same"), _special("p/b.txt", tarfile.LNKTYPE, "p/a.txt")],
    )
    root = _unpack(tmp_path, archive)
    assert (root / "b.txt").read_bytes() == b"same"
    assert (root / "a.txt").stat().st_ino != (root / "b.txt").stat().st_ino


def test_sizes_and_counts_are_capped(tmp_path: Path) -> None:
    big = _tar(tmp_path / "big.tar.gz", [_file("p/big", b"0" * 5000)])
    with pytest.raises(BuildError, match="'p/big' unpacks larger than allowed"):
        _unpack(tmp_path, big, Limits(total=4096))
    many = _tar(tmp_path / "many.tar.gz", [_file(f"p/{i}") for i in range(20)])
    with pytest.raises(BuildError, match="more members than pinset unpacks"):
        unpack_archive(many, tmp_path / "other", Limits(members=10))


def test_zip_slip_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "slip-1.0.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("slip-1.0/setup.py", "")
        zf.writestr("slip-1.0/../../evil.txt", "owned")
    with pytest.raises(BuildError, match=re.escape("'slip-1.0/../../evil.txt' leads outside")):
        _unpack(tmp_path, archive)
    assert not (tmp_path / "evil.txt").exists()


def test_zip_symlink_member_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "ln-1.0.zip"
    info = zipfile.ZipInfo("ln-1.0/link")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(BuildError, match=re.escape("'ln-1.0/link' is a link or special file")):
        _unpack(tmp_path, archive)


def test_zip_with_a_prefix_is_refused(tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("p/setup.py", "")
    archive = tmp_path / "prefixed.zip"
    archive.write_bytes(b"#!/bin/sh\nexit 0\n" + inner.getvalue())
    with pytest.raises(BuildError) as caught:
        _unpack(tmp_path, archive)
    assert caught.value.message.startswith("prefixed.zip: ")


def test_tar_that_is_also_a_zip_is_refused(tmp_path: Path) -> None:
    tar = io.BytesIO()
    with tarfile.open(fileobj=tar, mode="w") as tf:
        info, body = _file("p/setup.py", b"print('tar')\n")
        info.size = len(body)
        tf.addfile(info, io.BytesIO(body))
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr("p/setup.py", "print('zip')\n")
    archive = tmp_path / "poly-1.0.tar"
    archive.write_bytes(tar.getvalue() + zipped.getvalue())
    assert zipfile.is_zipfile(archive)
    assert tarfile.is_tarfile(archive)
    with pytest.raises(BuildError, match="both a tar archive and a zip archive"):
        _unpack(tmp_path, archive)


def test_bytes_must_match_the_name(tmp_path: Path) -> None:
    archive = tmp_path / "fake-1.0.tar.gz"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("fake-1.0/setup.py", "")
    with pytest.raises(BuildError, match="not gz-compressed as its name says"):
        _unpack(tmp_path, archive)


def test_unknown_kind_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "p-1.0.rar"
    archive.write_bytes(b"Rar!")
    with pytest.raises(BuildError, match="not a source archive pinset can unpack"):
        _unpack(tmp_path, archive)


def test_dist_info_from_a_built_wheel_only(tmp_path: Path) -> None:
    wheel = tmp_path / "w-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr("w.py", "")
        zf.writestr("w-1.0.dist-info/METADATA", "Name: w\n")
    dist_info = extract_dist_info(wheel, tmp_path / "meta")
    assert dist_info.name == "w-1.0.dist-info"
    assert sorted(p.name for p in (tmp_path / "meta").iterdir()) == ["w-1.0.dist-info"]


def _wheel(path: Path, members: dict[str, bytes], links: tuple[str, ...] = ()) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        for name in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "../../etc/passwd")
    return path


def test_a_built_wheels_metadata_is_read_as_extracting_it_would(tmp_path: Path) -> None:
    wheel = _wheel(
        tmp_path / "w-1.0-py3-none-any.whl",
        {"w.py": b"", "w-1.0.dist-info/METADATA": b"Name: w\n", "w-1.0.dist-info/RECORD": b""},
    )
    assert dist_info_metadata(wheel) == b"Name: w\n"
    dist_info = extract_dist_info(wheel, tmp_path / "meta")
    assert (dist_info / "METADATA").read_bytes() == dist_info_metadata(wheel)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["meta", wheel.name]  # nothing written


@pytest.mark.parametrize(
    ("members", "links", "refusal"),
    [
        ({"a-1.dist-info/METADATA": b"", "b-1.dist-info/METADATA": b""}, (), "2 .dist-info"),
        ({"w.py": b""}, (), "0 .dist-info"),
        ({"w-1.dist-info/METADATA": b""}, ("w-1.dist-info/link",), "link or special file"),
        ({"w-1.dist-info/../../METADATA": b""}, (), "leads outside"),
    ],
)
def test_a_built_wheel_extracting_would_refuse_is_refused(
    tmp_path: Path, members: dict[str, bytes], links: tuple[str, ...], refusal: str
) -> None:
    wheel = _wheel(tmp_path / "w-1.0-py3-none-any.whl", members, links)
    with pytest.raises(BuildError, match=refusal):
        dist_info_metadata(wheel)
    with pytest.raises(BuildError, match=refusal):
        extract_dist_info(wheel, tmp_path / "meta")


def test_a_built_wheel_without_metadata_is_refused(tmp_path: Path) -> None:
    wheel = _wheel(tmp_path / "w-1.0-py3-none-any.whl", {"w-1.dist-info/RECORD": b""})
    with pytest.raises(BuildError, match="no METADATA"):
        dist_info_metadata(wheel)


def test_a_built_wheel_with_a_bad_layout_is_refused(tmp_path: Path) -> None:
    wheel = _wheel(tmp_path / "w-1.0-py3-none-any.whl", {"w-1.dist-info/METADATA": b"x"})
    wheel.write_bytes(wheel.read_bytes() + b"trailing")
    with pytest.raises(BuildError):
        dist_info_metadata(wheel)


def test_huge_extended_header_is_refused_before_it_is_read(tmp_path: Path) -> None:
    info, body = _file("p/f", b"x")
    info.size = len(body)
    archive = tmp_path / "pax-1.0.tar.gz"
    with tarfile.open(archive, "w:gz", format=tarfile.PAX_FORMAT) as tf:
        info.pax_headers = {"comment": "y" * (2 * 1024 * 1024)}
        tf.addfile(info, io.BytesIO(body))
    with pytest.raises(BuildError, match=r"cannot read the archive: an extended header of \d+"):
        _unpack(tmp_path, archive)
