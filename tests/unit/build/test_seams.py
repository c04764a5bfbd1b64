"""Cycles in build chains, -C settings, and what a build child may see and show."""

from __future__ import annotations

from pathlib import Path

import pytest

from pinset._subprocess import log_tail, scrubbed_environ, shown_command
from pinset.build.backend import parse_config_settings
from pinset.build.context import BuildEnvironment, enter_chain
from pinset.build.isolation import backend_environ
from pinset.errors import BuildError


def test_chain_grows_and_a_cycle_is_named() -> None:
    assert enter_chain((), "a") == ("a",)
    assert enter_chain(("a", "b"), "c") == ("a", "b", "c")
    with pytest.raises(BuildError) as caught:
        enter_chain(("app", "Foo_Bar", "baz"), "foo-bar")
    assert caught.value.message == "cyclic build requirements: Foo_Bar -> baz -> foo-bar"


def test_config_settings_repeat_into_lists() -> None:
    assert parse_config_settings(["a=1", "b=", "a=2", "a=3", "c=x=y"]) == {
        "a": ["1", "2", "3"],
        "b": "",
        "c": "x=y",
    }
    with pytest.raises(BuildError, match="'novalue' is not KEY=VALUE"):
        parse_config_settings(["novalue"])


def test_credentials_scrubbed_from_pip_and_pinset_variables() -> None:
    base = {
        "PIP_INDEX_URL": "https://u:p@h/simple",
        "pip_extra_index_url": "https://tok@h/simple",
        "PINSET_FIND_LINKS": "https://h/ https://u:p@g/",
        "PIP_INDEX_URL_PLAIN": "https://h/simple",
        "OTHER_URL": "https://u:p@h/",
        "PATH": "/bin",
    }
    assert scrubbed_environ(base) == {
        "PIP_INDEX_URL_PLAIN": "https://h/simple",
        "OTHER_URL": "https://u:p@h/",
        "PATH": "/bin",
    }


def test_command_echo_is_quoted_and_redacted() -> None:
    shown = shown_command(["pip", "install", "-i", "https://u:secret@h/simple", "a b"])
    assert shown == "pip install -i https://u:****@h/simple 'a b'"


def test_log_tail_is_redacted_and_short(tmp_path: Path) -> None:
    log = tmp_path / "log"
    log.write_text("".join(f"line {i} https://u:pw@h/\n" for i in range(100)))
    tail = log_tail(log, 3)
    assert tail == tuple(f"line {i} https://u:****@h/" for i in (97, 98, 99))
    assert log_tail(tmp_path / "missing") == ()


def test_isolated_backend_environment(tmp_path: Path) -> None:
    env = BuildEnvironment(tmp_path, tmp_path / "bin" / "python", tmp_path / "bin")
    base = {"PATH": "/usr/bin", "PYTHONPATH": "/x", "PYTHONHOME": "/y", "VIRTUAL_ENV": "/v"}
    out = backend_environ(base, env)
    assert out["PATH"] == f"{tmp_path / 'bin'}:/usr/bin"
    assert out["VIRTUAL_ENV"] == str(tmp_path)
    assert out["PYTHONNOUSERSITE"] == "1"
    assert "PYTHONPATH" not in out
    assert "PYTHONHOME" not in out
    assert backend_environ(base, None)["PYTHONPATH"] == "/x"
