"""What reading one requirement can find: a problem that stops it, or a warning or note."""

from __future__ import annotations

from pinset._dataclass import dataclass
from pinset.errors import Severity


class LineProblem(Exception):
    """The requirement cannot be read; ``offset`` is where in its text the problem is."""

    def __init__(
        self, message: str, offset: int = 0, hint: str | None = None, code: str = "invalid"
    ) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint
        self.code = code


@dataclass(frozen=True, slots=True)
class Finding:
    """A warning or note about a requirement that was read; ``offset`` as for problems."""

    severity: Severity
    message: str
    code: str
    hint: str | None = None
    offset: int = 0
