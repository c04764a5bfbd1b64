"""Read a requirements file and everything it includes into one :class:`RequirementsFile`.

- ``-r``/``-c`` targets are relative to the including file (``urljoin`` when that file is a
  URL); ``-r`` reads requirements, ``-c`` constraints (as pip, ``-r`` inside a constraints
  file reads requirements; pinset warns).
- Including a file that is already being read (an ancestor) is an error naming the chain;
  the same file included twice side by side is fine. Includes are followed with an explicit
  stack of open files, not recursion: a ``-r`` chain of any depth is read.
- ``http(s)`` includes are read through the caller's ``fetch``; ``file:`` URLs and paths are
  read here. Nothing else is touched: no network, no environment change, no output.
- Every problem in every file is collected; if any is an error,
  :class:`~pinset.requirements.model.RequirementsFileError` (a :class:`RequirementsError`)
  carries them all, in reading order, and ``partial``: everything that was read.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from collections.abc import Callable, Iterator, Mapping

from pinset._dataclass import dataclass, field
from pinset.errors import Diagnostic, Location, NetworkError, PinsetError, Severity
from pinset.redaction import redact_text
from pinset.requirements.context import FileContext, LineResult, diagnostic
from pinset.requirements.entries import read_line
from pinset.requirements.lines import DecodeError, LogicalLine, decode, logical_lines
from pinset.requirements.merge import OptionState
from pinset.requirements.model import (
    IncludedFile,
    Requirement,
    RequirementsFile,
    RequirementsFileError,
)
from pinset.requirements.parser import Place
from pinset.urls import url_to_path

Fetch = Callable[[str], str]
"""Returns the text at a URL, raising :class:`pinset.errors.PinsetError` when it cannot."""

_REMOTE_RE = re.compile(r"^(http|https|file):", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Source:
    """A file to read: how it is shown, its identity (absolute path or URL), its text."""

    display: str
    key: str
    constraint: bool
    included_from: Location | None
    included_line: str | None = None
    origin: Location | None = None
    """The include line as pip numbers it (``included_from`` points at the path itself)."""


@dataclass(slots=True)
class _Frame:
    """A file being read: where it is, and the logical lines still to read."""

    source: _Source
    ctx: FileContext
    file_dir: str | None
    lines: Iterator[LogicalLine]


@dataclass(slots=True)
class _Reader:
    fetch: Fetch | None
    environ: Mapping[str, str]
    cwd: str
    requirements: list[Requirement] = field(default_factory=list)
    constraints: list[Requirement] = field(default_factory=list)
    files: list[IncludedFile] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    options: OptionState = field(default_factory=OptionState)

    def read(self, source: _Source, text: str | None = None) -> None:
        """Read ``source`` (its ``text`` when given) and every file it includes, in order.

        Includes are followed with an explicit stack of open files, never by recursion, so
        any depth of ``-r`` chain is read; the files on the stack are the include chain."""
        first = self._open(source, text)
        stack = [first] if first is not None else []
        while stack:
            frame = stack[-1]
            line = next(frame.lines, None)
            if line is None:
                stack.pop()
                continue
            include = self._read_line(frame, line)
            if include is not None:
                child = self._include(frame.source, stack, include)
                if child is not None:
                    stack.append(child)

    def _open(self, source: _Source, text: str | None = None) -> _Frame | None:
        if text is None:
            text = self._load(source)
            if text is None:
                return None
        self.files.append(
            IncludedFile(source.display, source.constraint, source.origin, source.key)
        )
        physical = text.splitlines()
        local = not _REMOTE_RE.match(source.key) and not source.key.startswith("<")
        file_dir = os.path.dirname(source.key) if local else None
        ctx = FileContext(source.display, physical, Place(self.cwd, file_dir), source.constraint)
        return _Frame(source, ctx, file_dir, iter(logical_lines(physical, self.environ)))

    def _read_line(
        self, frame: _Frame, line: LogicalLine
    ) -> tuple[str, bool, Location, str | None, Location] | None:
        """Take in one logical line; returns the include it asks for, if it is one."""
        try:
            result = read_line(line, frame.ctx)
        except Exception as exc:  # a bug; never let input text escape as a crash
            result = LineResult(diagnostics=[_internal(frame.ctx, line, exc)])
        self.diagnostics.extend(result.diagnostics)
        if result.options is not None:
            self.options.apply_everywhere(result.options)
        if result.requirement is not None:
            target = self.constraints if frame.source.constraint else self.requirements
            target.append(result.requirement)
        elif result.include is not None:
            return result.include
        elif result.is_option_line and result.options is not None:
            self.options.apply_option_line(result.options, frame.file_dir)
        return None

    def _include(
        self,
        parent: _Source,
        stack: list[_Frame],
        include: tuple[str, bool, Location, str | None, Location],
    ) -> _Frame | None:
        target, constraint, where, line, origin = include
        display, key = self._locate(parent, target)
        source = _Source(display, key, constraint, where, line, origin)
        start = next((i for i, f in enumerate(stack) if f.source.key == key), None)
        if start is not None:
            loop = [f.source.display for f in stack[start:]] + [display]
            self._error(
                f"include loop: {' -> '.join(loop)}",
                source,
                hint="remove one of the -r/-c lines that close the loop",
                code="include-loop",
            )
            return None
        return self._open(source)

    def _locate(self, parent: _Source, target: str) -> tuple[str, str]:
        if _REMOTE_RE.match(parent.key):
            url = urllib.parse.urljoin(parent.key, target)
            return url, url
        if _REMOTE_RE.match(target):
            return target, target
        base = "" if parent.display.startswith("<") else os.path.dirname(parent.display)
        display = os.path.normpath(os.path.join(base, target))
        key_base = "" if parent.key.startswith("<") else os.path.dirname(parent.key)
        key = os.path.normpath(os.path.join(self.cwd, key_base, target))
        return display, key

    def _load(self, source: _Source) -> str | None:
        kind = "constraints" if source.constraint else "requirements"
        scheme = source.key.split(":", 1)[0].lower() if _REMOTE_RE.match(source.key) else ""
        if scheme in ("http", "https"):
            return self._fetch(source, kind)
        try:
            path = url_to_path(source.key) if scheme == "file" else source.key
            with open(path, "rb") as handle:
                data = handle.read()
        except (OSError, ValueError, NetworkError) as exc:
            reason = _reason(exc)
            self._error(
                f"cannot open {kind} file {source.display}: {reason}",
                source,
                hint=None
                if source.included_from
                else "check the path (relative to the working directory)",
                code="file-not-found",
            )
            return None
        try:
            decoded = decode(data)
        except DecodeError as exc:
            self._error(f"cannot read {source.display}: {exc}", source, code="decode")
            return None
        if decoded.fallback_warning:
            self.diagnostics.append(
                Diagnostic(
                    Severity.WARNING,
                    f"{source.display}: {decoded.fallback_warning}",
                    where=Location(source.display, 1, 1),
                    code="encoding-fallback",
                )
            )
        return decoded.text

    def _fetch(self, source: _Source, kind: str) -> str | None:
        if self.fetch is None:
            self._error(
                f"cannot read {kind} file {source.display}: reading URLs needs a fetch function",
                source,
                code="no-fetch",
            )
            return None
        try:
            return self.fetch(source.key)
        except PinsetError as exc:
            self._error(
                f"cannot read {kind} file {source.display}: {exc.message}",
                source,
                hint=exc.hint,
                code="fetch-failed",
            )
            return None

    def _error(
        self, message: str, source: _Source, *, hint: str | None = None, code: str = ""
    ) -> None:
        """An error about reading ``source``, shown where it was included (if it was)."""
        self.diagnostics.append(
            Diagnostic(
                Severity.ERROR,
                redact_text(message),
                where=_redacted_where(source.included_from),
                source_line=source.included_line,
                hint=redact_text(hint) if hint else hint,
                code=code,
            )
        )

    def result(self, origin: str) -> RequirementsFile:
        """What was read; raised as :class:`RequirementsFileError` when any finding is an
        error (the error carries it as ``partial``)."""
        read = RequirementsFile(
            origin=origin,
            requirements=tuple(self.requirements),
            constraints=tuple(self.constraints),
            options=self.options.freeze(),
            files=tuple(self.files),
            diagnostics=tuple(self.diagnostics),
        )
        if any(d.severity is Severity.ERROR for d in self.diagnostics):
            raise RequirementsFileError(read)
        return read


def _redacted_where(where: Location | None) -> Location | None:
    if where is None:
        return None
    return Location(redact_text(where.file), where.line, where.column)


def _internal(ctx: FileContext, line: LogicalLine, exc: Exception) -> Diagnostic:
    return diagnostic(
        ctx,
        line,
        0,
        Severity.ERROR,
        f"pinset could not read this line (internal error {type(exc).__name__}: {exc})",
        hint="this is a bug in pinset; please report it with the line",
        code="internal",
    )


def _reason(exc: OSError | ValueError | NetworkError) -> str:
    if isinstance(exc, NetworkError):
        return exc.message
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc)


def _new_reader(
    fetch: Fetch | None, environ: Mapping[str, str] | None, cwd: str | os.PathLike[str] | None
) -> _Reader:
    return _Reader(
        fetch=fetch,
        environ=os.environ if environ is None else environ,
        cwd=os.path.abspath(os.fspath(cwd)) if cwd is not None else os.getcwd(),
    )


def parse_file(
    path_or_url: str | os.PathLike[str],
    *,
    constraint: bool = False,
    fetch: Fetch | None = None,
    environ: Mapping[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
) -> RequirementsFile:
    """Read a requirements file (path, ``file:``/``http(s):`` URL) and its includes.

    Relative paths (the file's own, ``./path`` requirements, ``-e .``) are relative to ``cwd``
    (default: the working directory); ``${VAR}`` reads ``environ`` (default ``os.environ``).
    Raises :class:`~pinset.requirements.model.RequirementsFileError` (a
    :class:`pinset.errors.RequirementsError`) with every error found and, as ``partial``, the
    :class:`RequirementsFile` of everything read, every finding in its ``diagnostics``.
    """
    reader = _new_reader(fetch, environ, cwd)
    display = os.fspath(path_or_url)
    key = (
        display
        if _REMOTE_RE.match(display)
        else os.path.normpath(os.path.join(reader.cwd, display))
    )
    reader.read(_Source(display, key, constraint, None))
    return reader.result(display)


def parse_text(
    text: str,
    origin: str = "<string>",
    *,
    constraint: bool = False,
    fetch: Fetch | None = None,
    environ: Mapping[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
) -> RequirementsFile:
    """Read requirements from ``text``; ``origin`` names it in locations (and, when it is a
    path or URL, is what ``-r``/``-c`` lines are relative to). Errors are raised as by
    :func:`parse_file`, with the partial result."""
    reader = _new_reader(fetch, environ, cwd)
    if origin.startswith("<") or _REMOTE_RE.match(origin):
        key = origin
    else:
        key = os.path.normpath(os.path.join(reader.cwd, origin))
    reader.read(_Source(origin, key, constraint, None), text)
    return reader.result(origin)
