"""What the benchmark runs: the tools, the scenarios, the order of tools in each round, and the
exact command line each tool gets for each scenario. Pure: nothing here touches the system."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

TOOLS = ("pinset", "baseline", "uv", "pip")
"""Every tool the harness knows, in the order of the table's columns. ``baseline`` is another
pinset (an older checkout, given with ``--baseline CMD``), timed on the same work in the same
run to show what a change did."""
DEFAULT_TOOLS = ("pinset", "uv", "pip")

Kind = Literal["resolve", "install", "noop", "compile"]
Cache = Literal["cold", "warm"]
Source = Literal["in", "lock", "hashed"]
"""``hashed``: the lock file with ``--hash`` lines for every pin (made by the harness)."""


@dataclass(frozen=True)
class Scenario:
    """One kind of work timed for every tool on every requirement set."""

    name: str
    title: str
    kind: Kind
    cache: Cache
    source: Source


SCENARIOS = (
    Scenario("resolve-cold", "resolve only, cold cache", "resolve", "cold", "in"),
    Scenario("resolve-warm", "resolve only, warm cache", "resolve", "warm", "in"),
    Scenario("install-cold", "install into a fresh venv, cold cache", "install", "cold", "in"),
    Scenario("install-warm", "install into a fresh venv, warm cache", "install", "warm", "in"),
    Scenario("noop", "no-op install (all already installed)", "noop", "warm", "in"),
    Scenario("lock-cold", "install lock file, fresh venv, cold cache", "install", "cold", "lock"),
    Scenario("lock-warm", "install lock file, fresh venv, warm cache", "install", "warm", "lock"),
    Scenario(
        "hashed-cold",
        "install lock file with --hash lines, fresh venv, cold cache",
        "install",
        "cold",
        "hashed",
    ),
    Scenario(
        "hashed-warm",
        "install lock file with --hash lines, fresh venv, warm cache",
        "install",
        "warm",
        "hashed",
    ),
    Scenario("compile-cold", "lock SET.in into a new file, cold cache", "compile", "cold", "in"),
    Scenario(
        "compile-warm",
        "lock SET.in again, warm cache, the file already pinning everything",
        "compile",
        "warm",
        "in",
    ),
)

SCENARIO_BY_NAME: Mapping[str, Scenario] = {s.name: s for s in SCENARIOS}

_DROP_PREFIXES = ("PIP_", "UV_", "PINSET_", "VIRTUAL_ENV", "CONDA_", "PYTHON")


def round_order(tools: Sequence[str], round_index: int) -> tuple[str, ...]:
    """Tools in the order they run in round ``round_index`` (0-based): A B C, C B A, A B C, …

    Alternating the order spreads drift (a warming page cache, a busy neighbour, a slower
    network minute) over all tools alike instead of always hitting the one that runs last.
    """
    ordered = tuple(tools)
    return ordered if round_index % 2 == 0 else ordered[::-1]


@dataclass(frozen=True)
class ToolPaths:
    """Where the three tools are: pip and uv in the harness's own venv, pinset as a command."""

    tools_python: Path
    uv: Path
    pinset: tuple[str, ...]
    pip_in_venv: bool = True
    """True: pip runs from inside the target venv (``VENV/bin/python -m pip``), a copy of the
    harness's pip having been put there outside the timed region, as a pip user works.
    False: pip runs from the harness venv with ``--python VENV`` (pip >= 22.3), like uv and
    pinset, which adds pip's re-launch of itself (a few tenths of a second) to every run."""
    baseline: tuple[str, ...] = ()
    """Another pinset's command (``--baseline``), run exactly as pinset is."""
    bytecode_defaults: bool = False
    """True (``--bytecode defaults``): each tool as its users run it, pip and pinset compiling
    bytecode, uv not; False: no tool compiles (pip and pinset get ``--no-compile``)."""
    pip_compile: Path | None = None
    """pip-tools' ``pip-compile`` in the harness venv: the "pip" column of ``compile-*``."""


@dataclass(frozen=True)
class Job:
    """One timed invocation's inputs."""

    tool: str
    scenario: Scenario
    requirements: Path
    venv_python: Path
    cache_dir: Path
    output: Path | None = None
    """``compile-*``: the lock file written (and, when it exists, whose pins are kept)."""


def command(job: Job, paths: ToolPaths) -> list[str]:
    """The exact argv for ``job``: same target interpreter, own cache, no bytecode compilation
    (unless ``paths.bytecode_defaults``)."""
    if job.tool == "pip":
        argv = _pip_command(job, paths)
    elif job.tool == "uv":
        return _uv_command(job, paths)
    elif job.tool == "pinset":
        argv = _pinset_command(job, paths.pinset)
    elif job.tool == "baseline" and paths.baseline:
        argv = _pinset_command(job, paths.baseline)
    else:
        raise ValueError(f"unknown tool {job.tool!r}")
    return [a for a in argv if a != "--no-compile"] if paths.bytecode_defaults else argv


def _pip_command(job: Job, paths: ToolPaths) -> list[str]:
    if job.scenario.kind == "compile":  # pip has no lock command: pip-tools' pip-compile
        compiler = str(paths.pip_compile or paths.tools_python.parent / "pip-compile")
        argv = [compiler, "--quiet", "--cache-dir", str(job.cache_dir)]
        return [*argv, "--output-file", str(job.output), str(job.requirements)]
    if paths.pip_in_venv:
        argv = [str(job.venv_python), "-m", "pip"]
    else:
        argv = [str(paths.tools_python), "-m", "pip", "--python", str(job.venv_python)]
    argv += ["--disable-pip-version-check", "install", "--no-compile"]
    argv += ["--cache-dir", str(job.cache_dir)]
    if job.scenario.kind == "resolve":
        argv += ["--dry-run", "--ignore-installed", "--report", "-"]
    return [*argv, "-r", str(job.requirements)]


def _uv_command(job: Job, paths: ToolPaths) -> list[str]:
    sub = "compile" if job.scenario.kind in ("resolve", "compile") else "install"
    argv = [str(paths.uv), "pip", sub, "--no-config", "--python", str(job.venv_python)]
    argv += ["--cache-dir", str(job.cache_dir)]
    if job.scenario.kind == "compile":
        return [*argv, str(job.requirements), "-o", str(job.output)]
    if sub == "compile":
        return [*argv, str(job.requirements)]
    return [*argv, "-r", str(job.requirements)]


def _pinset_command(job: Job, pinset: Sequence[str]) -> list[str]:
    if job.scenario.kind == "compile":
        argv = [*pinset, "lock", "--python", str(job.venv_python)]
        argv += ["--cache-dir", str(job.cache_dir)]
        return [*argv, str(job.requirements), "-o", str(job.output)]
    argv = [*pinset, "install", "--python", str(job.venv_python), "--no-compile"]
    argv += ["--cache-dir", str(job.cache_dir)]
    if job.scenario.kind == "resolve":
        argv += ["--dry-run", "--ignore-installed", "--report", "-"]
    return [*argv, "-r", str(job.requirements)]


def tool_environ(base: Mapping[str, str], home: Path) -> dict[str, str]:
    """The environment every tool runs with: ``base`` without pip/uv/pinset/Python settings,
    a scratch HOME and XDG dirs (no user or site config), and pip's config files disabled.

    TLS settings (SSL_CERT_FILE and friends) are kept: the tools must reach PyPI as this
    machine allows. PYTHONDONTWRITEBYTECODE is dropped so Python tools start as they do for
    users, from their own cached bytecode.
    """
    env = {k: v for k, v in base.items() if not k.startswith(_DROP_PREFIXES)}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CONFIG_DIRS=str(home / "xdg-config-dirs"),
        PIP_CONFIG_FILE=os.devnull,
        NO_COLOR="1",
    )
    return env
