"""``sync``: make an environment exactly what fully pinned requirements files say.

As ``uv pip sync``: the files are the whole environment. Every requirement must be pinned
(``==``/``===`` to one version, or a direct URL); nothing beyond them is resolved (``--no-deps``
semantics: a dependency the files do not pin is not installed, and is reported as broken
afterwards). The install pipeline (:mod:`pinset.ops.pipeline`) runs with an exact plan: what
the files do not name is removed, in the same journaled transaction as the installs, except
the installer tooling a virtual environment was seeded with
(:func:`pinset.distribution.planner.kept_tools`). An environment already in sync is answered
without the network: every pin installed and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from packaging.utils import NormalizedName, canonicalize_name

from pinset._dataclass import dataclass, replace
from pinset.distribution.planner import extraneous, kept_tools
from pinset.dists import InstalledDist
from pinset.environment.schemes import pyvenv_value
from pinset.errors import Diagnostic, PinsetError, Severity, UsageError
from pinset.markers import marker_applies
from pinset.ops.broken import broken_requirements
from pinset.ops.events import Listener, Trace
from pinset.ops.inputs import Inputs, read_inputs
from pinset.ops.install import (
    Event,
    Warnings,
    lazy_fetch,
    open_session,
    recover_target,
    refuse_editables,
    refuse_mixed_lock,
    usable_cache_settings,
    uses_hashes,
)
from pinset.ops.outcome import InstallRequest, InstallResult, merge_recovered, result_for
from pinset.ops.satisfied import satisfied
from pinset.ops.target import Target, choose_target
from pinset.redaction import redact_text
from pinset.requirements.model import Requirement
from pinset.settings import Setting, Settings


@dataclass(frozen=True)
class SyncRequest:
    files: tuple[str, ...]
    allow_empty: bool = False
    dry_run: bool = False
    report: bool = False


class UnpinnedError(PinsetError):
    """``sync`` input with requirements that are not pinned: every one is listed."""

    def __init__(self, problems: tuple[Diagnostic, ...]) -> None:
        count = len(problems)
        super().__init__(
            f"sync needs every requirement pinned: {count} line{'s' if count != 1 else ''} "
            f"{'are' if count != 1 else 'is'} not",
            hint="pin each one with == (pinset freeze writes such files), or use "
            "pinset install, which resolves",
        )
        self.problems = problems

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return self.problems


def unpinned(requirements: Sequence[Requirement]) -> list[Diagnostic]:
    """Every requirement that is neither pinned to one version nor a direct URL."""
    return [
        Diagnostic(
            Severity.ERROR,
            f"{redact_text(req.raw)} is not pinned to one version",
            where=req.origin if req.origin.line > 0 else None,
            source_line=redact_text(req.raw),
            code="sync-unpinned",
        )
        for req in requirements
        if not req.constraint and req.url is None and not req.is_pinned
    ]


def sync(
    request: SyncRequest,
    settings: Settings,
    *,
    environ: Mapping[str, str],
    cwd: Path,
    on_event: Listener | None = None,
    on_warning: Event | None = None,
) -> InstallResult:
    """Make the target chosen by ``settings`` hold exactly what ``request.files`` pin."""
    event = on_event or (lambda _: None)
    warnings = Warnings(on_warning)
    settings = replace(
        usable_cache_settings(settings, warnings), no_deps=Setting(True, "sync (--no-deps)")
    )
    inputs = _read(request, settings, environ, cwd)
    hash_mode = uses_hashes(settings, inputs)
    if hash_mode:
        from pinset.ops.hashes import check_lines

        check_lines(inputs.requirements)
    target = choose_target(settings, environ=environ, cwd=cwd, check_managed=not request.dry_run)
    event(Trace(target.describe()))
    recovered = recover_target(target, dry_run=request.dry_run, warn=warnings.append)
    installed = target.installed()
    keep = _kept(target, installed)
    for diag in inputs.diagnostics:
        if diag.severity is Severity.WARNING:
            warnings.append(diag.message)
    audited = in_sync(inputs, installed, target.interpreter.markers, keep)
    if audited is not None:
        return result_for(
            target,
            audited=audited,
            satisfied=True,
            warnings=tuple(warnings),
            dry_run=request.dry_run,
            sources=inputs.sources,
            site_dirs=target.scheme.site_dirs(),
            recovered=recovered,
        )
    from pinset.ops.pipeline import Pipeline

    exact = InstallRequest(
        dry_run=request.dry_run, report=request.report, exact=True, keep=frozenset(keep)
    )
    with open_session(settings, inputs, environ, warnings.append, event) as session:
        pipeline = Pipeline(session, target, installed, settings, event, dry_run=request.dry_run)
        result = pipeline.run(exact, inputs, hash_mode=hash_mode, warnings=warnings)
    result = replace(result, recovered=merge_recovered(recovered, result.recovered))
    return _broken(result, target)


def _read(
    request: SyncRequest, settings: Settings, environ: Mapping[str, str], cwd: Path
) -> Inputs:
    """The files read, every line pinned (else refused, every unpinned line listed), something
    to install unless ``allow_empty``."""
    inputs = read_inputs(
        files=request.files,
        constraints=settings.constraints.value,
        environ=environ,
        cwd=cwd,
        fetch=lazy_fetch(settings, environ),
    )
    refuse_editables(inputs)
    refuse_mixed_lock(inputs, len(request.files))
    problems = unpinned(inputs.requirements)
    if problems:
        raise UnpinnedError(tuple(problems))
    if not request.allow_empty and not any(not r.constraint for r in inputs.requirements):
        raise UsageError(
            f"{', '.join(request.files)}: no requirements: syncing would remove every package",
            hint="to empty the environment on purpose, add --allow-empty",
        )
    return inputs


def _kept(target: Target, installed: Mapping[NormalizedName, InstalledDist]) -> frozenset[str]:
    interp = target.interpreter
    by_uv = interp.is_venv and pyvenv_value(interp.prefix, "uv") is not None
    return frozenset(kept_tools(installed.keys(), made_by_uv=by_uv))


def in_sync(
    inputs: Inputs,
    installed: Mapping[NormalizedName, InstalledDist],
    markers: Mapping[str, str],
    keep: frozenset[str],
) -> int | None:
    """How many distributions were checked when the environment is exactly what ``inputs``
    pin (each pin installed, direct URLs from the same URL, nothing else but ``keep``), else
    None. Reads only ``.dist-info`` files."""
    wanted = {
        canonicalize_name(r.name)
        for r in inputs.requirements
        if r.name and not r.constraint and marker_applies(r.marker, markers)
    }
    kept = {canonicalize_name(n) for n in keep}
    if extraneous(wanted, installed, kept):
        return None
    return satisfied(
        inputs.requirements, inputs.constraints, installed, markers, follow_dependencies=False
    )


def _broken(result: InstallResult, target: Target) -> InstallResult:
    """After a change: every installed distribution's requirement the synced set leaves unmet
    (the files are the whole environment, so all of them are checked)."""
    if result.dry_run or not (result.installed or result.removed):
        return result
    installed = target.installed()
    found = broken_requirements(installed, list(installed), target.interpreter.markers)
    return replace(result, broken=tuple(found))
