"""The Mercurial backend against real repositories on disk and over HTTP (static-http)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from pinset.vcs.backends import BACKENDS
from pinset.vcs.base import VcsError
from pinset.vcs.hg import Hg
from pinset.vcs.url import parse_vcs_url
from tests.helpers.http_server import HttpServer, basic_auth, static
from tests.helpers.vcs_repos import hg, hg_commit, hg_node, hg_repo

SECRET = "hg-s3cret"


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    repo = hg_repo(tmp_path / "origin", {"pkg.txt": "v1\n"})
    hg(repo, "tag", "v1.0")
    return repo


def _url(repo: Path, revision: str | None = None) -> str:
    return f"hg+{repo.as_uri()}" + (f"@{revision}" if revision else "") + "#egg=pkg"


def test_the_default_branch_is_checked_out(origin: Path, tmp_path: Path) -> None:
    got = BACKENDS["hg"].obtain(parse_vcs_url(_url(origin)), tmp_path / "m", tmp_path / "tree")
    assert got.commit_id == hg_node(origin, "tip")
    assert (got.path / "pkg.txt").read_text() == "v1\n"
    assert hg(got.path, "paths", "default") == origin.as_uri()
    assert Hg().current_id(got.path) == got.commit_id


def test_revisions_of_every_kind(origin: Path, tmp_path: Path) -> None:
    first = hg_node(origin, "0")
    hg(origin, "branch", "--quiet", "stable")
    on_branch = hg_commit(origin, {"pkg.txt": "stable\n"}, "on stable")
    hg(origin, "bookmark", "--rev", "0", "mark")
    expected = {
        "0": first,
        "v1.0": first,
        "stable": on_branch,
        "mark": first,
        first: first,
        on_branch[:12]: on_branch,
        "default": hg_node(origin, "default"),
    }
    for n, (revision, node) in enumerate(expected.items()):
        got = Hg().obtain(parse_vcs_url(_url(origin, revision)), tmp_path / "m", tmp_path / f"t{n}")
        assert (revision, got.commit_id) == (revision, node)
        assert hg_node(got.path) == node


def test_the_copy_is_pulled_not_cloned_again(origin: Path, tmp_path: Path) -> None:
    mirrors = tmp_path / "m"
    Hg().obtain(parse_vcs_url(_url(origin)), mirrors, tmp_path / "t1")
    (mirror,) = [p for p in mirrors.iterdir() if p.is_dir()]
    (mirror / "kept").write_text("a clone would not keep this")
    newer = hg_commit(origin, {"pkg.txt": "v2\n"}, "second")
    got = Hg().obtain(parse_vcs_url(_url(origin)), mirrors, tmp_path / "t2")
    assert got.commit_id == newer
    assert (mirror / "kept").is_file()


def test_a_revset_expression_is_only_a_name(origin: Path, tmp_path: Path) -> None:
    with pytest.raises(VcsError) as caught:
        Hg().obtain(parse_vcs_url(_url(origin, "tip%20or%200")), tmp_path / "m", tmp_path / "t")
    assert caught.value.message == f"{origin.as_uri()} has no revision 'tip or 0'"


def test_the_config_injection_is_refused(origin: Path, tmp_path: Path) -> None:
    """CVE-2023-5752: a revision that hg would read as ``--config``."""
    with pytest.raises(VcsError, match="starts with '-'"):
        Hg().obtain(
            parse_vcs_url(_url(origin, "--config=alias.clone=!touch%20pwned")),
            tmp_path / "m",
            tmp_path / "t",
        )
    assert not (tmp_path / "pwned").exists()


def test_a_missing_hg_names_what_to_install(
    origin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(VcsError) as caught:
        Hg().obtain(parse_vcs_url(_url(origin)), tmp_path / "m", tmp_path / "t")
    assert caught.value.message == "hg is needed for this source but was not found on PATH"
    assert caught.value.hint is not None
    assert "Mercurial" in caught.value.hint


@pytest.fixture
def served(origin: Path) -> Iterator[HttpServer]:
    """``origin``'s files over HTTP for ``me``/SECRET (hg's static-http reads them)."""
    with HttpServer() as server:
        for path in origin.rglob("*"):
            if path.is_file():
                body = static(path.read_bytes(), content_type="application/octet-stream")
                name = f"/repo/{path.relative_to(origin).as_posix()}"
                server.route(name, basic_auth("me", SECRET, body))
        yield server


def test_credentials_reach_hg_only(served: HttpServer, origin: Path, tmp_path: Path) -> None:
    url = f"hg+static-http://me:{SECRET}@127.0.0.1:{served.port}/repo@v1.0#egg=pkg"
    got = Hg().obtain(parse_vcs_url(url), tmp_path / "m", tmp_path / "tree")
    assert got.commit_id == hg_node(origin, "0")
    assert any("authorization" in r.headers for r in served.requests)
    stored = "".join(p.read_text() for p in tmp_path.rglob("hgrc"))
    assert "static-http://127.0.0.1" in stored
    assert SECRET not in stored
    leftovers = list(Path(tempfile.gettempdir()).glob("pinset-hg-*.rc"))
    assert leftovers == []


def test_switch_moves_a_checkout_to_a_new_revision(origin: Path, tmp_path: Path) -> None:
    tree = Hg().obtain(parse_vcs_url(_url(origin, "v1.0")), tmp_path / "m", tmp_path / "t").path
    newer = hg_commit(origin, {"pkg.txt": "v2\n"}, "second")
    got = Hg().switch(tree, parse_vcs_url(_url(origin, "default")))
    assert (got.commit_id, hg_node(tree)) == (newer, newer)
    assert (tree / "pkg.txt").read_text() == "v2\n"
