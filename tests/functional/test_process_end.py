"""How the ``pinset`` process ends: at once, without the interpreter's teardown, but with what
that teardown does that a user can see (exit status, flushed output, ``atexit`` functions,
threads still running)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pinset.cli.main import main

PRELUDE = """\
import atexit, sys
from pinset.cli.main import end

class Loud:
    def __del__(self):
        print("torn down", file=sys.stderr, flush=True)

kept = Loud()
atexit.register(lambda: print("atexit ran", file=sys.stderr, flush=True))
"""


def _run(body: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "ending.py"
    script.write_text(PRELUDE + body)
    return subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)),
    )


def test_the_process_ends_with_the_status_its_output_flushed_and_atexit_run(
    tmp_path: Path,
) -> None:
    done = _run('print("a report", end="")\nsys.stderr.write("a warning")\nend(3)\n', tmp_path)
    assert done.returncode == 3
    assert done.stdout == "a report"  # buffered, flushed before the end
    assert "a warning" in done.stderr
    assert "atexit ran" in done.stderr
    assert "torn down" not in done.stderr  # no teardown: its objects are not freed one by one


def test_a_thread_still_running_is_waited_for(tmp_path: Path) -> None:
    body = """\
import threading, time

def late():
    time.sleep(0.3)
    print("the thread finished", flush=True)

threading.Thread(target=late).start()
end(4)
"""
    done = _run(body, tmp_path)
    assert done.returncode == 4
    assert "the thread finished" in done.stdout  # the usual end, which waits for it


def test_the_cli_s_output_through_a_pipe_arrives_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``pinset`` and ``python -m pinset`` end this way: what they print to a pipe is all
    there, as ``main`` in this process prints it."""
    assert main(["completion", "bash"]) == 0
    expected = capsys.readouterr().out
    assert len(expected) > 4096  # several KiB, the last of them in stdout's buffer until the end
    monkeypatch.chdir(tmp_path)
    status = main(["check", "missing.txt"])
    assert status != 0
    for command in (
        [sys.executable, "-m", "pinset"],
        [
            sys.executable,
            "-c",
            "import sys; from pinset.cli.main import script; sys.exit(script())",
        ],
    ):
        done = _cli(command, ["completion", "bash"], tmp_path)
        assert done.returncode == 0, done.stderr
        assert done.stdout == expected
        failed = _cli(command, ["check", "missing.txt"], tmp_path)
        assert failed.returncode == status
        assert "missing.txt" in failed.stderr


def _cli(command: list[str], args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*command, *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        cwd=cwd,
        env=dict(os.environ, NO_COLOR="1"),
    )
