"""pip's value rules: booleans, the ``--no-X`` quirk, counts, lists, binary sets, errors."""

from __future__ import annotations

import pytest

from pinset.errors import ConfigurationError, Location
from pinset.settings import Settings, load_settings
from tests.helpers.config_files import Layout, devnull_env


def _env(**extra: str) -> Settings:
    return load_settings("install", {}, environ=devnull_env(**extra), isolated=False)


@pytest.mark.parametrize("word", ["yes", "YES", "true", "True", "on", "1", "y", "t"])
def test_true_words(word: str) -> None:
    assert _env(PIP_PRE=word).pre.value is True


@pytest.mark.parametrize("word", ["no", "false", "OFF", "0", "n", "f"])
def test_false_words(word: str) -> None:
    settings = _env(PIP_PRE=word, PIP_NO_INDEX=word)
    assert settings.pre.value is False
    assert settings.no_index.value is False
    assert settings.pre.source == "env PIP_PRE"


def test_invalid_boolean_names_the_variable() -> None:
    with pytest.raises(ConfigurationError) as info:
        _env(PIP_NO_DEPS="maybe")
    assert info.value.where == "env PIP_NO_DEPS"
    assert "maybe" in info.value.message
    assert info.value.hint is not None
    assert "yes/no" in info.value.hint


def test_pip_no_flag_quirk_is_reproduced() -> None:
    # pip stores the parsed boolean of PIP_NO_COMPILE into `compile` as is
    assert _env(PIP_NO_COMPILE="yes").compile.value is True
    assert _env(PIP_NO_COMPILE="no").compile.value is False
    assert _env(PIP_NO_BUILD_ISOLATION="no").build_isolation.value is False
    assert _env(PIP_COMPILE="false").compile.value is False


def test_pinset_no_flag_means_what_it_says() -> None:
    assert _env(PINSET_NO_COMPILE="1").compile.value is False
    assert _env(PINSET_NO_COMPILE="0").compile.value is True
    assert _env(PIP_NO_COMPILE="no", PINSET_COMPILE="yes").compile.value is True


def test_no_cache_dir_disables_for_any_boolean_from_pip() -> None:
    assert _env(PIP_NO_CACHE_DIR="false").no_cache_dir.value is True
    assert _env(PIP_NO_CACHE_DIR="1").no_cache_dir.value is True
    assert _env(PINSET_NO_CACHE_DIR="false").no_cache_dir.value is False
    with pytest.raises(ConfigurationError):
        _env(PIP_NO_CACHE_DIR="sometimes")


def test_counts() -> None:
    assert _env(PIP_VERBOSE="yes").verbose.value == 1
    assert _env(PIP_VERBOSE="3").verbose.value == 3
    assert _env(PIP_QUIET="no").quiet.value == 0
    settings = load_settings(
        "install", {"verbose": 2}, environ=devnull_env(PIP_VERBOSE="2"), isolated=False
    )
    assert settings.verbose.value == 4
    assert settings.verbosity == 4
    with pytest.raises(ConfigurationError) as info:
        _env(PIP_VERBOSE="-1")
    assert info.value.where == "env PIP_VERBOSE"


def test_lists_split_on_whitespace_and_command_line_appends() -> None:
    settings = load_settings(
        "install",
        {"find_links": ["./wheels"], "extra_index_url": ["https://c.example/simple"]},
        environ=devnull_env(
            PIP_FIND_LINKS="/a  /b\n\t/c",
            PIP_EXTRA_INDEX_URL="https://a.example/simple https://b.example/simple",
            PIP_TRUSTED_HOST="a.example b.example:8080",
            PIP_CONSTRAINT="c1.txt c2.txt",
        ),
        isolated=False,
    )
    assert settings.find_links.value == ("/a", "/b", "/c", "./wheels")
    assert settings.find_links.source == "env PIP_FIND_LINKS + command line --find-links"
    assert settings.extra_index_urls.value == (
        "https://a.example/simple",
        "https://b.example/simple",
        "https://c.example/simple",
    )
    assert settings.trusted_hosts.value == ("a.example", "b.example:8080")
    assert settings.constraints.value == ("c1.txt", "c2.txt")


def test_env_list_replaces_file_list(layout: Layout) -> None:
    layout.write(layout.user, "[global]\nfind-links =\n    /one\n    /two\n")
    assert layout.load().find_links.value == ("/one", "/two")
    assert layout.load({"PIP_FIND_LINKS": "/three"}).find_links.value == ("/three",)


def test_binary_sets_exclude_each_other() -> None:
    settings = _env(PIP_NO_BINARY=":all:", PIP_ONLY_BINARY="Foo_Bar,baz")
    assert settings.no_binary.value == frozenset({":all:"})
    assert settings.only_binary.value == frozenset({"foo-bar", "baz"})
    after_cli = load_settings(
        "install",
        {"format_control": [("no_binary", "baz"), ("only_binary", ":none:")]},
        environ=devnull_env(PIP_ONLY_BINARY="foo,baz"),
        isolated=False,
    )
    assert after_cli.no_binary.value == frozenset({"baz"})
    assert after_cli.only_binary.value == frozenset()
    assert after_cli.only_binary.source == "command line --only-binary"
    everything = _env(PIP_ONLY_BINARY="foo", PINSET_NO_BINARY=":all:")
    assert everything.no_binary.value == frozenset({":all:"})
    assert everything.only_binary.value == frozenset()


def test_invalid_values_in_files_point_at_the_line(layout: Layout) -> None:
    layout.write(layout.user, "[global]\n# comment\nretries = 3\ntimeout = soon\n")
    with pytest.raises(ConfigurationError) as info:
        layout.load()
    assert info.value.where == Location(str(layout.user), 4)
    assert "soon" in info.value.message
    assert info.value.hint

    layout.write(layout.user, "[install]\nupgrade-strategy = sometimes\n")
    with pytest.raises(ConfigurationError) as choice:
        layout.load()
    assert choice.value.where == Location(str(layout.user), 2)
    assert choice.value.hint is not None
    assert "eager" in choice.value.hint


def test_invalid_command_line_value() -> None:
    with pytest.raises(ConfigurationError) as info:
        load_settings("install", {"retries": "many"}, environ=devnull_env(), isolated=False)
    assert info.value.where == "command line --retries"


def test_broken_files_are_reported_with_location(layout: Layout) -> None:
    layout.write(layout.user, "index-url = https://x.example\n")
    with pytest.raises(ConfigurationError) as header:
        layout.load()
    assert header.value.where == Location(str(layout.user), 1)
    layout.write(layout.user, "[global]\nretries = 1\nretries = 2\n")
    with pytest.raises(ConfigurationError) as dup:
        layout.load()
    assert dup.value.where == Location(str(layout.user), 3)
    layout.user.write_bytes(b"[global]\nproxy = \xff\n")
    with pytest.raises(ConfigurationError) as utf:
        layout.load()
    assert utf.value.where == Location(str(layout.user), 2)


def test_paths_expand_home_from_environ(layout: Layout) -> None:
    layout.write(layout.user, "[global]\ncache-dir = ~/caches/pip\ncert = ~/ca.pem\n")
    settings = layout.load({"HOME": "/home/someone"})
    assert settings.cache_dir.value == "/home/someone/caches/pip"
    assert settings.cert.value == "/home/someone/ca.pem"


def test_unknown_keys_are_kept_and_pinset_only_keys_need_pinset_names(layout: Layout) -> None:
    layout.write(
        layout.user,
        "[global]\nno-color = yes\nindex-strategy = unsafe-best-match\n[install]\nuser = true\n",
    )
    settings = layout.load({"PIP_PROGRESS_BAR": "off", "PINSET_OFFLINE": "1"})
    assert settings.index_strategy.is_default
    assert settings.offline.value is True
    unknown = {u.key: u.source for u in settings.unknown}
    assert set(unknown) == {"no-color", "index-strategy", "user", "progress-bar"}
    assert unknown["progress-bar"] == "env PIP_PROGRESS_BAR"
    assert layout.load({"PINSET_INDEX_STRATEGY": "unsafe-best-match"}).index_strategy.value == (
        "unsafe-best-match"
    )


def test_cli_accepts_argparse_dests_and_ignores_other_keys() -> None:
    settings = load_settings(
        "install",
        {
            "trusted_host": ["h.example"],
            "constraint": ["c.txt"],
            "no_deps": True,
            "compile": False,
            "command": "install",
            "json": True,
            "index_url": None,
        },
        environ=devnull_env(PIP_INDEX_URL="https://e.example/simple"),
        isolated=False,
    )
    assert settings.trusted_hosts.value == ("h.example",)
    assert settings.constraints.value == ("c.txt",)
    assert settings.no_deps.value is True
    assert settings.compile.value is False
    assert settings.compile.source == "command line --no-compile"
    assert settings.index_url.value == "https://e.example/simple"


def test_link_mode_from_pinset_variable_and_flag_never_from_pip(layout: Layout) -> None:
    assert layout.load({}).link_mode.value == "hardlink"
    layout.write(layout.user, "[install]\nlink-mode = copy\n")
    assert layout.load({}).link_mode.is_default  # pip has no such option: not read from its files
    assert layout.load({"PIP_LINK_MODE": "copy"}).link_mode.is_default
    from_env = layout.load({"PINSET_LINK_MODE": "symlink"}).link_mode
    assert (from_env.value, from_env.source) == ("symlink", "env PINSET_LINK_MODE")
    with pytest.raises(ConfigurationError, match="'clone' is not a valid choice"):
        layout.load({"PINSET_LINK_MODE": "clone"})


@pytest.mark.parametrize("text", ["-5", "nan", "inf", "-inf", "1e300"])
def test_unusable_timeouts_are_refused_wherever_they_come_from(layout: Layout, text: str) -> None:
    with pytest.raises(ConfigurationError) as env:
        _env(PIP_TIMEOUT=text)
    assert env.value.where == "env PIP_TIMEOUT"
    assert "0 means no timeout" in (env.value.hint or "")
    with pytest.raises(ConfigurationError) as cli:
        load_settings("install", {"timeout": float(text)}, environ=devnull_env(), isolated=False)
    assert cli.value.where == "command line --timeout"
    assert text in cli.value.message or repr(float(text)) in cli.value.message
    layout.write(layout.user, f"[global]\ndefault-timeout = {text}\n")
    with pytest.raises(ConfigurationError) as file:
        layout.load()
    assert file.value.where == Location(str(layout.user), 2)


def test_a_zero_timeout_means_no_timeout_as_in_pip() -> None:
    assert _env(PIP_TIMEOUT="0").timeout.value == 0.0
    assert _env(PIP_TIMEOUT="2.5").timeout.value == 2.5


def test_negative_retries_are_refused() -> None:
    with pytest.raises(ConfigurationError) as env:
        _env(PIP_RETRIES="-1")
    assert env.value.where == "env PIP_RETRIES"
    with pytest.raises(ConfigurationError) as cli:
        load_settings("install", {"retries": -1}, environ=devnull_env(), isolated=False)
    assert cli.value.where == "command line --retries"
    assert _env(PIP_RETRIES="0").retries.value == 0


def test_download_timeout_is_pinsets_own_setting() -> None:
    assert _env().download_timeout.value == 3600.0
    assert _env(PINSET_DOWNLOAD_TIMEOUT="120").download_timeout.value == 120.0
    assert _env(PIP_DOWNLOAD_TIMEOUT="120").download_timeout.value == 3600.0  # not pip's
    cli = load_settings("install", {"download_timeout": 0.0}, environ=devnull_env(), isolated=False)
    assert (cli.download_timeout.value, cli.download_timeout.source) == (
        0.0,
        "command line --download-timeout",
    )
    with pytest.raises(ConfigurationError) as info:
        _env(PINSET_DOWNLOAD_TIMEOUT="-1")
    assert info.value.where == "env PINSET_DOWNLOAD_TIMEOUT"
