"""A project the user pins by URL or path (``name @ URL``, a wheel path, a VCS URL, a
constraint's URL) has that file as its only candidate, as pip and uv decide: its index page is
never read, even when another requirement names the project with a version range, which the
URL's file must then satisfy."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)
from __future__ import annotations

from pathlib import Path

import pytest

from tests.functional.install.test_install_vcs import project
from tests.helpers.fixtures_install import Run, catalog, index, pinset, venv  # noqa: F401
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import installed, site_packages
from tests.helpers.vcs_repos import git_repo, head
from tests.helpers.wheelhouse import WHEELHOUSE


def pages(index: IndexServer) -> set[str]:
    """The project pages the run asked the index for (by project name)."""
    found = set()
    for path in index.paths_requested():
        parts = path.strip("/").split("/")
        if len(parts) == 2 and parts[0] == "simple":
            found.add(parts[1])
    return found


def test_url_pinned_names_read_no_index_page(
    pinset: Run, index: IndexServer, catalog: Path, venv: Path, tmp_path: Path
) -> None:
    wheel = catalog / "lib-1.0-py3-none-any.whl"
    # app needs lib>=1: the URL's file (1.0) satisfies it, so lib's page is not read
    (tmp_path / "requirements.txt").write_text(f"app==1.0\nlib @ {wheel.as_uri()}\n")
    done = pinset("install", "-r", "requirements.txt")
    assert done.returncode == 0, done.stderr
    assert installed(site_packages(venv)) == {"app": "1.0", "lib": "1.0"}
    assert "lib" not in pages(index)
    assert "app" in pages(index)


def test_a_constraint_url_reads_no_index_page(
    pinset: Run, index: IndexServer, catalog: Path, venv: Path, tmp_path: Path
) -> None:
    wheel = catalog / "lib-2.0-py3-none-any.whl"
    (tmp_path / "constraints.txt").write_text(f"lib @ {wheel.as_uri()}\n")
    done = pinset("install", "lib", "-c", "constraints.txt")
    assert done.returncode == 0, done.stderr
    assert installed(site_packages(venv)) == {"lib": "2.0"}
    assert pages(index) == set()


def test_a_url_pin_that_fails_another_requirement_is_a_conflict(
    pinset: Run, catalog: Path, venv: Path, tmp_path: Path
) -> None:
    wheel = catalog / "lib-1.0-py3-none-any.whl"
    (tmp_path / "requirements.txt").write_text(f"lib @ {wheel.as_uri()}\nlib>=2\n")
    done = pinset("install", "-r", "requirements.txt")
    assert done.returncode == 1
    assert done.stderr.startswith(
        f"error: cannot install lib @ {wheel.as_uri()} and lib>=2 together\n"
    ), done.stderr
    assert "requirements.txt:2:1  lib>=2" in done.stderr
    assert installed(site_packages(venv)) == {}


@pytest.mark.slow
def test_a_vcs_pin_reads_no_index_page_for_its_name(
    pinset: Run, index: IndexServer, venv: Path, tmp_path: Path
) -> None:
    index.add(next(WHEELHOUSE.glob("flit_core-*.whl")))  # the build backend comes from the index
    origin = git_repo(tmp_path / "origin", project("gitpinned"))
    line = f"gitpinned @ git+{origin.as_uri()}@{head(origin)}\n"
    (tmp_path / "requirements.txt").write_text(line)
    cache = ["--cache-dir", str(tmp_path / "cache")]
    cold = pinset("install", *cache, "-r", "requirements.txt")
    assert cold.returncode == 0, cold.stderr
    assert installed(site_packages(venv)) == {"gitpinned": "1.0"}
    assert "gitpinned" not in pages(index)

    index.clear_requests()
    (tmp_path / "other.txt").write_text(line)  # a new command line: not the no-op verdict
    done = pinset("install", *cache, "--force-reinstall", "-r", "other.txt")
    assert done.returncode == 0, done.stderr
    assert index.requests == []  # warm: the built wheel from the cache, no request at all
