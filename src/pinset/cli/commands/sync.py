"""``pinset sync FILE...``: make the target environment exactly what fully pinned files say.

Installs, upgrades, downgrades and removes in one transaction; prints ``+``/``-`` lines and the
time to stderr, as ``install`` does; ``--dry-run`` prints the plan and changes nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from pinset.cli import options
from pinset.cli.progress import run_shown
from pinset.cli.summary import counted, elapsed, print_changes, print_recovered, warn_broken
from pinset.errors import UsageError

EXAMPLES = """examples:
  pinset sync requirements.txt
  pinset sync -r pylock.toml
  pinset sync --python .venv --dry-run requirements.txt dev-requirements.txt"""


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "sync",
        help="make an environment exactly what pinned requirements files say",
        description="Install, upgrade, downgrade and remove so that the target environment "
        "holds exactly what the files pin (every line == or a direct URL; dependencies are "
        "not resolved: the files are the whole environment). pip, setuptools, wheel and uv "
        "are kept when the files do not name them, unless uv made the environment.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="requirements file path or URL, or a pylock.toml (also given as -r FILE)",
    )
    options.add_options(parser, "sync")


def run(args: argparse.Namespace) -> int:
    from pinset.cli.commands.install import load, write_report
    from pinset.ops.sync import SyncRequest, sync

    started = time.perf_counter()
    settings = load("sync", args)
    files = (*args.files, *(args.requirement_files or ()))
    if not files:
        raise UsageError("sync needs a file: FILE or -r FILE", hint="pinset sync requirements.txt")
    request = SyncRequest(
        files=files,
        allow_empty=args.allow_empty,
        dry_run=args.dry_run,
        report=args.report is not None,
    )
    quiet = settings.verbosity < 0
    result = run_shown(sync, request, settings)
    print_recovered(result.recovered, sys.stderr, quiet=quiet)
    if result.report is not None:
        write_report(result.report, args.report)
    if not quiet:
        _summary(result, time.perf_counter() - started)
    warn_broken(result.broken)
    return 0


def _summary(result: Any, seconds: float) -> None:
    out = sys.stderr
    where = f"{result.location} (Python {result.python_version})"
    if result.satisfied:
        print(
            f"Already in sync: checked {counted(result.audited, 'package')} in {where} "
            f"in {elapsed(seconds)}",
            file=out,
        )
        return
    added, removed = _counts(result)
    if result.dry_run:
        print(
            f"Would install {added} and remove {removed} in {where} (dry run: nothing changed)",
            file=out,
        )
    else:
        print(
            f"Synced {where}: installed {added}, removed {removed} in {elapsed(seconds)}",
            file=out,
        )
    print_changes(result.installed, result.removed, out)


def _counts(result: Any) -> tuple[str, str]:
    """``2 packages``, ``1 package``: installed, and removed (a version replaced by another is
    counted once, as installed)."""
    new = {c.name for c in result.installed}
    gone = [c for c in result.removed if c.name not in new]
    return counted(len(result.installed), "package"), counted(len(gone), "package")
