"""Turn errors and diagnostics into text for a terminal (stderr), honouring ``NO_COLOR``.

Every :class:`PinsetError` reads the same way::

    error: cannot install app==1.0 and lib<2 together          <- headline (message)
      requirements.txt:3:1  app==1.0 → needs lib>=2            <- details, origins aligned
      requirements.txt:4:1  lib<2
      note: ...                                                <- note, then hint
      hint: ...

An error with no details but a place shows it first (``file:line:col: error: message``). Errors
made of problems in input files (:class:`RequirementsError`, hash-checking mode) give one block
per problem: ``file:line:column: error: message``, the source line with a caret, its hint.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TextIO

from pinset.errors import Diagnostic, Location, PinsetError, RequirementsError, Severity

_COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.NOTE: "36"}

Detail = tuple[Location | None, str]


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


def format_details(details: Sequence[Detail]) -> list[str]:
    """``  file:line:col  text`` per detail, the texts aligned after the longest origin."""
    origins = [str(where) if where else "" for where, _ in details]
    width = max((len(o) for o in origins), default=0)
    return [
        f"  {origin.ljust(width)}  {text}" if origin else f"  {text}"
        for origin, (_, text) in zip(origins, details, strict=True)
    ]


def _problems(exc: PinsetError) -> tuple[Diagnostic, ...]:
    """Per-problem diagnostics, when the error overrides the default (itself)."""
    if type(exc).diagnostics is PinsetError.diagnostics:
        return ()
    return exc.diagnostics


def _details(exc: PinsetError) -> list[Detail]:
    explain = sys.modules.get("pinset.resolve.explain")  # loaded whenever the resolver ran
    if explain is not None and isinstance(exc, explain.ResolutionFailure):
        from pinset.cli.resolution import details

        return details(exc)
    return []


def format_error(exc: PinsetError, stream: TextIO | None = None) -> str:
    """The whole error as text: headline, details or problem blocks, note, hint."""
    out = stream or sys.stderr
    problems = _problems(exc)
    if isinstance(exc, RequirementsError):
        lines = [format_diagnostic(d, out) for d in problems]
        return "\n".join([*lines, *([f"  note: {exc.note}"] if exc.note else [])])
    details = _details(exc)
    label = _paint("error:", _COLOURS[Severity.ERROR], out)
    where = None if details or problems or str(exc.where) in exc.message else exc.where
    lines = [f"{where}: {label} {exc.message}" if where else f"{label} {exc.message}"]
    lines += format_details(details)
    lines += [format_diagnostic(d, out) for d in problems]
    if exc.note:
        lines.append(f"  note: {exc.note}")
    if exc.hint:
        lines.append(f"  hint: {exc.hint}")
    return "\n".join(lines)


def diagnostics(items: tuple[Diagnostic, ...] | list[Diagnostic]) -> None:
    for diag in items:
        print(format_diagnostic(diag), file=sys.stderr)


def pinset_error(exc: PinsetError) -> None:
    print(format_error(exc), file=sys.stderr)


def error_line(message: str, *, hint: str | None = None) -> None:
    print(format_diagnostic(Diagnostic(Severity.ERROR, message, hint=hint)), file=sys.stderr)
