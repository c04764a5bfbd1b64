"""Which environment a command changes: the interpreter, and where its files go.

The interpreter is ``--python VERSION|PATH``, else ``$VIRTUAL_ENV``, else ``./.venv``, else the
Python running pinset. ``--target DIR`` puts everything under DIR (libraries in DIR, scripts in
DIR/bin) and ``--prefix DIR`` uses the interpreter's scheme re-rooted at DIR, as pip does. An
interpreter marked EXTERNALLY-MANAGED (PEP 668) is refused unless ``--break-system-packages``,
``--target`` or ``--prefix`` is given.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import NormalizedName

from pinset.dists import InstalledDist
from pinset.environment.installed import scan, scan_dirs
from pinset.environment.interpreter import Interpreter, find_target, query
from pinset.environment.managed import externally_managed_error
from pinset.errors import TargetEnvironmentError
from pinset.settings import Settings


@dataclass(frozen=True)
class Target:
    """The interpreter and the directories one run installs into."""

    interpreter: Interpreter
    kind: str
    """``"environment"`` (the interpreter's own), ``"target"`` (``--target``) or ``"prefix"``."""
    location: Path

    def installed(self) -> dict[NormalizedName, InstalledDist]:
        if self.kind == "target":
            return scan_dirs([self.location])
        return scan(self.interpreter)


def _interpreter_cache(settings: Settings) -> Path | None:
    if settings.no_cache_dir.value:
        return None
    from pinset.cache import cache_root  # the cache package is only needed past the no-op

    return cache_root(settings.cache_dir.value)


def _rooted(path: str, old: Path, new: Path) -> str:
    try:
        return str(new / Path(path).relative_to(old))
    except ValueError:
        return path


def _into_dir(interp: Interpreter, directory: Path) -> Interpreter:
    paths = dict(interp.paths)
    paths.update(
        purelib=str(directory),
        platlib=str(directory),
        scripts=str(directory / "bin"),
        data=str(directory),
        headers=str(directory / "include"),
        include=str(directory / "include"),
    )
    return dataclasses.replace(interp, paths=paths, prefix=directory)


def _into_prefix(interp: Interpreter, prefix: Path) -> Interpreter:
    keys = ("purelib", "platlib", "scripts", "data", "headers", "include")
    paths = dict(interp.paths)
    for key in keys:
        if key in paths:
            paths[key] = _rooted(paths[key], interp.prefix, prefix)
    return dataclasses.replace(interp, paths=paths, prefix=prefix)


def _directory(text: str, cwd: Path) -> Path:
    return Path(os.path.abspath(cwd / os.path.expanduser(text)))


def choose_target(settings: Settings, *, environ: Mapping[str, str], cwd: Path) -> Target:
    """The run's target; raises TargetEnvironmentError when it is missing or refused."""
    executable = find_target(settings.python.value, environ=environ, cwd=cwd)
    interp = query(executable, cache_dir=_interpreter_cache(settings))
    target_dir, prefix = settings.target.value, settings.prefix.value
    if target_dir and prefix:
        raise TargetEnvironmentError(
            "--target and --prefix cannot be used together", hint="choose one of them"
        )
    if target_dir:
        directory = _directory(target_dir, cwd)
        if directory.exists() and not directory.is_dir():
            raise TargetEnvironmentError(f"--target {target_dir} exists and is not a directory")
        return Target(_into_dir(interp, directory), "target", directory)
    if prefix:
        directory = _directory(prefix, cwd)
        return Target(_into_prefix(interp, directory), "prefix", directory)
    refusal = externally_managed_error(interp)
    if refusal is not None and not settings.break_system_packages.value:
        raise refusal
    return Target(interp, "environment", interp.prefix)
