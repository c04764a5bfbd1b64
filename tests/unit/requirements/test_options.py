"""The option table and optparse-like reading of a line's options."""

from __future__ import annotations

import pytest

from pinset.requirements.options import (
    LineOptions,
    OptionError,
    parse_options,
    split_args_options,
    tokenize,
)


def _read(text: str) -> LineOptions:
    return parse_options(tokenize(text))


def _pairs(found: LineOptions) -> list[tuple[str, str | None]]:
    return [(spec.dest, value) for spec, _, value in found.values]


@pytest.mark.parametrize(
    ("line", "args", "options"),
    [
        ("foo==1.0", "foo==1.0", ""),
        ("foo==1.0 --hash=sha256:x", "foo==1.0", "--hash=sha256:x"),
        ("-r other.txt", "", "-r other.txt"),
        ("foo; python_version<'3' --hash a", "foo; python_version<'3'", "--hash a"),
        ("foo\t--hash=x", "foo\t--hash=x", ""),
        ("a-b==1 c", "a-b==1 c", ""),
    ],
)
def test_args_end_at_first_space_separated_dash_word(line: str, args: str, options: str) -> None:
    assert split_args_options(line) == (args, options)


def test_tokenize_honours_shell_quoting() -> None:
    assert tokenize("-C 'key=a b' --hash \"sha256:x\"") == ["-C", "key=a b", "--hash", "sha256:x"]
    with pytest.raises(OptionError, match="cannot split"):
        tokenize("-C 'unterminated")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("--index-url https://i", [("index_url", "https://i")]),
        ("--index-url=https://i", [("index_url", "https://i")]),
        ("-i https://i", [("index_url", "https://i")]),
        ("-ihttps://i", [("index_url", "https://i")]),
        ("--pypi-url https://i", [("index_url", "https://i")]),
        ("--extra-index-url e", [("extra_index_urls", "e")]),
        ("--no-index", [("no_index", None)]),
        ("-c c.txt", [("constraints", "c.txt")]),
        ("--constraint c.txt", [("constraints", "c.txt")]),
        ("-r r.txt", [("requirement_files", "r.txt")]),
        ("--requirement=r.txt", [("requirement_files", "r.txt")]),
        ("-e .", [("editables", ".")]),
        ("-e.", [("editables", ".")]),
        ("--editable ./p", [("editables", "./p")]),
        ("-f ./links", [("find_links", "./links")]),
        ("--find-links ./links", [("find_links", "./links")]),
        ("--no-binary :all:", [("no_binary", ":all:")]),
        ("--only-binary a,b", [("only_binary", "a,b")]),
        ("--prefer-binary", [("prefer_binary", None)]),
        ("--require-hashes", [("require_hashes", None)]),
        ("--no-require-hashes", [("no_require_hashes", None)]),
        ("--pre", [("pre", None)]),
        ("--all-releases foo", [("all_releases", "foo")]),
        ("--only-final :all:", [("only_final", ":all:")]),
        ("--trusted-host h", [("trusted_hosts", "h")]),
        ("--use-feature fast-deps", [("features", "fast-deps")]),
        ("--hash sha256:ab", [("hashes", "sha256:ab")]),
        ("-C k=v", [("config_settings", "k=v")]),
        ("--config-settings=k=v", [("config_settings", "k=v")]),
    ],
)
def test_every_option_pip_accepts(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert _pairs(_read(text)) == expected


def test_several_options_on_one_line() -> None:
    found = _read("--no-index --find-links=./a --pre --trusted-host h")
    assert _pairs(found) == [
        ("no_index", None),
        ("find_links", "./a"),
        ("pre", None),
        ("trusted_hosts", "h"),
    ]


def test_unique_prefix_of_a_long_option_is_accepted() -> None:
    assert _pairs(_read("--index https://i")) == [("index_url", "https://i")]
    assert _pairs(_read("--extra e")) == [("extra_index_urls", "e")]


def test_exact_name_wins_over_longer_option() -> None:
    assert _pairs(_read("--pre")) == [("pre", None)]


def test_ambiguous_prefix_is_an_error() -> None:
    with pytest.raises(OptionError, match="ambiguous option --no"):
        _read("--no")


def test_unknown_option_hints_the_nearest_known_one() -> None:
    with pytest.raises(OptionError, match="unknown option --indx-url") as info:
        _read("--indx-url https://i")
    assert info.value.hint == "did you mean --index-url?"
    assert info.value.token == "--indx-url"


@pytest.mark.parametrize("removed", ["--global-option", "--install-option", "--dry-run"])
def test_options_pip_does_not_accept_in_files(removed: str) -> None:
    with pytest.raises(OptionError, match="unknown option"):
        _read(f"{removed}=x")


def test_unknown_short_option() -> None:
    with pytest.raises(OptionError, match="unknown option -x"):
        _read("-x foo")


def test_missing_value() -> None:
    with pytest.raises(OptionError, match="needs a value"):
        _read("-r")


def test_flag_given_a_value() -> None:
    with pytest.raises(OptionError, match="does not take a value"):
        _read("--pre=yes")


def test_words_after_options_are_ignored_like_pip() -> None:
    found = _read("--pre SomeProject -- -r x")
    assert _pairs(found) == [("pre", None)]
    assert found.ignored == ["SomeProject", "-r", "x"]


@pytest.mark.parametrize("algo", ["sha256", "sha384", "sha512"])
def test_strong_hashes_accepted(algo: str) -> None:
    assert _pairs(_read(f"--hash={algo}:00")) == [("hashes", f"{algo}:00")]


@pytest.mark.parametrize("algo", ["md5", "sha1", "sha224", "SHA256"])
def test_weak_or_unknown_hash_algorithm_is_an_error(algo: str) -> None:
    with pytest.raises(OptionError, match="not allowed"):
        _read(f"--hash={algo}:00")


def test_hash_needs_algorithm_and_value() -> None:
    with pytest.raises(OptionError, match="hash name and a value"):
        _read("--hash=abcdef")


def test_config_settings_needs_key_value() -> None:
    with pytest.raises(OptionError, match="KEY=VALUE"):
        _read("-C novalue")


def test_use_feature_value_is_checked() -> None:
    with pytest.raises(OptionError, match="invalid value 'bogus'"):
        _read("--use-feature bogus")


def test_binary_option_value_cannot_look_like_an_option() -> None:
    with pytest.raises(OptionError, match="needs a value"):
        _read("--no-binary --pre")
