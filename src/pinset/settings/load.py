"""``load_settings``: defaults < pip's files < ``PIP_*`` < ``PINSET_*`` < command-line values.

Pure given its inputs: the environment is a parameter, file locations are computed from it
(or passed in), and nothing global is read or changed besides the configuration files.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pinset._dataclass import fields
from pinset.binary import BinaryPolicy, BinaryValueError
from pinset.errors import ConfigurationError, Location
from pinset.options import Option
from pinset.settings.locations import ConfigPaths, config_paths
from pinset.settings.model import Setting, Settings, UnknownSetting
from pinset.settings.options import CLI_ALIASES, OPTIONS, PRIMARY
from pinset.settings.sources import (
    RawValue,
    config_files,
    environment_values,
    read_files,
)
from pinset.settings.values import (
    ValueProblem,
    check_number,
    convert_scalar,
    parse_bool,
    parse_count,
)


def _cli_flag(spec: Option, value: object) -> str:
    """The flag a command-line value stands for (``--no-compile`` for ``compile=False``)."""
    if value is False or (isinstance(value, str) and value.lower() in ("0", "false", "no")):
        negative = OPTIONS.get(f"no-{spec.key}")
        if negative is not None and negative.dest == spec.dest:
            return negative.long
    return spec.long


def _as_texts(value: object) -> tuple[str, ...]:
    """A command-line list value (one string, or an iterable of them) as a tuple of str."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable):
        return tuple(str(item) for item in value)
    raise TypeError(f"expected a list of values, got {value!r}")


def _as_count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError(f"expected a count, got {value!r}")
    return parse_count(value) if isinstance(value, str) else value


def _invalid(what: str, problem: Exception, where: Location | str) -> ConfigurationError:
    """The error for a value that cannot be used (``problem`` says why, and may hint)."""
    message = getattr(problem, "message", str(problem))
    return ConfigurationError(
        f"invalid value for {what}: {message}", where=where, hint=getattr(problem, "hint", None)
    )


class _Merger:
    """The working values while sources are applied one after the other."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        defaults = Settings()
        self.environ = environ
        self.state: dict[str, Setting[Any]] = dict(defaults.items())
        self.unknown: dict[str, UnknownSetting] = {}

    def feed(self, raw: RawValue) -> None:
        spec = OPTIONS.get(raw.key)
        if spec is None or (raw.origin == "pip" and not spec.pip):
            self.unknown.pop(raw.key, None)
            self.unknown[raw.key] = UnknownSetting(raw.key, raw.text, raw.source)
            return
        try:
            self._apply_text(spec, raw)
        except ValueProblem as problem:
            raise _invalid(f"'{raw.key}' ({raw.source})", problem, raw.where) from None

    def _set(self, dest: str, value: object, raw: RawValue) -> None:
        where = raw.where if not isinstance(raw.where, str) else None
        self.state[dest] = Setting(value, raw.source, where)

    def _apply_text(self, spec: Option, raw: RawValue) -> None:
        pip_rules = raw.origin == "pip"
        text = raw.text
        if spec.kind == "flag":
            self._set(spec.dest, parse_bool(text), raw)
        elif spec.kind == "negflag":
            value = parse_bool(text)
            self._set(spec.dest, value if pip_rules else not value, raw)
        elif spec.kind == "nocache":
            value = parse_bool(text)
            self._set(spec.dest, True if pip_rules else value, raw)
        elif spec.kind == "count":
            self._set(spec.dest, parse_count(text), raw)
        elif spec.kind == "list":
            self._set(spec.dest, tuple(text.split()), raw)
        elif spec.kind == "binary":
            self._binary(spec.dest, text, raw)
        else:
            self._set(spec.dest, convert_scalar(spec, text.strip(), self.environ), raw)

    def _binary(self, dest: str, text: str, raw: RawValue) -> None:
        before = BinaryPolicy(self.state["no_binary"].value, self.state["only_binary"].value)
        try:
            after = before.with_option(dest, text)
        except BinaryValueError as problem:
            raise ValueProblem(problem.message, problem.hint) from None
        self._set(dest, getattr(after, dest), raw)
        other = "only_binary" if dest == "no_binary" else "no_binary"
        if getattr(after, other) != getattr(before, other):
            self._set(other, getattr(after, other), raw)

    def feed_cli(self, cli_values: Mapping[str, object]) -> None:
        given = {CLI_ALIASES.get(k, k): v for k, v in cli_values.items()}
        for dest, value in given.items():
            spec = PRIMARY.get(dest)
            if spec is None or value is None or spec.kind == "binary":
                continue
            try:
                self._apply_cli(spec, value)
            except (ValueProblem, TypeError, ValueError) as problem:
                raise _invalid(spec.long, problem, f"command line {spec.long}") from None
        self._binary_cli(given)

    def _apply_cli(self, spec: Option, value: object) -> None:
        flag = _cli_flag(spec, value)
        raw = RawValue(spec.key, "", f"command line {flag}", f"command line {flag}")
        current = self.state[spec.dest]
        if spec.kind == "list":
            items = _as_texts(value)
            if not items:
                return
            source = raw.source if current.is_default else f"{current.source} + {raw.source}"
            self.state[spec.dest] = Setting(tuple(current.value) + items, source, current.where)
        elif spec.kind == "count":
            count = _as_count(value)
            if count > 0:
                self._set(spec.dest, current.value + count, raw)
        elif spec.kind in ("flag", "nocache", "negflag"):
            self._set(spec.dest, parse_bool(value) if isinstance(value, str) else bool(value), raw)
        elif isinstance(value, str):
            self._set(spec.dest, convert_scalar(spec, value, self.environ), raw)
        else:
            self._set(spec.dest, check_number(spec, value), raw)

    def _binary_cli(self, given: Mapping[str, object]) -> None:
        ordered = given.get("format_control")
        pairs: list[tuple[str, str]] = []
        if isinstance(ordered, Sequence):
            pairs = [(str(kind), str(text)) for kind, text in ordered]
        else:
            for dest in ("no_binary", "only_binary"):
                pairs += [(dest, text) for text in _as_texts(given.get(dest) or ())]
        for dest, text in pairs:
            flag = PRIMARY[dest].long
            raw = RawValue(PRIMARY[dest].key, text, f"command line {flag}", f"command line {flag}")
            try:
                self._binary(dest, text, raw)
            except ValueProblem as problem:
                raise _invalid(flag, problem, raw.where) from None


def is_isolated(cli_flag: bool | None, environ: Mapping[str, str]) -> bool:
    """``--isolated``, or a true ``PIP_ISOLATED_MODE``/``PINSET_ISOLATED_MODE``."""
    if cli_flag:
        return True
    for name in ("PINSET_ISOLATED_MODE", "PIP_ISOLATED_MODE"):
        text = environ.get(name)
        if text:
            try:
                return parse_bool(text)
            except ValueProblem as problem:
                raise _invalid(name, problem, f"env {name}") from None
    return False


def load_settings(
    command: str,
    cli_values: Mapping[str, object],
    *,
    environ: Mapping[str, str],
    isolated: bool,
    paths: ConfigPaths | None = None,
    platform: str = sys.platform,
    prefix: str = sys.prefix,
    as_module: bool = False,
) -> Settings:
    """The effective settings of ``command``: every value with its source.

    ``cli_values`` holds command-line values by Settings field name (or argparse ``dest``);
    ``None`` means "not given". List options given on the command line are appended to the
    configured ones and counts are added, as pip does; everything else replaces.
    ``paths`` overrides the configuration file locations (else computed from ``environ``,
    ``platform`` and ``prefix``). In ``isolated`` mode, user files and ``PIP_*``/``PINSET_*``
    variables are ignored (``PIP_CONFIG_FILE`` is still honoured, as by pip). ``as_module``:
    pinset was started as ``python -m pinset``.
    """
    where = paths or config_paths(environ, platform=platform, prefix=prefix)
    files, file_values = read_files(config_files(where, environ, isolated=isolated), command)
    merger = _Merger(environ)
    for raw in file_values:
        merger.feed(raw)
    if not isolated:
        for raw in environment_values(environ):
            merger.feed(raw)
    merger.feed_cli(cli_values)
    names = {f.name for f in fields(Settings)}
    options = {k: v for k, v in merger.state.items() if k in names}
    return Settings(
        **options,
        command=command,
        isolated=isolated,
        as_module=as_module,
        files=files,
        unknown=tuple(merger.unknown.values()),
    )
