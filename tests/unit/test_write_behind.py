"""Cache entries written behind the run: in order, all of them by close, errors reported."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from pinset._fs import WriteBehind


def test_every_write_is_done_in_order_by_close(tmp_path: Path) -> None:
    behind = WriteBehind()
    for n in range(50):
        behind.write(tmp_path / "same", f"{n}".encode())  # the last one given wins
        behind.write(tmp_path / f"entry-{n}", [b"part ", memoryview(b"and more")])
    behind.close()
    assert (tmp_path / "same").read_bytes() == b"49"
    assert all((tmp_path / f"entry-{n}").read_bytes() == b"part and more" for n in range(50))
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_the_writes_are_not_done_by_the_thread_that_gives_them(tmp_path: Path) -> None:
    import pinset._fs as fs

    writers: list[str] = []
    real = fs.atomic_write_bytes

    def spy(path: Path, data: object, **options: object) -> None:
        writers.append(threading.current_thread().name)
        real(path, data, **options)  # type: ignore[arg-type]

    behind = WriteBehind()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fs, "atomic_write_bytes", spy)
        behind.write(tmp_path / "a", b"a")
        behind.write(tmp_path / "b", b"b")
        behind.close()
        behind.write(tmp_path / "c", b"c")  # closed: written at once, here
    assert writers[:2] == ["pinset-write-behind_0"] * 2
    assert writers[2] == threading.current_thread().name
    assert (tmp_path / "c").read_bytes() == b"c"


def test_a_write_that_fails_goes_to_its_handler(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a directory")
    failures: list[OSError] = []
    behind = WriteBehind()
    behind.write(tmp_path / "file" / "entry", b"x", failures.append)
    behind.write(tmp_path / "file" / "other", b"x")  # no handler: only a later run's cost
    behind.write(tmp_path / "fine", b"ok")
    behind.close()
    assert len(failures) == 1
    assert isinstance(failures[0], NotADirectoryError)
    assert (tmp_path / "fine").read_bytes() == b"ok"


def test_a_bug_in_a_write_is_raised_by_close(tmp_path: Path) -> None:
    behind = WriteBehind()
    behind.write(tmp_path / "entry", "text, not bytes")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        behind.close()


def test_closing_unused_starts_no_thread() -> None:
    before = threading.active_count()
    WriteBehind().close()
    assert threading.active_count() == before
