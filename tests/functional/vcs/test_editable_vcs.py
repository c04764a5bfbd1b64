"""``pinset install -e vcs+URL#egg=name``, end to end, for git, Mercurial, Subversion and
Bazaar: checked out into ``--src`` (default ``<venv>/src/<name>``), installed editable from
the checkout (``direct_url.json`` naming it, as pip), frozen as pip writes it, a re-run at a
pinned commit a no-op without any VCS tool, a moved branch updating the checkout, an existing
directory dealt with as ``--exists-action`` says, uninstall leaving the checkout, and
credentials written nowhere.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest

from pinset.urls import path_to_url
from tests.functional.install.test_install_vcs import (
    SECRET,
    _all_bytes,
    backends,
    direct_url,
    in_dir,
    install,
    logging_git,
    no_tools,
    project,
    value,
    venv,
)
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import installed, run_pinset, site_packages
from tests.helpers.vcs_repos import (
    brz,
    brz_commit,
    commit,
    git,
    git_repo,
    head,
    hg_node,
    hg_repo,
    svn_repo,
)
from tests.helpers.vcs_servers import git_smart_http

pytestmark = pytest.mark.slow

__all__ = ["backends", "venv"]  # fixtures, shared with the non-editable tests


def freeze(venv: Path, cwd: Path, env: dict[str, str] | None = None) -> list[str]:
    done = run_pinset("freeze", "--python", str(venv), cwd=cwd, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def editable_dir_info(tree: Path) -> dict[str, object]:
    return {"url": path_to_url(tree), "dir_info": {"editable": True}}


def test_git_editable_checkout_install_freeze_noop_update_uninstall(
    backends: IndexServer, venv: Path, tmp_path: Path
) -> None:
    origin = git_repo(tmp_path / "origin", {**project("Ed_Git"), **in_dir("sub", project("edsub"))})
    pinned = head(origin)
    url = f"git+{origin.as_uri()}"
    (tmp_path / "requirements.txt").write_text(
        f"-e {url}@{pinned}#egg=Ed_Git\n-e {url}@main#egg=edsub&subdirectory=sub\n"
    )
    report = tmp_path / "report.json"
    done = install(backends, venv, "-r", "requirements.txt", "--report", str(report), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    checkout, sub = venv / "src" / "ed-git", venv / "src" / "edsub"
    assert head(checkout) == head(sub) == pinned
    assert installed(site_packages(venv)) == {"ed-git": "1.0", "edsub": "1.0"}
    assert direct_url(venv, "ed_git") == editable_dir_info(checkout)
    assert direct_url(venv, "edsub") == editable_dir_info(sub / "sub")
    items = {i["metadata"]["name"]: i for i in json.loads(report.read_text())["install"]}
    assert items["Ed_Git"]["download_info"] == editable_dir_info(checkout)
    assert git(checkout, "remote", "get-url", "origin") == origin.as_uri()

    # Editable: an edit in the checkout is what Python imports.
    (checkout / "Ed_Git.py").write_text('VALUE = "edited"\n')
    assert value(venv, "Ed_Git") == "edited"
    assert freeze(venv, tmp_path) == [
        f"-e {url}@{pinned}#egg=Ed_Git",
        f"-e {url}@{pinned}#egg=edsub&subdirectory=sub",
    ]

    # Pinned to a commit and unchanged: a no-op with no VCS tool on PATH.
    (tmp_path / "pinned.txt").write_text(f"-e {url}@{pinned}#egg=Ed_Git\n")
    noop = install(backends, venv, "-r", "pinned.txt", cwd=tmp_path, env=no_tools(tmp_path))
    assert noop.returncode == 0, noop.stderr
    assert "Already satisfied" in noop.stderr
    assert "+ " not in noop.stderr

    # The branch moved: the checkout is updated, its new version installed.
    newer = commit(origin, in_dir("sub", project("edsub", "2.0", "second")), "edsub 2.0")
    moved = install(backends, venv, "-r", "requirements.txt", cwd=tmp_path)
    assert moved.returncode == 0, moved.stderr
    assert head(sub) == newer
    assert head(checkout) == pinned
    assert installed(site_packages(venv))["edsub"] == "2.0"
    assert value(venv, "edsub") == "second"

    # Uninstall removes the installed files; the checkout stays, as pip.
    gone = run_pinset("uninstall", "--python", str(venv), "-y", "Ed_Git", "edsub", cwd=tmp_path)
    assert gone.returncode == 0, gone.stderr
    assert installed(site_packages(venv)) == {}
    assert (checkout / "Ed_Git.py").read_text() == 'VALUE = "edited"\n'
    assert (sub / "sub" / "pyproject.toml").is_file()


def test_hg_svn_bzr_editable_checkouts_install_and_freeze(
    backends: IndexServer, venv: Path, tmp_path: Path
) -> None:
    hg_origin = hg_repo(tmp_path / "hgorigin", project("edhg"))
    node = hg_node(hg_origin)
    svn_url = svn_repo(tmp_path, [project("edsvn"), project("edsvn", value="second")])
    branch = tmp_path / "bzrtrunk"
    brz(tmp_path, "init", "--quiet", str(branch))
    revid = brz_commit(branch, project("edbzr"), "one")
    brz_commit(branch, project("edbzr", "2.0", "second"), "two")
    src = tmp_path / "checkouts"
    (tmp_path / "requirements.txt").write_text(
        f"-e hg+{hg_origin.as_uri()}@{node}#egg=edhg\n"
        f"-e svn+{svn_url}@1#egg=edsvn\n"
        f"-e bzr+{branch.as_uri()}@revid:{quote(revid, safe='')}#egg=edbzr\n"
    )
    done = install(backends, venv, "--src", "checkouts", "-r", "requirements.txt", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert installed(site_packages(venv)) == {"edhg": "1.0", "edsvn": "1.0", "edbzr": "1.0"}
    for name in ("edhg", "edsvn", "edbzr"):
        assert direct_url(venv, name) == editable_dir_info(src / name)
    assert value(venv, "edsvn") == value(venv, "edbzr") == "first"  # not the heads
    assert sorted(freeze(venv, tmp_path)) == [
        f"-e bzr+{branch.as_uri()}@1#egg=edbzr",
        f"-e hg+{hg_origin.as_uri()}@{node}#egg=edhg",
        f"-e svn+{svn_url}@1#egg=edsvn",
    ]
    # Pinned to a node, a revision number, a revid: the no-op reads .hg, .svn/wc.db and .bzr
    # and needs no tool.
    args = ["--src", "checkouts", "-r", "requirements.txt"]
    noop = install(backends, venv, *args, cwd=tmp_path, env=no_tools(tmp_path))
    assert noop.returncode == 0, noop.stderr
    assert "Already satisfied" in noop.stderr
    assert "+ " not in noop.stderr
    requirements = (tmp_path / "requirements.txt").read_text().splitlines()

    # A working copy moved off the pinned revision is not taken as it: the tools put it back.
    subprocess.run(["svn", "update", "--quiet", "-r", "2", str(src / "edsvn")], check=True)
    brz(src / "edbzr", "pull", "--quiet", "--overwrite", str(branch))
    assert value(venv, "edsvn") == value(venv, "edbzr") == "second"
    for line in (2, 3):
        (tmp_path / "one.txt").write_text(requirements[line - 1] + "\n")
        one = ["--src", "checkouts", "-r", "one.txt"]
        moved = install(backends, venv, *one, cwd=tmp_path, env=no_tools(tmp_path))
        assert moved.returncode == 1
        assert "is needed for this source but was not found" in moved.stderr
    back = install(backends, venv, *args, cwd=tmp_path)
    assert back.returncode == 0, back.stderr
    assert value(venv, "edsvn") == value(venv, "edbzr") == "first"


def test_freeze_of_a_checkout_without_its_remote(
    backends: IndexServer, venv: Path, tmp_path: Path
) -> None:
    """What pip writes when a checkout lost its remote: the directory, after a comment."""
    git_origin = git_repo(tmp_path / "origin", project("edlost"))
    hg_origin = hg_repo(tmp_path / "hgorigin", project("edhglost"))
    (tmp_path / "requirements.txt").write_text(
        f"-e git+{git_origin.as_uri()}#egg=edlost\n-e hg+{hg_origin.as_uri()}#egg=edhglost\n"
    )
    done = install(backends, venv, "-r", "requirements.txt", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    git(venv / "src" / "edlost", "remote", "remove", "origin")
    (venv / "src" / "edhglost" / ".hg" / "hgrc").write_text("")
    assert freeze(venv, tmp_path, env=no_tools(tmp_path)) == [
        "## !! Could not determine repository location",
        f"-e {venv / 'src' / 'edhglost'}",
        "# Editable Git install with no remote (edlost==1.0)",
        f"-e {venv / 'src' / 'edlost'}",
    ]


@pytest.mark.parametrize(
    ("action", "kept"),
    [("", None), ("w", None), ("b", "checkout.bak"), ("i", "ignored")],
)
def test_exists_action(
    backends: IndexServer, venv: Path, tmp_path: Path, action: str, kept: str | None
) -> None:
    origin = git_repo(tmp_path / "origin", project("edexists"))
    squatter = venv / "src" / "edexists"
    squatter.mkdir(parents=True)
    (squatter / "mine.txt").write_text("not a checkout\n")
    if action == "i":  # an ignored directory is installed as it is: make it a project
        for name, text in project("edexists", value="ignored").items():
            (squatter / name).write_text(text)
    line = f"git+{origin.as_uri()}#egg=edexists"
    args = ["--exists-action", action] if action else []
    done = install(backends, venv, *args, "-e", line, cwd=tmp_path)
    if not action:  # abort: said, nothing touched, nothing installed
        assert done.returncode == 1
        assert "exists and is not a git checkout" in done.stderr
        assert "--exists-action" in done.stderr
        assert "Traceback" not in done.stderr
        assert (squatter / "mine.txt").is_file()
        assert not (squatter / ".git").exists()
        assert installed(site_packages(venv)) == {}
        return
    assert done.returncode == 0, done.stderr
    assert installed(site_packages(venv)) == {"edexists": "1.0"}
    if kept == "ignored":
        assert value(venv, "edexists") == "ignored"
        return
    assert head(squatter) == head(origin)
    assert not (squatter / "mine.txt").exists()
    backup = squatter.with_name("edexists.bak")
    assert (backup / "mine.txt").is_file() == (kept is not None)
    assert not [p for p in squatter.parent.iterdir() if p.name.startswith(".")]  # none set aside


def test_an_editable_without_egg_is_refused(
    backends: IndexServer, venv: Path, tmp_path: Path
) -> None:
    origin = git_repo(tmp_path / "origin", project("noegg"))
    done = install(backends, venv, "-e", f"git+{origin.as_uri()}", cwd=tmp_path)
    assert done.returncode == 1
    assert "#egg=" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (venv / "src").exists()


def test_a_private_editable_checkout_leaks_its_token_nowhere(
    backends: IndexServer, venv: Path, tmp_path: Path
) -> None:
    origin = git_repo(tmp_path / "origin", project("edprivate"))
    pinned = head(origin)
    root = tmp_path / "served"
    root.mkdir()
    git(tmp_path, "clone", "--quiet", "--mirror", str(origin), str(root / "repo.git"))
    env, argv_log = logging_git(tmp_path)
    cache = tmp_path / "cache"
    with git_smart_http(root, "me", SECRET) as (base, seen):
        private = base.replace("http://", f"http://me:{SECRET}@")
        line = f"git+{private}/repo.git@{pinned}#egg=edprivate"
        done = install(
            backends, venv, "--cache-dir", str(cache), "-v", "-e", line, cwd=tmp_path, env=env
        )
        assert done.returncode == 0, done.stderr
        assert seen.authorized > 0
        frozen = freeze(venv, tmp_path)
    checkout = venv / "src" / "edprivate"
    assert git(checkout, "remote", "get-url", "origin") == f"{base}/repo.git"
    assert frozen == [f"-e git+{base}/repo.git@{pinned}#egg=edprivate"]
    assert argv_log.read_text()
    for text in (done.stdout, done.stderr, argv_log.read_text()):
        assert SECRET not in text
    assert SECRET.encode() not in _all_bytes(cache, venv)
