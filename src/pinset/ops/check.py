"""``check``: read requirements files and collect every finding, without stopping at the first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pinset.errors import Diagnostic, RequirementsError, Severity
from pinset.requirements import Fetch, RequirementsFile, parse_file


@dataclass(frozen=True, slots=True)
class CheckResult:
    files: tuple[RequirementsFile, ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)


def check_files(
    paths: Sequence[str | Path],
    *,
    fetch: Fetch | None = None,
    environ: Mapping[str, str] | None = None,
) -> CheckResult:
    files: list[RequirementsFile] = []
    found: list[Diagnostic] = []
    for path in paths:
        try:
            parsed = parse_file(path, fetch=fetch, environ=environ)
        except RequirementsError as exc:
            found.extend(exc.problems)
            continue
        files.append(parsed)
        found.extend(parsed.diagnostics)
    return CheckResult(tuple(files), tuple(found))
