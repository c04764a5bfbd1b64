"""The git backend over the ``git://`` protocol, from a real ``git daemon`` on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pinset.vcs.git import Git
from pinset.vcs.url import parse_vcs_url
from tests.helpers.vcs_repos import commit, git, git_repo
from tests.helpers.vcs_servers import git_daemon


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """``git daemon`` serving ``tmp_path/served``; its port and that directory."""
    served = tmp_path / "served"
    served.mkdir()
    with git_daemon(served) as base:
        yield int(base.rpartition(":")[2]), served


def test_a_git_url_is_cloned_and_fetched(daemon: tuple[int, Path], tmp_path: Path) -> None:
    port, served = daemon
    origin = git_repo(tmp_path / "origin", {"pkg.txt": "v1\n"})
    git(origin, "tag", "v1.0")
    bare = served / "repo.git"
    git(tmp_path, "clone", "--quiet", "--bare", str(origin), str(bare))
    mirrors = tmp_path / "m"
    url = f"git+git://127.0.0.1:{port}/repo.git"
    got = Git().obtain(parse_vcs_url(f"{url}@v1.0#egg=pkg"), mirrors, tmp_path / "t1")
    assert (got.path / "pkg.txt").read_text() == "v1\n"
    newer = commit(origin, {"pkg.txt": "v2\n"}, "second")
    git(origin, "push", "--quiet", str(bare), "main")
    got = Git().obtain(parse_vcs_url(f"{url}@main#egg=pkg"), mirrors, tmp_path / "t2")
    assert got.commit_id == newer
    assert git(got.path, "remote", "get-url", "origin") == f"git://127.0.0.1:{port}/repo.git"
