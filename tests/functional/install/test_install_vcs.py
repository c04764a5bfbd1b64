"""``pinset install`` of version-control requirements, end to end: the checkout is built like a
local directory, ``direct_url.json`` and ``--report`` record the commit as pip writes them, a
commit-pinned requirement's wheel is cached (a warm install runs no VCS tool and builds
nothing), an unchanged re-run is a no-op without any VCS tool, and credentials appear nowhere.

Every tool through its own server on 127.0.0.1 with two revision forms; projects are built by
flit_core, served from the wheelhouse by a local index.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import textwrap
from pathlib import Path

import pytest

from tests.helpers.envs import available_versions
from tests.helpers.fixtures_index import IndexServerFactory
from tests.helpers.imports import (
    BUILDING,
    HTTP_STACK,
    IMPORTTIME,
    UNUSED_WHEN_WARM,
    imported,
    output,
)
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import dist_info, installed, new_venv, run_pinset, site_packages
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
from tests.helpers.vcs_servers import git_daemon, git_smart_http, hg_serve, static_http, svnserve
from tests.helpers.wheelhouse import WHEELHOUSE

pytestmark = pytest.mark.slow

VERSIONS = available_versions()
SECRET = "Pr1vate-t0ken-xyz"


def project(name: str, version: str = "1.0", value: str = "first") -> dict[str, str]:
    """The files of a flit_core project ``name`` whose module holds ``VALUE``."""
    pyproject = f"""
        [build-system]
        requires = ["flit_core>=3.4"]
        build-backend = "flit_core.buildapi"

        [project]
        name = "{name}"
        version = "{version}"
        description = "a project in a repository"
        """
    return {
        "pyproject.toml": textwrap.dedent(pyproject),
        f"{name}.py": f'"""{name}"""\nVALUE = "{value}"\n',
    }


def in_dir(directory: str, files: dict[str, str]) -> dict[str, str]:
    return {f"{directory}/{path}": text for path, text in files.items()}


@pytest.fixture
def backends(index_server_factory: IndexServerFactory) -> IndexServer:
    server = index_server_factory()
    server.add(next(WHEELHOUSE.glob("flit_core-*.whl")))
    return server


@pytest.fixture
def venv(tmp_path: Path) -> Path:
    if not VERSIONS:
        pytest.skip("no pyenv interpreters on this machine")
    return new_venv(tmp_path / "venv", VERSIONS[-1])


def install(
    index: IndexServer, venv: Path, *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return run_pinset(
        "install", "--python", str(venv), "-i", index.simple_url, *args, cwd=cwd, env=env
    )


def value(venv: Path, module: str) -> str:
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-c", f"import {module}; print({module}.VALUE)"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def direct_url(venv: Path, name: str) -> dict[str, object]:
    record = dist_info(site_packages(venv), name) / "direct_url.json"
    loaded: dict[str, object] = json.loads(record.read_text())
    return loaded


def no_tools(tmp_path: Path) -> dict[str, str]:
    """An environment whose PATH holds no git, hg, svn or brz: a run that needs none works."""
    empty = tmp_path / "no-tools"
    empty.mkdir(exist_ok=True)
    return {"PATH": str(empty)}


def logging_git(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """A PATH whose ``git`` records every command line it is given, then runs the real git."""
    real = shutil.which("git")
    assert real is not None
    shims, log = tmp_path / "shims", tmp_path / "git-argv.log"
    shims.mkdir()
    shim = shims / "git"
    shim.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{log}"\nexec "{real}" "$@"\n')
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    return {"PATH": f"{shims}{os.pathsep}{os.environ['PATH']}"}, log


def _all_bytes(*roots: Path) -> bytes:
    found = []
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file() and not path.is_symlink():
                found.append(path.read_bytes())
    return b"".join(found)


def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def test_git_file_urls_install_record_the_commit_and_reuse_the_cache(
    backends: IndexServer, venv: Path, tmp_path: Path, index_server_factory: IndexServerFactory
) -> None:
    origin = git_repo(tmp_path / "origin", {**project("gitpin"), **in_dir("sub", project("gitbr"))})
    pinned = head(origin)
    (tmp_path / "requirements.txt").write_text(
        f"gitpin @ git+{origin.as_uri()}@{pinned}\n"
        f"git+{origin.as_uri()}@main#egg=gitbr&subdirectory=sub\n"
    )
    cache = ["--cache-dir", str(cache_dir(tmp_path))]
    report = tmp_path / "report.json"

    done = install(
        backends, venv, *cache, "-r", "requirements.txt", "--report", str(report), cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert installed(site_packages(venv)) == {"gitpin": "1.0", "gitbr": "1.0"}
    assert value(venv, "gitpin") == value(venv, "gitbr") == "first"
    assert direct_url(venv, "gitpin") == {
        "url": origin.as_uri(),
        "vcs_info": {"vcs": "git", "commit_id": pinned, "requested_revision": pinned},
    }
    assert direct_url(venv, "gitbr") == {
        "url": origin.as_uri(),
        "vcs_info": {"vcs": "git", "commit_id": pinned, "requested_revision": "main"},
        "subdirectory": "sub",
    }
    items = {i["metadata"]["name"]: i for i in json.loads(report.read_text())["install"]}
    assert items["gitpin"]["download_info"] == direct_url(venv, "gitpin")
    assert items["gitbr"]["download_info"] == direct_url(venv, "gitbr")
    assert items["gitpin"]["is_direct"] is True

    # Unchanged: the branch is asked again (as pip does), nothing is installed; a commit pin
    # alone is a no-op that runs no VCS tool.
    again = install(backends, venv, *cache, "-r", "requirements.txt", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "+ " not in again.stderr
    (tmp_path / "pinned.txt").write_text(f"gitpin @ git+{origin.as_uri()}@{pinned}\n")
    noop = install(backends, venv, *cache, "-r", "pinned.txt", cwd=tmp_path, env=no_tools(tmp_path))
    assert noop.returncode == 0, noop.stderr
    assert "+ " not in noop.stderr

    # Warm: a new environment gets the commit-pinned wheel from the cache, with no git and no
    # build backend on the index.
    other = new_venv(tmp_path / "other", VERSIONS[-1])
    empty = index_server_factory()
    warm = install(empty, other, *cache, "-r", "pinned.txt", cwd=tmp_path, env=no_tools(tmp_path))
    assert warm.returncode == 0, warm.stderr
    assert installed(site_packages(other)) == {"gitpin": "1.0"}
    assert direct_url(other, "gitpin") == direct_url(venv, "gitpin")


def test_a_warm_commit_pinned_install_imports_no_http_stack(
    backends: IndexServer, venv: Path, tmp_path: Path, index_server_factory: IndexServerFactory
) -> None:
    # the wheel comes from the built-wheel cache and the index is never asked: the run pays
    # for no urllib3, http.client or ssl import (a fixed cost uv does not have), nor for the
    # build backend's machinery
    origin = git_repo(tmp_path / "origin", project("gitwarm"))
    (tmp_path / "pinned.txt").write_text(f"gitwarm @ git+{origin.as_uri()}@{head(origin)}\n")
    cache = ["--cache-dir", str(cache_dir(tmp_path))]
    cold = install(backends, venv, *cache, "-r", "pinned.txt", cwd=tmp_path)
    assert cold.returncode == 0, cold.stderr

    other = new_venv(tmp_path / "other", VERSIONS[-1])
    argv = ["--python", str(other), "-i", index_server_factory().simple_url, *cache]
    warm = run_pinset(
        "install",
        *argv,
        "-r",
        "pinned.txt",
        cwd=tmp_path,
        env=no_tools(tmp_path),
        python_flags=IMPORTTIME,
    )
    assert warm.returncode == 0, output(warm.stderr)
    assert installed(site_packages(other)) == {"gitwarm": "1.0"}
    assert value(other, "gitwarm") == "first"
    modules = imported(warm.stderr)
    assert "pinset.install.transaction" in modules
    assert not modules & (HTTP_STACK | BUILDING | UNUSED_WHEN_WARM)


def test_a_branch_that_moved_is_installed_again(
    backends: IndexServer, venv: Path, tmp_path: Path
) -> None:
    origin = git_repo(tmp_path / "origin", project("moving"))
    line = f"moving @ git+{origin.as_uri()}@main\n"
    (tmp_path / "requirements.txt").write_text(line)
    first = install(backends, venv, "-r", "requirements.txt", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    same = install(backends, venv, "-r", "requirements.txt", cwd=tmp_path)
    assert same.returncode == 0, same.stderr
    assert "+ moving" not in same.stderr  # fetched and resolved: still the installed commit

    moved = commit(origin, project("moving", value="second"), "second")
    again = install(backends, venv, "-r", "requirements.txt", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert value(venv, "moving") == "second"
    info = direct_url(venv, "moving")["vcs_info"]
    assert info == {"vcs": "git", "commit_id": moved, "requested_revision": "main"}


def test_git_daemon_seed_forms(backends: IndexServer, venv: Path, tmp_path: Path) -> None:
    origin = git_repo(
        tmp_path / "origin", {**in_dir("a", project("daemona")), **in_dir("b", project("daemonb"))}
    )
    git(origin, "tag", "v1.0")
    served = tmp_path / "served"
    served.mkdir()
    git(tmp_path, "clone", "--quiet", "--mirror", str(origin), str(served / "repo.git"))
    with git_daemon(served) as base:
        (tmp_path / "requirements.txt").write_text(
            f"git+{base}/repo.git@v1.0#egg=daemona&subdirectory=a\n"
            f"{base}/repo.git@{head(origin)[:10]}#egg=daemonb&subdirectory=b\n"
        )
        done = install(backends, venv, "-r", "requirements.txt", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert installed(site_packages(venv)) == {"daemona": "1.0", "daemonb": "1.0"}
    info = direct_url(venv, "daemonb")
    assert info["url"] == f"{base}/repo.git"
    assert info["vcs_info"] == {
        "vcs": "git",
        "commit_id": head(origin),
        "requested_revision": head(origin)[:10],
    }


def test_a_private_git_repository_leaks_its_token_nowhere(
    backends: IndexServer, venv: Path, tmp_path: Path
) -> None:
    origin = git_repo(tmp_path / "origin", project("private"))
    pinned = head(origin)
    root = tmp_path / "served"
    root.mkdir()
    git(tmp_path, "clone", "--quiet", "--mirror", str(origin), str(root / "repo.git"))
    env, argv_log = logging_git(tmp_path)
    report = tmp_path / "report.json"
    cache = cache_dir(tmp_path)
    with git_smart_http(root, "me", SECRET) as (base, seen):
        private = base.replace("http://", f"http://me:{SECRET}@")
        line = f"private @ git+{private}/repo.git@{pinned}"
        done = install(
            backends,
            venv,
            "--cache-dir",
            str(cache),
            "--report",
            str(report),
            "-v",
            line,
            cwd=tmp_path,
            env=env,
        )
        assert done.returncode == 0, done.stderr
        assert seen.authorized > 0
    assert installed(site_packages(venv)) == {"private": "1.0"}
    assert direct_url(venv, "private")["url"] == f"{base}/repo.git"
    assert argv_log.read_text()  # git ran, and no command line it was given holds the token
    for text in (done.stdout, done.stderr, argv_log.read_text(), report.read_text()):
        assert SECRET not in text
    assert SECRET.encode() not in _all_bytes(cache, venv)


def test_mercurial_through_hg_serve(backends: IndexServer, venv: Path, tmp_path: Path) -> None:
    origin = hg_repo(
        tmp_path / "origin", {**in_dir("a", project("hga")), **in_dir("b", project("hgb"))}
    )
    node = hg_node(origin)
    hg(origin, "tag", "v1.0")
    hg_commit(origin, in_dir("b", project("hgb", value="later")), "later")
    with hg_serve(origin) as base:
        (tmp_path / "requirements.txt").write_text(
            f"hga @ hg+{base}/@v1.0#subdirectory=a\nhgb @ hg+{base}/@{node}#subdirectory=b\n"
        )
        done = install(backends, venv, "-r", "requirements.txt", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (value(venv, "hga"), value(venv, "hgb")) == ("first", "first")
    assert direct_url(venv, "hgb") == {
        "url": f"{base}/",
        "vcs_info": {"vcs": "hg", "commit_id": node, "requested_revision": node},
        "subdirectory": "b",
    }
    assert direct_url(venv, "hga")["vcs_info"] == {
        "vcs": "hg",
        "commit_id": node,
        "requested_revision": "v1.0",
    }


def test_subversion_through_svnserve(backends: IndexServer, venv: Path, tmp_path: Path) -> None:
    svn_repo(tmp_path, [project("svnproj"), project("svnproj", value="second")])
    with svnserve(tmp_path) as base:
        (tmp_path / "r1.txt").write_text(f"svn+{base}/svnrepo@1#egg=svnproj\n")
        (tmp_path / "head.txt").write_text(f"svnproj @ svn+{base}/svnrepo@{{2030-01-01}}\n")
        first = install(backends, venv, "-r", "r1.txt", cwd=tmp_path)
        assert first.returncode == 0, first.stderr
        assert value(venv, "svnproj") == "first"
        latest = install(backends, venv, "-r", "head.txt", cwd=tmp_path)
    assert latest.returncode == 0, latest.stderr
    assert value(venv, "svnproj") == "second"
    assert direct_url(venv, "svnproj") == {
        "url": f"{base}/svnrepo",
        "vcs_info": {"vcs": "svn", "commit_id": "2", "requested_revision": "{2030-01-01}"},
    }


def test_bazaar_over_plain_http(backends: IndexServer, venv: Path, tmp_path: Path) -> None:
    served = tmp_path / "served"
    served.mkdir()
    branch = served / "trunk"
    brz(served, "init", "--quiet", str(branch))
    brz_commit(branch, project("bzrproj"), "one")
    brz(branch, "tag", "--quiet", "v1")
    brz_commit(branch, project("bzrproj", value="second"), "two")
    with static_http(served) as base:
        (tmp_path / "tag.txt").write_text(f"bzrproj @ bzr+{base}/trunk@tag:v1\n")
        (tmp_path / "revno.txt").write_text(f"bzr+{base}/trunk@2#egg=bzrproj\n")
        first = install(backends, venv, "-r", "tag.txt", cwd=tmp_path)
        assert first.returncode == 0, first.stderr
        assert value(venv, "bzrproj") == "first"
        second = install(backends, venv, "-r", "revno.txt", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert value(venv, "bzrproj") == "second"
    assert direct_url(venv, "bzrproj")["vcs_info"]["requested_revision"] == "2"  # type: ignore[index]
