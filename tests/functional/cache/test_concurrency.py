"""Several real processes on one cache at once: no partial entry is ever seen, and an entry
that needs producing (a build, a download) is produced by exactly one of them."""

from __future__ import annotations

import collections
import os
import subprocess
import sys
from pathlib import Path

import pytest

WORKERS = 4
REPO = Path(__file__).resolve().parents[3]


def _run_workers(mode: str, root: Path, log: Path, rounds: int) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), *sys.path])}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.helpers.cache_worker",
                mode,
                str(root),
                str(log),
                str(rounds),
            ],
            cwd=REPO,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(WORKERS)
    ]
    failures = []
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        if proc.returncode != 0:
            failures.append(err)
    assert failures == []


def _counts(log: Path) -> collections.Counter[str]:
    return (
        collections.Counter(log.read_text().splitlines()) if log.exists() else collections.Counter()
    )


@pytest.mark.parametrize(
    ("mode", "verb", "rounds"),
    [("dir", "build", 12), ("file", "fetch", 8), ("json", "produce", 30)],
)
def test_entries_are_produced_once_and_seen_whole(
    tmp_path: Path, mode: str, verb: str, rounds: int
) -> None:
    log = tmp_path / "log"
    _run_workers(mode, tmp_path / "cache", log, rounds)
    counts = _counts(log)
    assert counts == {f"{verb} {i}": 1 for i in range(rounds)}
    leftovers = [p for p in (tmp_path / "cache").rglob(".*.tmp")]
    assert leftovers == []


def test_concurrent_overwrites_are_never_read_partially(tmp_path: Path) -> None:
    _run_workers("bytes", tmp_path / "cache", tmp_path / "log", 150)


def test_corrupt_entries_are_repaired_once_while_others_read(tmp_path: Path) -> None:
    root, log = tmp_path / "cache", tmp_path / "log"
    _run_workers("file", root, log, 4)
    log.unlink()
    archives = sorted((root / "archives-v1").glob("*/*/*/pkg*.whl"), key=lambda p: p.name)
    broken = [p for p in archives if p.name in ("pkg0.whl", "pkg2.whl")]
    assert len(broken) == 2
    for path in broken:
        path.write_bytes(path.read_bytes()[:-10] + b"0123456789")  # same size, wrong bytes
    _run_workers("file", root, log, 4)
    counts = _counts(log)
    fetches = {line: n for line, n in counts.items() if line.startswith("fetch")}
    assert fetches == {"fetch 0": 1, "fetch 2": 1}
    warnings = [line for line in counts if line.startswith("warning")]
    assert warnings
    assert all("does not match its sidecar" in w for w in warnings)
