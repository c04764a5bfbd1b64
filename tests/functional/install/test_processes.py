"""Separate processes: a run killed with SIGKILL is undone by the next; concurrent runs queue."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import pytest
from packaging.utils import NormalizedName

from pinset.dists import InstalledDist
from pinset.environment.installed import scan
from pinset.environment.interpreter import query
from pinset.environment.schemes import environment_scheme
from pinset.install.plan import Plan, make_plan
from pinset.install.transaction import apply
from tests.functional.install.conftest import VenvFactory, local_wheel
from tests.helpers.dists import make_wheel
from tests.helpers.envs import Snapshot, snapshot
from tests.helpers.fixtures_install import Run, catalog, index, pinset, venv  # noqa: F401
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import installed, site_packages

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
    result = apply(make_plan({}, scan(environment_scheme(interp))), interp, compile=False)
    assert [r.outcome for r in result.recovered] == ["undone"]
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
    assert not any(name.startswith("beta") for name in scan(environment_scheme(interp)))
    Path(str(pause) + ".go").write_text("")
    out_a, err_a = first.communicate(timeout=120)
    out_b, err_b = second.communicate(timeout=120)
    assert first.returncode == 0, err_a
    assert second.returncode == 0, err_b
    installed = scan(environment_scheme(interp))
    expected = [f"alpha{i}" for i in range(8)] + [f"beta{i}" for i in range(8)]
    assert sorted(installed) == sorted(expected)
    assert sorted(p.name for p in (environment_scheme(interp).purelib / ".pinset").iterdir()) == [
        "lock"
    ]
    for i in range(8):
        assert (environment_scheme(interp).scripts / f"alpha{i}-cli").exists()
        assert (environment_scheme(interp).scripts / f"beta{i}-cli").exists()
    assert "recovered 0" in out_a
    assert "recovered 0" in out_b


# --- through the command line: every run recovers first, and says what it undid -------------


def _killed_upgrade(tmp_path: Path, venv: Path) -> Snapshot:
    """pk0…pk7 1 installed, then an upgrade to 2 killed half-way (every file of 1 stashed);
    returns the snapshot of the environment before the killed run."""
    interp = query(venv / "bin" / "python", cache_dir=None)
    old = [local_wheel(w) for w in _wheels(tmp_path / "v1", "pk", "1")]
    apply(
        make_plan({w.name: w for w in old}, scan(environment_scheme(interp))), interp, compile=False
    )
    before = snapshot(venv)
    pause = tmp_path / "paused"
    proc = _spawn(interp.executable, str(pause), _wheels(tmp_path / "v2", "pk", "2"))
    _wait_for(pause, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert snapshot(venv) != before
    return before


UNDONE = (
    "Recovered an interrupted run: removed pk0==2, pk1==2, pk2==2, pk3==2, pk4==2, pk5==2, "
    "pk6==2, pk7==2; restored pk0==1, pk1==1, pk2==1, pk3==1, pk4==1, pk5==1, pk6==1, pk7==1"
)


def test_the_no_op_path_recovers_a_killed_run_first(
    pinset: Run, venv: Path, tmp_path: Path
) -> None:
    first = pinset("install", "lib==1.0")
    assert first.returncode == 0, first.stderr
    assert pinset("install", "lib==1.0").stderr.startswith("Already satisfied")
    before = _killed_upgrade(tmp_path, venv)
    again = pinset("install", "lib==1.0")
    assert again.returncode == 0, again.stderr
    assert UNDONE in again.stderr
    assert "Already satisfied: checked 1 package" in again.stderr
    assert snapshot(venv) == before
    assert sorted(p.name for p in (site_packages(venv) / ".pinset").iterdir()) == ["lock"]


def test_an_unrelated_install_says_what_it_undid(pinset: Run, venv: Path, tmp_path: Path) -> None:
    before = _killed_upgrade(tmp_path, venv)
    run = pinset("install", "lib==1.0")
    assert run.returncode == 0, run.stderr
    assert UNDONE in run.stderr
    assert "+ lib==1.0" in run.stderr
    after = snapshot(venv)
    assert {k: after.get(k) for k in before} == before  # all of pk 1 is back, lib added
    assert installed(site_packages(venv))["pk3"] == "1"


def test_a_dry_run_warns_of_a_killed_run_and_changes_nothing(
    pinset: Run, venv: Path, tmp_path: Path
) -> None:
    _killed_upgrade(tmp_path, venv)
    during = snapshot(venv)
    run = pinset("install", "--dry-run", "lib==1.0")
    assert run.returncode == 0, run.stderr
    assert "an interrupted pinset run" in run.stderr
    assert snapshot(venv) == during


def test_uninstall_recovers_a_killed_run_first(pinset: Run, venv: Path, tmp_path: Path) -> None:
    before = _killed_upgrade(tmp_path, venv)
    run = pinset("uninstall", "-y", "absent")
    assert run.returncode == 0, run.stderr
    assert UNDONE in run.stderr
    assert snapshot(venv) == before


def _waiting(pid: int, timeout: float = 120) -> None:
    """Wait until process ``pid`` has used no CPU for a second (blocked on the lock: a
    process starved by a loaded machine may pass too, which only makes the test weaker)."""
    deadline = time.monotonic() + timeout
    stat = Path(f"/proc/{pid}/stat")
    last, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        used = int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
        if used != last:
            last, since = used, time.monotonic()
        elif time.monotonic() - since > 1.0:
            return
        time.sleep(0.1)
    raise AssertionError(f"process {pid} never waited")


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="needs /proc")
def test_a_run_that_waited_for_the_lock_plans_against_the_environment_it_finds(
    pinset: Run, index: IndexServer, venv: Path, tmp_path: Path, catalog: Path
) -> None:
    assert pinset("install", "lib==1.0").returncode == 0
    sp = site_packages(venv)
    pause = tmp_path / "paused"
    first = _spawn(
        venv / "bin" / "python", f"stash:{pause}", [catalog / "lib-2.0-py3-none-any.whl"]
    )
    _wait_for(pause, first)  # holds the lock, has changed nothing yet
    full = dict(os.environ, NO_COLOR="1")
    second = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pinset",
            "install",
            "--python",
            str(venv),
            "-i",
            index.simple_url,
            "lib==2.0",
        ],
        cwd=tmp_path,
        env=full,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _waiting(second.pid)
    Path(str(pause) + ".go").write_text("")
    _out_a, err_a = first.communicate(timeout=120)
    assert first.returncode == 0, err_a
    _out, err_b = second.communicate(timeout=120)
    assert second.returncode == 0, err_b
    assert "lib==2.0" not in err_b  # the first run installed it: nothing left to change
    assert installed(sp)["lib"] == "2.0"


def test_a_planner_is_given_what_is_installed_once_the_lock_is_held(
    tmp_path: Path, make_env: VenvFactory
) -> None:
    interp = make_env()
    one = local_wheel(make_wheel(tmp_path / "w", "p", "1"))
    two = local_wheel(make_wheel(tmp_path / "w", "p", "2"))
    apply(make_plan({one.name: one}, {}), interp, compile=False)
    stale = scan(environment_scheme(interp))  # what a run saw before another upgraded p
    apply(make_plan({two.name: two}, stale), interp, compile=False)
    seen: list[str] = []

    def planner(current: Mapping[NormalizedName, InstalledDist]) -> Plan:
        seen.append(str(current[two.name].version))
        return make_plan({two.name: two}, current)

    result = apply(planner, interp, compile=False)
    assert seen == ["2"]
    assert (result.installed, result.removed) == ((), ())
