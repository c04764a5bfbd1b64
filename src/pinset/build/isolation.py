"""Temporary build environments (build isolation), and the environment a backend runs in.

Choice: a virtual environment of the *target* interpreter, made by its own ``venv`` module
without pip (``python -I -S -m venv --without-pip``: no ``site``, so no ``.pth`` of the target's
interpreter runs while it is made), as pypa/build does and uv does with its own
venv writer. pip instead installs into a prefix that it puts on ``PYTHONPATH`` and hides the
interpreter's site-packages with a generated ``sitecustomize``. A venv gives the backend
exactly the standard library plus the build requirements on ``sys.path`` (no user site, none
of the target's packages), puts the requirements' scripts (``cython``, ``cmake``) on ``PATH``,
and is to the installer one more ordinary environment; it costs one short process.

The backend's environment is the caller's, scrubbed of credentials
(:func:`pinset._subprocess.scrubbed_environ`); with isolation, ``PYTHONPATH``, ``PYTHONHOME``
and user site-packages are also kept out, and the build environment's ``bin`` leads ``PATH``.
``PYTHONUNBUFFERED`` is set so that the log holds the backend's output and errors in the order
it wrote them.
``~/.netrc`` stays readable to the backend: it is the user's own file, read as well by every
tool the backend may call, and pip leaves it too.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pinset._subprocess import run_logged, scrubbed_environ
from pinset.build.context import BuildEnvironment
from pinset.errors import BuildError

VENV_TIMEOUT = 300.0
_HIDDEN = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "__PYVENV_LAUNCHER__")


def create_build_env(
    python: Path, dest: Path, *, log: Path, base: Mapping[str, str]
) -> BuildEnvironment:
    """A new build environment at ``dest`` for the interpreter ``python``."""
    argv = [str(python), "-I", "-S", "-m", "venv", "--without-pip", str(dest)]
    done = run_logged(argv, log=log, env=scrubbed_environ(base), timeout=VENV_TIMEOUT)
    scripts = dest / "bin"
    if not done.ok or not (scripts / "python").exists():
        raise BuildError(
            f"cannot create a build environment with {python}",
            where=str(log),
            note="\n".join(done.tail) or None,
            hint="check that this Python has its venv module (Debian: python3-venv)",
        )
    return BuildEnvironment(dest, scripts / "python", scripts)


def backend_environ(base: Mapping[str, str], env: BuildEnvironment | None) -> dict[str, str]:
    """The environment a backend hook runs in: ``base`` scrubbed, and isolated for ``env``."""
    out = scrubbed_environ(base)
    out["PYTHONUNBUFFERED"] = "1"  # the log keeps stdout and stderr in the order written
    if env is None:
        return out
    for name in _HIDDEN:
        out.pop(name, None)
    out["PYTHONNOUSERSITE"] = "1"
    out["VIRTUAL_ENV"] = str(env.path)
    out["PATH"] = os.pathsep.join([str(env.scripts), *filter(None, [base.get("PATH")])])
    return out
