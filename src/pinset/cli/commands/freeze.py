"""``pinset freeze [-r TEMPLATE] [--hashes] [-o FILE]``: what is installed, as requirements.

Prints what ``pip freeze`` prints for the same environment, line for line; with ``-r``, the
template's lines first, each requirement pinned; with ``--hashes``, every pin with the
``--hash`` values that make ``pinset install --require-hashes`` reproduce the environment.
``-o FILE`` is written atomically (it may be the template itself). Warnings go to stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from pinset.cli import options
from pinset.cli.summary import warn

EXAMPLES = """examples:
  pinset freeze > requirements.txt
  pinset freeze -r requirements.in -o requirements.txt
  pinset freeze --hashes -i https://pypi.org/simple -o requirements.txt"""


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "freeze",
        help="print what is installed as requirements",
        description="Print the installed distributions in requirements format, as pip freeze "
        "does (names case-insensitively sorted), from the environment install would change "
        "(--python, else $VIRTUAL_ENV, else ./.venv, else this Python).",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    options.add_options(parser, "freeze")


def run(args: argparse.Namespace) -> int:
    from pinset.cli.commands.install import load
    from pinset.ops.freeze import FreezeRequest, freeze
    from pinset.session import text_fetcher

    settings = load("freeze", args)
    request = FreezeRequest(
        templates=tuple(args.freeze_templates or ()),
        local=args.local,
        user=args.freeze_user,
        paths=tuple(args.freeze_paths or ()),
        all=args.freeze_all,
        excludes=tuple(args.freeze_excludes or ()),
        exclude_editable=args.exclude_editable,
        keep_includes=args.keep_includes,
        hashes=args.freeze_hashes,
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
    from pinset._fs import write_output_file

    write_output_file(Path(args.output), text)
    return 0
