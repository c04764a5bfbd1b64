"""``uninstall``: remove distributions from the target environment, all or nothing.

Exactly the files each distribution's RECORD lists (and their bytecode) are removed, in one
transaction (:mod:`pinset.install.transaction`): a failure puts every file back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from packaging.utils import canonicalize_name

from pinset._dataclass import dataclass, replace
from pinset.cache.location import usable_cache
from pinset.dists import Change, InstalledDist
from pinset.errors import UsageError
from pinset.install.plan import Plan
from pinset.install.recovery import Recovered
from pinset.install.transaction import apply, recover_pending
from pinset.ops.inputs import read_inputs
from pinset.ops.outcome import merge_recovered
from pinset.ops.target import choose_target
from pinset.settings import Settings

Confirm = Callable[[Sequence[InstalledDist]], bool]


@dataclass(frozen=True)
class UninstallResult:
    python: Path
    location: Path
    removed: tuple[Change, ...] = ()
    not_installed: tuple[str, ...] = ()
    cancelled: bool = False
    warnings: tuple[str, ...] = ()
    recovered: tuple[Recovered, ...] = ()
    """Journals of interrupted earlier runs found first: undone, finished, or ignored."""


def _names(
    names: Sequence[str], files: Sequence[str], environ: Mapping[str, str], cwd: Path
) -> list[str]:
    wanted = list(names)
    if files:
        inputs = read_inputs(files=files, environ=environ, cwd=cwd)
        wanted += [r.name for r in inputs.requirements if r.name]
    if not wanted:
        raise UsageError(
            "nothing to uninstall: give project names or -r FILE",
            hint="e.g. pinset uninstall requests",
        )
    return list(dict.fromkeys(wanted))


def uninstall(
    names: Sequence[str],
    settings: Settings,
    *,
    files: Sequence[str] = (),
    environ: Mapping[str, str],
    cwd: Path,
    confirm: Confirm | None = None,
) -> UninstallResult:
    """Remove ``names`` (and the projects named in ``files``) from the target."""
    wanted = _names(names, files, environ, cwd)
    settings, cache_warning = usable_cache(settings)
    warnings = (cache_warning,) if cache_warning else ()
    target = choose_target(settings, environ=environ, cwd=cwd)
    recovered = recover_pending(target.scheme)
    installed = target.installed()
    found: dict[str, InstalledDist] = {}
    missing: list[str] = []
    for name in wanted:
        dist = installed.get(canonicalize_name(name))
        if dist is None:
            missing.append(name)
        else:
            found.setdefault(dist.name, dist)
    python, location = target.interpreter.executable, target.location
    dists = tuple(found.values())
    base = UninstallResult(
        python, location, not_installed=tuple(missing), warnings=warnings, recovered=recovered
    )
    if not dists:
        return base
    if confirm is not None and not confirm(dists):
        return replace(base, cancelled=True)
    plan = Plan(install=(), remove=dists, requested=frozenset())
    result = apply(plan, target.interpreter, target.scheme, compile=False)
    return replace(
        base,
        removed=tuple(Change(d.name, str(d.version)) for d in result.removed),
        recovered=merge_recovered(recovered, result.recovered),
    )
