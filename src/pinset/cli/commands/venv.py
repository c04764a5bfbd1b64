"""``pinset venv [DIR] [--python VERSION|PATH] [--seed]``: create a virtual environment."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from pinset.cli import options

EXAMPLES = """examples:
  pinset venv
  pinset venv --python 3.12 .venv-312
  pinset venv --seed --clear"""


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "venv",
        help="create a virtual environment",
        description="Create a virtual environment (default: .venv) with the chosen Python. "
        "Without --seed it has no pip: pinset installs into it directly.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "path",
        nargs="?",
        default=".venv",
        metavar="DIR",
        help="where to create it (default: .venv)",
    )
    parser.add_argument(
        "--python",
        "-p",
        metavar="VERSION|PATH",
        default=None,
        help="interpreter: a version (3.12) found on PATH or in ~/.pyenv, or a path",
    )
    parser.add_argument(
        "--seed", action="store_true", help="install pip into it (the pip bundled with that Python)"
    )
    parser.add_argument(
        "--clear", action="store_true", help="replace an existing virtual environment at DIR"
    )
    parser.add_argument(
        "--prompt", metavar="TEXT", default=None, help="the prompt shown when it is activated"
    )
    parser.add_argument(
        "--system-site-packages",
        action="store_true",
        help="give it access to the interpreter's installed packages",
    )
    parser.add_argument(
        "--relocatable",
        action="store_true",
        help="scripts and activate scripts find the environment where it is, so that it "
        "keeps working when its directory is moved",
    )
    options.add_options(parser, "venv")


def run(args: argparse.Namespace) -> int:
    from pinset.ops.venv import create

    result = create(
        Path(args.path),
        python=args.python,
        environ=os.environ,
        cwd=Path.cwd(),
        seed=args.seed,
        clear=args.clear,
        prompt=args.prompt,
        system_site_packages=args.system_site_packages,
        relocatable=args.relocatable,
    )
    shown = args.path
    if args.quiet > args.verbose:
        return 0
    print(
        f"Using {result.implementation} {result.version} at {result.base_python}", file=sys.stderr
    )
    verb = "Replaced" if result.replaced else "Created"
    extra = " with pip" if result.seeded else ""
    print(f"{verb} virtual environment at {shown}{extra}", file=sys.stderr)
    if os.name == "nt":
        print(f"Activate with: {Path(shown) / 'Scripts' / 'activate'}", file=sys.stderr)
    else:
        print(f"Activate with: source {Path(shown) / 'bin' / 'activate'}", file=sys.stderr)
    return 0
