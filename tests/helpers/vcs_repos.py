"""Real repositories made by the tests, with the real tools (git; hg, svn, brz to come)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

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
