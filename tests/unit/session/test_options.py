"""Settings merged with requirements files' options, in pip's order."""

from __future__ import annotations

import pytest

from pinset.requirements import FileOptions, parse_text
from pinset.session.options import run_options
from pinset.settings import load_settings


def _settings(**cli: object):  # type: ignore[no-untyped-def]
    return load_settings("install", cli, environ={}, isolated=True, paths=None)


def test_defaults_are_pypi_first_index() -> None:
    options = run_options(_settings())
    assert options.index.index_urls == ("https://pypi.org/simple",)
    assert options.index.strategy == "first-index"
    assert options.require_hashes is False


def test_a_files_index_url_replaces_the_configured_indexes() -> None:
    settings = _settings(index_url="https://a/simple", extra_index_url=["https://b/simple"])
    files = [FileOptions(index_url="https://file/simple", extra_index_urls=("https://x/simple",))]
    options = run_options(settings, files)
    assert options.index.index_urls == ("https://file/simple", "https://x/simple")


def test_extra_indexes_find_links_and_trusted_hosts_add_up() -> None:
    settings = _settings(extra_index_url=["https://b/simple"], trusted_host=["b"])
    files = [
        FileOptions(extra_index_urls=("https://c/simple",), find_links=("./wheels",)),
        FileOptions(trusted_hosts=("c",), extra_index_urls=("https://c/simple",)),
    ]
    options = run_options(settings, files)
    assert options.index.index_urls == (
        "https://pypi.org/simple",
        "https://b/simple",
        "https://c/simple",
    )
    assert options.index.find_links == ("./wheels",)
    assert options.trusted_hosts == ("b", "c")


def test_no_index_pre_and_require_hashes_in_a_file_turn_them_on() -> None:
    files = [FileOptions(no_index=True, pre=True, require_hashes=True)]
    options = run_options(_settings(), files)
    assert options.index.index_urls == ()
    assert options.index.pre is True
    assert options.require_hashes is True


def test_binary_options_of_files_apply_after_the_command_line() -> None:
    settings = _settings(only_binary=[":all:"])
    files = [FileOptions(no_binary=("lxml",), prefer_binary=True)]
    policy = run_options(settings, files).index.policy
    assert policy.allows("lxml", wheel=False)
    assert not policy.allows("lxml", wheel=True)
    assert not policy.allows("numpy", wheel=False)
    assert policy.prefer_binary is True


@pytest.mark.parametrize(
    ("cli", "text", "no_binary", "only_binary"),
    [
        # pip's file options act on the sets the command line left: :none: clears them too
        ({"no_binary": ["lxml"]}, "--no-binary :none:\n", set(), set()),
        ({"only_binary": ["foo"]}, "--no-binary :all:\n--no-binary :none:\n", set(), set()),
        ({"only_binary": [":all:"]}, "--only-binary :none:\n--no-binary x\n", {"x"}, set()),
        ({"no_binary": ["a"]}, "--only-binary b\n--no-binary b\n", {"a", "b"}, set()),
    ],
)
def test_binary_options_of_files_continue_from_the_command_lines_sets(
    cli: dict[str, object], text: str, no_binary: set[str], only_binary: set[str]
) -> None:
    options = parse_text(text).options
    policy = run_options(_settings(**cli), [options]).index.policy
    assert (set(policy.no_binary), set(policy.only_binary)) == (no_binary, only_binary)
