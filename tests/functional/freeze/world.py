"""Environments for freeze tests: real venvs whose distributions are hand-written
``.dist-info``/``.egg-info`` directories (every form ``pip freeze`` knows), real git checkouts
for editable installs, and ``pip freeze`` run on the same environment as the oracle."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.helpers.install_world import run_pinset, site_packages


def put_dist(
    site: Path,
    name: str,
    version: str,
    *,
    direct_url: object = None,
    egg_info: bool = False,
) -> Path:
    """Write a distribution's metadata directory (and ``direct_url.json``: a dict is dumped,
    a string is written as it is)."""
    stem = f"{name.replace('-', '_')}-{version.replace(' ', '_')}"
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\n"
    if egg_info:
        path = site / f"{stem}.egg-info"
        path.mkdir(parents=True)
        (path / "PKG-INFO").write_text(meta)
        return path
    path = site / f"{stem}.dist-info"
    path.mkdir(parents=True)
    (path / "METADATA").write_text(meta)
    (path / "INSTALLER").write_text("pip\n")
    (path / "RECORD").write_text("")
    if direct_url is not None:
        text = direct_url if isinstance(direct_url, str) else json.dumps(direct_url)
        (path / "direct_url.json").write_text(text)
    return path


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        [
            "git",
            "-c",
            "user.email=t@example.com",
            "-c",
            "user.name=t",
            "-c",
            "init.defaultBranch=main",
            *args,
        ],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


def checkout(
    path: Path, *, remotes: dict[str, str], project: str = "", packed: bool = False
) -> str:
    """A git repository at ``path`` with one commit and ``remotes``; the project (a
    ``pyproject.toml``) in ``project`` below it. Returns the commit."""
    root = path / project if project else path
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    git(path, "init", "-q")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "first")
    for name, url in remotes.items():
        git(path, "remote", "add", name, url)
    if packed:
        git(path, "pack-refs", "--all")
    return git(path, "rev-parse", "HEAD")


def editable(site: Path, name: str, tree: Path) -> Path:
    return put_dist(
        site, name, "0.1", direct_url={"url": tree.as_uri(), "dir_info": {"editable": True}}
    )


def pip_freeze(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "freeze", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def pinset_freeze(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_pinset("freeze", "--python", str(venv), *args, cwd=cwd)


__all__ = [
    "checkout",
    "editable",
    "git",
    "pinset_freeze",
    "pip_freeze",
    "put_dist",
    "site_packages",
]
