"""What the per-line readers share: the file a line comes from, what a line means, and how a
position in a logical line becomes a diagnostic (physical line, column, redacted text)."""

from __future__ import annotations

from pinset._dataclass import dataclass, field
from pinset.errors import Diagnostic, Location, Severity
from pinset.redaction import redact_at, redact_text
from pinset.requirements.lines import LogicalLine
from pinset.requirements.model import Requirement
from pinset.requirements.options import LineOptions
from pinset.requirements.parser import Place


@dataclass(frozen=True, slots=True)
class FileContext:
    """The file a line comes from, as the reader needs it."""

    display: str
    physical: list[str]
    place: Place
    constraint: bool


@dataclass(slots=True)
class LineResult:
    """What one line means. At most one of requirement / include / option line."""

    options: LineOptions | None = None
    requirement: Requirement | None = None
    include: tuple[str, bool, Location, str | None, Location] | None = None
    """``(path or URL, as constraints, where its path is written, that physical line, origin)``:
    the origin is the logical line's (its first physical line), as pip numbers lines."""
    is_option_line: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)


def diagnostic(
    ctx: FileContext,
    line: LogicalLine,
    offset: int,
    severity: Severity,
    message: str,
    *,
    hint: str | None = None,
    code: str = "",
) -> Diagnostic:
    lineno, column = line.locate(offset)
    source = ctx.physical[lineno - 1] if 0 < lineno <= len(ctx.physical) else None
    if source is not None:
        source, column = redact_at(source, column)
    return Diagnostic(
        severity,
        redact_text(message),
        where=Location(redact_text(ctx.display), lineno, column),
        source_line=source,
        hint=redact_text(hint) if hint else hint,
        code=code,
    )


def origin(ctx: FileContext, line: LogicalLine, offset: int) -> Location:
    """Where a requirement or include is written, numbered as pip numbers it: the logical
    line's first physical line (the column when the text starts on that line, else 1)."""
    lineno, column = line.locate(offset)
    return Location(ctx.display, line.lineno, column if lineno == line.lineno else 1)


def token_offset(text: str, token: str | None, start: int) -> int:
    if not token:
        return start
    found = text.find(token, start)
    return found if found != -1 else start
