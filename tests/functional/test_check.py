"""``pinset check``: the real CLI, its exact report, exit codes and ``--json``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def _check(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run(
        [sys.executable, "-m", "pinset", "check", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_clean_file_exits_zero_and_says_what_was_checked(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text(
        "flask==3.0.3\nrequests==2.32.3 ; python_version >= '3.8'\n-r more.txt\n-c c.txt\n"
    )
    (tmp_path / "more.txt").write_text("click==8.1.7\n-r more.txt.d/x.txt\n")
    (tmp_path / "more.txt.d").mkdir()
    (tmp_path / "more.txt.d" / "x.txt").write_text("six==1.16.0\nattrs==23.2.0\n")
    (tmp_path / "c.txt").write_text("urllib3<3\n")
    (tmp_path / "other.txt").write_text("six==1.16.0\n")
    result = _check(tmp_path, "requirements.txt", "other.txt")
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == "5 files, 6 requirements, 1 constraint: no problems\n"
    one = _check(tmp_path, "other.txt")
    assert one.stderr == "1 file, 1 requirement: no problems\n"


def test_every_problem_in_every_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text(
        "flask==2.0\nfoo=1.0\n-r more.txt\n--indx-url https://example.com/simple\n"
    )
    (tmp_path / "more.txt").write_text("six\n-e ./nowhere\n-r missing.txt\n")
    result = _check(tmp_path, "requirements.txt")
    assert result.returncode == 1
    assert result.stdout == ""
    nowhere = tmp_path / "nowhere"
    assert result.stderr == (
        "requirements.txt:2:4: error: invalid requirement 'foo=1.0': Expected semicolon "
        "(after name with no version specifier) or end\n"
        "    2 | foo=1.0\n"
        "      |    ^\n"
        "  hint: did you mean `foo==1.0`?\n"
        f"more.txt:2:4: error: ./nowhere is not a valid editable requirement: there is no "
        f"directory {nowhere}\n"
        "    2 | -e ./nowhere\n"
        "      |    ^\n"
        "  hint: editable paths are relative to the working directory; write a project "
        "directory or a VCS URL (-e git+https://host/repo.git#egg=name)\n"
        "more.txt:3:4: error: cannot open requirements file missing.txt: No such file or "
        "directory\n"
        "    3 | -r missing.txt\n"
        "      |    ^\n"
        "requirements.txt:4:1: error: unknown option --indx-url\n"
        "    4 | --indx-url https://example.com/simple\n"
        "      | ^\n"
        "  hint: did you mean --index-url?\n"
    )


def test_error_on_a_continued_line_points_at_the_physical_line(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text("foo==1.0 \\\n    --hash=md5:abc\n")
    result = _check(tmp_path, "r.txt")
    assert result.returncode == 1
    assert result.stderr == (
        "r.txt:2:12: error: hash algorithm 'md5' is not allowed for --hash; use one of "
        "sha256, sha384, sha512\n"
        "    2 |     --hash=md5:abc\n"
        "      |            ^\n"
    )


def test_include_loop_is_named(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("-r b.txt\n")
    (tmp_path / "b.txt").write_text("-r a.txt\n")
    result = _check(tmp_path, "a.txt")
    assert result.returncode == 1
    assert result.stderr == (
        "b.txt:1:4: error: include loop: a.txt -> b.txt -> a.txt\n"
        "    1 | -r a.txt\n"
        "      |    ^\n"
        "  hint: remove one of the -r/-c lines that close the loop\n"
    )


def test_warnings_alone_exit_zero(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text("MyPackage==3.0 [PDF]\n")
    result = _check(tmp_path, "r.txt")
    assert result.returncode == 0
    assert result.stderr == (
        "r.txt:1:16: warning: extras after the version ([PDF]) is an old form that pip no "
        "longer reads; read as MyPackage[PDF]==3.0\n"
        "    1 | MyPackage==3.0 [PDF]\n"
        "      |                ^\n"
        "  hint: write `MyPackage[PDF]==3.0`\n"
        "1 file, 1 requirement: no errors, 1 warning\n"
    )


def test_missing_file(tmp_path: Path) -> None:
    result = _check(tmp_path, "nope.txt")
    assert result.returncode == 1
    assert result.stderr == (
        "error: cannot open requirements file nope.txt: No such file or directory\n"
        "  hint: check the path (relative to the working directory)\n"
    )


def test_several_files(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("six\n")
    (tmp_path / "bad.txt").write_text("six>>1\n")
    result = _check(tmp_path, "good.txt", "bad.txt")
    assert result.returncode == 1
    assert result.stderr.startswith("bad.txt:1:4: error: invalid requirement 'six>>1'")


def test_json_report(tmp_path: Path) -> None:
    digest = "--hash=sha256:" + "aa" * 32
    (tmp_path / "base.txt").write_text(
        f"--index-url https://example.com/simple\nsix==1.16.0 {digest}\n"
    )
    (tmp_path / "r.txt").write_text(
        "-r base.txt\n"
        f"pkg[extra] @ https://example.com/pkg-1.0.tar.gz ; python_version >= '3' {digest}\n"
        f"foo==1.0 {digest}\n"
    )
    result = _check(tmp_path, "r.txt", "--json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["ok"] is True
    assert data["diagnostics"] == []
    assert data["findings"] == []  # pinned and hashed: nothing makes it not repeatable
    [parsed] = data["files"]
    assert parsed["options"]["index_url"] == "https://example.com/simple"
    assert [(r["file"], r["line"], r["name"]) for r in parsed["requirements"]] == [
        ("base.txt", 2, "six"),
        ("r.txt", 2, "pkg"),
        ("r.txt", 3, "foo"),
    ]
    pkg = parsed["requirements"][1]
    assert pkg["url"] == "https://example.com/pkg-1.0.tar.gz"
    assert pkg["extras"] == ["extra"]
    assert pkg["marker"] == 'python_version >= "3"'
    assert parsed["requirements"][2]["hashes"] == ["sha256:" + "aa" * 32]
    assert [f["file"] for f in parsed["files"]] == ["r.txt", "base.txt"]


def test_json_report_with_errors(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text("six\nfoo=1\n")
    result = _check(tmp_path, "r.txt", "--json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False
    [partial] = data["files"]  # what was read, for tools that lint or edit the file
    assert [r["name"] for r in partial["requirements"]] == ["six"]
    [problem] = data["diagnostics"]
    assert (problem["severity"], problem["file"], problem["line"], problem["column"]) == (
        "error",
        "r.txt",
        2,
        4,
    )
    assert problem["source_line"] == "foo=1"
    assert problem["hint"] == "did you mean `foo==1`?"


def test_warnings_are_shown_beside_errors(tmp_path: Path) -> None:
    """A file with an error still shows its warnings: check reports every finding at once."""
    req = tmp_path / "requirements.txt"
    req.write_text("MyPackage==3.0 [PDF]\nfoo=1.0\n")
    result = subprocess.run(
        [sys.executable, "-m", "pinset", "check", str(req)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 1
    assert f"{req}:1:16: warning: extras after the version" in result.stderr
    assert f"{req}:2:4: error: invalid requirement 'foo=1.0'" in result.stderr
    assert result.stderr.index("warning:") < result.stderr.index("error:")
