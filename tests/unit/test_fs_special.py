"""Atomic writes never replace a device or a FIFO with a file (``--report /dev/null`` as root
replaced the system's /dev/null with a regular file; later processes then shared one file)."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

from pinset._fs import atomic_write_bytes, write_output_file


def test_a_fifo_is_written_through_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "out"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    atomic_write_bytes(fifo, b"report\n")
    reader.join(timeout=10)
    assert received == [b"report\n"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary file left beside it


def test_a_regular_file_is_still_replaced_whole(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_bytes(b"old")
    atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new"


def test_an_output_file_named_by_a_dangling_link_is_created_where_the_link_points(
    tmp_path: Path,
) -> None:
    (tmp_path / "link").symlink_to("made.txt")
    write_output_file(tmp_path / "link", "pins\n")
    assert (tmp_path / "link").is_symlink()
    assert (tmp_path / "made.txt").read_text() == "pins\n"


def test_an_output_file_that_already_holds_the_text_is_not_touched(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    out.write_text("same\n")
    os.utime(out, (1_000_000, 1_000_000))
    write_output_file(out, "same\n")
    assert out.stat().st_mtime == 1_000_000


def test_an_output_fifo_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "out"
    os.mkfifo(fifo)
    (tmp_path / "via").symlink_to(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_output_file(tmp_path / "via", "report\n")
    reader.join(timeout=10)
    assert received == [b"report\n"]
    assert (tmp_path / "via").is_symlink()
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
