"""``pinset download -d DIR``: save the files of a resolved set (wheels; sdists with
``--no-deps``) for this target or another one (``--platform``, ``--python-version``,
``--implementation``, ``--abi``), to install offline later with ``--no-index -f DIR``."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pinset.cli import options

if TYPE_CHECKING:
    from pinset.environment.foreign import ForeignTarget

EXAMPLES = """examples:
  pinset download -d wheelhouse -r requirements.txt
  pinset download -d wheelhouse --platform manylinux2014_x86_64 --python-version 3.12 -r req.txt
  pinset install --no-index -f wheelhouse -r requirements.txt   # later, offline"""


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "download",
        help="save the wheels of a resolved set into a directory",
        description="Resolve the requirements for the target (or another machine) and save "
        "every file into a directory; nothing is installed. Sdists are saved only with "
        "--no-deps: pinset cannot build them to learn their dependencies yet.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "-d",
        "--dest",
        "--destination-dir",
        "--destination-directory",
        dest="dest",
        metavar="DIR",
        default=".",
        help="where to save the files (default: the current directory)",
    )
    add_requirements(parser)
    add_another_machine(parser)
    add_rest(parser, "download")


def add_another_machine(parser: argparse.ArgumentParser) -> None:
    """``--platform``, ``--python-version``, ``--implementation``, ``--abi``: resolve for
    another machine (``download``, ``wheel``, ``lock``)."""
    group = parser.add_argument_group("another machine")
    group.add_argument(
        "--platform",
        dest="platforms",
        action="append",
        default=[],
        metavar="TAG",
        help="a platform tag the files must fit (e.g. manylinux2014_x86_64; repeatable)",
    )
    group.add_argument(
        "--python-version",
        metavar="X.Y",
        default=None,
        help="the Python version the files must fit (3.12, 312 or 3.12.1)",
    )
    group.add_argument(
        "--implementation",
        metavar="IMPL",
        default=None,
        help="the Python implementation: cp, pp, ip, jy, or py for pure-Python files only",
    )
    group.add_argument(
        "--abi",
        dest="abis",
        action="append",
        default=[],
        metavar="ABI",
        help="an ABI tag the files must fit (e.g. cp312, abi3, none; repeatable)",
    )


def foreign_target(args: argparse.Namespace) -> ForeignTarget:
    """The machine :func:`add_another_machine`'s options describe."""
    from pinset.environment.foreign import ForeignTarget

    return ForeignTarget(
        platforms=tuple(getattr(args, "platforms", ())),
        python_version=getattr(args, "python_version", None),
        implementation=getattr(args, "implementation", None),
        abis=tuple(getattr(args, "abis", ())),
    )


def add_requirements(parser: argparse.ArgumentParser) -> None:
    """The requirement arguments ``download`` and ``wheel`` share (``-r``, ``-c``,
    ``--no-deps`` and the rest come from the option table)."""
    parser.add_argument(
        "requirements",
        nargs="*",
        metavar="REQUIREMENT",
        help="a requirement (name[extras] and versions, a wheel path or URL)",
    )


def add_rest(parser: argparse.ArgumentParser, command: str) -> None:
    from pinset.cli.commands.install import intermixed

    intermixed(parser)
    options.add_options(parser, command)


def fetch(args: argparse.Namespace, command: str, dest: str, *, wheels_only: bool) -> int:
    """Run ``download`` (or ``wheel``) and print what was saved."""
    from pinset.cli.commands.install import load
    from pinset.cli.progress import run_shown
    from pinset.cli.summary import elapsed
    from pinset.ops.download import DownloadRequest, download

    started = time.perf_counter()
    settings = load(command, args)
    foreign = foreign_target(args)
    request = DownloadRequest(
        dest=Path(os.path.abspath(os.path.expanduser(dest))),
        requirements=tuple(args.requirements),
        files=tuple(args.requirement_files or ()),
        constraints=tuple(args.constraints or ()),
        foreign=foreign,
        wheels_only=wheels_only,
    )
    result = run_shown(download, request, settings, quiet_hides_warnings=True)
    if settings.verbosity < 0:
        return 0
    for saved in sorted(result.saved, key=lambda s: s.name):
        state = "already there" if saved.already_there else "saved"
        print(f" {saved.filename} ({state})", file=sys.stderr)
    n = len(result.saved)
    print(
        f"{n} file{'s' if n != 1 else ''} in {dest} for Python {result.python_version} "
        f"({result.platform}) in {elapsed(time.perf_counter() - started)}",
        file=sys.stderr,
    )
    return 0


def run(args: argparse.Namespace) -> int:
    return fetch(args, "download", args.dest, wheels_only=False)
