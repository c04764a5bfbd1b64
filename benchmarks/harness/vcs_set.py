"""The ``vcs`` requirement set, made by the harness: local git repositories, each a small
project built by an in-tree PEP 517 backend (no build requirement, so no tool needs an index),
named as ``name @ git+file:///…@COMMIT`` lines pinned to full commit ids. Every tool (uv
included: it supports git) gets the same file; made again only when missing."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

COUNT = 8
"""How many repositories the set names."""

_BACKEND = '''"""An in-tree build backend: one module and its dist-info, written by hand."""
import base64, hashlib, os, zipfile

NAME, VERSION = open(os.path.join(os.path.dirname(__file__), "NAME")).read().split()
DIST = NAME + "-" + VERSION + ".dist-info"


def _files():
    body = open(os.path.join(os.path.dirname(__file__), NAME + ".py"), "rb").read()
    meta = "Metadata-Version: 2.1\\nName: %s\\nVersion: %s\\n" % (NAME, VERSION)
    wheel = "Wheel-Version: 1.0\\nGenerator: bench\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"
    return {NAME + ".py": body, DIST + "/METADATA": meta.encode(), DIST + "/WHEEL": wheel.encode()}


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name = "%s-%s-py3-none-any.whl" % (NAME, VERSION)
    lines = []
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as zf:
        for path, data in _files().items():
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            lines.append("%s,sha256=%s,%d" % (path, digest.decode(), len(data)))
            zf.writestr(path, data)
        lines.append(DIST + "/RECORD,,")
        zf.writestr(DIST + "/RECORD", "\\n".join(lines) + "\\n")
    return name
'''

_PYPROJECT = """[build-system]
requires = []
build-backend = "backend"
backend-path = ["."]
"""

_GIT_ENV = {
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, **_GIT_ENV, "HOME": str(repo.parent)}
    done = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def _repository(path: Path, name: str) -> str:
    """A repository at ``path`` holding project ``name`` 1.0; its commit id."""
    path.mkdir(parents=True)
    files = {
        "pyproject.toml": _PYPROJECT,
        "backend.py": _BACKEND,
        "NAME": f"{name} 1.0\n",
        f"{name}.py": f'"""{name}"""\nVALUE = {name!r}\n',
    }
    for rel, text in files.items():
        (path / rel).write_text(text)
    _git(path, "init", "--quiet")
    _git(path, "add", "--all")
    _git(path, "commit", "--quiet", "-m", "first")
    return _git(path, "rev-parse", "HEAD")


def vcs_requirements(work: Path) -> Path:
    """``work/sets/vcs.in`` (made with its repositories under ``work/vcs-repos`` if missing)."""
    target = work / "sets" / "vcs.in"
    if target.is_file():
        return target
    lines = []
    for n in range(COUNT):
        name = f"benchvcs{n}"
        repo = work / "vcs-repos" / name
        commit = _repository(repo, name)
        lines.append(f"{name} @ git+{repo.as_uri()}@{commit}\n")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("".join(lines))
    return target
