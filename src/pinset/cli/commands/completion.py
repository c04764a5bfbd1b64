"""``pinset completion bash|zsh|fish``: print a completion script for that shell (stdout)."""

from __future__ import annotations

import argparse
from typing import Any

from pinset.cli import options

EXAMPLES = """examples:
  eval "$(pinset completion bash)"      # in ~/.bashrc
  eval "$(pinset completion zsh)"       # in ~/.zshrc, after compinit
  pinset completion fish > ~/.config/fish/completions/pinset.fish"""


def register(sub: Any) -> None:
    from pinset.cli.completion import SHELLS

    parser = sub.add_parser(
        "completion",
        help="print a shell completion script",
        description="Print a script that completes pinset's commands, options and file "
        "names in bash, zsh or fish.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("shell", choices=SHELLS, help="the shell to complete in")
    options.add_options(parser, "completion")


def run(args: argparse.Namespace) -> int:
    from pinset.cli.completion import script
    from pinset.cli.main import build_parser

    print(script(args.shell, build_parser()), end="")
    return 0
