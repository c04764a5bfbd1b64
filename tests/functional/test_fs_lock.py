"""``_fs.locked``: one holder at a time, across processes, and still one after the lock file
was removed while someone waited (``flock`` locks an inode, not a path)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from pinset._fs import locked

HOLD = """
import sys, time
from pathlib import Path
from pinset._fs import locked
with locked(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.readline()
"""


def test_a_process_waits_for_another_process_holding_the_lock(tmp_path: Path) -> None:
    lock = tmp_path / "sub" / "entry.lock"  # its directory is made
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(lock)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdin is not None
    assert holder.stdout.readline() == "held\n"
    entered = threading.Event()

    def wait_for_it() -> None:
        with locked(lock):
            entered.set()

    waiter = threading.Thread(target=wait_for_it, daemon=True)
    waiter.start()
    assert not entered.wait(0.5)  # the other process holds it
    holder.stdin.write("\n")
    holder.stdin.flush()
    assert holder.wait(timeout=30) == 0
    assert entered.wait(30)
    waiter.join(30)
    assert lock.exists()  # the file stays: later lockers share its inode


def test_a_lock_file_removed_while_waiting_still_gives_one_holder_at_a_time(
    tmp_path: Path,
) -> None:
    lock = tmp_path / "entry.lock"
    inside: list[str] = []
    overlaps: list[tuple[str, ...]] = []
    release_first, first_in, third_in, release_third = (threading.Event() for _ in range(4))

    def hold(name: str, entered: threading.Event | None, until: threading.Event | None) -> None:
        with locked(lock):
            if inside:
                overlaps.append((*inside, name))
            inside.append(name)
            if entered is not None:
                entered.set()
            if until is not None:
                assert until.wait(30)
            else:
                time.sleep(0.2)
            inside.remove(name)

    first = threading.Thread(target=hold, args=("first", first_in, release_first), daemon=True)
    first.start()
    assert first_in.wait(30)
    second = threading.Thread(target=hold, args=("second", None, None), daemon=True)
    second.start()  # waits on the first file
    time.sleep(0.3)
    lock.unlink()  # say, a cache prune
    third = threading.Thread(target=hold, args=("third", third_in, release_third), daemon=True)
    third.start()  # locks the new file at the path at once
    assert third_in.wait(30)
    release_first.set()
    first.join(30)
    time.sleep(0.3)  # the second now holds the removed file: it must take the new one too
    assert inside == ["third"]
    release_third.set()
    for thread in (second, third):
        thread.join(30)
    # the first and the third overlap (the removal made a second lock), never the second
    assert [names for names in overlaps if "second" in names] == []
    assert inside == []
