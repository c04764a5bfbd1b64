"""``venv``: create a virtual environment with a chosen interpreter (the library side).

The interpreter is ``--python`` (a version found on PATH or in ~/.pyenv, or a path), else the
one running pinset. An existing environment is replaced only with ``clear``; a non-empty
directory that is not an environment is refused.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

from pinset._dataclass import dataclass
from pinset.environment.discovery import find_interpreter
from pinset.environment.interpreter import query
from pinset.environment.venv import create_venv, is_venv_dir
from pinset.errors import TargetEnvironmentError

MIN_TARGET = (3, 8)


@dataclass(frozen=True)
class VenvResult:
    path: Path
    executable: Path
    base_python: Path
    version: str
    implementation: str
    seeded: bool
    replaced: bool


def create(
    dest: Path,
    *,
    python: str | None,
    environ: Mapping[str, str],
    cwd: Path,
    seed: bool = False,
    clear: bool = False,
    prompt: str | None = None,
    system_site_packages: bool = False,
    cache_dir: Path | None = None,
    relocatable: bool = False,
) -> VenvResult:
    """Create the environment at ``dest`` (relative to ``cwd``)."""
    dest = dest if dest.is_absolute() else cwd / dest
    base = find_interpreter(python, environ=environ, cwd=cwd) if python else Path(sys.executable)
    interp = query(base, cache_dir=cache_dir)
    if interp.version[:2] < MIN_TARGET:
        raise TargetEnvironmentError(
            f"{base} is Python {interp.version_text}; pinset supports 3.8 or newer",
            hint="choose another interpreter with --python",
        )
    existed = is_venv_dir(dest)
    if existed and not clear:
        raise TargetEnvironmentError(
            f"a virtual environment already exists at {dest}",
            hint="use --clear to replace it, or choose another directory",
        )
    made = create_venv(
        dest,
        python=base,
        seed=seed,
        prompt=prompt,
        system_site_packages=system_site_packages,
        clear=clear,
        relocatable=relocatable,
    )
    return VenvResult(
        path=made.path,
        executable=made.executable,
        base_python=base,
        version=interp.version_text,
        implementation=interp.implementation,
        seeded=made.seeded,
        replaced=existed,
    )
