"""The Subversion backend against a real repository (``svnadmin create`` + ``file://``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pinset.vcs.backends import BACKENDS
from pinset.vcs.base import VcsError
from pinset.vcs.svn import Svn
from pinset.vcs.url import parse_vcs_url
from tests.helpers.vcs_repos import svn_repo


@pytest.fixture
def origin(tmp_path: Path) -> str:
    return svn_repo(tmp_path, [{"pkg.txt": "v1\n"}, {"pkg.txt": "v2\n"}, {"other.txt": "x\n"}])


def _url(origin: str, revision: str | None = None) -> str:
    return f"svn+{origin}" + (f"@{revision}" if revision else "") + "#egg=pkg"


def test_head_is_checked_out(origin: str, tmp_path: Path) -> None:
    got = BACKENDS["svn"].obtain(parse_vcs_url(_url(origin)), tmp_path / "m", tmp_path / "tree")
    assert got.commit_id == "3"
    assert (got.path / "pkg.txt").read_text() == "v2\n"
    assert Svn().current_id(got.path) == "3"


@pytest.mark.parametrize(
    ("revision", "expected", "text"),
    [
        ("1", "1", "v1\n"),
        ("2", "2", "v2\n"),
        ("%7B2021-01-01%7D", "1", "v1\n"),
        ("HEAD", "3", "v2\n"),
    ],
)
def test_revisions(origin: str, tmp_path: Path, revision: str, expected: str, text: str) -> None:
    got = Svn().obtain(parse_vcs_url(_url(origin, revision)), tmp_path / "m", tmp_path / "tree")
    assert got.commit_id == expected
    assert (got.path / "pkg.txt").read_text() == text


def test_switch_moves_a_checkout(origin: str, tmp_path: Path) -> None:
    tree = Svn().obtain(parse_vcs_url(_url(origin, "1")), tmp_path / "m", tmp_path / "tree").path
    got = Svn().switch(tree, parse_vcs_url(_url(origin, "2")))
    assert (got.commit_id, (tree / "pkg.txt").read_text()) == ("2", "v2\n")


def test_an_unknown_revision_names_the_revision(origin: str, tmp_path: Path) -> None:
    with pytest.raises(VcsError) as caught:
        Svn().obtain(parse_vcs_url(_url(origin, "99")), tmp_path / "m", tmp_path / "tree")
    assert caught.value.message == f"{origin} has no revision '99'"


def test_an_unreachable_repository_shows_svn_s_reason(tmp_path: Path) -> None:
    with pytest.raises(VcsError) as caught:
        Svn().obtain(
            parse_vcs_url(_url((tmp_path / "none").as_uri())), tmp_path / "m", tmp_path / "t"
        )
    assert "svn" in caught.value.message
    assert caught.value.note


def test_the_password_is_never_on_the_command_line() -> None:
    source = parse_vcs_url("svn+https://me:pa55w0rd@svn.example.org/repo/trunk@12")
    invocation = Svn().invocation(source, "checkout", "--", f"{source.url}@12", "dest@")
    assert not [arg for arg in invocation.argv if "pa55w0rd" in arg]
    assert "--password-from-stdin" in invocation.argv
    assert invocation.stdin == b"pa55w0rd\n"
    assert "https://svn.example.org/repo/trunk@12" in invocation.argv


def test_a_missing_svn_names_what_to_install(
    origin: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(VcsError) as caught:
        Svn().obtain(parse_vcs_url(_url(origin)), tmp_path / "m", tmp_path / "t")
    assert caught.value.message == "svn is needed for this source but was not found on PATH"
