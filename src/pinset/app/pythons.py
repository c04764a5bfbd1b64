"""Which Python an application runs on.

The version comes from ``--python VERSION``, else ``.python-version`` (pyenv's file: its first
line that is not blank or a comment, ``3.12`` or ``3.12.1``), else the legacy ``runtime.txt``
(``python-3.12.1``). It is looked for among the interpreters on the machine: ``--python PATH``
first, then ``python3``/``python3.N`` on ``PATH``, then pyenv's versions
(:func:`pinset.environment.discovery.available_interpreters`). ``3.12`` accepts any 3.12.x;
``3.12.1`` only that release. With no version asked, ``--python PATH`` or else the first
interpreter found is used. None matching is an error pointing at the line, listing what there
is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from pinset._dataclass import dataclass
from pinset.environment.discovery import available_interpreters, find_interpreter
from pinset.environment.interpreter import query
from pinset.errors import AppError, Location, PinsetError, TargetEnvironmentError
from pinset.interpreter import Interpreter

PYTHON_VERSION = ".python-version"
RUNTIME_TXT = "runtime.txt"
MIN_PYTHON = (3, 8)
_VERSION = re.compile(r"^(?:c?python-?)?(\d+(?:\.\d+){0,2})$", re.IGNORECASE)
_RUNTIME = re.compile(r"^python-(\d+(?:\.\d+){0,2})$")


@dataclass(frozen=True)
class PythonRequest:
    """A version asked for, and where it was asked."""

    version: tuple[int, ...]
    where: Location | str

    @property
    def text(self) -> str:
        return ".".join(map(str, self.version))

    def accepts(self, version: tuple[int, ...]) -> bool:
        return version[: len(self.version)] == self.version


@dataclass(frozen=True)
class ChosenPython:
    interpreter: Interpreter
    request: PythonRequest | None
    file: Path | None
    """The version file read (part of the build key), if any."""


def read_request(root: Path) -> tuple[PythonRequest | None, Path | None]:
    """The version ``.python-version`` (else ``runtime.txt``) asks for, and the file read."""
    for name, pattern in ((PYTHON_VERSION, _VERSION), (RUNTIME_TXT, _RUNTIME)):
        path = root / name
        if path.is_file():
            return _parse(path, pattern), path
    return None, None


def _parse(path: Path, pattern: re.Pattern[str]) -> PythonRequest:
    text = path.read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        word = line.strip()
        if not word or word.startswith("#"):
            continue
        match = pattern.match(word)
        if match is None:
            example = "python-3.12.1" if path.name == RUNTIME_TXT else "3.12 or 3.12.1"
            raise AppError(
                f"{path.name} asks for {word!r}, which is not a Python version",
                where=Location(str(path), number, line.index(word) + 1),
                hint=f"write a CPython version such as {example}",
            )
        return PythonRequest(tuple(int(p) for p in match.group(1).split(".")), _at(path, number))
    raise AppError(
        f"{path.name} names no Python version",
        where=str(path),
        hint="write a version such as 3.12, or remove the file",
    )


def _at(path: Path, line: int) -> Location:
    return Location(str(path), line, 1)


def choose_python(
    root: Path,
    python: str | None,
    *,
    environ: Mapping[str, str],
    cwd: Path,
    cache_dir: Path | None,
) -> ChosenPython:
    """The interpreter the application asks for (see the module docstring)."""
    request, file = read_request(root)
    given: Path | None = None
    if python:
        flag = _VERSION.match(python)
        if flag is not None:
            request = PythonRequest(tuple(int(p) for p in flag.group(1).split(".")), "--python")
        else:
            given = find_interpreter(python, environ=environ, cwd=cwd)
    if request is not None and request.version[:2] < MIN_PYTHON:
        raise AppError(
            f"Python {request.text} is older than pinset supports (3.8 or newer)",
            where=request.where,
            hint="ask for Python 3.8 or newer",
        )
    seen: list[Interpreter] = []
    for interp in _candidates(given, environ, cache_dir):
        if request is None and interp.version[:2] < MIN_PYTHON:
            continue
        if request is None or request.accepts(interp.version):
            return ChosenPython(interp, request, file)
        seen.append(interp)
    raise _unavailable(request, seen)


def _candidates(
    given: Path | None, environ: Mapping[str, str], cache_dir: Path | None
) -> Iterator[Interpreter]:
    paths = [given] if given is not None else []
    for path in [*paths, *available_interpreters(environ)]:
        try:
            yield query(path, cache_dir=cache_dir)
        except PinsetError:
            continue  # an interpreter that does not run is not a candidate


def _unavailable(request: PythonRequest | None, seen: list[Interpreter]) -> PinsetError:
    found = ", ".join(f"{i.version_text} ({i.executable})" for i in seen) or "none"
    if request is None:
        return TargetEnvironmentError(
            "no Python interpreter found on PATH or in ~/.pyenv/versions",
            hint="install Python 3, or give one with --python PATH",
        )
    return TargetEnvironmentError(
        f"Python {request.text} is not available on this machine",
        where=request.where,
        note=f"available: {found}",
        hint=f"install it (e.g. `pyenv install {request.text}`), ask for an available version, "
        "or give an interpreter with --python PATH",
    )
