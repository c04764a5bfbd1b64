"""File-wide options as pip ends up with them after every line of every file."""

from __future__ import annotations

from pathlib import Path

from pinset.requirements import FileOptions, parse_file, parse_text


def _options(text: str, cwd: Path | None = None) -> FileOptions:
    return parse_text(text, environ={}, cwd=cwd).options


def test_defaults() -> None:
    assert _options("six\n") == FileOptions()


def test_later_index_url_replaces_the_index_list() -> None:
    options = _options("--extra-index-url e1\n--index-url i2\n--extra-index-url e3\n")
    assert (options.index_url, options.extra_index_urls) == ("i2", ("e3",))


def test_index_url_and_extra_on_one_line() -> None:
    options = _options("-i https://i --extra-index-url https://e\n")
    assert (options.index_url, options.extra_index_urls) == ("https://i", ("https://e",))


def test_no_index_empties_and_freezes_the_index_list() -> None:
    options = _options("-i https://i\n--extra-index-url e\n--no-index\n-i https://later\n")
    assert (options.no_index, options.index_url, options.extra_index_urls) == (True, None, ())


def test_find_links_relative_to_the_file_only_when_it_exists(tmp_path: Path) -> None:
    (tmp_path / "reqs" / "wheels").mkdir(parents=True)
    top = tmp_path / "reqs" / "r.txt"
    top.write_text("-f wheels\n--find-links=missing\n-f https://h/links -f ignored\n")
    options = parse_file(top, environ={}, cwd=tmp_path).options
    assert options.find_links == (str(tmp_path / "reqs" / "wheels"), "missing", "https://h/links")


def test_flags() -> None:
    options = _options(
        "--pre\n--prefer-binary\n--require-hashes\n--no-require-hashes\n"
        "--trusted-host a\n--trusted-host b --trusted-host a\n--use-feature fast-deps\n"
    )
    assert options.pre
    assert options.prefer_binary
    assert options.require_hashes
    assert options.no_require_hashes
    assert options.all_releases == (":all:",)
    assert options.trusted_hosts == ("a", "b")
    assert options.use_features == ("fast-deps",)


def test_binary_controls_are_mutually_exclusive_sets() -> None:
    options = _options("--no-binary Foo_Bar,baz\n--only-binary baz\n")
    assert (options.no_binary, options.only_binary) == (("foo-bar",), ("baz",))
    options = _options("--only-binary x\n--no-binary :all:\n")
    assert (options.no_binary, options.only_binary) == ((":all:",), ())
    options = _options("--no-binary :all:\n--no-binary :none:,a\n")
    assert options.no_binary == ("a",)


def test_binary_controls_count_on_requirement_lines_too() -> None:
    parsed = parse_text("SomePackage --no-binary :all:\n", environ={})
    assert parsed.options.no_binary == (":all:",)
    assert parsed.requirements[0].name == "SomePackage"


def test_release_controls() -> None:
    options = _options("--all-releases a,b\n--only-final b\n")
    assert (options.all_releases, options.only_final) == (("a",), ("b",))


def test_options_merge_across_includes(tmp_path: Path) -> None:
    (tmp_path / "base.txt").write_text("--index-url https://base\n--extra-index-url https://x\n")
    (tmp_path / "top.txt").write_text("--extra-index-url https://first\n-r base.txt\n--pre\n")
    options = parse_file(tmp_path / "top.txt", environ={}).options
    assert (options.index_url, options.extra_index_urls, options.pre) == (
        "https://base",
        ("https://x",),
        True,
    )


def test_hash_without_requirement_is_ignored_with_a_warning() -> None:
    parsed = parse_text("--hash=sha256:aa\n", environ={})
    assert parsed.requirements == ()
    assert "without a requirement" in parsed.diagnostics[0].message


def test_options_on_an_include_line_are_ignored_like_pip(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("six\n")
    parsed = parse_text("-r b.txt --pre\n", environ={}, cwd=tmp_path)
    assert not parsed.options.pre
    assert any(d.code == "ignored-option" for d in parsed.diagnostics)


def test_to_dict_is_json_ready() -> None:
    data = _options("--pre\n").to_dict()
    assert data["pre"] is True
    assert data["all_releases"] == [":all:"]


def test_pre_is_whether_all_releases_holds_all_at_the_end() -> None:
    assert _options("--pre\n").pre
    assert not _options("--pre\n--all-releases :none:\n").pre
    assert not _options("--pre\n--only-final :all:\n").pre
    both = _options("--only-final :all:\n--pre\n")
    assert (both.pre, both.all_releases, both.only_final) == (True, (":all:",), (":all:",))


def test_trusted_host_must_have_a_host_part() -> None:
    import pytest

    from pinset.errors import RequirementsError

    for bad in ("--trusted-host=", "--trusted-host :80", "--trusted-host h:99999"):
        with pytest.raises(RequirementsError, match="not a valid host"):
            parse_text(bad + "\n", environ={})
    assert _options("--trusted-host [::1]:8080\n").trusted_hosts == ("[::1]:8080",)
