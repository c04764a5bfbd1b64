"""Decoding and logical lines: what pip does before it reads any line."""

from __future__ import annotations

import codecs

import pytest

from pinset.requirements.lines import DecodeError, decode, logical_lines


def _logical(text: str, environ: dict[str, str] | None = None) -> list[tuple[int, str]]:
    return [(line.lineno, line.text) for line in logical_lines(text.splitlines(), environ or {})]


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_bom_selects_encoding_and_is_dropped(bom: bytes, codec: str) -> None:
    decoded = decode(bom + "café==1.0\n".encode(codec))
    assert decoded.text == "café==1.0\n"
    assert decoded.fallback_warning is None


def test_pep263_coding_line_on_first_or_second_line() -> None:
    data = "# -*- coding: latin-1 -*-\ncafé==1.0\n".encode("latin-1")
    assert decode(data).text.splitlines()[1] == "café==1.0"
    data2 = "# first\n# vim: set fileencoding=latin-1 :\ncafé\n".encode("latin-1")
    assert decode(data2).text.splitlines()[2] == "café"


def test_coding_line_on_third_line_is_not_honoured() -> None:
    data = b"# one\n# two\n# coding: latin-1\n" + "café".encode("latin-1")
    decoded = decode(data, locale_encoding="latin-1")
    assert decoded.fallback_warning is not None


def test_utf8_is_the_default() -> None:
    decoded = decode("naïve==1\n".encode())
    assert decoded.encoding == "utf-8"
    assert decoded.fallback_warning is None


def test_falls_back_to_locale_encoding_with_a_warning() -> None:
    decoded = decode("café==1\n".encode("latin-1"), locale_encoding="latin-1")
    assert decoded.text == "café==1\n"
    assert decoded.fallback_warning is not None
    assert "coding: latin-1" in decoded.fallback_warning


def test_unknown_declared_encoding_is_an_error() -> None:
    with pytest.raises(DecodeError, match="unknown encoding"):
        decode(b"# coding: no-such-codec\nfoo\n")


def test_comment_needs_start_of_line_or_whitespace() -> None:
    text = "https://h/p.tar.gz#egg=p\nfoo # trailing\n# whole line\n   # indented\nbar#baz\n"
    assert _logical(text) == [(1, "https://h/p.tar.gz#egg=p"), (2, "foo"), (5, "bar#baz")]


def test_continuation_joins_lines_and_keeps_first_line_number() -> None:
    text = "first\nfoo==1.0 \\\n  --hash=sha256:aa \\\n  --hash=sha256:bb\nlast\n"
    assert _logical(text) == [
        (1, "first"),
        (2, "foo==1.0   --hash=sha256:aa   --hash=sha256:bb"),
        (5, "last"),
    ]


def test_continuation_inserts_nothing_between_pieces() -> None:
    assert _logical("fo\\\no==1\n") == [(1, "foo==1")]


def test_comment_line_ends_a_continuation() -> None:
    assert _logical("foo \\\n# comment \\\nbar\n") == [(1, "foo"), (3, "bar")]


def test_backslash_at_end_of_file_still_yields_the_line() -> None:
    assert _logical("foo==1 \\") == [(1, "foo==1")]


def test_comment_then_continuation_swallows_next_line_like_pip() -> None:
    assert _logical("foo # note \\\nbar\nbaz\n") == [(1, "foo"), (3, "baz")]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings_read_alike(newline: str) -> None:
    text = newline.join(["a==1", "b \\", "  >=2", "# c", "d"]) + newline
    assert _logical(text) == [(1, "a==1"), (2, "b   >=2"), (5, "d")]


def test_env_vars_expand_only_uppercase_names() -> None:
    env = {"VERSION": "1.2", "lower": "x", "TOKEN": "s3cret"}
    text = "foo==${VERSION}\nbar==${lower}\nhttps://${TOKEN}@h/p\n$VERSION\n"
    assert _logical(text, env) == [
        (1, "foo==1.2"),
        (2, "bar==${lower}"),
        (3, "https://s3cret@h/p"),
        (4, "$VERSION"),
    ]


def test_unset_or_empty_env_var_is_left_as_written() -> None:
    assert _logical("foo==${MISSING}\nbar==${EMPTY}\n", {"EMPTY": ""}) == [
        (1, "foo==${MISSING}"),
        (2, "bar==${EMPTY}"),
    ]


def test_locate_maps_back_to_physical_line_and_column() -> None:
    [line] = logical_lines(["  foo==1 \\", "   --bad"], {})
    assert line.text == "foo==1    --bad"
    assert line.locate(0) == (1, 3)
    assert line.locate(line.text.index("--bad")) == (2, 4)


def test_locate_after_env_expansion_points_into_the_written_line() -> None:
    [line] = logical_lines(["${A} --oops"], {"A": "foo==1.0"})
    assert line.text == "foo==1.0 --oops"
    assert line.locate(line.text.index("--oops")) == (1, 6)


def test_requirement_origin_is_the_first_physical_line() -> None:
    from pinset.requirements import parse_text

    req = parse_text("\\\npkg==1.0\n", environ={}).requirements[0]
    assert (req.origin.line, req.origin.column) == (1, 1)
    req = parse_text("six\n  pkg \\\n  ==1.0\n", environ={}).requirements[1]
    assert (req.origin.line, req.origin.column) == (2, 3)
