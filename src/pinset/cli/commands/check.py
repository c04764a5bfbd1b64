"""``pinset check FILE...``: report every problem in requirements files (exit 1 on any).

Files and ``-r``/``-c`` includes may be ``http(s)`` URLs: they are read with the network
settings (``--cert``, ``--proxy``, ``--trusted-host``, credentials from the URL, an index URL on
the same host, ``.netrc`` or keyring). ``--json`` prints the parsed model, credentials redacted.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from pinset.cli import options, render


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "check",
        help="report every problem in requirements files",
        description="Read requirements files as pip does and report every problem found.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="requirements file path or URL")
    parser.add_argument("--json", action="store_true", help="print the parsed model as JSON")
    parser.add_argument(
        "--isolated",
        action="store_const",
        const=True,
        default=None,
        help="ignore environment variables and user configuration",
    )
    group = parser.add_argument_group("package index")
    group.add_argument("-i", "--index-url", metavar="URL", default=None)
    group.add_argument("--extra-index-url", metavar="URL", action="append", default=None)
    options.add_network(parser)


def run(args: argparse.Namespace) -> int:
    from pinset.cli.commands.install import load
    from pinset.ops.check import check_files

    settings = load("check", args)
    result = check_files(args.files, settings=settings, environ=os.environ)
    render.diagnostics(result.diagnostics)
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
