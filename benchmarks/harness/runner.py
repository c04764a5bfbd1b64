"""Runs every scenario for every tool over the rounds: prepares caches and venvs outside the
timed region, times each command, and turns failures into recorded outcomes, never crashes."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .measure import Measured, disk_usage, run_measured
from .plan import Job, Scenario, Source, ToolPaths, command, round_order
from .report import Row
from .stats import Outcome, first_useful_line
from .toolenv import SetupError, fresh_venv, installed_dists, seed_pip


@dataclass(frozen=True)
class Bench:
    """Everything fixed for one harness run."""

    work: Path
    bench_dir: Path
    python: Path
    env: Mapping[str, str]
    paths: ToolPaths
    tools: tuple[str, ...]
    rounds: int
    timeout: float
    sample_ms: int
    forget_plans: bool = False
    """Delete pinset's remembered install plans before each of its timed runs."""


@dataclass
class _Tally:
    """A tool's measurements so far in one scenario (mutable while the scenario runs)."""

    seconds: list[float | None] = field(default_factory=list)
    rss: list[int | None] = field(default_factory=list)
    cpu: list[float | None] = field(default_factory=list)
    failure: str | None = None
    installed: tuple[str, ...] | None = None
    cache_bytes: int | None = None

    def outcome(self, tool: str) -> Outcome:
        return Outcome(
            tool,
            tuple(self.seconds),
            tuple(self.rss),
            self.failure,
            self.installed,
            tuple(self.cpu),
            self.cache_bytes,
        )

    def skip(self) -> None:
        self.seconds.append(None)
        self.rss.append(None)
        self.cpu.append(None)


LOCAL_SETS = Path(__file__).resolve().parent.parent / "sets"
"""Requirement sets kept in this repository (``sdist``), used when ``--bench-dir`` has no file
of that name."""


def set_file(bench_dir: Path, set_name: str, source: Source) -> Path:
    """The requirements file of ``set_name``: from ``bench_dir``, else from :data:`LOCAL_SETS`."""
    name = f"{set_name}{'.in' if source == 'in' else '.lock.txt'}"  # hashed: made from the lock
    local = LOCAL_SETS / name
    return local if not (bench_dir / name).is_file() and local.is_file() else bench_dir / name


def requirements_file(bench: Bench, set_name: str, scenario: Scenario) -> Path:
    if set_name == "vcs":  # made by the harness (vcs_set), pinned already: one file
        return bench.work / "sets" / "vcs.in"
    if scenario.source == "hashed":
        return hashed_lock(bench, set_name)
    return set_file(bench.bench_dir, set_name, scenario.source)


def hashed_lock(bench: Bench, set_name: str) -> Path:
    """``SET.lock.txt`` with the ``--hash`` of every file of each pinned version, made once per
    lock content by ``uv pip compile --generate-hashes`` of the lock itself (outside every timed
    region; the same pins, hashes as the index lists them)."""
    lock = set_file(bench.bench_dir, set_name, "lock")
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()[:16]
    out = bench.work / "sets" / f"{set_name}.hashed-{digest}.txt"
    if out.is_file():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    argv = [str(bench.paths.uv), "pip", "compile", "--no-config", "--quiet", "--generate-hashes"]
    argv += ["--python", str(bench.python), "--no-header", "--no-annotate", str(lock)]
    done = subprocess.run(
        [*argv, "-o", str(out) + ".tmp"], env=dict(bench.env), capture_output=True, check=False
    )
    if done.returncode != 0:
        raise SetupError(
            f"making the hashed lock of {set_name}: {first_useful_line(done.stderr.decode())}"
        )
    Path(str(out) + ".tmp").replace(out)
    return out


def run_scenario(bench: Bench, set_name: str, scenario: Scenario) -> Row:
    """All rounds of one scenario on one set, tools alternating order round by round."""
    requirements = requirements_file(bench, set_name, scenario)
    tallies = {tool: _Tally() for tool in bench.tools}
    for tool in bench.tools:
        tallies[tool].failure = _prime(bench, tool, scenario, requirements, set_name)
    for index in range(bench.rounds):
        for tool in round_order(bench.tools, index):
            tally = tallies[tool]
            if tally.failure is not None:  # a failed command is not retried in later rounds
                tally.skip()
                continue
            _timed_round(bench, tool, scenario, (set_name, index), tally)
    shutil.rmtree(bench.work / "venvs", ignore_errors=True)
    return Row(set_name, scenario, {tool: tallies[tool].outcome(tool) for tool in bench.tools})


def _cache_dir(bench: Bench, tool: str) -> Path:
    return bench.work / "cache" / tool


def _output(bench: Bench, tool: str, scenario: Scenario, set_name: str) -> Path | None:
    """``compile-*``: the tool's lock file (kept between rounds of a warm scenario)."""
    if scenario.kind != "compile":
        return None
    out = bench.work / "locks" / f"{set_name}-{scenario.cache}-{tool}.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    return out


def locked_pins(path: Path) -> tuple[str, ...]:
    """``name==version`` of every pin in a lock file, sorted, names normalized."""
    found = []
    for line in path.read_text().splitlines():
        match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==(\S+)", line)
        if match:
            found.append(f"{re.sub(r'[-_.]+', '-', match.group(1)).lower()}=={match.group(3)}")
    return tuple(sorted(found))


def _venv_dir(bench: Bench, tool: str, scenario: Scenario) -> Path:
    name = "full" if scenario.kind == "noop" else "fresh"
    return bench.work / "venvs" / f"{tool}-{name}"


def _make_venv(bench: Bench, tool: str, venv: Path) -> Path:
    """A fresh venv for ``tool``; for pip run from inside venvs, with pip put in it."""
    venv_python = fresh_venv(bench.python, venv, bench.env)
    if tool == "pip" and bench.paths.pip_in_venv:
        seed_pip(bench.paths.tools_python, venv)
    return venv_python


def _log_paths(bench: Bench, label: str) -> tuple[Path, Path]:
    logs = bench.work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    return logs / f"{label}.out", logs / f"{label}.err"


def _execute(bench: Bench, job: Job, label: str) -> Measured | str:
    """Run ``job``; its measurement on success, else the reason it failed."""
    out, err = _log_paths(bench, label)
    try:
        measured = run_measured(
            command(job, bench.paths),
            env=bench.env,
            cwd=bench.work,
            stdout=out,
            stderr=err,
            timeout=bench.timeout,
            sample_ms=bench.sample_ms,
        )
    except OSError as exc:
        return f"could not start: {exc}"
    if measured.timed_out:
        return f"timed out after {bench.timeout:.0f} s"
    if measured.returncode != 0:
        return first_useful_line(err.read_text(errors="replace"))
    return measured


def _prime(
    bench: Bench, tool: str, scenario: Scenario, requirements: Path, set_name: str
) -> str | None:
    """Before the rounds: fill the warm cache (or the no-op env) with one untimed run."""
    if scenario.cache == "cold" and scenario.kind != "noop":
        return None
    try:
        venv_python = _make_venv(bench, tool, _venv_dir(bench, tool, scenario))
    except (SetupError, OSError) as exc:
        return str(exc)
    output = _output(bench, tool, scenario, set_name)
    if output is not None:
        output.unlink(missing_ok=True)
    job = Job(tool, scenario, requirements, venv_python, _cache_dir(bench, tool), output)
    result = _execute(bench, job, f"{set_name}-{scenario.name}-{tool}-prime")
    return result if isinstance(result, str) else None


def _settle() -> None:
    """Let the file system finish what the set-up left it (the cache and venv removed, a new
    venv made) before a timed run: on this kind of machine the deletions' deferred work made
    the next run's files slow to create, whichever tool it was (a warm lock-file install once
    took three times the same install a minute later)."""
    if hasattr(os, "sync"):
        os.sync()


def forget_plans(cache: Path) -> None:
    """pinset's remembered install plans gone (its cache bucket ``plans``), so that its full
    install path runs, as it does once the index pages a plan was chosen from are no longer
    fresh; the rest of the cache stays."""
    for bucket in cache.glob("plans-v*"):
        shutil.rmtree(bucket, ignore_errors=True)


def _timed_round(
    bench: Bench,
    tool: str,
    scenario: Scenario,
    where: tuple[str, int],
    tally: _Tally,
) -> None:
    set_name, index = where
    requirements = requirements_file(bench, set_name, scenario)
    cache = _cache_dir(bench, tool)
    venv = _venv_dir(bench, tool, scenario)
    output = _output(bench, tool, scenario, set_name)
    if scenario.cache == "cold":
        if output is not None:
            output.unlink(missing_ok=True)
        shutil.rmtree(cache, ignore_errors=True)
        # Also any cache a tool keeps under HOME despite --cache-dir: cold means cold.
        shutil.rmtree(bench.work / "home" / ".cache", ignore_errors=True)
    if bench.forget_plans and tool in ("pinset", "baseline"):
        forget_plans(cache)
    try:
        venv_python = venv / "bin" / "python"
        if scenario.kind != "noop":
            venv_python = _make_venv(bench, tool, venv)
    except (SetupError, OSError) as exc:
        tally.failure = f"harness: {exc}"
        tally.skip()
        return
    job = Job(tool, scenario, requirements, venv_python, cache, output)
    _settle()
    result = _execute(bench, job, f"{set_name}-{scenario.name}-{tool}-r{index + 1}")
    label = f"[{set_name} {scenario.name} round {index + 1}] {tool}"
    if isinstance(result, str):
        tally.failure = result
        tally.skip()
        print(f"{label}: failed: {result}", file=sys.stderr, flush=True)
        return
    tally.seconds.append(result.seconds)
    tally.rss.append(result.peak_rss_kib)
    tally.cpu.append(result.cpu_seconds)
    if output is not None and tally.installed is None:  # "same work?": the pins written
        tally.installed = locked_pins(output)
    elif scenario.kind not in ("resolve", "compile") and tally.installed is None:
        seeded = tool == "pip" and bench.paths.pip_in_venv
        dists = installed_dists(venv)
        tally.installed = tuple(d for d in dists if not (seeded and d.startswith("pip==")))
    if scenario.kind == "install" and scenario.cache == "cold" and tally.cache_bytes is None:
        tally.cache_bytes = disk_usage(cache)
    print(
        f"{label}: {result.seconds:.3f} s, CPU {result.cpu_seconds:.3f} s, "
        f"{result.peak_rss_kib / 1024:.0f} MiB",
        file=sys.stderr,
        flush=True,
    )
