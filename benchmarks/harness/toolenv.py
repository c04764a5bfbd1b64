"""The harness's own environment: a venv under benchmarks/.work/ holding the pip and uv being
compared, the target venvs the tools install into, and what the report says about the machine
and the tools."""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .plan import ToolPaths

PIP_SPEC = "pip==26.3"
UV_SPEC = "uv>=0.13,<0.14"
PIP_TOOLS_SPEC = "pip-tools==7.6.2"
"""pip-compile, timed in the ``compile-*`` scenarios (pip has no lock command of its own)."""


class SetupError(Exception):
    """The harness could not prepare what it needs (tools venv, target venv)."""


def _run(argv: Sequence[str], env: Mapping[str, str], what: str) -> str:
    proc = subprocess.run(list(argv), env=dict(env), capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        raise SetupError(f"{what} failed ({proc.returncode}): " + " / ".join(tail))
    return proc.stdout.strip()


def ensure_tools(
    work: Path,
    python: Path,
    env: Mapping[str, str],
    pinset: tuple[str, ...],
    specs: tuple[str, ...] = (PIP_SPEC, UV_SPEC, PIP_TOOLS_SPEC),
) -> ToolPaths:
    """Create (once) ``work/tools``, a venv of ``python`` with pip, uv and pip-tools from PyPI.

    ``env`` must already have pip's configuration disabled (see ``plan.tool_environ``), so the
    install reads PyPI alone. Re-running with the same specs reuses the venv.
    """
    venv = work / "tools"
    stamp = venv / "harness-specs.txt"
    tools = ToolPaths(
        tools_python=venv / "bin" / "python",
        uv=venv / "bin" / "uv",
        pinset=pinset,
        pip_compile=venv / "bin" / "pip-compile",
    )
    wanted = "\n".join(specs)
    if stamp.is_file() and stamp.read_text() == wanted and tools.uv.exists():
        return tools
    if venv.exists():
        shutil.rmtree(venv)
    _run([str(python), "-m", "venv", str(venv)], env, "creating the tools venv")
    install = [str(tools.tools_python), "-m", "pip", "install", "--disable-pip-version-check"]
    _run([*install, "--no-cache-dir", *specs], env, f"installing {' and '.join(specs)}")
    stamp.write_text(wanted)
    return tools


def fresh_venv(python: Path, path: Path, env: Mapping[str, str]) -> Path:
    """An empty venv (no pip) at ``path``, replacing whatever was there; its interpreter."""
    if path.exists():
        shutil.rmtree(path)
    _run([str(python), "-m", "venv", "--without-pip", str(path)], env, f"creating venv {path}")
    return path / "bin" / "python"


def seed_pip(tools_python: Path, venv: Path) -> None:
    """Put the harness's pip (package and dist-info, with its compiled bytecode) into
    ``venv``'s site-packages by hard links, falling back to copies: pip is then installed there
    exactly as in a user's venv, at no cost to the timed region."""
    source = _site_packages(tools_python.parent.parent)
    target = _site_packages(venv)
    for item in [source / "pip", *source.glob("pip-*.dist-info")]:
        shutil.copytree(item, target / item.name, copy_function=_link_or_copy)


def _site_packages(venv: Path) -> Path:
    found = sorted(venv.glob("lib/python*/site-packages"))
    if not found:
        raise SetupError(f"no site-packages in {venv}")
    return found[0]


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def installed_dists(venv: Path) -> tuple[str, ...]:
    """``name==version`` of every distribution (``*.dist-info``) in a venv's site-packages,
    sorted, names normalized (lower case, runs of ``-_.`` as ``-``)."""
    found = []
    for path in venv.glob("lib/python*/site-packages/*.dist-info"):
        name, _, version = path.name[: -len(".dist-info")].partition("-")
        found.append(f"{re.sub(r'[-_.]+', '-', name).lower()}=={version}")
    return tuple(sorted(found))


def tool_versions(tools: ToolPaths, names: Sequence[str], env: Mapping[str, str]) -> dict[str, str]:
    """What each tool says its version is; a failure is reported, not raised."""
    argv = {
        "pip": [str(tools.tools_python), "-m", "pip", "--version"],
        "uv": [str(tools.uv), "--version"],
        "pip-compile": [str(tools.pip_compile), "--version"],
        "pinset": [*tools.pinset, "--version"],
        "baseline": [*tools.baseline, "--version"],
    }
    versions: dict[str, str] = {}
    for name in names:
        try:
            out = _run(argv[name], env, f"{name} --version")
            versions[name] = out.splitlines()[0] if out else "unknown"
        except (SetupError, OSError) as exc:
            versions[name] = f"unknown ({exc})"
    if "pip" in versions:  # "pip X from /long/path (python 3.11)": keep the useful part
        versions["pip"] = versions["pip"].split(" from ")[0]
    return versions


@dataclass(frozen=True)
class Machine:
    """What the report says about where it ran."""

    cores: int
    memory_gib: float
    cpu: str
    kernel: str
    python: str


def describe_machine(python: Path, env: Mapping[str, str]) -> Machine:
    return Machine(
        cores=os.cpu_count() or 0,
        memory_gib=_memory_gib(),
        cpu=_cpu_model(),
        kernel=f"{platform.system()} {platform.release()} {platform.machine()}",
        python=_run([str(python), "-VV"], env, "python -VV").replace("\n", " "),
    )


def _memory_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"
