"""The options a requirements-file line may carry: the ``file`` rows of pinset's option
table (:mod:`pinset.options`), which are pip 26.3's set.

pip reads a line as *arguments* (the tokens before the first one that starts with ``-``) and
*options* (the rest, split like a POSIX shell, then read like ``optparse``): ``--opt=value`` or
``--opt value``, ``-xvalue`` or ``-x value``, a unique prefix of a long option stands for it
(``--index`` is ``--index-url``), ``--`` ends options, other words are ignored.
"""

from __future__ import annotations

import re
import shlex

from pinset._dataclass import dataclass, field
from pinset.options import Option, rows
from pinset.requirements.model import STRONG_HASHES

OPTIONS: tuple[Option, ...] = tuple(rows("file"))
"""The options pip 26.3 reads on a requirements-file line."""

_LONG = {name: spec for spec in OPTIONS for name in spec.flags if name.startswith("--")}
_SHORT = {name[1]: spec for spec in OPTIONS for name in spec.flags if len(name) == 2}
LONG_NAMES = tuple(sorted(_LONG))
_PLAIN_SPLIT = re.compile(r"[ \t\r\n]+")


class OptionError(Exception):
    """A line's options cannot be read; ``token`` is the offending text when known."""

    def __init__(self, message: str, token: str | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.token = token
        self.hint = hint


@dataclass(slots=True)
class LineOptions:
    """Every option found on one line, in order, as written (values not yet checked)."""

    values: list[tuple[Option, str, str | None]] = field(default_factory=list)
    """``(spec, spelling used, value)`` for each option occurrence."""
    ignored: list[str] = field(default_factory=list)
    """Words among the options that pip silently ignores."""

    def all(self, dest: str) -> list[str]:
        return [value or "" for spec, _, value in self.values if spec.dest == dest]

    def has(self, dest: str) -> bool:
        return any(spec.dest == dest for spec, _, _ in self.values)

    def spelling(self, dest: str) -> str:
        return next(used for spec, used, _ in self.values if spec.dest == dest)


def split_args_options(line: str) -> tuple[str, str]:
    """Split at the first space-separated word that starts with ``-``, as pip does."""
    if line.startswith("-"):
        return "", line
    cut = line.find(" -")
    if cut == -1:
        return line, ""
    return line[:cut], line[cut + 1 :]


def tokenize(options: str) -> list[str]:
    """Split options like a POSIX shell (quotes and backslashes), as pip does."""
    if "'" not in options and '"' not in options and "\\" not in options:
        return [token for token in _PLAIN_SPLIT.split(options) if token]
    try:
        return shlex.split(options)
    except ValueError as exc:
        raise OptionError(f"cannot split options ({exc})") from None


def nearest_option(name: str) -> str | None:
    import difflib  # only for an unknown option's message

    found = difflib.get_close_matches(name, LONG_NAMES, n=1, cutoff=0.5)
    return found[0] if found else None


def _match_long(name: str) -> Option:
    spec = _LONG.get(name)
    if spec is not None:
        return spec
    found = [known for known in LONG_NAMES if known.startswith(name)]
    if len(found) == 1:
        return _LONG[found[0]]
    if found:
        raise OptionError(f"ambiguous option {name} (could be {', '.join(found)})", name)
    near = nearest_option(name)
    hint = f"did you mean {near}?" if near else None
    raise OptionError(f"unknown option {name}", name, hint)


def parse_options(tokens: list[str]) -> LineOptions:
    """Read option tokens as optparse does (long prefixes, ``=``, clustered short values)."""
    found = LineOptions()
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if token == "--":
            found.ignored.extend(tokens[i:])
            break
        if token.startswith("--"):
            name, eq, inline = token.partition("=")
            spec = _match_long(name)
            value: str | None = inline if eq else None
            if not spec.takes_value and eq:
                raise OptionError(f"option {spec.flags[-1]} does not take a value", token)
        elif token.startswith("-") and token != "-":
            name = token[:2]
            spec = _short(name)
            value = token[2:] or None
        else:
            found.ignored.append(token)
            continue
        if spec.takes_value and value is None:
            if i >= len(tokens):
                raise OptionError(f"option {name} needs a value", token)
            value = tokens[i]
            i += 1
        _check_value(spec, name, value)
        found.values.append((spec, name, value))
    return found


def _short(name: str) -> Option:
    spec = _SHORT.get(name[1:])
    if spec is None:
        import difflib

        near = difflib.get_close_matches(name, [f"-{c}" for c in _SHORT], n=1)
        hint = f"did you mean {near[0]}?" if near else None
        raise OptionError(f"unknown option {name}", name, hint)
    return spec


def _check_value(spec: Option, name: str, value: str | None) -> None:
    if value is None:
        return
    if spec.choices and value not in spec.choices:
        raise OptionError(
            f"invalid value {value!r} for {name} (choose from {', '.join(spec.choices)})",
            value,
        )
    if spec.dest == "hashes":
        algo, sep, _ = value.partition(":")
        if not sep:
            raise OptionError(
                f"{name} needs a hash name and a value, like {name}=sha256:abcde...", value
            )
        if algo not in STRONG_HASHES:
            raise OptionError(
                f"hash algorithm {algo!r} is not allowed for {name}; use one of "
                f"{', '.join(STRONG_HASHES)}",
                value,
            )
    elif spec.dest == "config_settings" and "=" not in value:
        raise OptionError(f"{name} needs KEY=VALUE, got {value!r}", value)
    elif spec.dest in ("no_binary", "only_binary", "all_releases", "only_final") and (
        value.startswith("-")
    ):
        raise OptionError(f"option {name} needs a value", value)
