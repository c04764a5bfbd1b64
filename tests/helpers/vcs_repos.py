"""Real repositories made by the tests, with the real tools (git; hg, svn, brz to come)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from pinset.vcs._run import without_virtual_environments

_GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    """``git ARGS`` in ``repo`` (file submodules allowed, as a test's own setup needs)."""
    env = {**os.environ, **_GIT_ENV, "HOME": str(repo.parent)}
    done = subprocess.run(
        ["git", "-c", "protocol.file.allow=always", "-c", "init.defaultBranch=main", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def git_repo(path: Path, files: dict[str, str] | None = None) -> Path:
    """A new git repository at ``path`` with one commit of ``files`` on ``main``."""
    path.mkdir(parents=True)
    git(path, "init", "--quiet")
    commit(path, files or {"README": "first\n"}, "first")
    return path


def commit(repo: Path, files: dict[str, str], message: str) -> str:
    """Write ``files`` into ``repo``, commit them, return the new commit's id."""
    for name, text in files.items():
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD")


def hg(repo: Path, *args: str) -> str:
    """``hg ARGS`` in ``repo``, as a test's own setup needs (no user configuration)."""
    env = {**os.environ, "HGRCPATH": "", "HGPLAIN": "1", "HGUSER": "Test <test@example.org>"}
    done = subprocess.run(
        ["hg", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def hg_repo(path: Path, files: dict[str, str] | None = None) -> Path:
    """A new Mercurial repository at ``path`` with one changeset of ``files``."""
    path.mkdir(parents=True)
    hg(path, "init")
    hg_commit(path, files or {"README": "first\n"}, "first")
    return path


def hg_commit(repo: Path, files: dict[str, str], message: str) -> str:
    for name, text in files.items():
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    hg(repo, "addremove", "--quiet")
    hg(repo, "commit", "--quiet", "-m", message)
    return hg_node(repo)


def hg_node(repo: Path, revision: str = ".") -> str:
    return hg(repo, "log", "--rev", revision, "--template", "{node}")


def svn_repo(root: Path, commits: list[dict[str, str]]) -> str:
    """A Subversion repository under ``root`` (``svnadmin create``) with one revision per
    entry of ``commits``, revision N dated 20(18+2N)-01-01; its ``file://`` URL."""
    repo, work = root / "svnrepo", root / "svnwork"
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["svnadmin", "create", str(repo)], check=True)
    url = repo.as_uri()
    svn = ["svn", "--non-interactive", "--quiet"]
    subprocess.run([*svn, "checkout", url, str(work)], check=True)
    for n, files in enumerate(commits, start=1):
        for name, text in files.items():
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            (work / name).write_text(text)
        subprocess.run([*svn, "add", "--force", "."], cwd=work, check=True)
        subprocess.run([*svn, "commit", "-m", f"r{n}"], cwd=work, check=True)
        date = f"{2018 + 2 * n}-01-01T00:00:00.000000Z"
        subprocess.run(
            ["svnadmin", "setrevprop", str(repo), "-r", str(n), "svn:date", "/dev/stdin"],
            input=date.encode(),
            check=True,
        )
    return url


def brz(cwd: Path, *args: str) -> str:
    """``brz ARGS`` in ``cwd``, as a test's own setup needs."""
    env = {**os.environ, "BRZ_EMAIL": "Test <test@example.org>", "BRZ_PROGRESS_BAR": "none"}
    env["PATH"] = without_virtual_environments(env.get("PATH", ""))  # as pinset runs it
    done = subprocess.run(
        ["brz", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"brz {' '.join(args)} failed:\n{done.stdout}{done.stderr}"
    return done.stdout.strip()


def brz_commit(branch: Path, files: dict[str, str], message: str) -> str:
    """Write ``files`` into ``branch``, commit them, return the new revision id."""
    for name, text in files.items():
        (branch / name).write_text(text)
    brz(branch, "add", "--quiet")
    brz(branch, "commit", "--quiet", "-m", message)
    return brz(branch, "revision-info").split()[-1]
