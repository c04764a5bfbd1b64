"""Separate processes: a run killed with SIGKILL is undone by the next; concurrent runs queue."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from pinset.environment.installed import scan
from pinset.install.plan import make_plan
from pinset.install.transaction import apply
from tests.functional.install.conftest import VenvFactory, local_wheel
from tests.helpers.dists import make_wheel
from tests.helpers.envs import snapshot

SCRIPT = Path(__file__).with_name("_apply_script.py")


def _wheels(dest: Path, prefix: str, version: str, count: int = 8) -> list[Path]:
    return [
        make_wheel(
            dest,
            f"{prefix}{i}",
            version,
            files={f"{prefix}{i}/__init__.py": f"V = {version!r}\n"},
            entry_points={"console_scripts": {f"{prefix}{i}-cli": f"{prefix}{i}:V"}},
        )
        for i in range(count)
    ]


def _spawn(python: Path, pause: str, wheels: list[Path]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(SCRIPT), str(python), pause, *map(str, wheels)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(path: Path, proc: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the transaction never reached the pause"
        time.sleep(0.05)


def test_sigkilled_run_is_undone_by_the_next(tmp_path: Path, make_env: VenvFactory) -> None:
    interp = make_env()
    old = [local_wheel(w) for w in _wheels(tmp_path / "v1", "pk", "1")]
    apply(make_plan({w.name: w for w in old}, {}), interp, compile=True)
    before = snapshot(interp.prefix)

    pause = tmp_path / "paused"
    proc = _spawn(interp.executable, str(pause), _wheels(tmp_path / "v2", "pk", "2"))
    _wait_for(pause, proc)
    assert snapshot(interp.prefix) != before  # it really was half-way through
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    # the next run (here: one with nothing to do) undoes the dead one first
    result = apply(make_plan({}, scan(interp)), interp, compile=False)
    assert result.recovered == 1
    assert snapshot(interp.prefix) == before
    out = subprocess.run(
        [str(interp.executable), "-c", "import pk3; print(pk3.V)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out == "1\n"


def test_concurrent_transactions_queue_and_both_complete(
    tmp_path: Path, make_env: VenvFactory
) -> None:
    interp = make_env()
    pause = tmp_path / "paused"
    first = _spawn(interp.executable, str(pause), _wheels(tmp_path / "a", "alpha", "1"))
    _wait_for(pause, first)
    second = _spawn(interp.executable, "-", _wheels(tmp_path / "b", "beta", "1"))
    time.sleep(1.0)
    assert second.poll() is None  # waiting for the environment lock
    assert not any(name.startswith("beta") for name in scan(interp))
    Path(str(pause) + ".go").write_text("")
    out_a, err_a = first.communicate(timeout=120)
    out_b, err_b = second.communicate(timeout=120)
    assert first.returncode == 0, err_a
    assert second.returncode == 0, err_b
    installed = scan(interp)
    expected = [f"alpha{i}" for i in range(8)] + [f"beta{i}" for i in range(8)]
    assert sorted(installed) == sorted(expected)
    assert sorted(p.name for p in (interp.purelib / ".pinset").iterdir()) == ["lock"]
    for i in range(8):
        assert (interp.scripts / f"alpha{i}-cli").exists()
        assert (interp.scripts / f"beta{i}-cli").exists()
    assert "recovered 0" in out_a
    assert "recovered 0" in out_b
