"""A ``Procfile``: process types (``web: gunicorn app:app``), one per line, as platforms
read it; and what running one of them with the application's environment means.

A line is ``NAME: COMMAND`` (``NAME`` of letters, digits, ``-`` and ``_``); blank lines and
``#`` comments are skipped; anything else is an error pointing at the line. Without a
Procfile, an application has one process type, ``web``: ``python app.py`` (:data:`DEFAULT_WEB`).
A process runs through ``/bin/sh -c`` (so ``$PORT`` in the command is expanded), with the
environment's ``bin`` first on ``PATH``, ``VIRTUAL_ENV`` set, ``PYTHONHOME`` unset and
``$PORT`` set (to 5000 unless already set).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from pinset._dataclass import dataclass
from pinset.errors import AppError, Location

PROCFILE = "Procfile"
DEFAULT_WEB = "python app.py"
DEFAULT_PORT = "5000"
_LINE = re.compile(r"^([A-Za-z0-9_-]+)\s*:\s*(.+?)\s*$")


@dataclass(frozen=True)
class ProcessTypes:
    commands: Mapping[str, str]
    """Process type → command, in the file's order."""
    source: Path | None
    """The Procfile read (None: the default web process)."""


@dataclass(frozen=True)
class ProcessRun:
    """What ``app run`` executes: ``argv`` with ``environ``, in ``cwd``."""

    name: str
    command: str
    argv: tuple[str, ...]
    environ: Mapping[str, str]
    cwd: Path


def read_procfile(root: Path) -> ProcessTypes:
    """The process types of the application at ``root``."""
    path = root / PROCFILE
    if not path.is_file():
        return ProcessTypes({"web": DEFAULT_WEB}, None)
    commands: dict[str, str] = {}
    text = path.read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _LINE.match(line.strip())
        if match is None:
            raise AppError(
                "not a process type line (NAME: COMMAND)",
                where=Location(str(path), number, 1),
                hint="write each process as `web: gunicorn app:app`",
            )
        commands[match.group(1)] = match.group(2)
    return ProcessTypes(commands, path)


def plan_run(root: Path, venv: Path, name: str, environ: Mapping[str, str]) -> ProcessRun:
    """How to run process type ``name`` of the application at ``root`` with ``venv``."""
    types = read_procfile(root)
    command = types.commands.get(name)
    where = str(types.source) if types.source else f"{root} (no {PROCFILE})"
    if command is None:
        known = ", ".join(types.commands) or "none"
        raise AppError(
            f"no process type {name!r} in {where}",
            where=str(types.source) if types.source else None,
            hint=f"process types: {known}",
        )
    if not (venv / "pyvenv.cfg").is_file():
        raise AppError(
            f"no environment at {venv}",
            hint=f"build it first: pinset app build {root}",
        )
    env = dict(environ)
    env.pop("PYTHONHOME", None)
    env["VIRTUAL_ENV"] = str(venv)
    env["PATH"] = os.pathsep.join([str(venv / "bin"), environ.get("PATH", os.defpath)])
    env.setdefault("PORT", DEFAULT_PORT)
    return ProcessRun(name, command, ("/bin/sh", "-c", command), env, root)
