"""``check``: read requirements files and collect every finding, without stopping at the first;
``check --env``: every installed file of an environment against its RECORD.

Files and includes given by ``http(s)`` URL are read through ``fetch``; when none is given and
``settings`` are, one is built by the session from those settings (TLS, proxy, trusted hosts,
credentials) the first time a URL is read, so a run with local files only opens no connection.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pinset.errors import Diagnostic, RequirementsError, Severity
from pinset.requirements import Fetch, RequirementsFile, RequirementsFileError, parse_file

if TYPE_CHECKING:
    from pinset.install.audit import Audit
    from pinset.settings import Settings


@dataclass(frozen=True, slots=True)
class CheckResult:
    """Every file read (partly, for a file with errors) and every finding, in reading order."""

    files: tuple[RequirementsFile, ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)

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


def check_files(
    paths: Sequence[str | Path],
    *,
    fetch: Fetch | None = None,
    settings: Settings | None = None,
    environ: Mapping[str, str] | None = None,
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

    @property
    def ok(self) -> bool:
        return not self.audit.mismatches


def check_environment(
    settings: Settings, *, environ: Mapping[str, str], cwd: Path
) -> EnvironmentCheck:
    """Every installed file of the target environment (``--python``, ``VIRTUAL_ENV``,
    ``CONDA_PREFIX``, ``.venv`` here or above, else the Python on PATH) against its RECORD;
    nothing is changed."""
    from pinset.install.audit import audit
    from pinset.install.wheel import environment_roots
    from pinset.ops.target import choose_target

    target = choose_target(settings, environ=environ, cwd=cwd, check_managed=False, changes=False)
    found = audit(target.installed().values(), environment_roots(target.scheme))
    return EnvironmentCheck(target.location, target.interpreter.version_text, found)
