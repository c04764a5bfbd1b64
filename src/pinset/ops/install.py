"""``install``: make an environment hold what the user asked for (the main use case).

load inputs → choose the target → recover what interrupted runs left in it → scan it → if
everything is already satisfied, stop (no network) → resolve → check hashes → [report] →
download and verify every wheel → apply the plan in one transaction (planned again under the
environment lock). Returns an :class:`InstallResult`; never prints. ``on_event`` hears
the phases, the bytes of every download and each package installed (:mod:`pinset.ops.events`,
for progress display).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from packaging.utils import canonicalize_name

from pinset._dataclass import replace
from pinset.dists import Change
from pinset.errors import BuildError, UsageError
from pinset.ops.events import Build, Listener, Trace, Transfer
from pinset.ops.inputs import Inputs, read_inputs
from pinset.ops.outcome import (
    InstallRequest,
    InstallResult,
    merge_recovered,
    result_for,
)
from pinset.ops.target import Target, choose_target
from pinset.settings import Settings

if TYPE_CHECKING:
    from pinset.install.recovery import Recovered
    from pinset.requirements.model import Requirement
    from pinset.session import Session

Event = Callable[[str], None]


def _no_event(event: object) -> None:
    return None


def refuse_editables(inputs: Inputs) -> None:
    """``sync``: refuse every editable version-control requirement (``-e git+…``) at once,
    each named (the first one's origin shown), as uv does: a checkout in ``--src`` is not a
    pin; local editables (``-e ./dir``) are built."""
    editables = [req for req in inputs.requirements if req.editable and req.vcs is not None]
    if not editables:
        return
    first = editables[0]
    raise BuildError(
        "sync does not install editable version-control checkouts: "
        + ", ".join(f"-e {req.raw}" for req in editables),
        where=first.origin if first.origin.line > 0 else None,
        hint="pin the commit without -e (git+URL@COMMIT#egg=name), or install the editable "
        "checkouts with pinset install",
    )


def with_src_dir(settings: Settings, target: Target, cwd: Path) -> Settings:
    """``settings`` whose ``--src`` is absolute: as given (relative to ``cwd``), else the
    target environment's ``src`` (``./src`` outside a virtual environment), as pip."""
    from pinset.distribution.src_dir import editable_src_dir
    from pinset.settings.model import Setting

    interp = target.interpreter
    given = settings.src_dir
    path = editable_src_dir(given.value, interp.prefix if interp.is_venv else None, cwd)
    return replace(settings, src_dir=Setting(str(path), given.source, given.where))


def refuse_mixed_lock(inputs: Inputs, given: int) -> None:
    """A ``pylock.toml`` is installed alone: refused among ``given`` inputs (files,
    requirements, editables) when there are others."""
    if inputs.locked and given > 1:
        raise UsageError(
            f"{inputs.locked[0]} is installed alone: it cannot be combined with other requirements",
            hint="lock them together (pinset lock ... -o pylock.toml), or install in two runs",
        )


def _exactly_the_lock(request: InstallRequest, settings: Settings, inputs: Inputs) -> Settings:
    """A ``pylock.toml`` is installed alone, as it is: its packages, no dependencies of theirs
    resolved (the lock lists them all), each file checked against the lock's hashes."""
    refuse_mixed_lock(
        inputs, len(request.files) + len(request.requirements) + len(request.editables)
    )
    from pinset.settings.model import Setting

    return replace(settings, no_deps=Setting(True, f"lock file {inputs.locked[0]}"))


def uses_hashes(settings: Settings, inputs: Inputs) -> bool:
    """Hash-checking mode: --require-hashes (flag, setting or file option), or any --hash."""
    return (
        settings.require_hashes.value
        or any(o.require_hashes for o in inputs.options)
        or inputs.hashes_given
    )


def install(
    request: InstallRequest,
    settings: Settings,
    *,
    environ: Mapping[str, str],
    cwd: Path,
    on_event: Listener | None = None,
    on_warning: Event | None = None,
) -> InstallResult:
    """Install ``request`` into the target chosen by ``settings``.

    Warnings are passed to ``on_warning`` as they happen when it is given (so that they are
    seen even when the run then fails), else collected in the result.
    """
    event = on_event or _no_event
    warnings = Warnings(on_warning)
    settings = usable_cache_settings(settings, warnings)
    inputs = read_inputs(
        requirements=request.requirements,
        files=request.files,
        constraints=(*request.constraints, *settings.constraints.value),
        editables=request.editables,
        environ=environ,
        cwd=cwd,
        fetch=lazy_fetch(settings, environ),
    )
    if inputs.locked:
        settings = _exactly_the_lock(request, settings, inputs)
    if not any(not r.constraint for r in inputs.requirements):
        raise UsageError(
            "nothing to install: give requirements, -r FILE or -e",
            hint="e.g. pinset install -r requirements.txt",
        )
    hash_mode = uses_hashes(settings, inputs)
    if hash_mode:
        from pinset.ops.hashes import check_lines, commit_finder

        check_lines(inputs.requirements, commit_finder(settings))
    target = choose_target(
        settings,
        environ=environ,
        cwd=cwd,
        user=request.user,
        root=request.root,
        check_managed=not request.dry_run,
        while_probing=lambda: import_pipeline(installs=not request.dry_run),
    )
    event(Trace(target.describe()))
    settings = with_src_dir(settings, target, cwd)
    recovered = recover_target(target, dry_run=request.dry_run, warn=warnings.append)
    installed = target.installed()
    for diag in inputs.diagnostics:
        if diag.severity.value == "warning":
            warnings.append(diag.message)
    if not (
        settings.upgrade.value
        or request.force_reinstall
        or request.ignore_installed
        or request.exact  # satisfied() does not see what an exact plan would remove
    ):
        from pinset.ops.satisfied import satisfied

        audited = satisfied(
            inputs.requirements,
            inputs.constraints,
            installed,
            target.interpreter.markers,
            follow_dependencies=not settings.no_deps.value,
            src_dir=Path(str(settings.src_dir.value)),
        )
        if audited is not None:
            return result_for(
                target,
                audited=audited,
                satisfied=True,
                warnings=tuple(warnings),
                dry_run=request.dry_run,
                report=_empty_report(target) if request.report else None,
                sources=inputs.sources,
                site_dirs=target.scheme.site_dirs(),
                recovered=recovered,
                local_trees=names_local_tree(inputs),
            )
    from pinset.ops.pipeline import Pipeline

    with open_session(settings, inputs, environ, warnings.append, event) as session:
        pipeline = Pipeline(session, target, installed, settings, event, dry_run=request.dry_run)
        result = pipeline.run(request, inputs, hash_mode=hash_mode, warnings=warnings)
    result = replace(result, recovered=merge_recovered(recovered, result.recovered))
    return _recheck(result, request, inputs, target, settings)


def import_pipeline(*, installs: bool) -> None:
    """Import what resolving (and, with ``installs``, installing) needs: done while a new
    interpreter's probe runs in its own process, so the two overlap (a cold run's fixed cost)."""
    import pinset.ops.pipeline

    if installs:
        import pinset.install.transaction
        import pinset.session.unpack  # noqa: F401


def open_session(
    settings: Settings,
    inputs: Inputs,
    environ: Mapping[str, str],
    warn: Callable[[str], None] | None,
    event: Listener,
) -> Session:
    """The run's session, its downloads and traces reported to ``event`` as ops events."""
    from pinset.session import Session

    def on_download(file: str, done: int, total: int | None) -> None:
        event(Transfer(file, done, total))

    def trace(text: str) -> None:
        event(Trace(text))

    def on_build(text: str, done: bool) -> None:
        event(Build(text, done))

    return Session(
        settings,
        inputs.options,
        environ=environ,
        warn=warn,
        on_download=on_download,
        trace=trace,
        on_build=on_build,
        project_config=project_config(inputs.requirements),
    )


def project_config(
    requirements: Sequence[Requirement],
) -> dict[str, dict[str, str | list[str]]]:
    """The ``-C`` settings written on named requirements' lines (``foo -C k=v``), by normalized
    name: what an sdist of that project from an index is built with."""
    return {
        canonicalize_name(r.name): r.config_dict
        for r in requirements
        if r.name and r.url is None and r.config_settings
    }


def recover_target(target: Target, *, dry_run: bool, warn: Event) -> tuple[Recovered, ...]:
    """Recover what interrupted runs left in the target (a look at one directory when there
    is nothing); a dry run changes nothing, so it only warns."""
    from pinset.install.state import STATE_DIR, pending_journals

    state = target.scheme.purelib / STATE_DIR
    pending = pending_journals(state)
    if not pending:
        return ()
    if dry_run:
        warn(
            f"an interrupted pinset run left {state / pending[0]}: the next run that changes "
            "the environment recovers it; this dry run shows changes from the environment as "
            "it is now"
        )
        return ()
    from pinset.install.transaction import recover_pending

    return recover_pending(target.scheme)


def _recheck(
    result: InstallResult,
    request: InstallRequest,
    inputs: Inputs,
    target: Target,
    settings: Settings,
) -> InstallResult:
    """After a real change, check (locally, cheaply) that the environment now satisfies the
    request, so that the next identical run can be answered from a no-op verdict; and, unless
    ``--no-deps`` (as pip), which installed distributions the change left with unmet
    requirements."""
    if request.dry_run or not (result.installed or result.removed):
        return result
    from pinset.ops.broken import broken_requirements
    from pinset.ops.satisfied import satisfied

    installed = result.environment if result.environment is not None else target.installed()
    markers = target.interpreter.markers
    if not settings.no_deps.value:
        changed = [c.name for c in (*result.installed, *result.removed)]
        broken = broken_requirements(installed, changed, markers, resolved=True)
        result = replace(result, broken=tuple(broken))
    if request.report:
        return result
    audited = satisfied(
        inputs.requirements,
        inputs.constraints,
        installed,
        markers,
        follow_dependencies=not settings.no_deps.value,
        src_dir=Path(str(settings.src_dir.value)),
    )
    if audited is None:
        return result
    return replace(
        result,
        now_satisfied=audited,
        sources=inputs.sources,
        site_dirs=target.scheme.site_dirs(),
        local_trees=names_local_tree(inputs),
    )


def names_local_tree(inputs: Inputs) -> bool:
    """Whether a requirement names a local directory (a ``file:`` URL of a directory)."""
    from pinset.errors import PinsetError
    from pinset.urls import is_file_url, url_to_path

    for req in inputs.requirements:
        if req.url is None or not is_file_url(req.url):
            continue
        try:
            if url_to_path(req.url).is_dir():
                return True
        except PinsetError:
            continue
    return False


class Warnings(list[str]):
    """Collected warnings, or passed on at once to a listener."""

    def __init__(self, listener: Event | None) -> None:
        super().__init__()
        self._listener = listener

    def append(self, message: str) -> None:
        if self._listener is not None:
            self._listener(message)
        else:
            super().append(message)


def usable_cache_settings(settings: Settings, warnings: list[str]) -> Settings:
    """The run's settings, with the cache disabled after one warning when it cannot be
    written (:func:`pinset.cache.location.usable_cache`)."""
    if settings.no_cache_dir.value:
        return settings
    from pinset.cache.location import usable_cache

    settings, warning = usable_cache(settings)
    if warning is not None:
        warnings.append(warning)
    return settings


def lazy_fetch(settings: Settings, environ: Mapping[str, str]) -> Callable[[str], str]:
    def fetch(url: str) -> str:
        from pinset.session import text_fetcher

        return text_fetcher(settings, environ)(url)

    return fetch


def _empty_report(target: Target) -> dict[str, object]:
    from pinset.ops.report import install_report

    return install_report(
        (),
        requested=frozenset(),
        requested_extras={},
        metadata=lambda c: {},
        markers=target.interpreter.markers,
    )


__all__ = ["Change", "InstallRequest", "InstallResult", "install"]
