"""The one error hierarchy of pinset.

Every failure a user can cause or meet is a :class:`PinsetError` carrying structured fields
(``message``, ``where``, ``hint``, ``note``). Only the CLI renders them; library callers get the
data. Each family maps to one exit code (see the README).
"""

from __future__ import annotations

from enum import Enum

from pinset._dataclass import dataclass


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a file: ``file`` (path or URL as shown to the user), 1-based line and column."""

    file: str
    line: int
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding about an input: where it is, the offending source line, and what to do."""

    severity: Severity
    message: str
    where: Location | None = None
    source_line: str | None = None
    hint: str | None = None
    code: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "file": self.where.file if self.where else None,
            "line": self.where.line if self.where else None,
            "column": self.where.column if self.where else None,
            "source_line": self.source_line,
            "hint": self.hint,
        }


class PinsetError(Exception):
    """Base of every error pinset raises on purpose."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        where: Location | str | None = None,
        hint: str | None = None,
        note: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint
        self.note = note

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """The findings behind this error; by default the error itself."""
        where = self.where if isinstance(self.where, Location) else None
        return (Diagnostic(Severity.ERROR, self.message, where=where, hint=self.hint),)


class UsageError(PinsetError):
    """The command line itself is wrong."""

    exit_code = 2


class RequirementsError(PinsetError):
    """One or more problems in requirements files; every one is in ``problems``.

    ``findings`` also holds the warnings and notes found while reading, so that a checker can
    show everything at once.
    """

    def __init__(
        self, problems: tuple[Diagnostic, ...], *, findings: tuple[Diagnostic, ...] = ()
    ) -> None:
        first = problems[0] if problems else None
        count = len(problems)
        summary = f"{count} problem{'s' if count != 1 else ''} in requirements"
        super().__init__(
            summary if count != 1 or first is None else first.message,
            where=first.where if first else None,
            hint=first.hint if first else None,
        )
        self.problems = problems
        self.findings = findings or problems
        """Every finding in reading order: the problems plus the warnings and notes around them."""

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return self.problems


class ConfigurationError(PinsetError):
    """A configuration file, environment variable or option value is invalid."""

    exit_code = 2


class NetworkError(PinsetError):
    """A remote resource could not be reached or was refused."""


class IntegrityError(PinsetError):
    """Downloaded or cached bytes do not match what they must be (hashes, RECORD)."""


class HashMismatchError(IntegrityError):
    """A file's digest is none of the hashes it must have (the user's ``--hash`` or the
    index's); the caller that knows where the hashes came from sets ``where``."""


class MetadataError(PinsetError):
    """A distribution's metadata file (``METADATA``, ``direct_url.json``) is not valid."""


class ResolutionError(PinsetError):
    """No set of versions satisfies the requirements."""


class BuildError(PinsetError):
    """Building a distribution from source failed; ``project`` names what was being built
    (when known), so that the caller can place the error at the requirement that asked."""

    project: str | None = None


class TargetEnvironmentError(PinsetError):
    """The target environment is missing, unusable, or refused (PEP 668)."""


class InstallError(PinsetError):
    """Changing the environment failed; it was restored to what it was before the run."""


class AppError(PinsetError):
    """An application cannot be built or run as asked (what its directory holds, its Python
    version file, its Procfile)."""
