"""The many-modules benchmark runs end to end (tiny mode); its figures are not asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "uninstall_many.py"


def test_benchmark_runs_in_tiny_mode(tmp_path: Path) -> None:
    argv = [sys.executable, str(SCRIPT), "--modules", "30", "--rounds", "1", "--json"]
    done = subprocess.run(
        [*argv, "--work", str(tmp_path / "work")],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["modules"] == 30
    for step in ("install", "upgrade", "uninstall"):
        row = result["steps"][step]
        assert len(row["pinset"]["all"]) == len(row["pip"]["all"]) == 1
        assert row["pinset_over_pip"] > 0
