"""The lines a person reads after a change: ``+ name==version`` / ``- name==version``."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any, TextIO

from pinset.cli import render
from pinset.errors import Diagnostic, Severity


def elapsed(seconds: float) -> str:
    return f"{seconds:.2f}s" if seconds < 60 else f"{int(seconds // 60)}m{seconds % 60:04.1f}s"


def warn(message: str) -> None:
    render.diagnostics([Diagnostic(Severity.WARNING, message)])


def print_changes(added: Sequence[Any], removed: Sequence[Any], out: TextIO) -> None:
    """One line per change, by name: removals (of replaced versions) then additions."""
    rows: list[tuple[str, int, str]] = []
    rows += [(str(c.name), 0, f" - {c}") for c in removed]
    rows += [(str(c.name), 1, f" + {c}") for c in added]
    for _, _, line in sorted(rows):
        print(_paint(line, out), file=out)


def _paint(line: str, out: TextIO) -> str:
    if os.environ.get("NO_COLOR") or not (os.environ.get("FORCE_COLOR") or _tty(out)):
        return line
    code = "32" if line.startswith(" +") else "31"
    return f"\x1b[{code}m{line}\x1b[0m"


def _tty(out: TextIO) -> bool:
    return hasattr(out, "isatty") and out.isatty()
