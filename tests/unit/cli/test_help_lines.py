"""Every option and argument of every command has a help line, and every ``--help`` ends with
two or three examples."""

from __future__ import annotations

import argparse
import contextlib
import io
from collections.abc import Iterator

import pytest

from pinset.cli.main import ALIASES, COMMANDS, build_parser


def _parsers(
    parser: argparse.ArgumentParser, path: str = "pinset"
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _parsers(child, f"{path} {name}")


ALL = list(_parsers(build_parser()))


def test_every_command_is_walked() -> None:
    walked = {path.split()[1] for path, _ in ALL if " " in path}
    assert walked == set(COMMANDS) | set(ALIASES)
    assert {"list", "show", "completion"} <= walked


@pytest.mark.parametrize(("path", "parser"), ALL, ids=[p for p, _ in ALL])
def test_every_option_and_argument_has_a_help_line(
    path: str, parser: argparse.ArgumentParser
) -> None:
    missing = [
        "/".join(a.option_strings) or a.dest
        for a in parser._actions
        if not isinstance(a, argparse._SubParsersAction) and not (a.help or "").strip()
    ]
    assert missing == [], f"{path}: no help for {missing}"


@pytest.mark.parametrize(("path", "parser"), ALL, ids=[p for p, _ in ALL])
def test_help_ends_with_two_or_three_examples(path: str, parser: argparse.ArgumentParser) -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        parser.parse_args(["--help"])
    text = out.getvalue().rstrip("\n")
    examples = text.rpartition("\nexamples:\n")[2].splitlines()
    assert "\nexamples:\n" in text, f"{path} --help has no examples"
    assert 2 <= len(examples) <= 3
    assert all(line.startswith("  ") and "pinset" in line for line in examples), examples


@pytest.mark.parametrize(("path", "parser"), ALL[1:], ids=[p for p, _ in ALL[1:]])
def test_every_command_takes_quiet_and_verbose(path: str, parser: argparse.ArgumentParser) -> None:
    subactions = any(isinstance(a, argparse._SubParsersAction) for a in parser._actions)
    if subactions:
        return  # its actions take them
    flags = {s for a in parser._actions for s in a.option_strings}
    assert {"-q", "--quiet", "-v", "--verbose"} <= flags, path
