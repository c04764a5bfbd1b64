"""``pinset uninstall NAME... [-r FILE] [-y]``: remove packages from an environment."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pinset.cli import options
from pinset.cli.commands.install import intermixed, load
from pinset.cli.summary import elapsed, print_changes, print_recovered, warn

EXAMPLES = """examples:
  pinset uninstall requests
  pinset uninstall -y -r requirements.txt
  pinset uninstall --python .venv requests urllib3"""


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "uninstall",
        help="remove packages from an environment",
        description="Remove installed packages: exactly the files each one's RECORD lists, "
        "all or nothing.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help="an installed project's name")
    options.add_options(parser, "uninstall")
    intermixed(parser)


def _ask(dists: Sequence[Any]) -> bool:
    print("Will remove:", file=sys.stderr)
    for dist in dists:
        print(f"  {dist.name}=={dist.version} ({dist.path.parent})", file=sys.stderr)
    try:
        answer = input("Proceed (Y/n)? ")
    except EOFError:
        return False
    return answer.strip().lower() in ("", "y", "yes")


def run(args: argparse.Namespace) -> int:
    from pinset.ops.uninstall import uninstall

    started = time.perf_counter()
    settings = load("uninstall", args)
    interactive = not args.yes and sys.stdin.isatty()
    result = uninstall(
        args.names,
        settings,
        files=args.requirement_files or (),
        environ=os.environ,
        cwd=Path.cwd(),
        confirm=_ask if interactive else None,
    )
    print_recovered(result.recovered, sys.stderr, quiet=settings.verbosity < 0)
    for message in result.warnings:
        warn(message)
    for name in result.not_installed:
        warn(f"skipping {name}: it is not installed in {result.location}")
    if result.cancelled:
        print("Cancelled: nothing was removed", file=sys.stderr)
        return 1
    if settings.verbosity >= 0:
        n = len(result.removed)
        print(
            f"Uninstalled {n} package{'s' if n != 1 else ''} from {result.location} in "
            f"{elapsed(time.perf_counter() - started)}",
            file=sys.stderr,
        )
        print_changes((), result.removed, sys.stderr)
    return 0
