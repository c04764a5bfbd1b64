"""Create a virtual environment with the *target* interpreter's own ``venv`` module.

``--without-pip`` keeps creation fast (no wheel unpacking); ``seed=True`` then runs the new
environment's ``ensurepip`` (offline, the pip bundled with that Python).

``venv`` runs with ``-I -S``: the interpreter may be another environment's, and ``site`` would
run the ``.pth`` files and ``sitecustomize`` of the packages installed there (the environment
made is the same without it). ``ensurepip`` keeps ``site``: it runs pip in the new environment,
which needs ``site`` to know it is in one; that environment holds nothing yet.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from pinset.environment.discovery import bin_python
from pinset.errors import TargetEnvironmentError

VENV_TIMEOUT = 300.0


@dataclass(frozen=True)
class CreatedVenv:
    path: Path
    executable: Path
    base_python: Path
    seeded: bool


def is_venv_dir(path: Path) -> bool:
    return (path / "pyvenv.cfg").is_file()


def create_venv(
    dest: Path,
    *,
    python: Path,
    seed: bool = False,
    prompt: str | None = None,
    system_site_packages: bool = False,
    clear: bool = False,
) -> CreatedVenv:
    """Create (or, with ``clear``, recreate) a virtual environment at ``dest``.

    Refuses a non-empty ``dest`` that is not already a virtual environment, so that a typo
    never turns a project directory into an environment.
    """
    dest = dest.absolute()
    if dest.is_symlink() and not dest.exists():
        raise TargetEnvironmentError(
            f"{dest} is a broken symbolic link to {os.readlink(dest)}",
            hint="remove the link, or create the environment where it points",
        )
    if dest.exists() and not dest.is_dir():
        raise TargetEnvironmentError(f"{dest} exists and is not a directory")
    if dest.is_dir() and any(dest.iterdir()) and not is_venv_dir(dest):
        raise TargetEnvironmentError(
            f"{dest} is not empty and is not a virtual environment",
            hint="choose another directory or empty this one",
        )
    argv = [str(python), "-I", "-S", "-m", "venv", "--without-pip"]
    if prompt:
        argv += ["--prompt", prompt]
    if system_site_packages:
        argv.append("--system-site-packages")
    if clear:
        argv.append("--clear")
    _run([*argv, str(dest)], "create the virtual environment")
    executable = bin_python(dest)
    if seed:
        _run([str(executable), "-I", "-m", "ensurepip", "--default-pip"], "install pip (seed)")
    return CreatedVenv(path=dest, executable=executable, base_python=python, seeded=seed)


def _run(argv: list[str], what: str) -> None:
    try:
        proc = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            timeout=VENV_TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise TargetEnvironmentError(f"could not {what}: {exc}") from exc
    if proc.returncode != 0:
        detail = (proc.stderr.strip() or proc.stdout.strip() or "no output").splitlines()[-1]
        raise TargetEnvironmentError(
            f"could not {what}: {detail}",
            hint="check that the interpreter has the venv module (Debian: python3-venv)",
        )
