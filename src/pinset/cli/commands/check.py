"""``pinset check FILE...``: report every problem in requirements files and every finding of
the determinism audit (:mod:`pinset.ops.determinism`: unpinned or ranged lines, missing
hashes, moving VCS revisions, URLs without a hash, several indexes; with ``--resolve`` the
dependencies the files do not pin), each with its origin and a fix; exit 1 on an error, or on
a warning with ``--strict``. When all is well, say what was checked
(``3 files, 41 requirements: no problems``).
``pinset check --env [--python ENV]``: report every installed file that no longer matches its
RECORD (edited, replaced or removed since it was installed), every requirement of an installed
project the environment does not meet (``pip check``), and journals of interrupted runs not yet
recovered (exit 1 on any).

Files and ``-r``/``-c`` includes may be ``http(s)`` URLs: they are read with the network
settings (``--cert``, ``--proxy``, ``--trusted-host``, credentials from the URL, an index URL on
the same host, ``.netrc`` or keyring). ``--json`` prints the parsed model, credentials redacted.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

from pinset.cli import options, render
from pinset.cli.summary import counted
from pinset.errors import Severity

if TYPE_CHECKING:
    from pinset.ops.check import CheckResult

EXAMPLES = """examples:
  pinset check --strict --resolve requirements.txt
  pinset check --json requirements/*.txt
  pinset check https://example.com/constraints.txt"""


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "check",
        help="report every problem in requirements files",
        description="Read requirements files as pip does and report every problem found.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="requirements file path or URL")
    parser.add_argument(
        "--json", action="store_true", help="print the parsed model (or, with --env, the findings)"
    )
    parser.add_argument(
        "--env",
        action="store_true",
        help="check the environment's installed files against their RECORD instead",
    )
    options.add_options(parser, "check")


def run(args: argparse.Namespace) -> int:
    from pinset.cli.commands.install import load

    settings = load("check", args)
    if args.env:
        return _check_env(settings, as_json=args.json)
    if not args.files:
        from pinset.errors import UsageError

        raise UsageError(
            "check needs requirements files, or --env", hint="pinset check requirements.txt"
        )
    from pathlib import Path

    from pinset.ops.check import AuditRequest, check_files
    from pinset.options import DEFAULT_INDEX_URL

    audit = AuditRequest(
        require_hashes=bool(settings.require_hashes.value),
        strategy=settings.index_strategy.value,
        index_url=settings.index_url.value or DEFAULT_INDEX_URL,
        resolve=args.resolve,
        cwd=Path.cwd(),
    )
    result = check_files(args.files, settings=settings, environ=os.environ, audit=audit)
    quiet = settings.verbosity < 0
    shown = [d for d in result.everything if not quiet or d.severity is Severity.ERROR]
    render.diagnostics(shown)
    failed = not result.ok or (args.strict and result.count(Severity.WARNING) > 0)
    if not failed and not quiet:
        print(_summary(result), file=sys.stderr)
    if args.json:
        from pinset.cli import jsonout

        jsonout.write(
            {
                "ok": not failed,
                "files": [f.to_dict() for f in result.files],
                "diagnostics": [d.to_dict() for d in result.diagnostics],
                "findings": [d.to_dict() for d in result.findings],
            }
        )
    return 1 if failed else 0


_SAYS = {
    "modified": "was modified since it was installed",
    "missing": "is missing",
    "outside the environment": "is outside the environment (its RECORD names it; not read)",
    "unreadable": "cannot be read",
}


def _check_env(settings: Any, *, as_json: bool) -> int:
    from pathlib import Path

    from pinset.ops.check import check_environment

    result = check_environment(settings, environ=os.environ, cwd=Path.cwd())
    found = result.audit
    if as_json:
        from pinset.cli import jsonout

        jsonout.write(
            {
                "ok": result.ok,
                "location": str(result.location),
                "python_version": result.python_version,
                "checked_files": found.checked_files,
                "mismatches": [
                    {
                        "name": m.dist.name,
                        "version": str(m.dist.version),
                        "path": str(m.path),
                        "problem": m.problem,
                    }
                    for m in found.mismatches
                ],
                "unchecked": [{"name": d.name, "version": str(d.version)} for d in found.unchecked],
                "broken": [str(b) for b in result.broken],
                "pending_journals": [str(p) for p in result.pending],
            }
        )
    _render_env(result, settings.python.value, quiet=settings.verbosity < 0)
    return 0 if result.ok else 1


def _render_env(result: Any, python: str | None, *, quiet: bool) -> None:
    from pinset.errors import Diagnostic, Severity

    found = result.audit
    problems = [
        Diagnostic(
            Severity.ERROR,
            f"{m.dist.name} {m.dist.version}: {m.path} {_SAYS.get(m.problem, m.problem)}",
        )
        for m in found.mismatches
    ]
    if problems:
        names = sorted({f"{m.dist.name}=={m.dist.version}" for m in found.mismatches})
        where = f"--python {python} " if python else ""
        problems[-1] = Diagnostic(
            Severity.ERROR,
            problems[-1].message,
            hint=f"reinstall with: pinset install {where}--force-reinstall {' '.join(names)}",
        )
    problems += _env_problems(result)
    render.diagnostics(problems)
    if quiet:
        return
    for dist in found.unchecked:
        print(f"note: {dist.name} {dist.version} has no RECORD; not checked", file=sys.stderr)
    count, bad = len(found.checked), len(found.mismatches)
    verdict = f"{bad} changed or missing" if bad else "all match their RECORD"
    if result.broken:
        verdict += f"; {counted(len(result.broken), 'unmet requirement')}"
    if result.pending:
        verdict += f"; {counted(len(result.pending), 'interrupted run')} to recover"
    print(
        f"Checked {found.checked_files} files of {count} package{'s' if count != 1 else ''} "
        f"in {result.location} (Python {result.python_version}): {verdict}",
        file=sys.stderr,
    )


def _summary(result: CheckResult) -> str:
    """What was checked, when all is well: ``3 files, 41 requirements: no problems``."""
    counts = [counted(result.file_count, "file"), counted(result.requirement_count, "requirement")]
    if result.constraint_count:
        counts.append(counted(result.constraint_count, "constraint"))
    warnings, notes = result.count(Severity.WARNING), result.count(Severity.NOTE)
    verdict = f"no errors, {counted(warnings, 'warning')}" if warnings else "no problems"
    if notes and any(d.severity is Severity.NOTE for d in result.findings):
        verdict += f" ({counted(notes, 'note')})"
    return f"{', '.join(counts)}: {verdict}"


def _env_problems(result: Any) -> list[Any]:
    """Unmet requirements (as ``pip check`` words them) and journals of interrupted runs."""
    from pinset.errors import Diagnostic, Severity

    found = [Diagnostic(Severity.ERROR, str(b), code="broken") for b in result.broken]
    found += [
        Diagnostic(
            Severity.ERROR,
            f"an interrupted pinset run left {path}: the environment may be half-changed",
            hint="run pinset install or pinset sync on this environment: it recovers the run "
            "first (or pinset uninstall)",
            code="pending-journal",
        )
        for path in result.pending
    ]
    return found
