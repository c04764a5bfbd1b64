"""``pinset check FILE...``: report every problem in requirements files (exit 1 on any)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from pinset.cli import render


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "check",
        help="report every problem in requirements files",
        description="Read requirements files as pip does and report every problem found.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="requirements file path or URL")
    parser.add_argument("--json", action="store_true", help="print the parsed model as JSON")


def run(args: argparse.Namespace) -> int:
    from pinset.ops.check import check_files

    result = check_files(args.files)
    render.diagnostics(result.diagnostics)
    if args.json:
        payload = {
            "ok": result.ok,
            "files": [f.to_dict() for f in result.files],
            "diagnostics": [d.to_dict() for d in result.diagnostics],
        }
        json.dump(payload, sys.stdout, indent=2)
        sys.stdout.write("\n")
    return 0 if result.ok else 1
