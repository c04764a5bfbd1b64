"""The git backend against real repositories on disk (``file://``) and over HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest

from pinset.vcs.backends import BACKENDS
from pinset.vcs.base import VcsError
from pinset.vcs.git import Git
from pinset.vcs.url import parse_vcs_url
from tests.helpers.vcs_repos import commit, git, git_repo, head


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    repo = git_repo(tmp_path / "origin", {"pkg.txt": "v1\n"})
    git(repo, "tag", "v1.0")
    return repo


def _url(repo: Path, revision: str | None = None) -> str:
    return f"git+{repo.as_uri()}" + (f"@{revision}" if revision else "") + "#egg=pkg"


def test_the_default_branch_is_checked_out(origin: Path, tmp_path: Path) -> None:
    source = parse_vcs_url(_url(origin))
    got = BACKENDS["git"].obtain(source, tmp_path / "mirrors", tmp_path / "tree")
    assert got.commit_id == head(origin)
    assert got.requested_revision is None
    assert (got.path / "pkg.txt").read_text() == "v1\n"
    assert git(got.path, "remote", "get-url", "origin") == origin.as_uri()
    assert Git().current_id(got.path) == head(origin)


def test_revisions_of_every_kind(origin: Path, tmp_path: Path) -> None:
    first = head(origin)
    git(origin, "checkout", "--quiet", "-b", "feature/x")
    on_branch = commit(origin, {"pkg.txt": "branch\n"}, "on a branch")
    git(origin, "checkout", "--quiet", "main")
    git(origin, "checkout", "--quiet", "--detach")
    pulled = commit(origin, {"pkg.txt": "pull request\n"}, "only reachable from refs/pull")
    git(origin, "update-ref", "refs/pull/1/head", pulled)
    git(origin, "checkout", "--quiet", "main")
    expected = {
        "v1.0": first,
        "main": first,
        "feature%2Fx": on_branch,
        "feature/x": on_branch,
        on_branch: on_branch,
        on_branch[:8]: on_branch,
        "refs/pull/1/head": pulled,
    }
    for n, (revision, commit_id) in enumerate(expected.items()):
        source = parse_vcs_url(_url(origin, revision))
        got = Git().obtain(source, tmp_path / "mirrors", tmp_path / f"tree{n}")
        assert (revision, got.commit_id) == (revision, commit_id)
        assert head(got.path) == commit_id


def test_a_commit_on_no_ref_is_fetched_by_id(tmp_path: Path) -> None:
    origin = git_repo(tmp_path / "origin")
    git(origin, "config", "uploadpack.allowAnySHA1InWant", "true")
    mirrors = tmp_path / "mirrors"
    Git().obtain(parse_vcs_url(_url(origin)), mirrors, tmp_path / "t1")
    git(origin, "checkout", "--quiet", "--detach")
    loose = commit(origin, {"x": "1"}, "dangling")
    git(origin, "checkout", "--quiet", "main")
    got = Git().obtain(parse_vcs_url(_url(origin, loose)), mirrors, tmp_path / "t2")
    assert got.commit_id == loose


def test_the_mirror_is_fetched_not_cloned_again(origin: Path, tmp_path: Path) -> None:
    mirrors = tmp_path / "mirrors"
    Git().obtain(parse_vcs_url(_url(origin, "main")), mirrors, tmp_path / "t1")
    (mirror,) = [p for p in mirrors.iterdir() if p.is_dir()]
    (mirror / "kept").write_text("a clone would not keep this")
    newer = commit(origin, {"pkg.txt": "v2\n"}, "second")
    got = Git().obtain(parse_vcs_url(_url(origin, "main")), mirrors, tmp_path / "t2")
    assert got.commit_id == newer
    assert (mirror / "kept").is_file()
    assert [p for p in mirrors.iterdir() if p.is_dir()] == [mirror]


def test_submodules_are_checked_out(tmp_path: Path) -> None:
    sub = git_repo(tmp_path / "sub", {"inner.txt": "inside\n"})
    origin = git_repo(tmp_path / "origin")
    git(origin, "submodule", "--quiet", "add", sub.as_uri(), "vendored")
    commit(origin, {}, "add a submodule")
    got = Git().obtain(parse_vcs_url(_url(origin)), tmp_path / "mirrors", tmp_path / "tree")
    assert (got.path / "vendored" / "inner.txt").read_text() == "inside\n"


def test_a_command_transport_in_a_submodule_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even when the user's own configuration allows every transport."""
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text("[protocol]\n\tallow = always\n")
    monkeypatch.setenv("HOME", str(home))
    marker = tmp_path / "pwned"
    origin = git_repo(tmp_path / "origin")
    sub = git_repo(tmp_path / "sub")
    git(origin, "submodule", "--quiet", "add", sub.as_uri(), "vendored")
    git(
        origin,
        "config",
        "--file",
        ".gitmodules",
        "submodule.vendored.url",
        f"ext::sh -c touch% {marker}",
    )
    commit(origin, {}, "a hostile submodule")
    with pytest.raises(VcsError) as caught:
        Git().obtain(parse_vcs_url(_url(origin)), tmp_path / "mirrors", tmp_path / "tree")
    assert "submodule" in caught.value.message
    assert not marker.exists()


def test_an_unknown_revision_names_the_revision(origin: Path, tmp_path: Path) -> None:
    with pytest.raises(VcsError) as caught:
        Git().obtain(parse_vcs_url(_url(origin, "no-such")), tmp_path / "m", tmp_path / "t")
    assert caught.value.message == f"{origin.as_uri()} has no revision 'no-such'"
    assert caught.value.hint is not None
    assert "refs/pull/1/head" in caught.value.hint


def test_a_failed_clone_leaves_the_cache_as_it_was(tmp_path: Path) -> None:
    mirrors = tmp_path / "mirrors"
    missing = tmp_path / "nowhere"
    with pytest.raises(VcsError) as caught:
        Git().obtain(parse_vcs_url(_url(missing)), mirrors, tmp_path / "tree")
    assert caught.value.message.startswith(f"git clone --quiet --mirror -- {missing.as_uri()} ")
    assert caught.value.message.endswith(" failed (exit status 128)")
    assert caught.value.note is not None
    assert "does not appear to be a git repository" in caught.value.note
    assert [p.name for p in mirrors.iterdir() if not p.name.endswith(".lock")] == []


def test_a_missing_git_names_what_to_install(
    origin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(VcsError) as caught:
        Git().obtain(parse_vcs_url(_url(origin)), tmp_path / "m", tmp_path / "t")
    assert caught.value.message == "git is needed for this source but was not found on PATH"
    assert caught.value.hint is not None
    assert "install Git" in caught.value.hint


def test_switch_moves_a_checkout_to_a_new_revision(origin: Path, tmp_path: Path) -> None:
    tree = Git().obtain(parse_vcs_url(_url(origin, "v1.0")), tmp_path / "m", tmp_path / "t").path
    newer = commit(origin, {"pkg.txt": "v2\n"}, "second")
    got = Git().switch(tree, parse_vcs_url(_url(origin, "main")))
    assert (got.commit_id, head(tree)) == (newer, newer)
    assert (tree / "pkg.txt").read_text() == "v2\n"
    back = Git().switch(tree, parse_vcs_url(_url(origin, "v1.0")))
    assert (tree / "pkg.txt").read_text() == "v1\n"
    assert back.requested_revision == "v1.0"
