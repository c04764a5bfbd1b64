"""Turn errors and diagnostics into text for a terminal (stderr), honouring ``NO_COLOR``."""

from __future__ import annotations

import os
import sys
from typing import TextIO

from pinset.errors import Diagnostic, PinsetError, Severity

_COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.NOTE: "36"}


def _use_colour(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def _paint(text: str, code: str, stream: TextIO) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if _use_colour(stream) else text


def format_diagnostic(diag: Diagnostic, stream: TextIO | None = None) -> str:
    """``file:line:column: error: message``, the line itself with a caret, then the hint."""
    out = stream or sys.stderr
    label = _paint(f"{diag.severity.value}:", _COLOURS[diag.severity], out)
    head = f"{diag.where}: {label} {diag.message}" if diag.where else f"{label} {diag.message}"
    lines = [head]
    if diag.source_line is not None and diag.where is not None:
        gutter = f"{diag.where.line:>5} | "
        lines.append(f"{gutter}{diag.source_line}")
        caret_pad = " " * (len(gutter) - 2) + "| " + " " * max(diag.where.column - 1, 0)
        lines.append(caret_pad + _paint("^", _COLOURS[diag.severity], out))
    if diag.hint:
        lines.append(f"  hint: {diag.hint}")
    return "\n".join(lines)


def diagnostics(items: tuple[Diagnostic, ...] | list[Diagnostic]) -> None:
    for diag in items:
        print(format_diagnostic(diag), file=sys.stderr)


def pinset_error(exc: PinsetError) -> None:
    diagnostics(exc.diagnostics)
    if exc.note:
        print(f"  note: {exc.note}", file=sys.stderr)


def error_line(message: str, *, hint: str | None = None) -> None:
    print(format_diagnostic(Diagnostic(Severity.ERROR, message, hint=hint)), file=sys.stderr)
