"""Real target interpreters and virtual environments for tests, and exact tree snapshots."""

from __future__ import annotations

import hashlib
import os
import pwd
import stat
import subprocess
from pathlib import Path

SUPPORTED = ("3.8", "3.9", "3.10", "3.11", "3.12", "3.13")
_REAL_HOME = Path(pwd.getpwuid(os.getuid()).pw_dir)  # tests replace $HOME


def pyenv_root() -> Path:
    """The machine's pyenv versions directory (read before tests replace HOME)."""
    return _REAL_HOME / ".pyenv"


def python_for(version: str) -> Path | None:
    """``~/.pyenv/versions/<version>.N/bin/python`` for an ``X.Y`` version, newest patch."""
    versions = pyenv_root() / "versions"
    if not versions.is_dir():
        return None
    found = sorted(
        (p for p in versions.iterdir() if p.name.startswith(version + ".")),
        key=lambda p: tuple(int(x) for x in p.name.split(".") if x.isdigit()),
    )
    for entry in reversed(found):
        exe = entry / "bin" / "python"
        if exe.exists():
            return exe
    return None


def available_versions() -> list[str]:
    return [v for v in SUPPORTED if python_for(v) is not None]


def make_venv(dest: Path, version: str) -> Path:
    """A fresh virtual environment (no pip) made by that version's ``venv``; its python."""
    base = python_for(version)
    if base is None:
        raise LookupError(f"no Python {version} in {pyenv_root()}")
    subprocess.run(
        [str(base), "-I", "-m", "venv", "--without-pip", str(dest)],
        check=True,
        capture_output=True,
    )
    return dest / "bin" / "python"


Snapshot = dict[str, tuple[str, int, str]]


def snapshot(root: Path, *, ignore: tuple[str, ...] = (".pinset",)) -> Snapshot:
    """Every path under ``root``: (kind, mode, sha256 of content or link target).

    Names in ``ignore`` are skipped wherever they appear (pinset's lock/state directory).
    """
    out: Snapshot = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in ignore]
        base = Path(dirpath)
        for name in dirnames + filenames:
            if name in ignore:
                continue
            path = base / name
            st = path.lstat()
            rel = str(path.relative_to(root))
            if stat.S_ISLNK(st.st_mode):
                out[rel] = ("link", 0, os.readlink(path))
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = ("dir", stat.S_IMODE(st.st_mode), "")
            else:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                out[rel] = ("file", stat.S_IMODE(st.st_mode), digest)
    return out


def diff(before: Snapshot, after: Snapshot) -> dict[str, list[str]]:
    """Readable difference: added, removed and changed paths."""
    return {
        "added": sorted(set(after) - set(before)),
        "removed": sorted(set(before) - set(after)),
        "changed": sorted(p for p in set(before) & set(after) if before[p] != after[p]),
    }
