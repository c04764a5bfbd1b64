"""The one table of pip's options: its readers agree with it, and its spellings with pip's."""

from __future__ import annotations

from pathlib import Path

import pytest

import pinset
from pinset import _option_names
from pinset.options import OPTIONS, rows
from pinset.settings import Settings
from pinset.settings.options import OPTIONS as CONFIG_KEYS


def test_the_no_op_verdicts_names_are_generated_from_the_table() -> None:
    from pinset.options import render_noop_names

    generated = Path(pinset.__file__).with_name("_option_names.py").read_text()
    assert generated == render_noop_names(), "run dev/gen-option-names"


def test_the_no_op_verdict_understands_the_options_it_understood() -> None:
    assert {
        *("-r", "--requirement", "-c", "--constraint", "--python", "-i", "--index-url"),
        *("--pypi-url", "--extra-index-url", "-f", "--find-links", "--cache-dir"),
        "--link-mode",
    } == _option_names.VALUE_OPTIONS
    assert {
        *("--no-compile", "--compile", "--no-deps", "--no-dependencies", "--require-hashes"),
        *("--break-system-packages", "--no-index", "--isolated", "--verbose", "--quiet"),
        *("-v", "-q"),
    } == _option_names.FLAGS
    assert set(_option_names.ATTACHED) == {"-r", "-c", "-i", "-f"}
    assert {"v", "q"} == _option_names.COUNT_LETTERS


def test_every_configured_option_is_a_setting_with_the_tables_default() -> None:
    settings = dict(Settings().items())
    assert {row.dest for row in rows("config")} == set(settings)
    for row in rows("config"):
        assert settings[row.dest].value == row.default, row.dest
    assert Settings().index_url.value == "https://pypi.org/simple"


@pytest.mark.parametrize("scope", ["config", "file"])
def test_a_spelling_names_one_row_in_a_scope(scope: str) -> None:
    spellings = [flag for row in rows(scope) for flag in row.flags]  # type: ignore[arg-type]
    assert len(spellings) == len(set(spellings))
    assert {key for row in rows("config") for key in row.keys} == set(CONFIG_KEYS)


@pytest.mark.parametrize("command", ["install", "uninstall", "check", "cache", "config", "freeze"])
def test_a_spelling_names_one_row_on_a_command_line(command: str) -> None:
    spellings = [flag for row in rows("argv", command) for flag in row.flags]
    assert len(spellings) == len(set(spellings))


def test_file_options_are_spelled_as_pips_requirements_file_options() -> None:
    req_file = pytest.importorskip("pip._internal.req.req_file")
    pip = {
        tuple(sorted(option()._short_opts + option()._long_opts))
        for option in (*req_file.SUPPORTED_OPTIONS, *req_file.SUPPORTED_OPTIONS_REQ)
    }
    ours = {tuple(sorted(row.flags)) for row in rows("file")}
    assert ours == pip


@pytest.mark.parametrize("command", ["install", "uninstall"])
def test_command_line_options_are_spelled_as_pips(command: str) -> None:
    commands = pytest.importorskip("pip._internal.commands")
    parser = commands.create_command(command).parser
    for row in rows("argv", command):
        if not row.pip:
            continue
        option = parser.get_option(row.long)
        assert option is not None, row.long
        assert set(option._short_opts + option._long_opts) == set(row.flags), row.long


def test_the_table_has_no_row_twice() -> None:
    assert len({(row.dest, row.flags) for row in OPTIONS}) == len(OPTIONS)
