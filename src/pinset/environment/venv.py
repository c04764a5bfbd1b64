"""Create a virtual environment with the *target* interpreter's own ``venv`` module.

``--without-pip`` keeps creation fast (no wheel unpacking); ``seed=True`` then runs the new
environment's ``ensurepip`` (offline, the pip bundled with that Python).

``venv`` runs with ``-I -S``: the interpreter may be another environment's, and ``site`` would
run the ``.pth`` files and ``sitecustomize`` of the packages installed there (the environment
made is the same without it). ``ensurepip`` keeps ``site``: it runs pip in the new environment,
which needs ``site`` to know it is in one; that environment holds nothing yet.

A *relocatable* environment (``relocatable=True``) still works once its directory is moved:
``pyvenv.cfg`` says ``relocatable = true``, which makes pinset write scripts that run the
``python`` beside them (:mod:`pinset.install.scripts`), and the ``activate`` scripts for
bash/zsh and fish find the environment from their own location. ``bin/python`` stays a link
to the base interpreter, which must stay where it is; ``activate.csh`` keeps the absolute path
(csh cannot tell a sourced file where it is).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from pinset._dataclass import dataclass
from pinset.environment.discovery import bin_python
from pinset.environment.schemes import RELOCATABLE_KEY, is_relocatable
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
    relocatable: bool = False,
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
    if relocatable:
        make_relocatable(dest)
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


_SH_HERE = '"$(cd -- "$(dirname -- "${BASH_SOURCE[0]:-$0}")/.." && pwd)"'
_FISH_HERE = "(builtin realpath (dirname (status filename))/..)"


def make_relocatable(dest: Path) -> None:
    """Mark the environment at ``dest`` relocatable and make its activate scripts find it
    from where they are instead of the absolute path ``venv`` wrote."""
    cfg = dest / "pyvenv.cfg"
    text = cfg.read_text(encoding="utf-8")
    if not is_relocatable(dest):
        cfg.write_text(text.rstrip("\n") + f"\n{RELOCATABLE_KEY} = true\n", encoding="utf-8")
    quoted = f'"{dest}"'
    for name, here in (("activate", _SH_HERE), ("activate.fish", _FISH_HERE)):
        script = dest / "bin" / name
        if script.is_file():
            body = script.read_text(encoding="utf-8")
            script.write_text(body.replace(quoted, here), encoding="utf-8")
