"""Placing files by link mode: hard links, copies or symbolic links from the unpacked cache;
copies when linking is impossible (and the caller is told)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from pinset.install.wheel import PlacedFile, write_files


def _other_device(tmp_path: Path) -> Path | None:
    for candidate in ("/dev/shm", tempfile.gettempdir()):
        if os.path.isdir(candidate) and os.stat(candidate).st_dev != os.stat(tmp_path).st_dev:
            return Path(tempfile.mkdtemp(dir=candidate))
    return None


def _sources(root: Path) -> list[PlacedFile]:
    files = []
    for index, mode in enumerate((0o644, 0o755, 0o644)):
        source = root / f"src{index}.py"
        source.write_text(f"value = {index}\n")
        source.chmod(mode)
        files.append(PlacedFile("", os.fspath(source), None, "sha256=x", 10, mode))
    return files


def _to(dest: Path, files: list[PlacedFile]) -> list[PlacedFile]:
    return [
        PlacedFile(os.fspath(dest / Path(f.source or "").name), f.source, None, f.hash, 10, f.mode)
        for f in files
    ]


def test_files_are_hard_linked_on_one_filesystem(tmp_path: Path) -> None:
    (tmp_path / "cache").mkdir()
    (tmp_path / "env").mkdir()
    files = _to(tmp_path / "env", _sources(tmp_path / "cache"))
    assert write_files(files, how="hardlink") == "hardlink"
    for item in files:
        assert os.path.samefile(item.dest, item.source or "")
        assert os.stat(item.dest).st_nlink == 2


def test_copy_mode_gives_independent_files(tmp_path: Path) -> None:
    (tmp_path / "cache").mkdir()
    (tmp_path / "env").mkdir()
    files = _to(tmp_path / "env", _sources(tmp_path / "cache"))
    assert write_files(files, how="copy") == "copy"
    for item in files:
        dest = Path(item.dest)
        assert dest.stat().st_nlink == 1
        assert not dest.is_symlink()
        assert dest.stat().st_mode & 0o777 == item.mode
        dest.write_text("edited\n")
        assert Path(item.source or "").read_text() != "edited\n"


def test_symlink_mode_links_to_the_cache(tmp_path: Path) -> None:
    (tmp_path / "cache").mkdir()
    (tmp_path / "env").mkdir()
    files = _to(tmp_path / "env", _sources(tmp_path / "cache"))
    assert write_files(files, how="symlink") == "symlink"
    for item in files:
        assert os.readlink(item.dest) == item.source


def test_files_are_copied_across_filesystems(tmp_path: Path) -> None:
    other = _other_device(tmp_path)
    if other is None:
        pytest.skip("no second filesystem here")
    try:
        files = _to(tmp_path, _sources(other))
        assert write_files(files, how="hardlink") == "copy"
        for item in files:
            dest = Path(item.dest)
            assert dest.read_text() == Path(item.source or "").read_text()
            assert not os.path.samefile(dest, item.source or "")
            assert dest.stat().st_mode & 0o777 == item.mode
    finally:
        for leftover in other.iterdir():
            leftover.unlink()
        other.rmdir()
