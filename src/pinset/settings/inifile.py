"""Read one pip configuration file (INI) into ``(section, key) -> (value, line)``.

Parsing is the standard library's ``configparser`` in raw mode, as pip uses it, so the same
files are accepted and rejected: ``=`` or ``:`` separators, indented continuation lines,
``#``/``;`` whole-line comments, a ``[DEFAULT]`` section whose keys appear in every section,
and duplicate keys in one section refused. Keys are normalized as pip does (see
:func:`pinset.settings.options.normalize_key`). Line numbers come from a second, simple scan
of the text so that errors can point at ``file:line``.
"""

from __future__ import annotations

import configparser

from pinset._dataclass import dataclass
from pinset.errors import ConfigurationError, Location
from pinset.settings.options import normalize_key

_HINT = "fix the file, or set PIP_CONFIG_FILE=/dev/null to ignore configuration files"


@dataclass(frozen=True, slots=True)
class IniValue:
    section: str
    key: str
    value: str
    line: int


class _Parser(configparser.RawConfigParser):
    def optionxform(self, optionstr: str) -> str:
        return normalize_key(optionstr)


def _line_numbers(text: str) -> dict[tuple[str, str], int]:
    lines: dict[tuple[str, str], int] = {}
    section = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped[0] in "#;" or raw[0] in " \t":
            continue
        if stripped.startswith("[") and "]" in stripped:
            section = stripped[1 : stripped.index("]")].strip()
            continue
        cut = min((i for i in (raw.find("="), raw.find(":")) if i > 0), default=-1)
        if cut > 0:
            lines[(section, normalize_key(raw[:cut].strip()))] = number
    return lines


def _parse(path: str, text: str) -> _Parser:
    parser = _Parser()
    try:
        parser.read_string(text, source=path)
    except configparser.MissingSectionHeaderError as exc:
        raise ConfigurationError(
            "configuration file has a setting before any [section] header",
            where=Location(path, exc.lineno),
            hint="put settings under [global] (all commands) or a command's section",
        ) from None
    except (configparser.DuplicateOptionError, configparser.DuplicateSectionError) as exc:
        raise ConfigurationError(
            f"configuration file repeats {exc.message.split(':', 1)[-1].strip()}",
            where=Location(path, exc.lineno or 1),
            hint="keep one of them (`index_url` and `index-url` are the same key)",
        ) from None
    except configparser.ParsingError as exc:
        line = exc.errors[0][0] if exc.errors else 1
        raise ConfigurationError(
            "configuration file is not valid INI", where=Location(path, line), hint=_HINT
        ) from None
    except configparser.Error as exc:
        raise ConfigurationError(
            f"configuration file could not be read: {exc}", where=path, hint=_HINT
        ) from None
    return parser


def read_ini(path: str) -> tuple[IniValue, ...] | None:
    """Every value in ``path`` by section, in file order; None if the file does not exist."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None
    except OSError as exc:
        raise ConfigurationError(
            f"configuration file could not be read: {exc.strerror}", where=path, hint=_HINT
        ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigurationError(
            "configuration file is not valid UTF-8", where=Location(path, line), hint=_HINT
        ) from None
    parser = _parse(path, text)
    numbers = _line_numbers(text)
    out: list[IniValue] = []
    for section in parser.sections():
        for key, value in parser.items(section):
            line = numbers.get((section, key)) or numbers.get((parser.default_section, key), 1)
            out.append(IniValue(section, key, value, line))
    return tuple(out)
