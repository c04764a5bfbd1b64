"""Random files built from the format's own tokens read the same in pinset and in pip.

A bounded differential fuzz (hypothesis): lines are glued from requirement, URL, VCS, path,
marker, option and structure tokens; pip's live reading and pinset's must agree under the
same rules as the other parity tests (``tests.differential.parity``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.differential.parity import parity_problems
from tests.helpers.pip_oracle import read_with_pip
from tests.helpers.requirements_parity import OPTION_FIELDS, PinsetReading, read_with_pinset

SHA = "b" * 64
TOKENS = (
    "pkg",
    "Pkg.Name_x",
    "==",
    ">=",
    "~=",
    "!=",
    "===",
    "1.0",
    "2.*",
    "1.0a1",
    " ",
    "  ",
    "\t",
    ",",
    ";",
    "; ",
    " ; ",
    "[",
    "]",
    "a",
    "extra",
    "(",
    ")",
    "@",
    " @ ",
    "python_version",
    "<",
    "'3.8'",
    '"3"',
    " and ",
    " or ",
    "os_name",
    "'posix'",
    "https://h.example.com/p/pkg-1.0.tar.gz",
    "https://h.example.com/p/pkg-1.0-py3-none-any.whl",
    "#egg=pkg",
    "#",
    " #",
    f"#sha256={SHA}",
    "&subdirectory=s",
    "?q=1",
    "git+https://h.example.com/r.git",
    "@v1",
    "git+ssh://git@h.example.com/r",
    "hg+http://h/r",
    "svn+svn://h/r",
    "bzr+lp:r",
    "git://h/r",
    "file:///srv/x",
    "file:",
    "./proj",
    "proj",
    "../",
    "./",
    ".",
    "dist/pkg-1.0.tar.gz",
    "./dist/pkg-1.0-py3-none-any.whl",
    "sub/proj",
    "-e ",
    "--editable=",
    f" --hash=sha256:{SHA}",
    " --hash",
    " -C k=v",
    " --config-settings=k=v",
    " -i https://i.example.com",
    " --pre",
    "--pre",
    "--no-index",
    "--index-url=https://i.example.com/s",
    "--extra-index-url https://e.example.com",
    "-f ./wheels",
    "--find-links=https://f.example.com",
    "--only-binary=:all:",
    "--no-binary pkg",
    "--prefer-binary",
    "--trusted-host h.example.com",
    "--require-hashes",
    "--no-require-hashes",
    "--all-releases=pkg",
    "--only-final :all:",
    "--use-feature=x",
    "-r inc.txt",
    "-c con.txt",
    "--requirement=inc.txt",
    "\\",
    "${V}",
    "${NOPE}",
    "$V",
    "user:pw@",
    "%20",
    "é",
    "-",
    "--",
    "=",
    ":",
    "'",
    '"',
    "*",
    "!",
    "~",
)
SPACES = st.sampled_from(("", " ", "  ", "\t", " \t ", "   "))
SPACED_LINES = st.lists(
    st.lists(st.tuples(st.sampled_from(TOKENS), SPACES), min_size=1, max_size=7).map(
        lambda pairs: "".join(token + space for token, space in pairs)
    ),
    min_size=1,
    max_size=4,
).map("\n".join)
"""The same tokens with runs of spaces and tabs between them (pip splits on single spaces)."""
LINES = st.lists(
    st.lists(st.sampled_from(TOKENS), min_size=1, max_size=7).map("".join), min_size=1, max_size=4
).map("\n".join)
STRUCTURE = st.lists(
    st.sampled_from(
        (
            "pkg",
            "==1.0",
            " ",
            "\t",
            "\\",
            "\\\\",
            "#",
            " #",
            "${A}",
            "${B}",
            "${C}",
            "${D}",
            "${a}",
            "$A",
            "${A",
            "\n",
            "\r\n",
            "\r",
            "-r inc.txt",
            "-c con.txt",
            "-e ./proj",
            "./proj",
            "--pre",
            f" --hash=sha256:{SHA}",
            "https://h.example.com/p.tar.gz",
            "#egg=x",
            " ; ",
            "python_version>'3'",
            "\x0c",
            "\x0b",
            "\u2028",
            "\x85",
            "\ufeff",
        )
    ),
    min_size=1,
    max_size=25,
).map("".join)
"""Line structure: breaks of every kind, continuations, comments, variables."""
ENV = {"V": "1.0", "A": "--pre", "B": "# x", "C": "pkg==2", "D": "\\"}


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("fuzz")
    for name in ("proj", "dist", "wheels", "sub/proj"):
        (base / name).mkdir(parents=True)
    (base / "proj" / "setup.py").write_text("")
    (base / "sub" / "proj" / "setup.py").write_text("")
    (base / "dist" / "pkg-1.0.tar.gz").write_bytes(b"x")
    (base / "dist" / "pkg-1.0-py3-none-any.whl").write_bytes(b"x")
    (base / "inc.txt").write_text("incpkg\n")
    (base / "con.txt").write_text("pkg<3\n")
    return base


@settings(
    max_examples=200,
    derandomize=True,  # the same examples every run: a failure is a finding, not a flake
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=st.one_of(LINES, SPACED_LINES, STRUCTURE))
def test_random_token_files_read_like_pip(text: str, root: Path) -> None:
    (root / "requirements.txt").write_text(text + "\n", encoding="utf-8", newline="")
    pip = read_with_pip("requirements.txt", cwd=root, environ=ENV, redact=False)

    def read(at: Path) -> PinsetReading:
        return read_with_pinset("requirements.txt", cwd=at, environ=ENV)

    problems = parity_problems(
        pip,
        root,
        read,
        writable_root=lambda: root,
        redact_urls=False,
        option_fields=(*OPTION_FIELDS, "use_features"),
        reread_pip=lambda at: read_with_pip("requirements.txt", cwd=at, environ=ENV, redact=False),
    )
    assert not problems, f"{text!r}:\n" + "\n".join(problems)
