"""``--src`` is changed only by a run that succeeds: a dry run reads an editable VCS line's
metadata from a checkout in scratch space (``--src`` never made, nothing written outside the
cache), reports where the checkout would go, as pip's report names it, and refuses what the
run would refuse there (``--exists-action``); a run that fails
after checking out removes the checkouts it made, moves a checkout it updated back to its
commit, moves a ``--exists-action backup`` back and restores what ``--exists-action wipe``
replaced.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from pinset.urls import path_to_url
from tests.functional.install.test_install_vcs import (
    backends,
    in_dir,
    install,
    project,
    value,
    venv,
)
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import installed, site_packages
from tests.helpers.vcs_repos import commit, git_repo, head

pytestmark = pytest.mark.slow

__all__ = ["backends", "venv"]  # fixtures


def _files(root: Path, skip: Path) -> dict[str, int]:
    """Every path under ``root`` (``skip`` left out) with its size: what a run changed."""
    return {
        str(p): p.stat().st_size if p.is_file() else -1
        for p in root.rglob("*")
        if skip not in p.parents and p != skip and not p.is_symlink()
    }


def test_a_dry_run_writes_nothing_into_src(
    backends: IndexServer, venv: Path, tmp_path: Path
) -> None:
    origin = git_repo(tmp_path / "origin", {**project("eddry"), **in_dir("sub", project("eddsub"))})
    pinned = head(origin)
    url = f"git+{origin.as_uri()}"
    (tmp_path / "requirements.txt").write_text(
        f"-e {url}@{pinned}#egg=eddry\n-e {url}@main#egg=eddsub&subdirectory=sub\n"
    )
    cache = tmp_path / "cache"
    before = _files(tmp_path, cache)
    report = ["--report", "-", "--cache-dir", str(cache)]
    done = install(
        backends, venv, "--dry-run", *report, "-q", "-r", "requirements.txt", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert not (venv / "src").exists()
    assert _files(tmp_path, cache) == before  # nothing written outside the cache
    items = {i["metadata"]["name"]: i for i in json.loads(done.stdout)["install"]}
    assert items["eddry"]["download_info"] == {
        "url": path_to_url(venv / "src" / "eddry"),
        "dir_info": {"editable": True},
    }
    assert items["eddsub"]["download_info"]["url"] == path_to_url(venv / "src" / "eddsub" / "sub")
    assert items["eddry"]["metadata"]["version"] == "1.0"

    # The same lines installed for real: checked out where the report said.
    real = install(
        backends, venv, "--cache-dir", str(cache), "-r", "requirements.txt", cwd=tmp_path
    )
    assert real.returncode == 0, real.stderr
    assert head(venv / "src" / "eddry") == pinned
    assert installed(site_packages(venv)) == {"eddry": "1.0", "eddsub": "1.0"}


def _needs_a_missing_project(name: str) -> dict[str, str]:
    """A project that can be checked out and read, but whose dependency no index has."""
    files = project(name)
    files["pyproject.toml"] = files["pyproject.toml"] + textwrap.dedent(
        """
        dependencies = ["no-such-project-anywhere==1.0"]
        """
    ).replace("\n", "", 1)
    return files


@pytest.mark.parametrize("action", ["", "b", "w"])
def test_a_failed_run_leaves_src_as_it_was(
    backends: IndexServer, venv: Path, tmp_path: Path, action: str
) -> None:
    origin = git_repo(tmp_path / "origin", _needs_a_missing_project("edfail"))
    place = venv / "src" / "edfail"
    if action:  # a directory that is not a checkout: backed up, or wiped
        place.mkdir(parents=True)
        (place / "mine.txt").write_text("not a checkout\n")
    args = ["--exists-action", action] if action else []
    done = install(
        backends, venv, *args, "-e", f"git+{origin.as_uri()}#egg=edfail", "-v", cwd=tmp_path
    )
    assert done.returncode == 1
    assert "no-such-project-anywhere" in done.stderr
    assert "Traceback" not in done.stderr
    assert installed(site_packages(venv)) == {}
    if not action:  # the checkout it made is gone, and the src directory it made for it
        assert not (venv / "src").exists()
        return
    assert sorted(p.name for p in (venv / "src").iterdir()) == ["edfail"]  # no .bak, nothing
    assert sorted(p.name for p in place.iterdir()) == ["mine.txt"]  # set aside, all restored


def test_a_failed_run_moves_an_updated_checkout_back(
    backends: IndexServer, venv: Path, tmp_path: Path
) -> None:
    origin = git_repo(tmp_path / "origin", project("edmove"))
    first = head(origin)
    line = f"git+{origin.as_uri()}@main#egg=edmove"
    done = install(backends, venv, "-e", line, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    checkout = venv / "src" / "edmove"
    assert head(checkout) == first

    commit(origin, _needs_a_missing_project("edmove"), "a dependency no index has")
    failed = install(backends, venv, "-e", line, cwd=tmp_path)
    assert failed.returncode == 1
    assert "no-such-project-anywhere" in failed.stderr
    assert head(checkout) == first  # moved to the new commit to read it, then moved back
    assert value(venv, "edmove") == "first"


def test_a_dry_run_says_what_the_run_would_refuse_in_src(
    backends: IndexServer, venv: Path, tmp_path: Path
) -> None:
    origin = git_repo(tmp_path / "origin", project("edsquat"))
    squatter = venv / "src" / "edsquat"
    squatter.mkdir(parents=True)
    (squatter / "mine.txt").write_text("not a checkout\n")
    line = f"git+{origin.as_uri()}#egg=edsquat"
    done = install(backends, venv, "--dry-run", "-e", line, cwd=tmp_path)
    assert done.returncode == 1
    assert "exists and is not a git checkout" in done.stderr
    assert "--exists-action" in done.stderr
    assert sorted(p.name for p in squatter.iterdir()) == ["mine.txt"]
    wiped = install(backends, venv, "--dry-run", "--exists-action", "w", "-e", line, cwd=tmp_path)
    assert wiped.returncode == 0, wiped.stderr
    assert sorted(p.name for p in (venv / "src").iterdir()) == ["edsquat"]
    assert sorted(p.name for p in squatter.iterdir()) == ["mine.txt"]
