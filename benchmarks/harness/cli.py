"""``python benchmarks/run.py``: parse options, set up the tools, run, write the report."""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import os
import re
import shlex
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .plan import DEFAULT_TOOLS, SCENARIO_BY_NAME, SCENARIOS, TOOLS, tool_environ
from .probe import probe_index
from .report import Row, RunInfo, render
from .runner import Bench, hashed_lock, requirements_file, run_scenario, set_file
from .toolenv import SetupError, describe_machine, ensure_tools, tool_versions
from .vcs_set import vcs_requirements

REPO = Path(__file__).resolve().parents[2]
SETS = ("small", "medium", "large", "sdist", "vcs")
DEFAULT_SETS = ("small", "medium", "large")
"""``vcs`` is made by the harness (:mod:`.vcs_set`); ``sdist`` is kept in ``benchmarks/sets``;
the others come from ``--bench-dir``."""


def _csv(allowed: Sequence[str]) -> Callable[[str], list[str]]:
    def parse(text: str) -> list[str]:
        items = [item.strip() for item in text.split(",") if item.strip()]
        unknown = [item for item in items if item not in allowed]
        if unknown or not items:
            raise argparse.ArgumentTypeError(f"choose from {', '.join(allowed)} (got {text!r})")
        return items

    return parse


def default_pinset(python: Path = Path(sys.executable)) -> str:
    """pinset as its users start it: the ``pinset`` console script beside ``python`` (what
    installing pinset puts on PATH, as ``uv`` is uv's binary), else ``python -m pinset``.
    ``python -m`` costs a no-op about 4 ms more (runpy and what it imports)."""
    script = python.with_name("pinset")
    if script.is_file() and os.access(script, os.X_OK):
        return shlex.quote(str(script))
    return f"{shlex.quote(str(python))} -m pinset"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="benchmarks/run.py", description="Time pinset, uv and pip on the same work."
    )
    add = parser.add_argument
    add(
        "--sets",
        type=_csv(SETS),
        default=list(DEFAULT_SETS),
        help="default: small,medium,large; vcs: git repositories the harness makes",
    )
    add("--rounds", type=int, default=5, help="timed rounds per scenario (default 5)")
    names = [s.name for s in SCENARIOS]
    add("--scenarios", type=_csv(names), default=names, help=f"default: {','.join(names)}")
    add("--tools", type=_csv(TOOLS), default=None, help="default: pinset,uv,pip (+baseline)")
    add("--python", type=Path, default=Path(sys.executable), help="benchmark interpreter")
    add("--pinset", default=default_pinset(), help="pinset command (default: the console script)")
    add("--baseline", default="", help="another pinset command, timed beside it")
    add("--bench-dir", type=Path, default=REPO.parent / "shared" / "bench")
    add("--work-dir", type=Path, default=REPO / "benchmarks" / ".work")
    add("--results-dir", type=Path, default=REPO / "benchmarks" / "results")
    add(
        "--pip-via-python",
        action="store_true",
        help="run pip from the harness venv with --python VENV instead of from inside the venv",
    )
    add(
        "--bytecode",
        choices=("off", "defaults"),
        default="off",
        help="off: no tool compiles (default); defaults: each tool's own default",
    )
    add(
        "--forget-plans",
        action="store_true",
        help="delete pinset's remembered install plans before each of its timed runs (its "
        "full install path, as once the pages a plan was chosen from are no longer fresh)",
    )
    add("--no-write", action="store_true", help="print the report, write no results file")
    add("--timeout", type=float, default=1800.0, help="seconds per command (default 1800)")
    add("--sample-ms", type=int, default=50, help="RSS sampling period, 0 = off")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.rounds < 1:
        print("error: --rounds must be at least 1", file=sys.stderr)
        return 2
    missing = _missing_inputs(args.bench_dir, [s for s in args.sets if s != "vcs"], args.scenarios)
    if missing:
        print(f"error: requirement set not found: {', '.join(missing)}", file=sys.stderr)
        return 2
    work: Path = args.work_dir.resolve()
    (work / "home").mkdir(parents=True, exist_ok=True)
    env = tool_environ(os.environ, work / "home")
    chosen = args.tools or [*DEFAULT_TOOLS, *(["baseline"] if args.baseline else [])]
    if "baseline" in chosen and not args.baseline:
        print("error: the baseline tool needs --baseline CMD", file=sys.stderr)
        return 2
    tools = tuple(tool for tool in TOOLS if tool in chosen)
    try:
        paths = ensure_tools(work, args.python, env, tuple(shlex.split(args.pinset)))
        paths = dataclasses.replace(
            paths,
            pip_in_venv=not args.pip_via_python,
            baseline=tuple(shlex.split(args.baseline)),
            bytecode_defaults=args.bytecode == "defaults",
        )
        machine = describe_machine(args.python, env)
    except (SetupError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    bench = Bench(
        work=work,
        bench_dir=args.bench_dir.resolve(),
        python=args.python,
        env=env,
        paths=paths,
        tools=tools,
        rounds=args.rounds,
        timeout=args.timeout,
        sample_ms=args.sample_ms,
        forget_plans=args.forget_plans,
    )
    if "vcs" in args.sets:
        vcs_requirements(work)
    failed = _prepare_hashed_locks(bench, args.sets, args.scenarios)
    if failed:
        print(f"error: {failed}", file=sys.stderr)
        return 1
    index_note = probe_index(_first_project(requirements_file(bench, args.sets[0], SCENARIOS[0])))
    started = datetime.datetime.now(datetime.timezone.utc)
    load_before = _loadavg()
    rows: list[Row] = []
    for set_name in (s for s in SETS if s in args.sets):
        for name in (s.name for s in SCENARIOS if s.name in args.scenarios):
            rows.append(run_scenario(bench, set_name, SCENARIO_BY_NAME[name]))
    info = RunInfo(
        date=started.strftime("%Y-%m-%d %H:%M UTC"),
        sets=tuple(s for s in SETS if s in args.sets),
        rounds=args.rounds,
        tools=tools,
        machine={
            "CPU": f"{machine.cpu}, {machine.cores} cores",
            "memory": f"{machine.memory_gib:.1f} GiB",
            "kernel": machine.kernel,
            "benchmark Python": machine.python,
            "load average (1 min) before / after": f"{load_before} / {_loadavg()}",
        },
        versions=tool_versions(paths, _versions_of(tools, args.scenarios), env),
        bytecode_defaults=paths.bytecode_defaults,
        notes=(
            _pip_note(paths.pip_in_venv),
            f"pinset command: `{args.pinset}`; requirement sets from `{bench.bench_dir}` "
            "(`sdist`: from `benchmarks/sets/`).",
            index_note,
            *([FORGET_NOTE] if args.forget_plans else []),
        ),
    )
    text = render(info, rows)
    print(text)
    if not args.no_write:
        _write(args.results_dir, started, info.sets, text)
    return 0


def _prepare_hashed_locks(bench: Bench, sets: Sequence[str], scenarios: Sequence[str]) -> str:
    """Make the hashed lock of every set a ``hashed-*`` scenario needs, before anything is
    timed; what went wrong, or ``""``."""
    if not any(SCENARIO_BY_NAME[name].source == "hashed" for name in scenarios):
        return ""
    try:
        for set_name in (s for s in sets if s != "vcs"):
            hashed_lock(bench, set_name)
    except SetupError as exc:
        return str(exc)
    return ""


def _versions_of(tools: Sequence[str], scenarios: Sequence[str]) -> list[str]:
    """The tools whose version the report gives: pip-compile too when it is timed."""
    compiles = any(SCENARIO_BY_NAME[name].kind == "compile" for name in scenarios)
    return [*tools, *(["pip-compile"] if compiles and "pip" in tools else [])]


def _first_project(requirements: Path) -> str:
    """The first project named in a requirements file (for the index probe)."""
    for line in requirements.read_text().splitlines():
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", line)
        if match and not line.lstrip().startswith("#"):
            return re.sub(r"[-_.]+", "-", match.group(1)).lower()
    return "pip"


def _missing_inputs(bench_dir: Path, sets: Sequence[str], scenarios: Sequence[str]) -> list[str]:
    sources = sorted({SCENARIO_BY_NAME[n].source for n in scenarios})
    wanted = [set_file(bench_dir, name, source) for name in sets for source in sources]
    return [str(path) for path in wanted if not path.is_file()]


FORGET_NOTE = (
    "`--forget-plans`: pinset's remembered install plans were deleted before each of its timed "
    "runs, so every pinset run took its full install path."
)


def _pip_note(in_venv: bool) -> str:
    if in_venv:
        return (
            "pip runs from inside the target venv (`VENV/bin/python -m pip`), as a pip user "
            "does: the harness's pip 26.3 is hard-linked into each venv before the timed run "
            "(so pip's venv holds one distribution more than uv's and pinset's)."
        )
    return (
        "pip runs from the harness venv as `python -m pip --python VENV` (like uv and "
        "pinset's `--python`): its times include pip's re-launch under the target interpreter."
    )


def _loadavg() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def _write(results: Path, started: datetime.datetime, sets: Sequence[str], text: str) -> None:
    results.mkdir(parents=True, exist_ok=True)
    target = results / f"{started:%Y-%m-%d}-{'-'.join(sets)}.md"
    target.write_text(text)
    (results / "latest.md").write_text(text)
    print(f"wrote {target} and {results / 'latest.md'}", file=sys.stderr)
