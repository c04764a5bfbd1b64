"""``check``: read requirements files and collect every finding, without stopping at the first;
``check --env``: every installed file of an environment against its RECORD, unmet
requirements of installed projects (``pip check``) and journals of interrupted runs. With an
:class:`AuditRequest`, files are also audited for what makes them not repeatable
(:mod:`pinset.ops.determinism`).

Files and includes given by ``http(s)`` URL are read through ``fetch``; when none is given and
``settings`` are, one is built by the session from those settings (TLS, proxy, trusted hosts,
credentials) the first time a URL is read, so a run with local files only opens no connection.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from packaging.utils import NormalizedName
from packaging.version import Version

from pinset._dataclass import dataclass
from pinset.errors import Diagnostic, RequirementsError, Severity
from pinset.options import DEFAULT_INDEX_URL
from pinset.requirements import Fetch, RequirementsFile, RequirementsFileError, parse_file

if TYPE_CHECKING:
    from pinset.install.audit import Audit
    from pinset.ops.broken import Broken
    from pinset.settings import Settings


@dataclass(frozen=True, slots=True)
class CheckResult:
    """Every file read (partly, for a file with errors), every problem met reading them, in
    reading order, and the determinism audit's findings (:mod:`pinset.ops.determinism`)."""

    files: tuple[RequirementsFile, ...]
    diagnostics: tuple[Diagnostic, ...]
    findings: tuple[Diagnostic, ...] = ()

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.everything)

    @property
    def everything(self) -> tuple[Diagnostic, ...]:
        return (*self.diagnostics, *self.findings)

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.everything if d.severity is severity)

    @property
    def file_count(self) -> int:
        """Files read (each top-level file and every include), each counted once."""
        return len({f.key or f.file for parsed in self.files for f in parsed.files})

    @property
    def requirement_count(self) -> int:
        return sum(len(parsed.requirements) for parsed in self.files)

    @property
    def constraint_count(self) -> int:
        return sum(len(parsed.constraints) for parsed in self.files)


@dataclass(frozen=True, slots=True)
class AuditRequest:
    """How to audit the files read: hash-checking mode asked for (``--require-hashes``), the
    index strategy in force, and whether to resolve them (``--resolve``) in ``cwd``."""

    require_hashes: bool = False
    strategy: str = "first-index"
    index_url: str = DEFAULT_INDEX_URL
    """The index asked first when a file names none."""
    resolve: bool = False
    cwd: Path | None = None


def check_files(
    paths: Sequence[str | Path],
    *,
    fetch: Fetch | None = None,
    settings: Settings | None = None,
    environ: Mapping[str, str] | None = None,
    audit: AuditRequest | None = None,
) -> CheckResult:
    """Read every file (a file with errors as far as it goes); with ``audit``, then find
    what makes them not repeatable."""
    result = _read(paths, fetch=fetch, settings=settings, environ=environ)
    if audit is None or not result.ok:
        return result
    from pinset.ops.determinism import audit_files, unpinned_dependencies

    resolved: dict[NormalizedName, Version] | None = None
    found: list[Diagnostic] = []
    if audit.resolve and settings is not None:
        resolved, chains = _resolve(result.files, settings, environ, audit.cwd)
        found += unpinned_dependencies(result.files, resolved, chains)
    found[:0] = audit_files(
        result.files,
        require_hashes=audit.require_hashes,
        strategy=audit.strategy,
        index_url=audit.index_url,
        resolved=resolved,
    )
    return CheckResult(result.files, result.diagnostics, tuple(found))


def _resolve(
    files: Sequence[RequirementsFile],
    settings: Settings,
    environ: Mapping[str, str] | None,
    cwd: Path | None,
) -> tuple[dict[NormalizedName, Version], dict[NormalizedName, str]]:
    """Resolve the files for the target (as ``install`` would from an empty environment): the
    version of every project, and for each the top-level project that needs it."""
    import os

    from pinset.ops.inputs import Inputs
    from pinset.ops.install import open_session
    from pinset.ops.pipeline import Pipeline
    from pinset.ops.target import choose_target

    env = os.environ if environ is None else environ
    here = cwd or Path.cwd()
    inputs = Inputs(
        requirements=tuple(r for f in files for r in f.requirements if not r.editable),
        constraints=tuple(c for f in files for c in f.constraints),
        options=tuple(f.options for f in files),
        diagnostics=(),
    )
    target = choose_target(settings, environ=env, cwd=here, check_managed=False, changes=False)
    with open_session(settings, inputs, env, None, lambda event: None) as session:
        pipeline = Pipeline(session, target, {}, settings, lambda event: None, dry_run=True)
        resolution = pipeline.resolve(inputs, ignore_installed=True)
    versions = {name: pin.version for name, pin in resolution.pins.items()}
    chains = {name: _needed_by(resolution.chains(name)) for name in resolution.pins}
    return versions, chains


def _needed_by(chains: tuple[tuple[str, ...], ...]) -> str:
    """The top-level project of the shortest chain (``-r FILE``, top, ..., name)."""
    return chains[0][1] if chains and len(chains[0]) > 2 else ""


def _read(
    paths: Sequence[str | Path],
    *,
    fetch: Fetch | None,
    settings: Settings | None,
    environ: Mapping[str, str] | None,
) -> CheckResult:
    if fetch is None and settings is not None:
        fetch = _session_fetch(settings, environ)
    files: list[RequirementsFile] = []
    found: list[Diagnostic] = []
    for path in paths:
        try:
            parsed = parse_file(path, fetch=fetch, environ=environ)
        except RequirementsFileError as exc:  # what was read is reported all the same
            parsed = exc.partial
        except RequirementsError as exc:
            found.extend(exc.findings)
            continue
        files.append(parsed)
        found.extend(parsed.diagnostics)
    return CheckResult(tuple(files), tuple(found))


def _session_fetch(settings: Settings, environ: Mapping[str, str] | None) -> Fetch:
    def fetch(url: str) -> str:
        import os

        from pinset.session import text_fetcher

        return text_fetcher(settings, os.environ if environ is None else environ)(url)

    return fetch


@dataclass(frozen=True)
class EnvironmentCheck:
    location: Path
    python_version: str
    audit: Audit
    broken: tuple[Broken, ...] = ()
    """Installed projects' requirements the environment does not meet (as ``pip check``)."""
    pending: tuple[Path, ...] = ()
    """Journals of interrupted runs not recovered yet (the next changing run recovers them)."""

    @property
    def ok(self) -> bool:
        return not (self.audit.mismatches or self.broken or self.pending)


def check_environment(
    settings: Settings, *, environ: Mapping[str, str], cwd: Path
) -> EnvironmentCheck:
    """Every installed file of the target environment (``--python``, ``VIRTUAL_ENV``,
    ``CONDA_PREFIX``, ``.venv`` here or above, else the Python on PATH) against its RECORD;
    nothing is changed."""
    from pinset.install.audit import audit
    from pinset.install.state import STATE_DIR, pending_journals
    from pinset.install.wheel import environment_roots
    from pinset.ops.broken import broken_requirements
    from pinset.ops.target import choose_target

    target = choose_target(settings, environ=environ, cwd=cwd, check_managed=False, changes=False)
    installed = target.installed()
    found = audit(installed.values(), environment_roots(target.scheme))
    broken = broken_requirements(installed, list(installed), target.interpreter.markers)
    state = target.scheme.purelib / STATE_DIR
    pending = tuple(state / name for name in pending_journals(state))
    return EnvironmentCheck(
        target.location, target.interpreter.version_text, found, tuple(broken), pending
    )
