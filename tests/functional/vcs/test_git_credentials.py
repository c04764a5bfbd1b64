"""Credentials in a git URL reach git, and nothing else: not the argv, not a stored config, not
an error message. The repository is served over real HTTP (git's dumb protocol) behind Basic
auth."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from pinset.vcs.base import VcsError
from pinset.vcs.git import Git
from pinset.vcs.url import parse_vcs_url
from tests.helpers.http_server import HttpServer, basic_auth, static
from tests.helpers.vcs_repos import git, git_repo, head

SECRET = "s3cret-Pa55"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[HttpServer, Path]]:
    """``origin`` cloned bare and served at ``/repo.git`` for ``me``/SECRET and ``tok``/""."""
    origin = git_repo(tmp_path / "origin", {"pkg.txt": "v1\n"})
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "--quiet", "--bare", str(origin), str(bare))
    git(bare, "update-server-info")
    with HttpServer() as server:
        for user, password, prefix in (("me", SECRET, "/repo.git"), ("tok", "", "/t/repo.git")):
            for path in bare.rglob("*"):
                if path.is_file():
                    body = static(path.read_bytes(), content_type="application/octet-stream")
                    name = f"{prefix}/{path.relative_to(bare).as_posix()}"
                    server.route(name, basic_auth(user, password, body))
        yield server, origin


def _stored_text(root: Path) -> str:
    """Every git configuration file under ``root`` (the checkout's and its mirror's)."""
    return "".join(p.read_text() for p in root.rglob("config") if p.is_file())


def test_user_and_password_reach_git_only(served: tuple[HttpServer, Path], tmp_path: Path) -> None:
    server, origin = served
    url = f"git+http://me:{SECRET}@127.0.0.1:{server.port}/repo.git@main#egg=pkg"
    source = parse_vcs_url(url)
    got = Git().obtain(source, tmp_path / "mirrors", tmp_path / "tree")
    assert got.commit_id == head(origin)
    assert any("authorization" in r.headers for r in server.requests)
    assert SECRET not in _stored_text(tmp_path / "mirrors")
    assert SECRET not in _stored_text(tmp_path / "tree")
    argv = Git().invocation(source, "clone", "--mirror", "--", source.url, "x").argv
    assert not [arg for arg in argv if SECRET in arg or "me:" in arg]


def test_a_token_alone_is_the_user_name(served: tuple[HttpServer, Path], tmp_path: Path) -> None:
    server, origin = served
    source = parse_vcs_url(f"git+http://tok@127.0.0.1:{server.port}/t/repo.git")
    got = Git().obtain(source, tmp_path / "mirrors", tmp_path / "tree")
    assert got.commit_id == head(origin)


def test_a_refused_password_is_not_shown(served: tuple[HttpServer, Path], tmp_path: Path) -> None:
    server, _ = served
    source = parse_vcs_url(f"git+http://me:wrong-{SECRET}@127.0.0.1:{server.port}/repo.git")
    with pytest.raises(VcsError) as caught:
        Git().obtain(source, tmp_path / "mirrors", tmp_path / "tree")
    shown = f"{caught.value.message} {caught.value.hint} {caught.value.note}"
    assert "clone" in shown
    assert SECRET not in shown
    assert not (tmp_path / "tree").exists()


def _fill(asked: str, cwd: Path) -> str:
    """What git's credential machinery, as pinset sets it up, answers to ``asked``."""
    source = parse_vcs_url(f"git+https://me:{SECRET}@example.org/r.git")
    invocation = Git().invocation(source, "credential", "fill")
    done = subprocess.run(
        list(invocation.argv),
        input=asked,
        env={**os.environ, **invocation.env},
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout


def test_credentials_go_to_their_own_host_only(tmp_path: Path) -> None:
    """The helper answers for the URL's host and protocol; a submodule elsewhere gets nothing."""
    assert f"password={SECRET}" in _fill("protocol=https\nhost=example.org\n\n", tmp_path)
    assert SECRET not in _fill("protocol=https\nhost=elsewhere.example\n\n", tmp_path)
    assert SECRET not in _fill("protocol=http\nhost=example.org\n\n", tmp_path)
