"""``pinset check FILE...``: report every problem in requirements files (exit 1 on any); when
there is none, say what was checked (``3 files, 41 requirements: no problems``).
``pinset check --env [--python ENV]``: report every installed file that no longer matches its
RECORD (edited, replaced or removed since it was installed; exit 1 on any).

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
  pinset check requirements.txt
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
    from pinset.ops.check import check_files

    result = check_files(args.files, settings=settings, environ=os.environ)
    quiet = settings.verbosity < 0
    render.diagnostics([d for d in result.diagnostics if not quiet or d.severity.value == "error"])
    if result.ok and not quiet:
        print(_summary(result), file=sys.stderr)
    if args.json:
        from pinset.cli import jsonout

        jsonout.write(
            {
                "ok": result.ok,
                "files": [f.to_dict() for f in result.files],
                "diagnostics": [d.to_dict() for d in result.diagnostics],
            }
        )
    return 0 if result.ok else 1


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
    render.diagnostics(problems)
    if quiet:
        return
    for dist in found.unchecked:
        print(f"note: {dist.name} {dist.version} has no RECORD; not checked", file=sys.stderr)
    count, bad = len(found.checked), len(found.mismatches)
    verdict = f"{bad} changed or missing" if bad else "all match their RECORD"
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
    warnings = result.count(Severity.WARNING)
    verdict = f"no errors, {counted(warnings, 'warning')}" if warnings else "no problems"
    return f"{', '.join(counts)}: {verdict}"
