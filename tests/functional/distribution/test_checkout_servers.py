"""A VCS requirement's tree obtained over each tool's own server on 127.0.0.1, with every
revision form, through :func:`pinset.distribution.checkout.checkout_tree`; credentials reach the
server and nothing else."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import pytest

from pinset.distribution.checkout import checkout_tree, resolve_commit
from tests.helpers.vcs_repos import (
    brz,
    brz_commit,
    commit,
    git,
    git_repo,
    head,
    hg,
    hg_commit,
    hg_node,
    hg_repo,
    svn_repo,
)
from tests.helpers.vcs_servers import (
    auth_proxy,
    git_daemon,
    git_smart_http,
    hg_serve,
    static_http,
    svnserve,
)

pytestmark = pytest.mark.slow

SECRET = "Sup3r-s3cret-t0ken"


def _git_origin(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A repository with a tag, a branch, and a commit reachable only from refs/pull/1/head;
    every revision form with the commit it names."""
    origin = git_repo(tmp_path / "origin", {"pkg.txt": "v1\n", "sub/setup.py": "# sub\n"})
    git(origin, "tag", "v1.0")
    first = head(origin)
    git(origin, "checkout", "--quiet", "-b", "develop")
    develop = commit(origin, {"pkg.txt": "develop\n"}, "develop")
    git(origin, "checkout", "--quiet", "--detach")
    pulled = commit(origin, {"pkg.txt": "pull\n"}, "pull request")
    git(origin, "update-ref", "refs/pull/1/head", pulled)
    git(origin, "checkout", "--quiet", "main")
    forms = {
        "main": first,
        "v1.0": first,
        "develop": develop,
        develop: develop,
        develop[:7]: develop,
        "refs/pull/1/head": pulled,
    }
    return origin, forms


def _all_bytes(*roots: Path) -> bytes:
    return b"".join(p.read_bytes() for root in roots for p in root.rglob("*") if p.is_file())


def test_git_daemon_every_revision_form(tmp_path: Path) -> None:
    origin, forms = _git_origin(tmp_path)
    served = tmp_path / "served"
    served.mkdir()
    git(tmp_path, "clone", "--quiet", "--mirror", str(origin), str(served / "repo.git"))
    mirrors = tmp_path / "vcs-v1"
    with git_daemon(served) as base:
        for n, (revision, expected) in enumerate(forms.items()):
            url = f"git+{base}/repo.git@{revision}#egg=pkg&subdirectory=sub"
            tree = checkout_tree(url, mirrors, tmp_path / f"t{n}")
            assert (revision, tree.commit_id) == (revision, expected)
            assert tree.path == tree.root / "sub"
            assert (tree.path / "setup.py").is_file()
            record = json.loads(tree.direct_url().to_json())
            assert record == {
                "url": f"{base}/repo.git",
                "vcs_info": {"vcs": "git", "commit_id": expected, "requested_revision": revision},
                "subdirectory": "sub",
            }
    assert len([p for p in mirrors.iterdir() if p.is_dir()]) == 1  # one mirror, fetched


def test_git_smart_http_private_repository(tmp_path: Path) -> None:
    origin, forms = _git_origin(tmp_path)
    root = tmp_path / "served"
    root.mkdir()
    git(tmp_path, "clone", "--quiet", "--mirror", str(origin), str(root / "repo.git"))
    mirrors = tmp_path / "vcs-v1"
    with git_smart_http(root, "me", SECRET) as (base, seen):
        private = base.replace("http://", f"http://me:{SECRET}@")
        tree = checkout_tree(f"git+{private}/repo.git@develop#egg=pkg", mirrors, tmp_path / "t")
        assert tree.commit_id == forms["develop"]
        commit_now = resolve_commit(f"git+{private}/repo.git@v1.0", mirrors)
        assert commit_now == forms["v1.0"]
        assert seen.authorized > 0
    assert SECRET.encode() not in _all_bytes(mirrors, tree.root)
    assert SECRET not in repr(tree) + tree.direct_url().to_json()
    assert git(tree.root, "remote", "get-url", "origin") == f"{base}/repo.git"


def test_hg_serve_every_revision_form_and_credentials(tmp_path: Path) -> None:
    origin = hg_repo(tmp_path / "origin", {"pkg.txt": "v1\n"})
    first = hg_node(origin)
    hg(origin, "tag", "v1.0")
    tagged = hg_node(origin)
    hg(origin, "branch", "--quiet", "feature")
    on_branch = hg_commit(origin, {"pkg.txt": "feature\n"}, "on feature")
    forms = {"0": first, first: first, "v1.0": first, "feature": on_branch, "default": tagged}
    mirrors = tmp_path / "vcs-v1"
    with hg_serve(origin) as upstream, auth_proxy(upstream, "me", SECRET) as base:
        private = base.replace("http://", f"http://me:{SECRET}@")
        for n, (revision, expected) in enumerate(forms.items()):
            url = f"hg+{private}/@{revision}#egg=pkg"
            tree = checkout_tree(url, mirrors, tmp_path / f"t{n}")
            assert (revision, tree.commit_id) == (revision, expected)
            assert tree.url == base + "/"
    assert SECRET.encode() not in _all_bytes(mirrors, tmp_path / "t0")
    assert hg(tmp_path / "t0", "paths", "default") == base + "/"


def test_svnserve_revision_numbers_and_dates(tmp_path: Path) -> None:
    svn_repo(tmp_path, [{"pkg.txt": "r1\n"}, {"pkg.txt": "r2\n"}, {"other.txt": "r3\n"}])
    forms = {"1": "1", "2": "2", "{2023-06-01}": "2", "HEAD": "3"}
    with svnserve(tmp_path) as base:
        for n, (revision, expected) in enumerate(forms.items()):
            url = f"svn+{base}/svnrepo@{revision}#egg=pkg"
            tree = checkout_tree(url, tmp_path / "vcs-v1", tmp_path / f"t{n}")
            assert (revision, tree.commit_id) == (revision, expected)
        assert (tmp_path / "t0" / "pkg.txt").read_text() == "r1\n"
        assert (tmp_path / "t3" / "pkg.txt").read_text() == "r2\n"


def test_bzr_over_plain_http_revno_and_tag(tmp_path: Path) -> None:
    served = tmp_path / "served"
    served.mkdir()
    branch = served / "trunk"
    brz(served, "init", "--quiet", str(branch))
    first = brz_commit(branch, {"pkg.txt": "1\n"}, "one")
    brz(branch, "tag", "--quiet", "v1")
    second = brz_commit(branch, {"pkg.txt": "2\n"}, "two")
    forms = {"1": first, "tag:v1": first, "2": second, "revid:" + first: first}
    with static_http(served) as base:
        for n, (revision, expected) in enumerate(forms.items()):
            written = urllib.parse.quote(revision, safe=":")  # a revid holds an '@'
            url = f"bzr+{base}/trunk@{written}#egg=pkg"
            tree = checkout_tree(url, tmp_path / "vcs-v1", tmp_path / f"t{n}")
            assert (revision, tree.commit_id) == (revision, expected)
        assert (tmp_path / "t0" / "pkg.txt").read_text() == "1\n"
