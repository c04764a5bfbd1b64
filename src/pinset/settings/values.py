"""Turning option text into typed values, with pip's rules for booleans, counts and lists."""

from __future__ import annotations

import math
from collections.abc import Mapping

from pinset.options import Option

_TRUE = frozenset({"y", "yes", "t", "true", "on", "1"})
_FALSE = frozenset({"n", "no", "f", "false", "off", "0"})

BOOL_HINT = "use a boolean word: yes/no, true/false, on/off or 1/0"
MAX_SECONDS = 1_000_000.0
"""The largest ``float`` (seconds) option value: sockets cannot wait much longer."""


class ValueProblem(ValueError):
    """A value that cannot be used; ``hint`` says what would be accepted."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def parse_bool(text: str) -> bool:
    """pip's boolean words (case-insensitive); anything else is a :class:`ValueProblem`."""
    word = text.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueProblem(f"{text!r} is not a boolean", BOOL_HINT)


def parse_count(text: str) -> int:
    """A non-negative integer, or a boolean word meaning 1 or 0 (``verbose = yes``)."""
    word = text.strip()
    if word.lower() in _TRUE | _FALSE:
        return int(parse_bool(word))
    try:
        number = int(word)
    except ValueError:
        number = -1
    if number < 0:
        raise ValueProblem(
            f"{text!r} is not a non-negative integer",
            "use a count such as 0, 1, 2, or yes/no for 1/0",
        )
    return number


def expand_home(text: str, environ: Mapping[str, str]) -> str:
    """A leading ``~`` or ``~/`` replaced by the home directory named in ``environ``."""
    if text == "~" or text.startswith(("~/", "~\\")):
        home = environ.get("HOME") or environ.get("USERPROFILE")
        if home:
            return home + text[1:]
    return text


def convert_scalar(spec: Option, text: str, environ: Mapping[str, str]) -> object:
    """The typed value of a ``str``/``path``/``float``/``int``/``choice`` option."""
    if spec.kind == "path":
        return expand_home(text, environ)
    if spec.kind == "float":
        try:
            seconds = float(text)
        except ValueError:
            raise ValueProblem(f"{text!r} is not a number", "use seconds, e.g. 30 or 2.5") from None
        return check_number(spec, seconds)
    if spec.kind == "int":
        try:
            number = int(text)
        except ValueError:
            raise ValueProblem(
                f"{text!r} is not an integer", "use a whole number, e.g. 5"
            ) from None
        return check_number(spec, number)
    if spec.kind == "choice" and text not in spec.choices:
        raise ValueProblem(
            f"{text!r} is not a valid choice", f"use one of: {', '.join(spec.choices)}"
        )
    return text


def check_number(spec: Option, value: object) -> object:
    """``value`` when pinset can use it: ``float`` options are seconds, finite, from 0 (none:
    pip's ``--timeout 0``) to :data:`MAX_SECONDS`; ``int`` options (retries) are never
    negative. Anything else is a :class:`ValueProblem`."""
    if spec.kind == "float" and isinstance(value, int | float) and not isinstance(value, bool):
        check_seconds(float(value), zero="no timeout")
    if spec.kind == "int" and isinstance(value, int) and value < 0:
        raise ValueProblem(f"{value!r} is negative", "use a whole number from 0, e.g. 5")
    return value


def check_seconds(value: float, *, zero: str | None = None) -> float:
    """``value`` when it is a usable number of seconds: finite, from 0 to
    :data:`MAX_SECONDS`; else a :class:`ValueProblem` (``zero``: what 0 means, for the hint)."""
    if not (math.isfinite(value) and 0 <= value <= MAX_SECONDS):
        meaning = f" (0 means {zero})" if zero else ""
        raise ValueProblem(
            f"{value!r} is not a usable number of seconds",
            f"use seconds from 0 to {MAX_SECONDS:.0f}, e.g. 30 or 2.5{meaning}",
        )
    return value
