"""Time pinset against pip on one package of very many modules: install, upgrade, uninstall.

    .venv/bin/python benchmarks/uninstall_many.py                    # 20,000 modules, 3 rounds
    .venv/bin/python benchmarks/uninstall_many.py --modules 2000 --rounds 1 --no-compile

Two wheels of a project ``many`` are generated (deterministic bytes): 1.0 and 2.0, each with
``--modules`` modules in one package directory (2.0 changes every module, as an upgrade does).
In each round, for each tool (order alternating between rounds), a fresh venv of ``--python``
gets, timed one by one: ``install`` of 1.0, ``upgrade`` to 2.0, ``uninstall``. Both tools
compile bytecode (their default) unless ``--no-compile``, so each module has a ``__pycache__``
file to find and remove. pip runs from inside the venv (the running interpreter's pip, linked in
before the timed region, as ``benchmarks/run.py`` does); pinset runs as ``--pinset`` with
``--python VENV``. pinset's cache is primed once before the rounds (untimed), so its rounds
measure installing, not the first unpacking of the wheels; pip installs a wheel file from
scratch either way. Before each timed command the script calls ``sync`` (untimed), so that
no step pays for writing back the previous one's files. After each uninstall the script checks
that nothing of ``many`` is left.

Needs pip (a test dependency) in the running interpreter. Work files go to
``benchmarks/.work/uninstall-many/`` (gitignored). The report (median and range per step and
tool, and the median of the per-round pinset/pip ratios) goes to stdout; ``--json`` prints it
as JSON instead.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import shlex
import shutil
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

from benchmarks.harness.measure import run_measured  # noqa: E402
from benchmarks.harness.plan import round_order, tool_environ  # noqa: E402
from benchmarks.harness.stats import paired_ratio  # noqa: E402
from benchmarks.harness.toolenv import fresh_venv, seed_pip  # noqa: E402

STEPS = ("install", "upgrade", "uninstall")
TOOLS = ("pinset", "pip")
ZIP_DATE = (2020, 1, 1, 0, 0, 0)


class BenchError(Exception):
    """A command failed or left files behind: the figures would mean nothing."""


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode("ascii")


def write_wheel(dest: Path, version: str, modules: int) -> Path:
    """``many-<version>-py3-none-any.whl`` with ``modules`` modules in ``many/``."""
    members = [(f"many/m{i}.py", f"VALUE = {i}\nVERSION = {version!r}\n") for i in range(modules)]
    members.append(("many/__init__.py", f"__version__ = {version!r}\n"))
    info = f"many-{version}.dist-info"
    members.append((f"{info}/METADATA", f"Metadata-Version: 2.1\nName: many\nVersion: {version}\n"))
    wheel = (
        "Wheel-Version: 1.0\nGenerator: pinset-bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    members.append((f"{info}/WHEEL", wheel))
    record = "".join(f"{p},{_record_hash(t.encode())},{len(t.encode())}\n" for p, t in members)
    members.append((f"{info}/RECORD", record + f"{info}/RECORD,,\n"))
    dest.mkdir(parents=True, exist_ok=True)
    out = dest / f"many-{version}-py3-none-any.whl"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for path, text in members:
            item = zipfile.ZipInfo(path, date_time=ZIP_DATE)
            item.external_attr = 0o100644 << 16
            zf.writestr(item, text, zipfile.ZIP_DEFLATED)
    return out


@dataclass(frozen=True)
class Setup:
    """What every timed command of a run shares."""

    wheels: dict[str, Path]  # version -> wheel file
    pinset: tuple[str, ...]
    caches: dict[str, Path]  # tool -> its cache directory
    compile: bool


def command(setup: Setup, tool: str, step: str, venv: Path) -> list[str]:
    """The argv of ``step`` for ``tool`` on ``venv``."""
    python = str(venv / "bin" / "python")
    compile_flag = [] if setup.compile else ["--no-compile"]
    version = "1.0" if step == "install" else "2.0"
    cache = str(setup.caches[tool])
    if tool == "pip":
        pip = [python, "-m", "pip", "--disable-pip-version-check"]
        if step == "uninstall":
            return [*pip, "uninstall", "-y", "many"]
        install = [*pip, "install", "--no-index", "--no-deps", "--cache-dir", cache]
        return [*install, *compile_flag, str(setup.wheels[version])]
    if step == "uninstall":
        return [*setup.pinset, "uninstall", "-y", "--python", python, "many"]
    where = ["--no-index", "-f", str(setup.wheels[version].parent), "--cache-dir", cache]
    install = [*setup.pinset, "install", "--python", python, "--no-deps", *where]
    return [*install, *compile_flag, f"many=={version}"]


def _site_packages(venv: Path) -> Path:
    found = sorted(venv.glob("lib/python*/site-packages"))
    if not found:
        raise BenchError(f"no site-packages in {venv}")
    return found[0]


def _leftovers(venv: Path) -> list[str]:
    site = _site_packages(venv)
    package = site / "many"
    left = [p for p in package.rglob("*") if not p.is_dir()] if package.exists() else []
    left += list(site.glob("many-*.dist-info"))
    return [str(p.relative_to(site)) for p in left]


def _run(argv: list[str], env: dict[str, str], work: Path, name: str, timeout: float) -> float:
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    out, err = logs / f"{name}.out", logs / f"{name}.err"
    os.sync()  # the previous step's writes reach the disk outside the timed region
    measured = run_measured(
        argv, env=env, cwd=work, stdout=out, stderr=err, timeout=timeout, sample_ms=0
    )
    if measured.returncode != 0:
        tail = err.read_text(errors="replace").strip().splitlines()[-3:]
        raise BenchError(f"{shlex.join(argv)} failed ({measured.returncode}): {' / '.join(tail)}")
    return measured.seconds


def prepare(args: argparse.Namespace) -> Setup:
    """The wheels (generated once per module count) and empty caches."""
    work: Path = args.work
    wheels_dir = work / f"wheels-{args.modules}"
    wheels = {v: wheels_dir / f"many-{v}-py3-none-any.whl" for v in ("1.0", "2.0")}
    if not all(w.is_file() for w in wheels.values()):
        shutil.rmtree(wheels_dir, ignore_errors=True)
        wheels = {v: write_wheel(wheels_dir, v, args.modules) for v in ("1.0", "2.0")}
    pinset = tuple(shlex.split(args.pinset)) if args.pinset else (sys.executable, "-m", "pinset")
    caches = {tool: work / "cache" / tool for tool in TOOLS}
    for cache in caches.values():
        shutil.rmtree(cache, ignore_errors=True)
    return Setup(wheels, pinset, caches, compile=not args.no_compile)


def run_rounds(args: argparse.Namespace, setup: Setup) -> dict[str, dict[str, list[float]]]:
    work: Path = args.work
    (work / "home").mkdir(parents=True, exist_ok=True)
    env = tool_environ(os.environ, work / "home")
    prime = fresh_venv(args.python, work / "venvs" / "prime", env).parent.parent
    for step in ("install", "upgrade"):  # fills pinset's cache (untimed)
        _run(command(setup, "pinset", step, prime), env, work, f"prime-{step}", args.timeout)
    times: dict[str, dict[str, list[float]]] = {t: {s: [] for s in STEPS} for t in TOOLS}
    for index in range(args.rounds):
        for tool in round_order(TOOLS, index):
            venv = fresh_venv(args.python, work / "venvs" / tool, env).parent.parent
            if tool == "pip":
                seed_pip(Path(sys.executable), venv)
            for step in STEPS:
                argv = command(setup, tool, step, venv)
                seconds = _run(argv, env, work, f"{tool}-{step}-r{index}", args.timeout)
                times[tool][step].append(seconds)
                print(f"round {index + 1} {tool:6} {step:9} {seconds:8.2f} s", file=sys.stderr)
            left = _leftovers(venv)
            if left:
                raise BenchError(f"{tool} uninstall left {len(left)} files, e.g. {left[:3]}")
    return times


def report(times: dict[str, dict[str, list[float]]], args: argparse.Namespace) -> dict[str, object]:
    rows: dict[str, object] = {}
    for step in STEPS:
        ours, pips = times["pinset"][step], times["pip"][step]
        ratio = paired_ratio(list(ours), list(pips))
        rows[step] = {
            "pinset": {"median": _median(ours), "all": ours},
            "pip": {"median": _median(pips), "all": pips},
            "pinset_over_pip": ratio,
        }
    return {
        "modules": args.modules,
        "rounds": args.rounds,
        "compile": not args.no_compile,
        "steps": rows,
    }


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def render(result: dict[str, object]) -> str:
    compiled = "with bytecode" if result["compile"] else "without bytecode"
    lines = [
        f"# {result['modules']:,} modules in one package, {result['rounds']} round(s), {compiled}",
        "",
        "| step | pinset median (min–max) | pip median (min–max) | pinset/pip |",
        "| --- | --- | --- | --- |",
    ]
    steps = result["steps"]
    assert isinstance(steps, dict)
    for step, row in steps.items():
        cells = [step]
        for tool in TOOLS:
            figures = row[tool]["all"]
            cells.append(f"{row[tool]['median']:.2f} s ({min(figures):.2f}–{max(figures):.2f})")
        ratio = row["pinset_over_pip"]
        cells.append("n/a" if ratio is None else f"{ratio:.2f}×")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--python", type=Path, default=Path(sys.executable), help="the venvs' base interpreter"
    )
    parser.add_argument(
        "--pinset", default="", help="pinset command (default: this python -m pinset)"
    )
    parser.add_argument("--work", type=Path, default=HERE / ".work" / "uninstall-many")
    parser.add_argument("--no-compile", action="store_true", help="both tools skip bytecode")
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per command")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        times = run_rounds(args, prepare(args))
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    result = report(times, args)
    print(json.dumps(result, indent=2) if args.json else render(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
