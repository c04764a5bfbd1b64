"""What ``install`` is asked and what it answers (frozen data, shared by the pipeline steps)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from packaging.utils import NormalizedName

from pinset._dataclass import dataclass, field
from pinset.dists import Change, InstalledDist
from pinset.ops.target import Target

if TYPE_CHECKING:  # the install machinery is imported only when there is something to recover
    from pinset.install.recovery import Recovered
    from pinset.ops.broken import Broken  # found after a change (a dry run makes none)
    from pinset.ops.replay import Recorded


@dataclass(frozen=True)
class InstallRequest:
    requirements: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    constraints: tuple[str, ...] = ()
    editables: tuple[str, ...] = ()
    force_reinstall: bool = False
    ignore_installed: bool = False
    """pip's ``-I``: resolve as if nothing were installed, then reinstall what was resolved."""
    user: bool = False
    root: str | None = None
    dry_run: bool = False
    report: bool = False
    exact: bool = False
    """``sync``: the requirements are the whole environment; everything else is removed."""
    keep: frozenset[str] = frozenset()
    """With ``exact``: installed names kept although no requirement names them."""


@dataclass(frozen=True)
class InstallResult:
    python: Path
    python_version: str
    location: Path
    installed: tuple[Change, ...] = ()
    removed: tuple[Change, ...] = ()
    audited: int = 0
    satisfied: bool = False
    dry_run: bool = False
    report: Mapping[str, object] | None = None
    warnings: tuple[str, ...] = ()
    resolved: int = 0
    downloaded: int = 0
    timings: Mapping[str, float] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    """Every requirements/constraints file read (absolute paths or URLs)."""
    site_dirs: tuple[Path, ...] = ()
    """The directories scanned for installed distributions (set when ``satisfied``)."""
    broken: tuple[Broken, ...] = ()
    """After a change: the installed distributions' requirements it left unmet."""
    now_satisfied: int | None = None
    """After a change: how many distributions the re-check found satisfying the request
    (``None`` when not re-checked). Lets the next identical run be answered from a verdict."""
    recovered: tuple[Recovered, ...] = ()
    """Journals of interrupted earlier runs found first: undone, finished, or ignored."""
    local_trees: bool = False
    """The request names a local directory: its state is not among what a no-op verdict
    checks, so no verdict is remembered (the satisfied check looks at the tree each run)."""
    environment: Mapping[NormalizedName, InstalledDist] | None = None
    """After a change: what the target holds (the scan the change was planned against, with
    the change), so the re-check scans nothing again; None when not known."""
    replay: Recorded | None = None
    """After a change whose every pin's file stays the one a later identical run chooses (a
    hash, a commit, or index pages still fresh): the plan that run may replay
    (:mod:`pinset.ops.replay`), what it was read from still to be filled in."""


def merge_recovered(*found: Sequence[Recovered]) -> tuple[Recovered, ...]:
    """Every journal once (a run may meet an ignored one both before and while applying)."""
    seen: dict[Path, Recovered] = {}
    for group in found:
        for item in group:
            seen.setdefault(item.journal, item)
    return tuple(seen.values())


def result_for(target: Target, **values: object) -> InstallResult:
    """An :class:`InstallResult` about ``target`` with ``values`` filled in."""
    interp = target.interpreter
    return InstallResult(
        python=interp.executable,
        python_version=interp.version_text,
        location=target.location,
        **values,  # type: ignore[arg-type]
    )
