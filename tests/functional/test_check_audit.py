"""``pinset check`` as a determinism audit: each class of finding with its exact text, origin
and fix; ``--strict``; ``--resolve`` against the local index; ``--json``; ``check --env``."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers.fixtures_install import Run, catalog, index, pinset, venv  # noqa: F401
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import site_packages

HASH = "--hash=sha256:" + "ab" * 32


def _check(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pinset", "check", *args],
        cwd=cwd,
        env=dict(os.environ, NO_COLOR="1"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _blocks(stderr: str) -> list[str]:
    """The headline of each finding (``file:line:col: severity: message``) and its hint."""
    return [
        line.strip() for line in stderr.splitlines() if ": warning: " in line or "hint:" in line
    ]


def test_unpinned_and_ranged_requirements_are_warnings_with_a_fix(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text("six==1.16.0\nclick\n  flask>=3,<4\nlib==1.*\n")
    result = _check(tmp_path, "r.txt")
    assert result.returncode == 0
    fix = "hint: pin one version with == (pinset check --resolve names the version it resolves to)"
    assert _blocks(result.stderr) == [
        "r.txt:2:1: warning: click is not pinned: the newest version is installed on the day",
        fix,
        "r.txt:3:3: warning: flask is pinned to a range (<4,>=3), not one version",
        fix,
        "r.txt:4:1: warning: lib is pinned to a range (==1.*), not one version",
        fix,
    ]
    assert result.stderr.endswith("1 file, 4 requirements: no errors, 3 warnings\n")
    strict = _check(tmp_path, "r.txt", "--strict")
    assert strict.returncode == 1
    assert "no errors" not in strict.stderr


def test_missing_hashes_are_errors_when_another_line_has_one(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text(f"six==1.16.0 {HASH}\nattrs==23.2.0\n")
    result = _check(tmp_path, "r.txt")
    assert result.returncode == 1
    assert (
        "r.txt:2:1: error: attrs has no --hash, and six (r.txt:1:1) has --hash, which turns "
        "hash-checking on: installing this file fails\n"
        "    2 | attrs==23.2.0\n"
        "      | ^\n"
        "  hint: add its --hash=sha256:... values (pinset freeze --hashes -r FILE writes them)\n"
    ) in result.stderr
    (tmp_path / "plain.txt").write_text("attrs==23.2.0\n")
    assert _check(tmp_path, "plain.txt").returncode == 0
    required = _check(tmp_path, "plain.txt", "--require-hashes")
    assert required.returncode == 1
    assert "attrs has no --hash, and --require-hashes is on" in required.stderr


def test_vcs_revisions_that_move_are_warnings(tmp_path: Path) -> None:
    """(A full commit id also stands in for a hash: the hashed line c turns hash-checking on,
    and a and b are errors for it too.)"""
    commit = "0123456789abcdef0123456789abcdef01234567"
    (tmp_path / "r.txt").write_text(
        "a @ git+https://example.com/a.git@main\n"
        "b @ git+https://example.com/b.git\n"
        f"c @ git+https://example.com/c.git@{commit} {HASH}\n"
    )
    result = _check(tmp_path, "r.txt")
    assert result.returncode == 1
    assert "r.txt:1:1: error: a has no --hash" in result.stderr
    assert "r.txt:3:1: " not in result.stderr
    assert [b for b in _blocks(result.stderr) if "--hash=sha256:..." not in b] == [
        "r.txt:1:1: warning: git+https://example.com/a.git@main: 'main' is a branch or tag, "
        "not a full commit id",
        "hint: name the full commit id: git+https://example.com/a.git@<commit> "
        "(git ls-remote https://example.com/a.git main prints it)",
        "r.txt:2:1: warning: git+https://example.com/b.git names no revision: the default "
        "branch's latest commit is installed",
        "hint: name the full commit id: git+https://example.com/b.git@<commit>",
    ]


def test_archive_urls_without_a_hash_get_the_fix_to_paste(tmp_path: Path, catalog: Path) -> None:
    wheel = catalog / "lib-1.0-py3-none-any.whl"
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    (tmp_path / "r.txt").write_text(
        f"lib @ {wheel.as_uri()}\n"
        "pkg @ https://example.com/pkg-1.0.tar.gz\n"
        f"ok @ https://example.com/ok-1.0.tar.gz#sha256={'cd' * 32}\n"
    )
    result = _check(tmp_path, "r.txt")
    assert result.returncode == 0
    assert _blocks(result.stderr) == [
        f"r.txt:1:1: warning: {wheel.as_uri()} has no hash: the file behind the URL may change",
        f"hint: replace the URL with: {wheel.as_uri()}#sha256={digest}",
        "r.txt:2:1: warning: https://example.com/pkg-1.0.tar.gz has no hash: the file behind "
        "the URL may change",
        "hint: append #sha256=<the file's sha256> to https://example.com/pkg-1.0.tar.gz, or "
        "add --hash=sha256:...",
    ]


def test_several_indexes_are_judged_by_which_is_asked_first(tmp_path: Path) -> None:
    (tmp_path / "public-first.txt").write_text(
        "--extra-index-url https://private.example/simple\nsix==1.16.0\n"
    )
    result = _check(tmp_path, "public-first.txt")
    assert result.returncode == 0
    assert (
        "public-first.txt:1:1: warning: several indexes (https://pypi.org/simple, then "
        "https://private.example/simple): each project comes from the first index that has "
        "it, and https://pypi.org/simple is asked first: a project published there under the "
        "name of one on a later index would be installed instead (dependency confusion)\n"
        "  hint: ask your own index first: --index-url https://private.example/simple "
        "--extra-index-url https://pypi.org/simple, or add --hash to every line\n"
    ) in result.stderr
    (tmp_path / "private-first.txt").write_text(
        "-i https://private.example/simple\n--extra-index-url https://pypi.org/simple\n"
        "six==1.16.0\n"
    )
    note = _check(tmp_path, "private-first.txt", "--strict")
    assert note.returncode == 0  # a note: --strict fails on warnings only
    assert "private-first.txt:2:1: note: several indexes" in note.stderr
    best = _check(tmp_path, "private-first.txt", "--index-strategy", "unsafe-best-match")
    assert "warning: several indexes (https://private.example/simple, then" in best.stderr
    assert "with --index-strategy unsafe-best-match: any index may supply any project" in (
        best.stderr
    )


def test_a_fully_locked_hashed_file_has_no_finding(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text(
        f"six==1.16.0 \\\n    {HASH}\nattrs==23.2.0 {HASH}\n"
        f"--extra-index-url https://private.example/simple\n"
    )
    result = _check(tmp_path, "r.txt", "--strict", "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == "1 file, 2 requirements: no problems\n"
    assert json.loads(result.stdout)["findings"] == []


def test_json_lists_the_findings(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text("click\n")
    result = _check(tmp_path, "r.txt", "--json", "--strict")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False
    [finding] = data["findings"]
    assert finding["code"] == "unpinned"
    assert (finding["severity"], finding["file"], finding["line"], finding["column"]) == (
        "warning",
        "r.txt",
        1,
        1,
    )


def test_resolve_names_every_dependency_not_pinned(
    tmp_path: Path, index: IndexServer, venv: Path
) -> None:
    (tmp_path / "r.txt").write_text("app==1.0\nold\n")
    result = _check(tmp_path, "r.txt", "--resolve", "--python", str(venv), "-i", index.simple_url)
    assert result.returncode == 0, result.stderr
    assert _blocks(result.stderr) == [
        "r.txt:2:1: warning: old is not pinned: the newest version is installed on the day",
        "hint: replace with: old==1.0",
        "r.txt:1:1: warning: lib (needed by app) is not pinned: it resolved to 1.0",
        "hint: add: lib==1.0",
    ]


def test_check_env_reports_unmet_requirements_and_interrupted_runs(pinset: Run, venv: Path) -> None:
    assert pinset("install", "app").returncode == 0
    assert pinset("uninstall", "lib").returncode == 0
    state = site_packages(venv) / ".pinset"
    state.mkdir(exist_ok=True)
    (state / "planted.journal").write_text("x")
    result = pinset("check", "--env")
    assert result.returncode == 1
    assert "error: app 1.0 requires lib>=1, but lib is not installed" in result.stderr
    assert f"error: an interrupted pinset run left {state / 'planted.journal'}" in result.stderr
    assert "; 1 unmet requirement; 1 interrupted run to recover" in result.stderr


def test_editables_in_hash_checking_mode_are_judged_as_install_judges_them(
    tmp_path: Path,
) -> None:
    commit = "0123456789abcdef0123456789abcdef01234567"
    (tmp_path / "local").mkdir()
    (tmp_path / "local" / "pyproject.toml").write_text('[project]\nname = "local"\n')
    (tmp_path / "r.txt").write_text(
        f"six==1.16.0 {HASH}\n"
        f"-e git+https://example.com/a.git@{commit}#egg=a\n"
        "-e git+https://example.com/b.git@main#egg=b\n"
        "-e ./local\n"
    )
    result = _check(tmp_path, "r.txt")
    assert result.returncode == 1
    assert "r.txt:2:" not in result.stderr  # a full commit stands in for the hash
    assert "r.txt:3:4: error: -e git+https://example.com/b.git@main#egg=b does not name" in (
        result.stderr
    )
    assert "r.txt:4:4: error: -e ./local cannot be hashed (no single file)" in result.stderr
    (tmp_path / "plain.txt").write_text("-e ./local\n-e git+https://example.com/b.git@main#egg=b\n")
    assert _check(tmp_path, "plain.txt").returncode == 0  # editables are not audited otherwise
