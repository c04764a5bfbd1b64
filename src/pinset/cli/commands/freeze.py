"""``pinset freeze [-r TEMPLATE] [--hashes] [-o FILE]``: what is installed, as requirements.

Prints what ``pip freeze`` prints for the same environment, line for line; with ``-r``, the
template's lines first, each requirement pinned; with ``--hashes``, every pin with the
``--hash`` values that make ``pinset install --require-hashes`` reproduce the environment.
``-o FILE`` is written atomically (it may be the template itself). Warnings go to stderr.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from pathlib import Path
from typing import Any

from pinset.cli import options
from pinset.cli.summary import warn


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "freeze",
        help="print what is installed as requirements",
        description="Print the installed distributions in requirements format, as pip freeze "
        "does (names case-insensitively sorted).",
    )
    group = parser.add_argument_group("freeze")
    group.add_argument(
        "-r",
        "--requirement",
        dest="freeze_templates",
        action="append",
        default=[],
        metavar="TEMPLATE",
        help="keep this file's lines, order and comments, each requirement pinned (repeatable)",
    )
    group.add_argument(
        "--keep-includes",
        action="store_true",
        help="keep a template's -r lines as written instead of writing the included lines",
    )
    group.add_argument(
        "-l", "--local", action="store_true", help="only the environment's own packages"
    )
    group.add_argument("--user", action="store_true", help="only packages in the user site")
    group.add_argument(
        "--path",
        dest="freeze_paths",
        action="append",
        default=[],
        metavar="DIR",
        help="only packages installed in DIR (repeatable)",
    )
    group.add_argument(
        "--all",
        dest="freeze_all",
        action="store_true",
        help="also list pip (and setuptools, wheel, distribute on Python < 3.12)",
    )
    group.add_argument(
        "--exclude",
        dest="freeze_excludes",
        action="append",
        default=[],
        metavar="NAME",
        help="leave this project out (repeatable)",
    )
    group.add_argument(
        "--exclude-editable", action="store_true", help="leave editable installs out"
    )
    group.add_argument(
        "--hashes",
        action="store_true",
        help="add the --hash of every file each pinned version has on the index",
    )
    group.add_argument(
        "-o", "--output", metavar="FILE", default=None, help="write to FILE (atomically)"
    )
    options.add_general(parser)
    options.add_index(parser)
    options.add_network(parser)


def run(args: argparse.Namespace) -> int:
    from pinset.cli.commands.install import load
    from pinset.ops.freeze import FreezeRequest, freeze
    from pinset.session import text_fetcher

    settings = load("freeze", args)
    request = FreezeRequest(
        templates=tuple(args.freeze_templates),
        local=args.local,
        user=args.user,
        paths=tuple(args.freeze_paths),
        all=args.freeze_all,
        excludes=tuple(args.freeze_excludes),
        exclude_editable=args.exclude_editable,
        keep_includes=args.keep_includes,
        hashes=args.hashes,
    )
    result = freeze(
        request,
        settings,
        environ=os.environ,
        cwd=Path.cwd(),
        fetch=text_fetcher(settings, os.environ),
    )
    for message in result.warnings:
        warn(message)
    text = "".join(f"{line}\n" for line in result.lines)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    from pinset._fs import atomic_write_text

    output = Path(args.output)
    try:
        mode = stat.S_IMODE(output.stat().st_mode)  # replacing a file keeps its permissions
    except FileNotFoundError:
        mode = 0o644
    atomic_write_text(output, text, mode=mode)
    return 0
