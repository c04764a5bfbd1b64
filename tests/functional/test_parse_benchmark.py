"""The parser benchmark runs end to end (tiny mode); its figures are not asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "parse_requirements.py"


def test_benchmark_runs_in_tiny_mode(tmp_path: Path) -> None:
    kept = tmp_path / "generated.txt"
    done = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--lines",
            "200",
            "--rounds",
            "1",
            "--json",
            "--keep",
            str(kept),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["physical_lines"] == 200
    assert result["requirements"]["pinset"] == result["requirements"]["pip"] > 0
    for tool in ("pinset", "pip"):
        assert len(result["seconds"][tool]["all"]) == 1
    assert result["pinset_over_pip"]["median_of_ratios"] > 0
    text = kept.read_text(encoding="utf-8")
    assert "--hash=sha256:" in text
    assert "\\\n" in text
    assert " @ https://" in text


def test_benchmark_text_report(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--lines", "50", "--rounds", "2"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "pinset/pip" in done.stdout
    assert done.stderr.count("round ") == 4
