"""Atomic writes: never a device or a FIFO replaced with a file (``--report /dev/null`` as root
replaced the system's /dev/null with a regular file; later processes then shared one file); the
file's mode exactly as asked; a missing directory made; a failed write leaves nothing; readers
never see a partial file."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

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


def test_a_file_given_in_parts_is_written_as_their_concatenation(tmp_path: Path) -> None:
    target = tmp_path / "out"
    large = bytes(range(256)) * 5000  # larger than one write may take
    atomic_write_bytes(target, [b"head\n", b"", large, b"tail"], durable=False)
    assert target.read_bytes() == b"head\n" + large + b"tail"
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    atomic_write_bytes(fifo, (b"a", b"b"))
    reader.join(timeout=10)
    assert received == [b"ab"]


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


def test_a_missing_directory_is_made_and_the_mode_is_exact_whatever_the_umask(
    tmp_path: Path,
) -> None:
    target = tmp_path / "a" / "b" / "entry"
    old = os.umask(0o077)
    try:
        atomic_write_bytes(target, b"data", durable=False)
        atomic_write_bytes(tmp_path / "script", b"#!", mode=0o755)
    finally:
        os.umask(old)
    assert target.read_bytes() == b"data"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "script").stat().st_mode) == 0o755
    assert [p.name for p in target.parent.iterdir()] == ["entry"]


def test_a_write_that_fails_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    (tmp_path / "entry").mkdir()  # a directory where the file goes: the rename fails
    (tmp_path / "entry" / "keep").write_bytes(b"old")
    with pytest.raises(IsADirectoryError):
        atomic_write_bytes(tmp_path / "entry", b"new", durable=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entry"]
    assert (tmp_path / "entry" / "keep").read_bytes() == b"old"


def test_a_write_into_a_file_where_a_directory_should_be_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "shard").write_bytes(b"in the way")
    with pytest.raises(NotADirectoryError):
        atomic_write_bytes(tmp_path / "shard" / "entry", b"new", durable=False)
    assert (tmp_path / "shard").read_bytes() == b"in the way"


def test_readers_see_one_whole_version_while_writers_replace_it(tmp_path: Path) -> None:
    target = tmp_path / "entry"
    versions = [bytes([n]) * 300_000 for n in range(8)]
    atomic_write_bytes(target, versions[0], durable=False)
    seen: set[bytes] = set()
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            seen.add(target.read_bytes())

    reader = threading.Thread(target=read)
    reader.start()
    writers = [
        threading.Thread(target=atomic_write_bytes, args=(target, v), kwargs={"durable": False})
        for v in versions
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    stop.set()
    reader.join()
    assert seen <= set(versions)
    assert [p.name for p in tmp_path.iterdir()] == ["entry"]
