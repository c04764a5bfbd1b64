"""Editables in hash-checking mode: one rule. An editable version-control line pinned to a full
commit id is accepted (the commit stands in for the hash, as for a VCS line without ``-e``);
one on a branch, tag or short id is refused with the line to write, naming the full commit it
names now (found through the cache's copy of the repository: nothing is checked out into
``--src``); an editable local directory is refused with pip's reason (no single file to hash).
Every refusal names the requirements file's line and leaves the environment untouched.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.functional.install.test_install_vcs import backends, install, project, venv
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import installed, site_packages
from tests.helpers.vcs_repos import git_repo, head, svn_repo

pytestmark = pytest.mark.slow

__all__ = ["backends", "venv"]  # fixtures


def test_an_editable_pinned_to_a_full_commit_installs_in_hash_checking_mode(
    backends: IndexServer, venv: Path, tmp_path: Path
) -> None:
    origin = git_repo(tmp_path / "origin", project("edhash"))
    pinned = head(origin)
    (tmp_path / "requirements.txt").write_text(
        f"--require-hashes\n-e git+{origin.as_uri()}@{pinned}#egg=edhash\n"
    )
    done = install(backends, venv, "-r", "requirements.txt", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert installed(site_packages(venv)) == {"edhash": "1.0"}
    assert head(venv / "src" / "edhash") == pinned


def test_an_editable_on_a_branch_is_refused_with_the_commit_to_pin(
    backends: IndexServer, venv: Path, tmp_path: Path
) -> None:
    origin = git_repo(tmp_path / "origin", project("edbranch"))
    pinned = head(origin)
    url = f"git+{origin.as_uri()}"
    (tmp_path / "requirements.txt").write_text(
        f"--require-hashes\n-e {url}@main#egg=edbranch\n-e {url}@{pinned[:10]}#egg=edshort\n"
    )
    done = install(backends, venv, "-r", "requirements.txt", cwd=tmp_path)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "requirements.txt:2" in done.stderr
    assert "requirements.txt:3" in done.stderr
    assert f"-e {url}@{pinned}#egg=edbranch" in done.stderr
    assert f"-e {url}@{pinned}#egg=edshort" in done.stderr
    assert not (venv / "src").exists()  # resolved through the cache, not checked out
    assert installed(site_packages(venv)) == {}


def test_an_editable_directory_is_refused_in_hash_checking_mode(
    backends: IndexServer, venv: Path, tmp_path: Path
) -> None:
    tree = tmp_path / "local"
    tree.mkdir()
    for name, text in project("edlocal").items():
        (tree / name).write_text(text)
    (tmp_path / "requirements.txt").write_text("--require-hashes\n-e ./local\n")
    done = install(backends, venv, "-r", "requirements.txt", cwd=tmp_path)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "requirements.txt:2" in done.stderr
    assert "no single file to hash" in done.stderr
    assert "--no-require-hashes" in done.stderr or "without -e" in done.stderr
    assert installed(site_packages(venv)) == {}
    # from the command line: the same refusal, no file to name
    direct = install(backends, venv, "--require-hashes", "-e", str(tree), cwd=tmp_path)
    assert direct.returncode == 1
    assert "no single file to hash" in direct.stderr


def test_an_svn_editable_is_refused_without_a_revision_to_pin(
    backends: IndexServer, venv: Path, tmp_path: Path
) -> None:
    url = svn_repo(tmp_path, [project("edsvnhash")])
    (tmp_path / "requirements.txt").write_text(f"--require-hashes\n-e svn+{url}@1#egg=edsvnhash\n")
    done = install(backends, venv, "-r", "requirements.txt", cwd=tmp_path)
    assert done.returncode == 1
    assert "requirements.txt:2" in done.stderr
    assert "not a content hash" in done.stderr
    assert "pin the commit it names now" not in done.stderr
    assert not (venv / "src").exists()
