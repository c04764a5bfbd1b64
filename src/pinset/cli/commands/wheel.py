"""``pinset wheel -w DIR``: a wheelhouse with a wheel for every requirement of a resolved set.

pinset cannot build wheels from source yet: the wheels the indexes offer are copied into DIR,
and a requirement that only has an sdist is refused with an error saying so.
"""

from __future__ import annotations

import argparse
from typing import Any

from pinset.cli.commands.download import add_requirements, add_rest, fetch

EXAMPLES = """examples:
  pinset wheel -w wheelhouse -r requirements.txt
  pinset wheel -w wheelhouse "requests>=2.31"
  pinset install --no-index -f wheelhouse -r requirements.txt   # later, offline"""


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "wheel",
        help="build a wheelhouse for a resolved set",
        description="Resolve the requirements for the target and put a wheel of every "
        "package into a directory. Wheels are taken from the indexes: building from source "
        "is not supported yet, so a package with only an sdist is refused.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "-w",
        "--wheel-dir",
        dest="wheel_dir",
        metavar="DIR",
        default=".",
        help="where to put the wheels (default: the current directory)",
    )
    add_requirements(parser)
    add_rest(parser, "wheel")


def run(args: argparse.Namespace) -> int:
    return fetch(args, "wheel", args.wheel_dir, wheels_only=True)
