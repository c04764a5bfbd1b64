"""A wheel is verified whole before anything is unpacked from it into an environment."""

from __future__ import annotations

import hashlib
import os
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest

from pinset.errors import InstallError, IntegrityError
from pinset.install.wheelfile import (
    first_changed,
    load_manifest,
    lookup_unpacked,
    safe_member_name,
    unpack,
    unpack_cached,
)
from pinset.zipformat import FileSlices
from tests.helpers.dists import make_wheel


def test_valid_wheel_unpacks_with_modes_and_manifest(tmp_path: Path) -> None:
    whl = make_wheel(
        tmp_path / "w",
        "Demo.Pkg",
        "1.0",
        files={"demo_pkg/__init__.py": "x = 1\n", "demo_pkg/tool.sh": "#!/bin/sh\n"},
        executable=["demo_pkg/tool.sh"],
    )
    out = unpack(whl, tmp_path / "out")
    assert out.name == "demo-pkg"
    assert out.display_name == "Demo.Pkg"
    assert out.dist_info == "demo_pkg-1.0.dist-info"
    assert out.root_is_purelib
    assert (out.root / "demo_pkg" / "__init__.py").read_text() == "x = 1\n"
    assert (out.root / "demo_pkg" / "tool.sh").stat().st_mode & 0o111
    assert not (out.root / "demo_pkg" / "__init__.py").stat().st_mode & 0o111
    assert load_manifest(tmp_path / "out") == out


def test_tampered_file_is_refused(tmp_path: Path) -> None:
    whl = make_wheel(tmp_path, "p", "1", tamper=True)
    with pytest.raises(IntegrityError, match="RECORD hash"):
        unpack(whl, tmp_path / "out")


@pytest.mark.parametrize(
    "name",
    [
        "../escape.py",
        "/abs/path.py",
        "p/../../escape.py",
        "C:/win.py",
        "p\\..\\x.py",
        "p/line\rbreak.py",
        "p/new\nline.py",
        "p/tab\t.py",
        "p/del\x7f.py",
    ],
)
def test_unsafe_member_names_are_refused(tmp_path: Path, name: str) -> None:
    whl = make_wheel(tmp_path, "p", "1", raw_entries={name: "boom"})
    with pytest.raises(IntegrityError, match="unsafe path"):
        unpack(whl, tmp_path / "out")
    assert not (tmp_path / "escape.py").exists()


def test_symlink_member_is_refused(tmp_path: Path) -> None:
    whl = make_wheel(tmp_path, "p", "1", symlinks={"p/passwd": "/etc/passwd"})
    with pytest.raises(IntegrityError, match="symbolic link"):
        unpack(whl, tmp_path / "out")


def test_file_missing_from_record_is_refused(tmp_path: Path) -> None:
    whl = make_wheel(tmp_path, "p", "1")
    with zipfile.ZipFile(whl, "a") as zf:
        zf.writestr("p/smuggled.py", "import os\n")
    with pytest.raises(IntegrityError, match="not listed"):
        unpack(whl, tmp_path / "out")


def test_duplicate_member_is_refused(tmp_path: Path) -> None:
    whl = make_wheel(tmp_path, "p", "1")
    with pytest.warns(UserWarning, match="Duplicate name"), zipfile.ZipFile(whl, "a") as zf:
        zf.writestr("p/__init__.py", "evil = 1\n")
    with pytest.raises(IntegrityError, match="twice"):
        unpack(whl, tmp_path / "out")


def test_missing_record_is_refused(tmp_path: Path) -> None:
    whl = make_wheel(tmp_path, "p", "1", omit_record=True)
    with pytest.raises(InstallError, match="RECORD"):
        unpack(whl, tmp_path / "out")


def test_name_mismatch_between_file_and_metadata(tmp_path: Path) -> None:
    whl = make_wheel(tmp_path, "p", "1")
    renamed = whl.with_name("q-1-py3-none-any.whl")
    whl.rename(renamed)
    with pytest.raises(InstallError, match="dist-info"):
        unpack(renamed, tmp_path / "out")


def test_not_a_zip(tmp_path: Path) -> None:
    bad = tmp_path / "p-1-py3-none-any.whl"
    bad.write_bytes(b"<html>not a wheel</html>")
    with pytest.raises(IntegrityError, match="not a valid wheel archive"):
        unpack(bad, tmp_path / "out")


def test_bad_file_name(tmp_path: Path) -> None:
    bad = tmp_path / "nonsense.whl"
    bad.write_bytes(b"")
    with pytest.raises(InstallError, match="not a valid wheel file name"):
        unpack(bad, tmp_path / "out")


def test_unpacked_cache_is_reused(tmp_path: Path) -> None:
    whl = make_wheel(tmp_path / "w", "p", "1")
    sha = hashlib.sha256(whl.read_bytes()).hexdigest()
    first = unpack_cached(whl, sha, tmp_path / "cache")
    marker = first.root / "p" / "__init__.py"
    mtime = marker.stat().st_mtime_ns
    second = unpack_cached(whl, sha, tmp_path / "cache")
    assert second == first
    assert marker.stat().st_mtime_ns == mtime


@pytest.mark.parametrize(
    ("name", "ok"),
    [("a/b.py", True), ("a/", True), ("", False), ("a//b", False), ("./a", False)],
)
def test_safe_member_name(name: str, ok: bool) -> None:
    assert safe_member_name(name) is ok


def test_damaged_cache_entry_is_unpacked_again(tmp_path: Path) -> None:
    whl = make_wheel(tmp_path / "w", "p", "1", files={"p/__init__.py": "V = 1\n"})
    sha = hashlib.sha256(whl.read_bytes()).hexdigest()
    first = unpack_cached(whl, sha, tmp_path / "cache")
    (first.root / "p" / "__init__.py").unlink()
    second = unpack_cached(whl, sha, tmp_path / "cache")
    assert (second.root / "p" / "__init__.py").read_text() == "V = 1\n"


def test_cache_refuses_a_wheel_not_matching_its_hash(tmp_path: Path) -> None:
    whl = make_wheel(tmp_path / "w", "p", "1")
    with pytest.raises(IntegrityError, match="expected 0000"):
        unpack_cached(whl, "0" * 64, tmp_path / "cache")
    assert not list((tmp_path / "cache").rglob("manifest.json"))


def test_an_entry_edited_in_place_is_unpacked_again_and_reported(tmp_path: Path) -> None:
    whl = make_wheel(tmp_path / "w", "p", "1", files={"p/__init__.py": "V = 1\n"})
    sha = hashlib.sha256(whl.read_bytes()).hexdigest()
    first = unpack_cached(whl, sha, tmp_path / "cache")
    member = first.root / "p" / "__init__.py"
    with open(member, "r+") as fh:  # same size, same inode: only the mtime tells
        fh.write("V = 2\n")
    os.utime(member, ns=(member.stat().st_atime_ns, member.stat().st_mtime_ns + 1_000_000))
    assert lookup_unpacked(sha, tmp_path / "cache") is None
    seen: list[str] = []
    second = unpack_cached(whl, sha, tmp_path / "cache", on_changed=lambda _u, m: seen.append(m))
    assert seen == ["p/__init__.py"]
    assert (second.root / "p" / "__init__.py").read_text() == "V = 1\n"
    assert lookup_unpacked(sha, tmp_path / "cache") == second


def test_an_entry_file_replaced_with_the_same_size_and_mtime_is_noticed(tmp_path: Path) -> None:
    whl = make_wheel(tmp_path / "w", "p", "1", files={"p/__init__.py": "V = 1\n"})
    sha = hashlib.sha256(whl.read_bytes()).hexdigest()
    first = unpack_cached(whl, sha, tmp_path / "cache")
    member = first.root / "p" / "__init__.py"
    before = member.stat()
    replacement = tmp_path / "replacement"
    replacement.write_text("V = 2\n")
    os.utime(replacement, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(replacement, member)  # what `cp -p` or rsync -a into the cache would leave
    assert first_changed(first) == "p/__init__.py"
    assert lookup_unpacked(sha, tmp_path / "cache") is None


def _recompress(whl: Path, method: int) -> None:
    """Write ``whl`` again with every member compressed with ``method``."""
    with zipfile.ZipFile(whl) as zf:
        members = [(info.filename, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(whl, "w", compression=method) as zf:
        for name, data in members:
            zf.writestr(name, data)


@pytest.mark.parametrize(
    "method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]
)
def test_every_compression_method_zipfile_reads_is_unpacked(tmp_path: Path, method: int) -> None:
    # members larger than the 1 MiB pieces members are read in: repetitive (many output
    # pieces from few input bytes) and incompressible (many input windows)
    files: dict[str, str | bytes] = {
        "p/__init__.py": "x = 1\n",
        "p/repeated.txt": "abc" * 700_000,
        "p/random.bin": os.urandom(3 * 1024 * 1024 + 7),
        "p/empty.txt": "",
    }
    whl = make_wheel(tmp_path / "w", "p", "1", files=files)
    _recompress(whl, method)
    out = unpack(whl, tmp_path / "out")
    assert (out.root / "p" / "repeated.txt").read_text() == files["p/repeated.txt"]
    assert (out.root / "p" / "random.bin").read_bytes() == files["p/random.bin"]
    assert (out.root / "p" / "empty.txt").read_bytes() == b""
    assert {m.path for m in out.members} >= set(files)


def test_a_member_whose_crc_does_not_match_the_directory_is_refused(tmp_path: Path) -> None:
    whl = make_wheel(tmp_path / "w", "p", "1", files={"p/__init__.py": "x = 1\n"})
    data = whl.read_bytes()
    crc = struct.pack("<L", zlib.crc32(b"x = 1\n"))
    assert data.count(crc) == 2  # the local header and the central directory
    whl.write_bytes(data.replace(crc, struct.pack("<L", zlib.crc32(b"x = 1\n") ^ 1)))
    with pytest.raises(IntegrityError, match="CRC-32"):
        unpack(whl, tmp_path / "out")


def test_a_member_inflating_past_its_record_size_is_stopped_early(tmp_path: Path) -> None:
    """64 MiB of zeros (64 KiB deflated) where RECORD promises 6 bytes: refused after the
    first piece, never held in memory whole."""
    whl = make_wheel(tmp_path / "w", "p", "1", files={"p/__init__.py": "x = 1\n"})
    with zipfile.ZipFile(whl) as zf:
        members = [(info.filename, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(whl, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            if name == "p/__init__.py":
                with zf.open(name, "w") as dst:
                    for _ in range(64):
                        dst.write(bytes(1024 * 1024))
            else:
                zf.writestr(name, data)
    assert whl.stat().st_size < 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(IntegrityError, match="larger than RECORD says"):
            unpack(whl, tmp_path / "out")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024


def test_file_slices_read_what_slicing_the_bytes_gives(tmp_path: Path) -> None:
    data = os.urandom(5000)
    path = tmp_path / "blob"
    path.write_bytes(data)
    with open(path, "rb") as fh:
        view = FileSlices(fh.fileno())
        assert len(view) == len(data)
        for span in (slice(0, 30), slice(4990, 6000), slice(100, 100), slice(7000, 8000)):
            assert view[span] == data[span]


def _large_wheel(tmp_path: Path, *, tamper: bool | str = False) -> Path:
    """A wheel of 1,200 files in 40 nested directories: more members than one thread
    unpacks."""
    files = {f"big/d{n % 40}/sub/f{n}.py": f"n = {n}\n" for n in range(1200)}
    return make_wheel(tmp_path / "w", "big", "1.0", files=files, tamper=tamper)


def test_a_large_wheel_is_unpacked_by_several_threads_as_one_would(tmp_path: Path) -> None:
    import threading

    from pinset.install import wheelfile

    whl = _large_wheel(tmp_path)
    threads: set[str] = set()
    real = wheelfile._extract_one

    def spy(*args: object, **kwargs: object) -> object:
        threads.add(threading.current_thread().name)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(wheelfile, "_extract_one", spy)
        spread = unpack(whl, tmp_path / "spread")
    assert len({t for t in threads if t.startswith("pinset-unpack")}) == wheelfile.UNPACKERS
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(wheelfile, "SPREAD_MEMBERS", 10**9)
        alone = unpack(whl, tmp_path / "alone")

    def shown(members: tuple[object, ...]) -> list[tuple[object, ...]]:
        return [(m.path, m.hash, m.size, m.executable) for m in members]  # type: ignore[attr-defined]

    assert shown(spread.members) == shown(alone.members)  # same order, hashes and sizes
    for member in alone.members:
        path = member.path
        assert (spread.root / path).read_bytes() == (alone.root / path).read_bytes()
    assert load_manifest(tmp_path / "spread") == spread


def test_a_tampered_member_of_a_large_wheel_is_refused(tmp_path: Path) -> None:
    whl = _large_wheel(tmp_path, tamper="big/d7/sub/f847.py")
    with pytest.raises(IntegrityError, match="RECORD hash"):
        unpack(whl, tmp_path / "out")
