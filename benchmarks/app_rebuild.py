"""Time the buildpack's first build of an application against a rebuild with the same cache.

    .venv/bin/python benchmarks/app_rebuild.py                 # 3 rounds
    .venv/bin/python benchmarks/app_rebuild.py --rounds 1 --json

Issue 14 asks that a second build with the same cache be at least 3x faster than the first,
and that it work with the index unreachable. In each round the script makes a Flask application
(``examples/flask-app``'s pins in a nested ``-r requirements/base.txt``, gunicorn, a Procfile
and a ``.python-version`` naming the running interpreter's minor version) and runs
``buildpack/bin/compile BUILD_DIR CACHE_DIR ENV_DIR`` three times, each on a fresh copy of the
application (a new checkout, as a platform gives every build):

- ``cold``: an empty CACHE_DIR, the index is PyPI (live);
- ``warm``: the same CACHE_DIR, PyPI;
- ``offline``: the same CACHE_DIR, ENV_DIR's ``PIP_INDEX_URL`` naming a closed port (timed too;
  it must succeed).

After each build the application's ``gunicorn --version`` and ``import flask`` must work. The
report gives each step's median and range and the median of the per-round ``cold/warm`` ratio.
pinset runs as ``--pinset`` (default: this interpreter's ``-m pinset``). Work files go to
``benchmarks/.work/app-rebuild/`` (gitignored). Needs the network (PyPI).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.harness.measure import run_measured  # noqa: E402
from benchmarks.harness.plan import tool_environ  # noqa: E402
from benchmarks.harness.stats import paired_ratio  # noqa: E402

STEPS = ("cold", "warm", "offline")
CLOSED_INDEX = "http://127.0.0.1:9/simple/"


class BenchError(Exception):
    """A build failed or its result does not run: the figures would mean nothing."""


@dataclass(frozen=True)
class Paths:
    work: Path
    compile: Path
    pinset: tuple[str, ...]


def write_app(dest: Path) -> None:
    """The application: pins in a nested file, gunicorn and flask on top, a Procfile."""
    pins = (ROOT / "examples" / "flask-app" / "requirements.txt").read_text(encoding="utf-8")
    (dest / "requirements").mkdir(parents=True)
    (dest / "requirements" / "base.txt").write_text(pins, encoding="utf-8")
    top = "-r requirements/base.txt\ngunicorn==23.0.0\npackaging==25.0\n"
    (dest / "requirements.txt").write_text(top, encoding="utf-8")
    minor = f"{sys.version_info.major}.{sys.version_info.minor}"
    (dest / ".python-version").write_text(minor + "\n", encoding="utf-8")
    (dest / "app.py").write_text(
        "from flask import Flask\napp = Flask(__name__)\n\n\n@app.get('/')\n"
        "def index():\n    return 'ok'\n",
        encoding="utf-8",
    )
    (dest / "Procfile").write_text("web: gunicorn app:app --bind 127.0.0.1:$PORT\n")


def build(paths: Paths, label: str, cache: Path, index: str | None) -> float:
    """One ``bin/compile`` on a fresh checkout; its wall time, after checking the result."""
    app = paths.work / label / "app"
    env_dir = paths.work / label / "env"
    shutil.rmtree(paths.work / label, ignore_errors=True)
    write_app(app)
    env_dir.mkdir()
    if index is not None:
        (env_dir / "PIP_INDEX_URL").write_text(index, encoding="utf-8")
    environ = tool_environ(_os_environ(), paths.work / "home")
    environ["PINSET"] = shlex.join(paths.pinset)
    logs = paths.work / "logs"
    logs.mkdir(exist_ok=True)
    measured = run_measured(
        [str(paths.compile), str(app), str(cache), str(env_dir)],
        env=environ,
        cwd=paths.work,
        stdout=logs / f"{label}.out",
        stderr=logs / f"{label}.err",
        timeout=1800,
        sample_ms=0,
    )
    if measured.returncode != 0:
        raise BenchError(f"{label}: bin/compile exited {measured.returncode}: see {logs}")
    _check(app)
    return measured.seconds


def _os_environ() -> dict[str, str]:
    return dict(os.environ)


def _check(app: Path) -> None:
    bin_dir = app / ".venv" / "bin"
    for argv in ([bin_dir / "gunicorn", "--version"], [bin_dir / "python", "-c", "import flask"]):
        done = subprocess.run([str(a) for a in argv], capture_output=True, check=False)
        if done.returncode != 0:
            raise BenchError(f"{app}: {argv[0]} failed: {done.stderr.decode()[-300:]}")


def one_round(paths: Paths, number: int) -> dict[str, float]:
    cache = paths.work / f"cache-r{number}"
    shutil.rmtree(cache, ignore_errors=True)
    times = {
        "cold": build(paths, f"r{number}-cold", cache, None),
        "warm": build(paths, f"r{number}-warm", cache, None),
        "offline": build(paths, f"r{number}-offline", cache, CLOSED_INDEX),
    }
    shutil.rmtree(cache, ignore_errors=True)
    return times


def report(rounds: list[dict[str, float]]) -> dict[str, object]:
    def median(values: list[float]) -> float:
        ordered = sorted(values)
        mid = len(ordered) // 2
        return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2

    steps = {
        step: {
            "median": median([r[step] for r in rounds]),
            "min": min(r[step] for r in rounds),
            "max": max(r[step] for r in rounds),
        }
        for step in STEPS
    }
    ratio = paired_ratio([r["cold"] for r in rounds], [r["warm"] for r in rounds])
    return {"rounds": len(rounds), "steps": steps, "cold/warm": ratio}


def _markdown(result: dict[str, object]) -> str:
    lines = ["| step | median s | range s |", "| --- | --- | --- |"]
    steps = result["steps"]
    assert isinstance(steps, dict)
    for step, cell in steps.items():
        lines.append(f"| {step} | {cell['median']:.2f} | {cell['min']:.2f}–{cell['max']:.2f} |")
    lines.append("")
    ratio = result["cold/warm"]
    shown = f"{ratio:.1f}×" if isinstance(ratio, float) else "n/a"
    lines.append(f"cold/warm (median of per-round ratios): {shown}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pinset", default=f"{sys.executable} -m pinset")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    paths = Paths(
        work=HERE / ".work" / "app-rebuild",
        compile=ROOT / "buildpack" / "bin" / "compile",
        pinset=tuple(shlex.split(args.pinset)),
    )
    paths.work.mkdir(parents=True, exist_ok=True)
    try:
        rounds = [one_round(paths, n) for n in range(1, args.rounds + 1)]
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    result = report(rounds)
    print(json.dumps(result, indent=2) if args.json else _markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
