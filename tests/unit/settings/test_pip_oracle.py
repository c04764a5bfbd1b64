"""pip 26 itself as the oracle: the same files and variables give the same option values.

Both sides read the same real files (including whatever this machine has in /etc, which
therefore cannot change the outcome of the comparison).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from pinset.settings import Settings, load_settings

pip_commands = pytest.importorskip("pip._internal.commands")


def _pip_view(argv: list[str]) -> dict[str, Any]:
    options, _ = pip_commands.create_command("install").parse_args(argv)
    fmt = options.format_control
    return {
        "index_url": options.index_url,
        "extra_index_urls": tuple(options.extra_index_urls),
        "no_index": bool(options.no_index),
        "find_links": tuple(options.find_links),
        "pre": bool(options.pre),
        "trusted_hosts": tuple(options.trusted_hosts),
        "proxy": options.proxy or None,
        "timeout": float(options.timeout),
        "retries": int(options.retries),
        "no_cache_dir": options.cache_dir is False,
        "constraints": tuple(options.constraints),
        "no_binary": frozenset(fmt.no_binary),
        "only_binary": frozenset(fmt.only_binary),
        "prefer_binary": bool(options.prefer_binary),
        "require_hashes": bool(options.require_hashes),
        "no_deps": bool(options.ignore_dependencies),
        "target": options.target_dir,
        "prefix": options.prefix_path,
        "upgrade": bool(options.upgrade),
        "upgrade_strategy": options.upgrade_strategy,
        "compile": bool(options.compile),
        "build_isolation": bool(options.build_isolation),
        "break_system_packages": bool(options.override_externally_managed),
        "keyring_provider": options.keyring_provider,
        "verbose": options.verbose,
        "quiet": options.quiet,
    }


def _pinset_view(settings: Settings, keys: list[str]) -> dict[str, Any]:
    return {k: getattr(settings, k).value for k in keys}


SCENARIOS: list[dict[str, str]] = [
    {},
    {"PIP_NO_COMPILE": "yes", "PIP_NO_BUILD_ISOLATION": "no", "PIP_PRE": "on"},
    {"PIP_NO_COMPILE": "no", "PIP_NO_DEPS": "1", "PIP_VERBOSE": "yes", "PIP_QUIET": "2"},
    {"PIP_FIND_LINKS": "/a /b\n/c", "PIP_EXTRA_INDEX_URL": "https://x/simple https://y/simple"},
    {"PIP_TRUSTED_HOST": "a b:1", "PIP_CONSTRAINT": "c1.txt c2.txt", "PIP_DEFAULT_TIMEOUT": "9"},
    {"PIP_NO_BINARY": ":all:", "PIP_ONLY_BINARY": "Foo_bar,baz"},
    {"PIP_ONLY_BINARY": ":all:,:none:,x", "PIP_PREFER_BINARY": "true"},
    {"PIP_NO_CACHE_DIR": "false", "PIP_UPGRADE": "t", "PIP_UPGRADE_STRATEGY": "eager"},
    {"PIP_TARGET": "/t", "PIP_PREFIX": "/p", "PIP_BREAK_SYSTEM_PACKAGES": "1"},
    {"PIP_INDEX_URL": "https://i/simple", "PIP_NO_INDEX": "false", "PIP_RETRIES": "2"},
    {"PIP_KEYRING_PROVIDER": "subprocess", "PIP_REQUIRE_HASHES": "yes", "PIP_PROXY": "http://p:1"},
]

CONFIG = """\
[global]
timeout = 33
find-links =
    /f1
    /f2
no-compile = no
verbose = 2
[install]
retries = 4
only-binary = lxml
no-dependencies = yes
[freeze]
retries = 99
"""


@pytest.mark.parametrize("env", SCENARIOS)
@pytest.mark.parametrize("with_file", [False, True])
def test_same_values_as_pip(
    env: dict[str, str], with_file: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if with_file:
        conf = tmp_path / "pip.conf"
        conf.write_text(CONFIG, encoding="utf-8")
        monkeypatch.setenv("PIP_CONFIG_FILE", str(conf))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    expected = _pip_view([])
    settings = load_settings("install", {}, environ=dict(os.environ), isolated=False)
    assert _pinset_view(settings, list(expected)) == expected


def test_command_line_combines_like_pip(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIP_FIND_LINKS", "/a")
    monkeypatch.setenv("PIP_VERBOSE", "2")
    monkeypatch.setenv("PIP_ONLY_BINARY", ":all:")
    expected = _pip_view(["-f", "/b", "-v", "--no-binary", "foo", "--timeout", "3"])
    cli = {"find_links": ["/b"], "verbose": 1, "no_binary": ["foo"], "timeout": 3.0}
    settings = load_settings("install", cli, environ=dict(os.environ), isolated=False)
    assert _pinset_view(settings, list(expected)) == expected


def test_binary_rules_match_pip_for_any_sequence() -> None:
    """The one binary policy type applies any sequence of values as pip's FormatControl does
    (including ``:all:`` followed by names, blanks around names and empty names)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from pinset.binary import BinaryPolicy

    format_control = pytest.importorskip("pip._internal.models.format_control")
    word = st.sampled_from([":all:", ":none:", "foo", "Foo_Bar", "baz", "a.b", " baz", ""])
    value = st.lists(word, min_size=1, max_size=4).map(",".join)
    ops = st.lists(st.tuples(st.booleans(), value), max_size=8)

    @settings(max_examples=300, deadline=None)
    @given(ops)
    def check(sequence: list[tuple[bool, str]]) -> None:
        pip_fc = format_control.FormatControl(set(), set())
        policy = BinaryPolicy()
        for is_no_binary, text in sequence:
            if is_no_binary:
                pip_fc.handle_mutual_excludes(text, pip_fc.no_binary, pip_fc.only_binary)
                policy = policy.with_no_binary(text)
            else:
                pip_fc.handle_mutual_excludes(text, pip_fc.only_binary, pip_fc.no_binary)
                policy = policy.with_only_binary(text)
        assert (set(policy.no_binary), set(policy.only_binary)) == (
            pip_fc.no_binary,
            pip_fc.only_binary,
        )

    check()


def test_configured_binary_names_are_read_as_pip_reads_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PIP_NO_BINARY", "foo, Bar,,:all:,baz")
    monkeypatch.setenv("PIP_ONLY_BINARY", ":none:,qux, Foo")
    expected = _pip_view([])
    settings = load_settings("install", {}, environ=dict(os.environ), isolated=False)
    assert _pinset_view(settings, ["no_binary", "only_binary"]) == {
        "no_binary": expected["no_binary"],
        "only_binary": expected["only_binary"],
    }
