"""The Bazaar backend (Breezy) against a real branch on disk."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pinset.vcs.backends import BACKENDS
from pinset.vcs.base import VcsError
from pinset.vcs.bzr import Bzr
from pinset.vcs.url import parse_vcs_url
from tests.helpers.fixtures_install import NEWEST
from tests.helpers.install_world import new_venv
from tests.helpers.vcs_repos import brz, brz_commit


@pytest.fixture
def origin(tmp_path: Path) -> tuple[Path, str, str]:
    """A branch with revno 1 (tagged v1.0) and revno 2; its path and both revision ids."""
    branch = tmp_path / "origin"
    brz(tmp_path, "init", "--quiet", str(branch))
    first = brz_commit(branch, {"pkg.txt": "v1\n"}, "one")
    brz(branch, "tag", "--quiet", "v1.0")
    second = brz_commit(branch, {"pkg.txt": "v2\n"}, "two")
    return branch, first, second


def _url(branch: Path, revision: str | None = None) -> str:
    return f"bzr+{branch.as_uri()}" + (f"@{revision}" if revision else "") + "#egg=pkg"


def test_the_tip_is_checked_out(origin: tuple[Path, str, str], tmp_path: Path) -> None:
    branch, _, second = origin
    got = BACKENDS["bzr"].obtain(parse_vcs_url(_url(branch)), tmp_path / "m", tmp_path / "tree")
    assert got.commit_id == second
    assert (got.path / "pkg.txt").read_text() == "v2\n"
    assert Bzr().current_id(got.path) == second
    assert brz(got.path, "config", "parent_location") == branch.as_uri()


def test_an_activated_virtual_environment_does_not_break_brz(
    origin: tuple[Path, str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Debian's brz embeds the system Python and finds its modules through the first
    ``python3`` on PATH: a venv's ``bin`` first on PATH (an activated venv, or ``dev/test``)
    made every brz command fail with "Couldn't import breezy"."""
    venv = new_venv(tmp_path / "venv", NEWEST)
    monkeypatch.setenv("PATH", f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}")
    branch, _, second = origin
    got = Bzr().obtain(parse_vcs_url(_url(branch)), tmp_path / "m", tmp_path / "tree")
    assert got.commit_id == second


@pytest.mark.parametrize(("revision", "which"), [("1", 1), ("tag:v1.0", 1), ("2", 2)])
def test_revisions(
    origin: tuple[Path, str, str], tmp_path: Path, revision: str, which: int
) -> None:
    branch, *ids = origin
    got = Bzr().obtain(parse_vcs_url(_url(branch, revision)), tmp_path / "m", tmp_path / "t")
    assert got.commit_id == ids[which - 1]
    assert (got.path / "pkg.txt").read_text() == f"v{which}\n"


def test_the_copy_is_pulled_and_switch_moves(origin: tuple[Path, str, str], tmp_path: Path) -> None:
    branch, first, _ = origin
    mirrors = tmp_path / "m"
    tree = Bzr().obtain(parse_vcs_url(_url(branch, "1")), mirrors, tmp_path / "t").path
    third = brz_commit(branch, {"pkg.txt": "v3\n"}, "three")
    assert Bzr().resolve(parse_vcs_url(_url(branch)), mirrors) == third
    got = Bzr().switch(tree, parse_vcs_url(_url(branch)))
    assert (got.commit_id, (tree / "pkg.txt").read_text()) == (third, "v3\n")
    assert first != third


def test_an_unknown_revision_names_the_revision(
    origin: tuple[Path, str, str], tmp_path: Path
) -> None:
    branch, *_ = origin
    with pytest.raises(VcsError) as caught:
        Bzr().obtain(parse_vcs_url(_url(branch, "tag:nope")), tmp_path / "m", tmp_path / "t")
    assert caught.value.message == f"{branch.as_uri()} has no revision 'tag:nope'"


def test_credentials_in_the_url_are_refused_unshown(tmp_path: Path) -> None:
    source = parse_vcs_url("bzr+https://me:t0ps3cret@example.org/branch")
    with pytest.raises(VcsError) as caught:
        Bzr().obtain(source, tmp_path / "m", tmp_path / "t")
    assert "t0ps3cret" not in f"{caught.value.message} {caught.value.hint}"
    assert "authentication.conf" in (caught.value.hint or "")
    assert not (tmp_path / "m").exists()


def test_a_missing_brz_names_what_to_install(
    origin: tuple[Path, str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(VcsError) as caught:
        Bzr().obtain(parse_vcs_url(_url(origin[0])), tmp_path / "m", tmp_path / "t")
    assert caught.value.message == "brz is needed for this source but was not found on PATH"
