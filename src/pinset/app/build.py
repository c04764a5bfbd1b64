"""``pinset app build``: bring an application's environment to its requirements, as a
platform's build step does.

detect the application → choose its Python → read the requirements (every error at once,
with its line; an application with only ``setup.py`` or ``pyproject.toml`` is ``-e .``, its
key made of the files its metadata comes from) → compute the build key
(:mod:`pinset.app.key`): the same key as the environment's → nothing to do. Otherwise the
build happens in a new directory beside the environment: a copy of it (same Python), or a new
relocatable environment (first build, another Python, or an environment not built by ``app
build``); the requirements are installed there, what they no longer need is removed, and the
key is written; only then is the new directory renamed into place, and the old one removed.
A failed build leaves the previous environment as it was.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Literal

from pinset._dataclass import dataclass, replace
from pinset._fs import locked, temporary_sibling_dir
from pinset.app.detect import App, detect
from pinset.app.key import BuildKey, build_key, read_stamp, write_stamp
from pinset.app.pythons import ChosenPython, choose_python
from pinset.dists import Change
from pinset.environment.venv import create_venv, is_venv_dir
from pinset.ops.events import Listener
from pinset.ops.install import InstallRequest, install, lazy_fetch
from pinset.requirements import RequirementsFile
from pinset.settings import Setting, Settings

Outcome = Literal["unchanged", "updated", "created", "recreated"]
VENV = ".venv"


@dataclass(frozen=True)
class BuildRequest:
    app_dir: Path
    venv: Path | None = None
    """Where the environment goes (default: ``APP/.venv``)."""
    python: str | None = None
    """``--python``: a version (overrides the version file) or an interpreter's path."""


@dataclass(frozen=True)
class BuildResult:
    app: Path
    venv: Path
    python: Path
    python_version: str
    python_source: str
    """What chose the Python: ``.python-version:1``, ``--python``, or ``the first found``."""
    outcome: Outcome
    reason: str
    """Why the environment was (re)built, or why not."""
    files: tuple[str, ...] = ()
    installed: tuple[Change, ...] = ()
    removed: tuple[Change, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Plan:
    app: App
    chosen: ChosenPython
    key: BuildKey
    venv: Path
    previous: BuildKey | None


def build(
    request: BuildRequest,
    settings: Settings,
    *,
    environ: Mapping[str, str],
    cwd: Path,
    on_event: Listener | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build the application's environment (see the module docstring)."""
    plan = _plan(request, settings, environ, cwd)
    base = _result(plan, "unchanged", "every file it reads and its Python are unchanged")
    if plan.previous is not None and plan.previous.digest == plan.key.digest:
        return base
    with locked(plan.venv.parent / f".{plan.venv.name}.lock"):
        fresh = plan.previous is None or plan.previous.python != plan.key.python
        with temporary_sibling_dir(plan.venv) as work:
            run = _Run(settings, environ, plan.app.root, on_event, on_warning)
            installed, removed, warnings = run.apply(plan, work, fresh=fresh)
            write_stamp(work, plan.key)
            _swap(work, plan.venv)
    outcome: Outcome = "created" if plan.previous is None else "updated"
    if plan.previous is not None and fresh:
        outcome = "recreated"
    return replace(
        base,
        outcome=outcome,
        reason=_reason(plan, fresh),
        installed=installed,
        removed=removed,
        warnings=warnings,
    )


def _plan(
    request: BuildRequest, settings: Settings, environ: Mapping[str, str], cwd: Path
) -> _Plan:
    root = Path(os.path.abspath(cwd / request.app_dir))
    app = detect(root)
    cache = _cache_dir(settings)
    chosen = choose_python(root, request.python, environ=environ, cwd=cwd, cache_dir=cache)
    parsed = _read(app.requirements, settings, environ) if app.requirements else None
    key = build_key(root, parsed, chosen.file, chosen.interpreter)
    venv = Path(os.path.abspath(cwd / request.venv)) if request.venv else root / VENV
    previous = read_stamp(venv) if is_venv_dir(venv) else None
    return _Plan(app, chosen, key, venv, previous)


def _read(path: Path, settings: Settings, environ: Mapping[str, str]) -> RequirementsFile:
    from pinset.requirements import parse_file

    return parse_file(
        str(path), fetch=lazy_fetch(settings, environ), environ=environ, cwd=path.parent
    )


def _cache_dir(settings: Settings) -> Path | None:
    if settings.no_cache_dir.value:
        return None
    from pinset.cache import cache_root

    return cache_root(settings.cache_dir.value)


def _result(plan: _Plan, outcome: Outcome, reason: str) -> BuildResult:
    interp = plan.chosen.interpreter
    request = plan.chosen.request
    source = str(request.where) if request is not None else "the first Python found"
    return BuildResult(
        app=plan.app.root,
        venv=plan.venv,
        python=interp.executable,
        python_version=interp.version_text,
        python_source=source,
        outcome=outcome,
        reason=reason,
        files=plan.key.files,
    )


def _reason(plan: _Plan, fresh: bool) -> str:
    if plan.previous is None:
        return "first build"
    if fresh:
        before = plan.previous.python.rpartition(" ")[2]
        return f"the Python changed ({before} → {plan.chosen.interpreter.version_text})"
    return "a file it reads changed"


def _swap(work: Path, venv: Path) -> None:
    """Put the finished ``work`` in place of ``venv``: two renames, the old tree removed
    after (a crash between them leaves the old tree beside, never a half-built one)."""
    old = venv.parent / f".{venv.name}.old-{os.getpid()}"
    had = venv.exists() or venv.is_symlink()
    if had:
        os.rename(venv, old)
    try:
        os.rename(work, venv)
    except OSError:
        if had:
            os.rename(old, venv)
        raise
    if had:
        shutil.rmtree(old, ignore_errors=True)


@dataclass(frozen=True)
class _Run:
    settings: Settings
    environ: Mapping[str, str]
    root: Path
    on_event: Listener | None
    on_warning: Callable[[str], None] | None

    def apply(
        self, plan: _Plan, work: Path, *, fresh: bool
    ) -> tuple[tuple[Change, ...], tuple[Change, ...], tuple[str, ...]]:
        """Make ``work`` the environment the requirements describe."""
        if fresh:
            create_venv(
                work,
                python=plan.chosen.interpreter.executable,
                prompt=plan.app.root.name,
                relocatable=True,
            )
        else:
            shutil.copytree(plan.venv, work, symlinks=True, dirs_exist_ok=True)
        settings = replace(self.settings, python=Setting(str(work), "pinset app build"))
        # One exact run: resolve the requirements with their dependencies, then install,
        # upgrade and remove (what they no longer need) in one transaction, as sync does.
        result = install(
            _install_request(plan.app),
            settings,
            environ=self.environ,
            cwd=self.root,
            on_event=self.on_event,
            on_warning=self.on_warning,
        )
        return result.installed, result.removed, result.warnings


def _install_request(app: App) -> InstallRequest:
    """The requirements file, else the project itself as ``-e .`` (installed in develop mode
    with a ``.pth`` relative to ``site-packages``, since the environment is relocatable and
    inside the application: see :mod:`pinset.build.develop`)."""
    if app.requirements is not None:
        return InstallRequest(files=(str(app.requirements),), exact=True)
    return InstallRequest(editables=(str(app.root),), exact=True)
