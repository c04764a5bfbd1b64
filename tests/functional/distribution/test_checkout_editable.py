"""Editable VCS checkouts in ``--src``: made once, left alone when unchanged, updated when the
revision moved, and an existing directory dealt with as ``--exists-action`` says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pinset.distribution.checkout import (
    ExistsAction,
    checkout_editable,
    exists_actions,
)
from pinset.errors import PinsetError, UsageError
from pinset.urls import path_to_url
from tests.helpers.vcs_repos import commit, git, git_repo, head, hg_commit, hg_repo

pytestmark = pytest.mark.slow


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    return git_repo(tmp_path / "origin", {"pkg.txt": "v1\n"})


def _url(repo: Path, revision: str | None = None) -> str:
    return f"git+{repo.as_uri()}" + (f"@{revision}" if revision else "") + "#egg=My_Pkg"


def _mtimes(tree: Path) -> dict[str, int]:
    return {str(p): p.stat().st_mtime_ns for p in tree.rglob("*") if ".git" not in p.parts}


def test_a_new_checkout_then_an_unchanged_rerun(origin: Path, tmp_path: Path) -> None:
    src, mirrors = tmp_path / "src", tmp_path / "vcs-v1"
    pinned = head(origin)
    tree = checkout_editable(_url(origin, pinned), "My_Pkg", src, mirrors)
    assert tree.root == src / "my-pkg"
    assert (tree.action, tree.commit_id) == ("cloned", pinned)
    assert json.loads(tree.direct_url().to_json()) == {
        "url": path_to_url(src / "my-pkg"),
        "dir_info": {"editable": True},
    }
    before = _mtimes(tree.root)
    again = checkout_editable(_url(origin, pinned), "My_Pkg", src, mirrors)
    assert (again.action, again.commit_id) == ("unchanged", pinned)
    assert _mtimes(tree.root) == before
    assert [p.name for p in src.iterdir()] == ["my-pkg"]  # no temporary left behind


def test_a_moved_branch_updates_the_checkout(origin: Path, tmp_path: Path) -> None:
    src, mirrors = tmp_path / "src", tmp_path / "vcs-v1"
    checkout_editable(_url(origin, "main"), "pkg", src, mirrors)
    newer = commit(origin, {"pkg.txt": "v2\n"}, "second")
    tree = checkout_editable(_url(origin, "main"), "pkg", src, mirrors)
    assert (tree.action, tree.commit_id) == ("updated", newer)
    assert (tree.path / "pkg.txt").read_text() == "v2\n"
    assert head(tree.root) == newer


def test_an_hg_checkout_is_updated_too(tmp_path: Path) -> None:
    repo = hg_repo(tmp_path / "hgorigin", {"pkg.txt": "v1\n"})
    url = f"hg+{repo.as_uri()}#egg=pkg"
    checkout_editable(url, "pkg", tmp_path / "src", tmp_path / "m")
    newer = hg_commit(repo, {"pkg.txt": "v2\n"}, "second")
    tree = checkout_editable(url, "pkg", tmp_path / "src", tmp_path / "m")
    assert (tree.action, tree.commit_id) == ("updated", newer)
    assert (tree.path / "pkg.txt").read_text() == "v2\n"


def test_abort_is_the_default_and_changes_nothing(origin: Path, tmp_path: Path) -> None:
    other = git_repo(tmp_path / "other", {"other.txt": "x\n"})
    src = tmp_path / "src"
    checkout_editable(_url(other), "pkg", src, tmp_path / "m")
    with pytest.raises(PinsetError) as caught:
        checkout_editable(_url(origin), "pkg", src, tmp_path / "m")
    assert "exists-action" in (caught.value.hint or "")
    assert "is a git checkout of" in caught.value.message
    assert (src / "pkg" / "other.txt").is_file()
    with pytest.raises(PinsetError):
        checkout_editable(_url(origin), "pkg", src, tmp_path / "m", [ExistsAction.ABORT])


def test_switch_points_the_checkout_at_the_requested_repository(
    origin: Path, tmp_path: Path
) -> None:
    other = git_repo(tmp_path / "other", {"other.txt": "x\n"})
    src = tmp_path / "src"
    checkout_editable(_url(other), "pkg", src, tmp_path / "m")
    tree = checkout_editable(_url(origin), "pkg", src, tmp_path / "m", exists_actions(["s"]))
    assert (tree.action, tree.commit_id) == ("switched", head(origin))
    assert git(tree.root, "remote", "get-url", "origin") == origin.as_uri()
    assert (tree.root / "pkg.txt").read_text() == "v1\n"


def test_ignore_wipe_and_backup(origin: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "pkg").mkdir(parents=True)
    (src / "pkg" / "mine.txt").write_text("keep me\n")
    # switch does not apply to a directory that is no checkout: the next action does
    tree = checkout_editable(
        _url(origin), "pkg", src, tmp_path / "m", exists_actions(["switch", "i"])
    )
    assert tree.action == "ignored"
    assert (src / "pkg" / "mine.txt").is_file()
    tree = checkout_editable(_url(origin), "pkg", src, tmp_path / "m", exists_actions(["b"]))
    assert tree.action == "backed up"
    assert (src / "pkg.bak" / "mine.txt").read_text() == "keep me\n"
    assert head(src / "pkg") == head(origin)
    (src / "pkg.bak" / "x").write_text("")
    other = git_repo(tmp_path / "other", {"other.txt": "x\n"})
    tree = checkout_editable(_url(other), "pkg", src, tmp_path / "m", exists_actions(["b"]))
    assert (src / "pkg.bak2" / "pkg.txt").is_file()
    tree = checkout_editable(_url(origin), "pkg", src, tmp_path / "m", exists_actions(["w"]))
    assert tree.action == "wiped"
    assert sorted(p.name for p in (src / "pkg").iterdir()) == [".git", "pkg.txt"]


def test_a_failed_checkout_leaves_the_directory_as_it_was(tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "pkg").mkdir(parents=True)
    (src / "pkg" / "mine.txt").write_text("keep me\n")
    missing = f"git+{(tmp_path / 'nowhere').as_uri()}#egg=pkg"
    with pytest.raises(PinsetError):
        checkout_editable(missing, "pkg", src, tmp_path / "m", exists_actions(["w"]))
    assert sorted(p.name for p in src.iterdir()) == ["pkg"]
    assert (src / "pkg" / "mine.txt").is_file()


def test_an_unknown_exists_action_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        exists_actions(["x"])
    assert exists_actions(["S", "ignore"]) == (ExistsAction.SWITCH, ExistsAction.IGNORE)


def test_a_subdirectory_leaving_the_repository_is_refused(origin: Path, tmp_path: Path) -> None:
    url = f"git+{origin.as_uri()}#egg=pkg&subdirectory=../../etc"
    with pytest.raises(PinsetError, match="leaves the repository"):
        checkout_editable(url, "pkg", tmp_path / "src", tmp_path / "m")
    assert not (tmp_path / "src").exists()


def test_an_editable_checkout_freezes_as_pip_writes_it(origin: Path, tmp_path: Path) -> None:
    from packaging.version import Version

    from pinset.direct_url import read_direct_url
    from pinset.environment.installed import ListedDist
    from pinset.freeze.entries import freeze_dist

    tree = checkout_editable(_url(origin, "main"), "My_Pkg", tmp_path / "src", tmp_path / "m")
    direct = read_direct_url(tree.direct_url().to_json())
    listed = ListedDist("My_Pkg", "1", Version("1"), Path("/x"), direct)
    assert freeze_dist(listed).lines() == [f"-e git+{origin.as_uri()}@{head(origin)}#egg=My_Pkg"]
