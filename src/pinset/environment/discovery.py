"""Which Python a command works on, found the way ``uv pip`` finds it.

1. ``--python PATH`` (it contains a path separator or names an existing file or directory; a
   directory means an environment or installation prefix: its ``bin/python``): that
   interpreter, whatever it is. The user named it.
2. ``--python VERSION`` (``3.12``, ``3.12.1``, ``python3.12``, ``py3.12``, ``cpython3.12``) or a
   command name (``python3``, ``pypy3``): looked up as ``python3.12`` on ``PATH`` (pyenv shims
   skipped), then under ``$PYENV_ROOT/versions`` (default ``~/.pyenv/versions``), newest
   matching first. A command that changes the environment takes only a virtual (or conda)
   environment from this search, unless ``--system`` is given; with ``--system``, only a
   Python that is not in a virtual environment.
3. No ``--python``: ``$VIRTUAL_ENV``, then ``$CONDA_PREFIX`` (conda's *base* environment counts
   as a system Python), then ``.venv`` in the working directory or the nearest parent that has
   one. With ``--system`` virtual environments are skipped: the active conda base environment,
   else the first ``python3``/``python`` on ``PATH`` outside a virtual environment.
4. Nothing found: ``python -m pinset`` means the interpreter running it (pip's meaning); a
   command that only reads (``check --env``) takes the first ``python3``/``python`` on ``PATH``
   outside a virtual environment; anything else is refused with a hint. The environment
   pinset itself runs from is never a silent fallback.

A ``.venv`` that cannot be used (a broken symbolic link, a file, a directory without
``pyvenv.cfg``, or one whose interpreter is missing) is an error, never a reason to look
further: the user meant that environment.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

from pinset._dataclass import dataclass
from pinset.errors import TargetEnvironmentError

_VERSION_REQUEST = re.compile(r"^(?:python|py|cpython)?(\d+)(?:\.(\d+))?(?:\.(\d+))?$", re.I)
NOTHING_FOUND_HINT = (
    "create one with `pinset venv`, choose one with --python PATH, or pass --system to use "
    "the Python on PATH"
)


@dataclass(frozen=True)
class TargetQuery:
    """What decides which Python a command works on."""

    python: str | None = None
    """``--python``: a version, a command name or a path."""
    system: bool = False
    """``--system``: a Python outside a virtual environment is wanted, and allowed."""
    changes: bool = True
    """False for a command that only reads the environment (``check --env``)."""
    as_module: bool = False
    """Started as ``python -m pinset``: that interpreter is the last resort, as with pip."""


@dataclass(frozen=True)
class Found:
    """The target's executable (not checked to run: see ``query``) and how it was chosen."""

    executable: Path
    named_by_path: bool = False
    """``--python`` gave its path: the user asked for this very environment."""


def bin_python(prefix: Path) -> Path:
    """The interpreter inside an environment or installation ``prefix``."""
    if os.name == "nt":
        return prefix / "Scripts" / "python.exe"
    for name in ("python", "python3"):
        if (prefix / "bin" / name).exists():
            return prefix / "bin" / name
    return prefix / "bin" / "python"


def is_virtual(executable: Path) -> bool:
    """Whether ``executable`` runs in a virtual environment (PEP 405: ``pyvenv.cfg`` beside it
    or one directory up), judged from the path as given, symbolic links not followed."""
    return any((d / "pyvenv.cfg").is_file() for d in (executable.parent, executable.parent.parent))


def find_interpreter(python: str, *, environ: Mapping[str, str], cwd: Path) -> Path:
    """The interpreter ``--python`` names, of any kind (the base of ``pinset venv``)."""
    return find_target(TargetQuery(python, changes=False), environ=environ, cwd=cwd).executable


def find_target(query: TargetQuery, *, environ: Mapping[str, str], cwd: Path) -> Found:
    """The command's target; raises TargetEnvironmentError when none is found or allowed."""
    if query.python:
        return _from_request(query, environ, cwd)
    found = _system_python(environ) if query.system else _active_environment(environ, cwd)
    if found is None:
        found = _last_resort(query, environ)
    if found is not None:
        return Found(found)
    if query.system:
        raise TargetEnvironmentError(
            "no Python found on PATH outside a virtual environment (--system)",
            hint="give the interpreter with --python PATH",
        )
    raise TargetEnvironmentError(
        f"no virtual environment found: {_looked_at(environ)} and there is no .venv in {cwd} "
        "or its parents",
        hint=NOTHING_FOUND_HINT,
        note=_base_conda_note(environ),
    )


def _looked_at(environ: Mapping[str, str]) -> str:
    if environ.get("CONDA_PREFIX"):
        return "VIRTUAL_ENV is not set, the active conda environment is conda's base"
    return "VIRTUAL_ENV and CONDA_PREFIX are not set"


def _last_resort(query: TargetQuery, environ: Mapping[str, str]) -> Path | None:
    """When nothing was found: ``python -m pinset``'s interpreter (not a virtual environment's
    with ``--system``), else for a command that reads, the Python on PATH."""
    running = Path(sys.executable)
    if query.as_module and not (query.system and is_virtual(running)):
        return running
    if not query.changes and not query.system:
        return _system_python(environ)
    return None


def _active_environment(environ: Mapping[str, str], cwd: Path) -> Path | None:
    """``$VIRTUAL_ENV``, a conda environment other than base, or the nearest ``.venv``."""
    venv = environ.get("VIRTUAL_ENV")
    if venv:
        found = bin_python(cwd / venv)
        if not found.exists():
            raise TargetEnvironmentError(
                f"VIRTUAL_ENV points to {venv}, which has no Python interpreter",
                hint="activate an existing environment or unset VIRTUAL_ENV",
            )
        return found
    conda = environ.get("CONDA_PREFIX")
    if conda and not _is_conda_base(conda, environ):
        found = bin_python(cwd / conda)
        if not found.exists():
            raise TargetEnvironmentError(
                f"CONDA_PREFIX points to {conda}, which has no Python interpreter",
                hint="activate an environment that has Python, or deactivate conda",
            )
        return found
    return _dot_venv(cwd)


def _is_conda_base(prefix: str, environ: Mapping[str, str]) -> bool:
    """Whether ``prefix`` is conda's base environment (the installation itself): its root
    (``_CONDA_ROOT``), or the environment activated under the name ``base`` or ``root``."""
    root = environ.get("_CONDA_ROOT")
    if root and os.path.normpath(root) == os.path.normpath(prefix):
        return True
    return environ.get("CONDA_DEFAULT_ENV") in ("base", "root")


def _base_conda_note(environ: Mapping[str, str]) -> str | None:
    conda = environ.get("CONDA_PREFIX")
    if conda and _is_conda_base(conda, environ):
        return f"the active conda base environment ({conda}) is a system Python: --system uses it"
    return None


def _dot_venv(cwd: Path) -> Path | None:
    """The interpreter of ``.venv`` in ``cwd`` or the nearest parent that has one."""
    start = Path(os.path.abspath(cwd))
    for directory in (start, *start.parents):
        local = directory / ".venv"
        if not os.path.lexists(local):
            continue
        unusable = _unusable_venv(local, local if directory != start else Path(".venv"))
        if unusable is not None:
            problem, fix = unusable
            raise TargetEnvironmentError(
                f"{local} is not a usable virtual environment: {problem}",
                hint=f"{fix}, or choose the environment with --python or VIRTUAL_ENV",
            )
        return bin_python(local)
    return None


def _unusable_venv(prefix: Path, spelled: Path) -> tuple[str, str] | None:
    """Why the environment at ``prefix`` cannot be the target and how to mend it, or None
    (``spelled``: the path as the hint's command names it)."""
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
    fix = f"recreate it (pinset venv --clear {spelled})"
    if python.is_symlink():
        return f"its interpreter {python} is a broken symbolic link to {os.readlink(python)}", fix
    return f"it has no interpreter at {python}", fix


def _system_python(environ: Mapping[str, str]) -> Path | None:
    """The active conda base environment, else the first ``python3``/``python`` on PATH that
    is not in a virtual environment."""
    conda = environ.get("CONDA_PREFIX")
    if conda and _is_conda_base(conda, environ):
        return bin_python(Path(conda))
    for found in _on_path(("python3", "python"), environ):
        if not is_virtual(found):
            return found
    return None


def _is_environment(executable: Path, environ: Mapping[str, str]) -> bool:
    """A virtual environment's interpreter, or the active conda environment's (not base)."""
    if is_virtual(executable):
        return True
    conda = environ.get("CONDA_PREFIX")
    if not conda or _is_conda_base(conda, environ):
        return False
    return os.path.normpath(executable.parent.parent) == os.path.normpath(conda)


def _from_request(query: TargetQuery, environ: Mapping[str, str], cwd: Path) -> Found:
    python = query.python or ""
    candidate = cwd / os.path.expanduser(python)
    looks_like_path = os.sep in python or (os.altsep or os.sep) in python
    if looks_like_path or candidate.exists():
        if candidate.is_dir():
            candidate = bin_python(candidate)
        if not candidate.exists():
            raise TargetEnvironmentError(
                f"no Python interpreter at {python}", hint="give a path to a python executable"
            )
        return Found(candidate, named_by_path=True)
    match = _VERSION_REQUEST.match(python)
    found = _find_version(match, environ) if match else _on_path((python,), environ)
    first: Path | None = None
    for executable in found:
        if _acceptable(executable, query, environ):
            return Found(executable)
        first = first or executable
    if first is None:
        raise TargetEnvironmentError(
            f"no Python interpreter found for --python {python}",
            hint="give a path, or install that version (looked on PATH and in ~/.pyenv)",
        )
    raise _wrong_kind(query, first)


def _acceptable(executable: Path, query: TargetQuery, environ: Mapping[str, str]) -> bool:
    if query.system:
        return not _is_environment(executable, environ)
    return not query.changes or _is_environment(executable, environ)


def _wrong_kind(query: TargetQuery, executable: Path) -> TargetEnvironmentError:
    if query.system:
        return TargetEnvironmentError(
            f"--python {query.python} --system found only interpreters in virtual "
            f"environments, such as {executable}",
            hint="drop --system to use it, or give the interpreter's path with --python",
        )
    return TargetEnvironmentError(
        f"--python {query.python} found {executable}, which is not in a virtual environment",
        hint=f"pass --system to change it (PEP 668 still applies), or create an environment "
        f"with `pinset venv --python {query.python}`",
    )


def _on_path(commands: tuple[str, ...], environ: Mapping[str, str]) -> Iterator[Path]:
    """Each of ``commands`` on PATH, directory by directory, skipping pyenv shims (they fail
    unless that version is selected; the real interpreters under ``versions/`` are searched
    separately)."""
    for directory in environ.get("PATH", os.defpath).split(os.pathsep):
        if not directory or _is_shim_dir(Path(directory)):
            continue
        for command in commands:
            found = shutil.which(command, path=directory)
            if found:
                yield Path(found)


def _is_shim_dir(directory: Path) -> bool:
    return directory.name == "shims" and "pyenv" in directory.parent.name.lower()


def _find_version(match: re.Match[str], environ: Mapping[str, str]) -> Iterator[Path]:
    major, minor, micro = match.group(1), match.group(2), match.group(3)
    wanted = ".".join(p for p in (major, minor, micro) if p is not None)
    if micro is None:
        yield from _on_path((f"python{major}.{minor}" if minor else f"python{major}",), environ)
    yield from _find_pyenv(wanted, environ)


def _find_pyenv(wanted: str, environ: Mapping[str, str]) -> Iterator[Path]:
    root_text = environ.get("PYENV_ROOT")
    home = environ.get("HOME")
    if root_text:
        root = Path(root_text)
    elif home:
        root = Path(home) / ".pyenv"
    else:
        return
    versions = root / "versions"
    try:
        entries = [p for p in versions.iterdir() if _matches(p.name, wanted)]
    except OSError:
        return
    for entry in sorted(entries, key=lambda p: _version_key(p.name), reverse=True):
        exe = bin_python(entry)
        if exe.exists():
            yield exe


def _matches(name: str, wanted: str) -> bool:
    if not wanted:  # every version
        return all(part.isdigit() for part in name.split("."))
    if name == wanted:
        return True
    rest = name[len(wanted) + 1 :] if name.startswith(wanted + ".") else ""
    return bool(rest) and all(part.isdigit() for part in rest.split("."))


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else -1 for p in name.split("."))


_VERSIONED_COMMAND = re.compile(r"^python3(?:\.\d+)?$")


def available_interpreters(environ: Mapping[str, str]) -> list[Path]:
    """Every Python this search can find, in the order it prefers them: ``python3`` and
    ``python3.N`` on ``PATH`` (directory by directory, pyenv shims skipped), then each
    version under pyenv's ``versions``, newest first. Not checked to run; duplicates (the
    same file by another name) appear once."""
    found: dict[str, Path] = {}
    for directory in environ.get("PATH", os.defpath).split(os.pathsep):
        if not directory or _is_shim_dir(Path(directory)):
            continue
        try:
            names = sorted(p.name for p in Path(directory).iterdir())
        except OSError:
            continue
        commands = tuple(n for n in names if _VERSIONED_COMMAND.match(n))
        for exe in _on_path(commands, {"PATH": directory}):
            found.setdefault(os.path.realpath(exe), exe)
    for exe in _find_pyenv("", environ):
        found.setdefault(os.path.realpath(exe), exe)
    return list(found.values())
