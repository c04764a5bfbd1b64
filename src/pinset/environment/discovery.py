"""Which Python to target: ``--python VERSION|PATH``, else ``VIRTUAL_ENV``, else ``./.venv``,
else the interpreter running pinset.

A ``.venv`` in the working directory that cannot be used (a broken symbolic link, a file, a
directory without ``pyvenv.cfg``, or one whose interpreter is missing) is an error, never a
reason to fall through to pinset's own interpreter: the user meant that environment.

A ``--python`` value is a path when it contains a path separator or names an existing file or
directory (a directory means an environment or installation prefix: its ``bin/python``).
Otherwise it is a version request (``3.12``, ``3.12.1``, ``python3.12``, ``py3.12``,
``cpython3.12``), looked up as ``python3.12`` on ``PATH`` (pyenv shims skipped), then under
``$PYENV_ROOT/versions`` (default ``~/.pyenv/versions``), newest matching first; or a command
name found on ``PATH`` (``python3``, ``pypy3``).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

from pinset.errors import TargetEnvironmentError

_VERSION_REQUEST = re.compile(r"^(?:python|py|cpython)?(\d+)(?:\.(\d+))?(?:\.(\d+))?$", re.I)


def bin_python(prefix: Path) -> Path:
    """The interpreter inside an environment or installation ``prefix``."""
    if os.name == "nt":
        return prefix / "Scripts" / "python.exe"
    for name in ("python", "python3"):
        if (prefix / "bin" / name).exists():
            return prefix / "bin" / name
    return prefix / "bin" / "python"


def find_target(python: str | None, *, environ: Mapping[str, str], cwd: Path) -> Path:
    """The executable of the target interpreter (not checked to run: see ``query``)."""
    if python:
        return _from_request(python, environ, cwd)
    venv = environ.get("VIRTUAL_ENV")
    if venv:
        found = bin_python(cwd / venv)
        if not found.exists():
            raise TargetEnvironmentError(
                f"VIRTUAL_ENV points to {venv}, which has no Python interpreter",
                hint="activate an existing environment or unset VIRTUAL_ENV",
            )
        return found
    local = cwd / ".venv"
    if not os.path.lexists(local):
        return Path(sys.executable)
    unusable = _unusable_venv(local)
    if unusable is not None:
        problem, fix = unusable
        raise TargetEnvironmentError(
            f"{local} is not a usable virtual environment: {problem}",
            hint=f"{fix}, or choose the environment with --python or VIRTUAL_ENV",
        )
    return bin_python(local)


def _unusable_venv(prefix: Path) -> tuple[str, str] | None:
    """Why the environment at ``prefix`` cannot be the target and how to mend it, or None."""
    if not prefix.exists():
        if prefix.is_symlink():
            return f"it is a broken symbolic link to {os.readlink(prefix)}", "remove the link"
        return "it cannot be read", "check its permissions"
    if not prefix.is_dir():
        return "it is not a directory", "rename or remove it"
    if not (prefix / "pyvenv.cfg").is_file():
        return "it has no pyvenv.cfg", "rename or remove it"
    python = bin_python(prefix)
    if python.exists():
        return None
    fix = f"recreate it (pinset venv --clear {prefix.name})"
    if python.is_symlink():
        return f"its interpreter {python} is a broken symbolic link to {os.readlink(python)}", fix
    return f"it has no interpreter at {python}", fix


def _from_request(python: str, environ: Mapping[str, str], cwd: Path) -> Path:
    candidate = cwd / os.path.expanduser(python)
    looks_like_path = os.sep in python or (os.altsep or os.sep) in python
    if looks_like_path or candidate.exists():
        if candidate.is_dir():
            candidate = bin_python(candidate)
        if not candidate.exists():
            raise TargetEnvironmentError(
                f"no Python interpreter at {python}", hint="give a path to a python executable"
            )
        return candidate
    match = _VERSION_REQUEST.match(python)
    found = _find_version(match, environ) if match else _which(python, environ)
    if found is None:
        raise TargetEnvironmentError(
            f"no Python interpreter found for --python {python}",
            hint="give a path, or install that version (looked on PATH and in ~/.pyenv)",
        )
    return found


def _which(command: str, environ: Mapping[str, str]) -> Path | None:
    """``command`` on PATH, skipping pyenv shims (they fail unless that version is selected;
    the real interpreters under ``versions/`` are searched separately)."""
    for directory in environ.get("PATH", os.defpath).split(os.pathsep):
        if not directory or _is_shim_dir(Path(directory)):
            continue
        found = shutil.which(command, path=directory)
        if found:
            return Path(found)
    return None


def _is_shim_dir(directory: Path) -> bool:
    return directory.name == "shims" and "pyenv" in directory.parent.name.lower()


def _find_version(match: re.Match[str], environ: Mapping[str, str]) -> Path | None:
    major, minor, micro = match.group(1), match.group(2), match.group(3)
    wanted = ".".join(p for p in (major, minor, micro) if p is not None)
    if micro is None:
        on_path = _which(f"python{major}.{minor}" if minor else f"python{major}", environ)
        if on_path is not None:
            return on_path
    return _find_pyenv(wanted, environ)


def _find_pyenv(wanted: str, environ: Mapping[str, str]) -> Path | None:
    root_text = environ.get("PYENV_ROOT")
    home = environ.get("HOME")
    if root_text:
        root = Path(root_text)
    elif home:
        root = Path(home) / ".pyenv"
    else:
        return None
    versions = root / "versions"
    try:
        entries = [p for p in versions.iterdir() if _matches(p.name, wanted)]
    except OSError:
        return None
    for entry in sorted(entries, key=lambda p: _version_key(p.name), reverse=True):
        exe = bin_python(entry)
        if exe.exists():
            return exe
    return None


def _matches(name: str, wanted: str) -> bool:
    if name == wanted:
        return True
    rest = name[len(wanted) + 1 :] if name.startswith(wanted + ".") else ""
    return bool(rest) and all(part.isdigit() for part in rest.split("."))


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else -1 for p in name.split("."))
