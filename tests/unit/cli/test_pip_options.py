"""pip's options on pinset's command line mean what they mean on pip's (pip 26.3 as oracle)."""

from __future__ import annotations

import pytest

from pinset.cli.commands.install import load
from pinset.cli.main import build_parser

pip_commands = pytest.importorskip("pip._internal.commands")


@pytest.mark.parametrize(
    "argv",
    [
        ["--only-binary", "foo", "--no-binary", "foo"],
        ["--no-binary", "foo", "--only-binary", "foo"],
        ["--no-binary", ":all:", "--only-binary", "foo,bar", "--no-binary", "bar"],
        ["--only-binary", ":all:", "--no-binary", ":none:", "--no-binary", "baz"],
        ["--no-binary=lxml", "--only-binary=:all:"],
    ],
)
def test_binary_options_apply_in_the_order_given(argv: list[str]) -> None:
    pip_options, _ = pip_commands.create_command("install").parse_args(argv)
    args = build_parser("install").parse_args(["install", *argv])
    settings = load("install", args)
    assert settings.no_binary.value == pip_options.format_control.no_binary
    assert settings.only_binary.value == pip_options.format_control.only_binary
