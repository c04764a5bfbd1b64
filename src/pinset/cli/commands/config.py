"""``pinset config list``: every effective setting and where it came from."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from pinset.cli import options

EXAMPLES = """examples:
  pinset config list
  pinset config list --json
  pinset config list --command download"""


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "config",
        help="show the effective configuration",
        description="Show settings merged from pip's configuration files, PIP_* and PINSET_* "
        "variables, with the source of each value.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(dest="config_action", metavar="ACTION")
    actions.required = True
    listing = actions.add_parser(
        "list",
        help="every effective setting and its source",
        description="Every effective setting and where its value came from.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    listing.add_argument("--json", action="store_true", help="print a JSON report")
    listing.add_argument(
        "--command",
        dest="for_command",
        default="install",
        metavar="NAME",
        help="read the [NAME] section after [global] (default: install)",
    )
    options.add_options(listing, "config")
    options.add_output(listing)


def _print_text(payload: Any) -> None:
    out = sys.stdout
    rows = payload.rows
    width = max((len(r.key) for r in rows), default=0)
    for row in rows:
        out.write(f"{row.key:<{width}} = {row.text}  # {row.source}\n")
    if payload.unknown:
        out.write("\n# ignored (not used by pinset):\n")
        for item in payload.unknown:
            out.write(f"# {item.key} = {item.value}  # {item.source}\n")
    out.write("\n# files, in load order:\n")
    if not payload.files:
        out.write("# (none: PIP_CONFIG_FILE is set to the null device)\n")
    for file in payload.files:
        state = "loaded" if file.loaded else "not found"
        out.write(f"# {file.kind:<6} {file.path} ({state})\n")


def run(args: argparse.Namespace) -> int:
    from pinset.ops.config import list_config

    result = list_config(args.for_command, environ=os.environ, isolated=args.isolated)
    if args.json:
        from pinset.cli import jsonout

        jsonout.write(result.to_dict())
    else:
        _print_text(result)
    return 0
