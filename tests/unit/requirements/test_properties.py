"""Properties of the requirements parser that must hold for any input (hypothesis).

- Any text at all: ``parse_text`` returns a result or raises ``RequirementsError``, nothing
  else (no ``ValueError`` from a library, no ``IndexError``, no traceback for a user).
- Line endings do not matter: the same text with LF, CRLF or CR reads to the same result,
  origins (line and column) included.
- Generated valid requirement lines read back to the name, extras, specifier, marker and
  hashes they were built from.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from packaging.markers import Marker
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from pinset.errors import RequirementsError
from pinset.requirements import parse_text

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
"""Everything ``str.splitlines`` splits on."""

TOKENS = (
    "-e",
    "-r",
    "-c",
    "--hash=sha256:",
    "-C",
    "--config-settings",
    "-i",
    "--index-url",
    "--extra-index-url",
    "--no-index",
    "-f",
    "--pre",
    "--only-binary",
    ":all:",
    "--no-binary",
    "--trusted-host",
    "--require-hashes",
    "--use-feature",
    "--prefer-binary",
    "-Z",
    "\\",
    "#",
    " #",
    "${VAR}",
    "${",
    "}",
    "@",
    " @ ",
    ";",
    "; ",
    "[",
    "]",
    ",",
    "==",
    ">=",
    "~=",
    "!=",
    "===",
    "<",
    ">",
    "*",
    "(",
    ")",
    "'",
    '"',
    "=",
    "git+",
    "hg+",
    "svn+",
    "bzr+",
    "git://",
    "https://",
    "http://",
    "file://",
    "file:",
    "://",
    "#egg=",
    "&subdirectory=",
    "./",
    "../",
    "/",
    ".",
    "pkg",
    "Pkg_Name",
    "1.0",
    "2.*",
    "a" * 64,
    "python_version",
    "extra",
    "and",
    "or",
    "in",
    "not",
    " ",
    "\t",
    "é",
    "\x00",
    "\ufeff",
    "proj",
    "dist",
    "x.whl",
    "y.tar.gz",
    ":",
    "%",
    "%7B",
    "{",
    "user:pass@",
    "$",
    "-",
    "--",
)


@pytest.fixture(scope="module")
def cwd(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("props")
    (root / "proj").mkdir()
    (root / "proj" / "setup.py").write_text("")
    (root / "dist").mkdir()
    (root / "inc.txt").write_text("pkg==1.0\n-r inc.txt\n")
    return root


def _read(text: str, cwd: Path) -> dict[str, object]:
    try:
        result = parse_text(text, "requirements.txt", environ={}, cwd=cwd)
    except RequirementsError as exc:
        return {"error": [p.to_dict() for p in exc.problems]}
    return result.to_dict()


def token_text(line_breaks: str = "\n") -> st.SearchStrategy[str]:
    """Text made of the format's own tokens, joined by spaces or nothing, in lines."""
    piece = st.one_of(st.sampled_from(TOKENS), st.text(max_size=3))
    line = st.lists(piece, max_size=8).map("".join)
    return st.lists(line, max_size=6).map(line_breaks.join)


@SETTINGS
@given(text=st.one_of(st.text(max_size=200), token_text()))
def test_any_text_reads_or_raises_requirements_error(text: str, cwd: Path) -> None:
    # anything but RequirementsError propagates and fails the test
    reading = _read(text, cwd)
    if "error" in reading:
        problems = reading["error"]
        assert isinstance(problems, list)
        assert problems
        assert all(p["message"] for p in problems)
    else:
        assert reading["origin"] == "requirements.txt"


def _no_breaks(text: str) -> bool:
    return not any(ch in LINE_BREAKS for ch in text)


@SETTINGS
@given(
    lines=st.lists(
        st.one_of(
            st.lists(st.sampled_from(TOKENS), max_size=6).map("".join), st.text(max_size=20)
        ).filter(_no_breaks),
        max_size=6,
    ),
    final_newline=st.booleans(),
)
def test_line_endings_do_not_change_the_reading(
    lines: list[str], final_newline: bool, cwd: Path
) -> None:
    text = "\n".join(lines) + ("\n" if final_newline else "")
    expected = _read(text, cwd)
    assert _read(text.replace("\n", "\r\n"), cwd) == expected
    assert _read(text.replace("\n", "\r"), cwd) == expected


# --- structured, valid requirement lines -------------------------------------------------

NAME = st.from_regex(r"\A[A-Za-z0-9]([A-Za-z0-9._-]{0,20}[A-Za-z0-9])?\Z")
EXTRA = st.from_regex(r"\A[a-z][a-z0-9_-]{0,8}[a-z0-9]\Z")
VERSION = st.builds(
    lambda parts, pre: ".".join(str(p) for p in parts) + pre,
    st.lists(st.integers(0, 40), min_size=1, max_size=3),
    st.sampled_from(("", "a1", "rc2", ".post1", ".dev0")),
)
OPERATOR = st.sampled_from(("==", "!=", ">=", "<=", ">", "<", "~="))
MARKERS = (
    'python_version < "3.11"',
    "sys_platform == 'win32'",
    'platform_machine == "x86_64" and os_name == "posix"',
    'extra == "test"',
    "implementation_name != 'pypy' or python_full_version >= '3.9.1'",
)


@st.composite
def specifiers(draw: st.DrawFn) -> str:
    specs = []
    for _ in range(draw(st.integers(0, 3))):
        operator = draw(OPERATOR)
        version = draw(VERSION)
        if operator == "~=":  # needs at least two release segments
            version = f"{draw(st.integers(0, 9))}.{version}"
        specs.append(f"{operator}{version}")
    return ",".join(specs)


@st.composite
def requirement_lines(draw: st.DrawFn) -> tuple[str, dict[str, object]]:
    name = draw(NAME)
    extras = draw(st.lists(EXTRA, max_size=3, unique=True))
    spec = draw(specifiers())
    marker = draw(st.none() | st.sampled_from(MARKERS))
    hashes = draw(st.lists(st.from_regex(r"\A[0-9a-f]{64}\Z"), max_size=2, unique=True))
    space = draw(st.sampled_from(("", " ")))
    text = name + (f"[{','.join(extras)}]" if extras else "") + space + spec
    if marker:
        text += f" ; {marker}"
    options = "".join(f" --hash=sha256:{h}" for h in hashes)
    if options and draw(st.booleans()):
        options = options.replace(" --hash", " \\\n    --hash")
    expected = {
        "name": name,
        "extras": sorted(canonicalize_name(e) for e in extras),
        "specifier": SpecifierSet(spec),
        "marker": str(Marker(marker)) if marker else None,
        "hashes": sorted(f"sha256:{h}" for h in hashes),
    }
    return text + options, expected


@SETTINGS
@given(case=requirement_lines())
def test_valid_lines_round_trip(case: tuple[str, dict[str, object]], cwd: Path) -> None:
    line, expected = case
    result = parse_text(line + "\n", "requirements.txt", environ={}, cwd=cwd)
    (req,) = result.requirements
    assert req.name == expected["name"]
    assert req.name_normalized == canonicalize_name(str(expected["name"]))
    assert sorted(canonicalize_name(e) for e in req.extras) == expected["extras"]
    assert req.specifier == expected["specifier"]
    assert (str(req.marker) if req.marker else None) == expected["marker"]
    assert sorted(req.hashes) == expected["hashes"]
    assert req.url is None
    assert not req.editable
    assert req.origin.line == 1


@settings(SETTINGS, max_examples=50)
@given(cases=st.lists(requirement_lines(), min_size=1, max_size=5), blank=st.booleans())
def test_lines_keep_their_order_and_line_numbers(
    cases: list[tuple[str, dict[str, object]]], blank: bool, cwd: Path
) -> None:
    separator = "\n\n# comment\n" if blank else "\n"
    text = separator.join(line for line, _ in cases) + "\n"
    result = parse_text(text, "requirements.txt", environ={}, cwd=cwd)
    assert [r.name for r in result.requirements] == [e["name"] for _, e in cases]
    starts = [
        i + 1
        for i, physical in enumerate(text.split("\n"))
        if physical and not physical.startswith((" ", "#")) and physical.strip()
    ]
    assert [r.origin.line for r in result.requirements] == starts
