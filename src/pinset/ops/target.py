"""Which environment a command works on: the interpreter, and where its files go.

The interpreter is found by :mod:`pinset.environment.discovery` (``--python``, ``--system``,
``$VIRTUAL_ENV``, ``$CONDA_PREFIX``, ``.venv`` here or above; else refused). A command that
changes the environment also refuses the environment pinset itself runs from (``sys.prefix``:
a pinset installed with pipx or in a tool environment would break its own dependencies) unless
``--python`` names it by path or pinset was started as ``python -m pinset``.

``--target DIR``, ``--prefix DIR``, ``--user`` and ``--root DIR`` lay files out as pip does
(:mod:`pinset.environment.schemes`). Installing into an interpreter marked EXTERNALLY-MANAGED
(PEP 668), itself or its user site, is refused unless ``--break-system-packages`` is given;
``--target``, ``--prefix``, ``--root`` and dry runs are not refused, as with pip.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from packaging.utils import NormalizedName

from pinset._dataclass import dataclass
from pinset.dists import InstalledDist
from pinset.environment.discovery import TargetQuery, find_target
from pinset.environment.installed import scan
from pinset.environment.interpreter import query
from pinset.environment.schemes import (
    Scheme,
    SchemeKind,
    environment_scheme,
    prefix_scheme,
    root_scheme,
    target_scheme,
    user_scheme,
)
from pinset.errors import TargetEnvironmentError
from pinset.interpreter import Interpreter
from pinset.settings import Settings


@dataclass(frozen=True)
class Target:
    """The interpreter one run installs for, and the scheme it writes to."""

    interpreter: Interpreter
    scheme: Scheme

    @property
    def kind(self) -> SchemeKind:
        return self.scheme.kind

    @property
    def location(self) -> Path:
        """The directory the run changes (nothing is written outside it)."""
        return self.scheme.prefix

    def describe(self) -> str:
        """One line for ``-v``: where files go and which Python they are for."""
        interp = self.interpreter
        return (
            f"target: {self.location} ({self.kind.value}), Python {interp.version_text} at "
            + str(interp.executable)
        )

    def installed(self) -> dict[NormalizedName, InstalledDist]:
        return scan(self.scheme)


def _interpreter_cache(settings: Settings) -> Path | None:
    if settings.no_cache_dir.value:
        return None
    from pinset.cache import cache_root  # the cache package is only needed past the no-op

    return cache_root(settings.cache_dir.value)


def _directory(text: str, cwd: Path) -> Path:
    return Path(os.path.abspath(cwd / os.path.expanduser(text)))


def choose_target(
    settings: Settings,
    *,
    environ: Mapping[str, str],
    cwd: Path,
    user: bool = False,
    root: str | None = None,
    check_managed: bool = True,
    changes: bool = True,
    while_probing: Callable[[], object] | None = None,
) -> Target:
    """The run's target; raises TargetEnvironmentError when it is missing or refused.

    ``while_probing``: work to do while the interpreter's probe runs, when it has to (see
    :func:`pinset.environment.interpreter.query`).

    ``check_managed=False`` (a dry run) skips the PEP 668 refusal, as pip does.
    ``changes=False`` (a command that only reads, such as ``check --env``) may fall back to the
    Python on PATH and may read pinset's own environment. ``--target``, ``--prefix`` and
    ``--root`` change a directory, not the interpreter's environment: for them the interpreter
    is found as for a command that reads.
    """
    target_dir, prefix = settings.target.value, settings.prefix.value
    if sum(bool(x) for x in (target_dir, prefix, user)) > 1:
        raise TargetEnvironmentError(
            "--target, --prefix and --user cannot be combined", hint="choose one of them"
        )
    changing = changes and not (target_dir or prefix or root)
    interp = _interpreter(settings, environ, cwd, changing, while_probing)
    scheme = environment_scheme(interp)
    if target_dir:
        location = _directory(target_dir, cwd)
        if location.exists() and not location.is_dir():
            raise TargetEnvironmentError(f"--target {target_dir} exists and is not a directory")
        scheme = target_scheme(interp, location)
    elif prefix:
        scheme = prefix_scheme(interp, _directory(prefix, cwd))
    elif user:
        scheme = user_scheme(interp, environ)
    if root:
        scheme = root_scheme(scheme, _directory(root, cwd))
    refusal = _externally_managed(interp) if scheme.externally_managed else None
    insisted = settings.break_system_packages.value or not check_managed
    if refusal is not None and not insisted:
        raise refusal
    return Target(interp, scheme)


def _externally_managed(interp: Interpreter) -> TargetEnvironmentError | None:
    """PEP 668's refusal for ``interp`` (its marker read only for a managed Python)."""
    from pinset.environment.managed import externally_managed_error

    return externally_managed_error(interp)


def _interpreter(
    settings: Settings,
    environ: Mapping[str, str],
    cwd: Path,
    changes: bool,
    while_probing: Callable[[], object] | None,
) -> Interpreter:
    """The interpreter found for the run, asked once; refused when the run would change the
    environment pinset runs from without being told so by path."""
    wanted = TargetQuery(
        settings.python.value,
        system=settings.system.value,
        changes=changes,
        as_module=settings.as_module,
    )
    found = find_target(wanted, environ=environ, cwd=cwd)
    cache_dir = _interpreter_cache(settings)
    interp = query(found.executable, cache_dir=cache_dir, while_probing=while_probing)
    if changes and not (found.named_by_path or settings.as_module):
        _refuse_own_environment(interp)
    return interp


def _refuse_own_environment(interp: Interpreter) -> None:
    """Refuse to change the environment pinset runs from when the user did not name it."""
    own = os.path.realpath(sys.prefix)
    if os.path.realpath(interp.prefix) != own:
        return
    raise TargetEnvironmentError(
        f"{interp.prefix} is the environment pinset itself runs from",
        hint=f"to change it anyway, name it: --python {interp.prefix}, or run "
        f"`{interp.executable} -m pinset`",
        note="changing pinset's own dependencies could break pinset",
    )
