"""Any text is either read or refused with RequirementsError; line endings never matter."""

from __future__ import annotations

from pathlib import Path

import pytest

from pinset.errors import RequirementsError
from pinset.requirements import parse_text

NASTY = [
    "",
    "\x00",
    "-r \x00",
    "-e \x00",
    "./\x00.whl",
    "[",
    "]",
    "-",
    "--",
    "-- -r",
    "@",
    "a @",
    "@ http://x",
    "http://[::1",
    "git+http://[",
    "file:",
    "file://",
    "file://../",
    "-e file:",
    "x.whl",
    "-e",
    "-C",
    "--hash",
    "--hash=:",
    "a==1 --hash=sha256:",
    "'",
    '-C "a=b',
    "${",
    "${}",
    "${A",
    "\\",
    "\\\\\\",
    "a==1 [",
    "a==1 [b",
    "9[==--hash=x http://#9{]<?",
    "#egg=",
    "http://h/#egg=",
    "http://h/#egg=[",
    "svn+http://h/x@{",
    "svn+http://h/x@{}#egg=a",
    "é==1",
    "\u2028",
    "a;",
    "a; ",
    "a;b",
    "http://h/a.tar.gz; ",
    "-e .[",
    "-e .[]",
    "./[x]",
    "-i",
    "--no-binary=",
    "--no-binary ,,,",
    "--use-feature=",
    "-f",
    "-r ''",
]


@pytest.mark.parametrize("text", NASTY)
def test_odd_input_is_read_or_refused_cleanly(text: str, tmp_path: Path) -> None:
    problems: tuple[object, ...] = ()
    try:
        parse_text(text, environ={}, cwd=tmp_path)
    except RequirementsError as exc:
        problems = exc.problems
        assert problems, text
    assert all(getattr(p, "code", "") != "internal" for p in problems)


REALISTIC = """\
# -*- coding: utf-8 -*-
--index-url https://example.com/simple
flask==3.0.3 \\
    --hash=sha256:aa \\
    --hash=sha256:bb
requests[socks]>=2.31 ; python_version >= "3.8"  # comment
-e git+https://example.com/r.git@main#egg=r
MyPackage==3.0 [PDF]
"""


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_line_endings_give_identical_results(newline: str) -> None:
    expected = parse_text(REALISTIC, environ={})
    other = parse_text(REALISTIC.replace("\n", newline), environ={})
    assert other.to_dict() == expected.to_dict()


def test_credentials_never_appear_in_diagnostics() -> None:
    text = "https://user:s3cret@example.com/p.tar.gz#egg=p[x]\n-r https://tok3n@example.com/r.txt\n"
    with pytest.raises(RequirementsError) as info:
        parse_text(text, environ={})
    shown = " ".join(str(p.to_dict()) for p in info.value.problems)
    assert "s3cret" not in shown
    assert "tok3n" not in shown
    first = info.value.problems[0]
    assert first.source_line == "https://user:****@example.com/p.tar.gz#egg=p[x]"
    assert first.where is not None
    assert first.source_line[first.where.column - 1 :].startswith("egg=")


def test_credentials_from_environment_are_not_shown() -> None:
    with pytest.raises(RequirementsError) as info:
        parse_text("https://${TOKEN}@example.com/p.tar.gz#egg=bad[x]\n", environ={"TOKEN": "t0ken"})
    assert "t0ken" not in str(info.value.problems[0].to_dict())


@pytest.mark.parametrize(
    "line",
    [
        "six[" + ",".join(f"e{i}" for i in range(5000)) + "]",
        "six; " + " and ".join(['python_version > "3"'] * 5000),
    ],
    ids=["many-extras", "long-marker"],
)
def test_long_lines_are_read_without_recursion(line: str) -> None:
    assert parse_text(line + "\n", environ={}).requirements[0].name == "six"


def test_a_deeply_nested_marker_is_refused_clearly() -> None:
    line = "six; " + "(" * 5000 + 'python_version > "3"' + ")" * 5000
    with pytest.raises(RequirementsError) as info:
        parse_text(line + "\n", environ={})
    assert "nested more than 200 levels" in info.value.problems[0].message
