"""pip's options on the command line: the ``argv`` rows of the option table
(:mod:`pinset.options`), as argparse arguments of the command that has them.

An option that configuration may also set defaults to ``None`` (a list option to ``None``,
a count to 0) so that only the flags the user gave reach ``settings``, where they override
configuration files and environment variables.
"""

from __future__ import annotations

import argparse
from typing import Any

from pinset.options import Option, rows

_TYPES = {"float": float, "int": int}


class _InOrder(argparse.Action):
    """``--no-binary``/``--only-binary``: every value is kept with its option, in the order
    given, in ``format_control`` (pip applies them in that order; ``settings`` does too)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        given = list(getattr(namespace, "format_control", None) or ())
        namespace.format_control = [*given, (self.dest, values)]


def add_options(parser: argparse.ArgumentParser, command: str) -> None:
    """Every option ``command`` has, under its heading, in the table's order."""
    groups: dict[str, Any] = {}
    for row in rows("argv", command):
        if row.group not in groups:
            groups[row.group] = parser.add_argument_group(row.group)
        groups[row.group].add_argument(*row.flags, **_keywords(row))


def _keywords(row: Option) -> dict[str, Any]:
    """argparse's description of one row."""
    kw: dict[str, Any] = {"dest": row.dest, "help": row.help}
    if row.metavar:
        kw["metavar"] = row.metavar
    if row.kind == "count":
        return {**kw, "action": "count", "default": 0}
    default = None if "config" in row.scopes else row.default
    if row.kind in ("flag", "nocache", "negflag"):
        return {**kw, "action": "store_const", "const": row.kind != "negflag", "default": default}
    if row.kind == "binary":
        return {**kw, "action": _InOrder, "default": None}
    if row.kind == "list":
        return {**kw, "action": "append", "default": None}
    if row.kind == "choice":
        kw["choices"] = row.choices
    if row.kind in _TYPES:
        kw["type"] = _TYPES[row.kind]
    return {**kw, "default": default}


def add_output(parser: argparse.ArgumentParser) -> None:
    """``-v``/``-q`` (the table's rows) on a parser the table does not name: each action of
    ``cache`` and ``config``, so that ``pinset cache info -v`` works."""
    group = parser.add_argument_group("general")
    for row in rows("argv", "install"):
        if row.dest in ("verbose", "quiet"):
            group.add_argument(*row.flags, **_keywords(row))


def add_target_path(parser: argparse.ArgumentParser) -> None:
    """``--path DIR`` (pip list's name; ``--target`` as install spells it): read a directory
    ``install --target DIR`` filled instead of the environment (``list`` and ``show``)."""
    parser.add_argument(
        "--path",
        "--target",
        dest="target",
        metavar="DIR",
        default=None,
        help="read packages installed with --target DIR instead of the environment",
    )
