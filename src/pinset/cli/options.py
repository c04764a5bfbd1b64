"""Option groups shared by several commands, spelled and meaning as pip's.

Every option defaults to ``None`` (or an empty list) so that only flags the user gave reach
``settings``, where they override configuration files and environment variables.
"""

from __future__ import annotations

import argparse
from typing import Any


def _flag(group: Any, *names: str, dest: str, help: str) -> None:
    group.add_argument(*names, dest=dest, action="store_const", const=True, default=None, help=help)


def add_general(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("general")
    group.add_argument("-v", "--verbose", action="count", default=0, help="more output")
    group.add_argument("-q", "--quiet", action="count", default=0, help="less output")
    _flag(
        group,
        "--isolated",
        dest="isolated",
        help="ignore environment variables and user configuration",
    )
    group.add_argument(
        "--python",
        metavar="VERSION|PATH",
        default=None,
        help="the environment's interpreter (a version or a path)",
    )


def add_index(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("package index")
    group.add_argument("-i", "--index-url", metavar="URL", default=None)
    group.add_argument("--extra-index-url", metavar="URL", action="append", default=None)
    _flag(group, "--no-index", dest="no_index", help="ignore package indexes")
    group.add_argument("-f", "--find-links", metavar="URL|PATH", action="append", default=None)
    group.add_argument(
        "--index-strategy",
        choices=("first-index", "unsafe-best-match"),
        default=None,
        help="how names found on several indexes are chosen",
    )
    _flag(group, "--pre", dest="pre", help="include pre-release and development versions")
    group.add_argument("--only-binary", metavar="NAMES", action="append", default=None)
    group.add_argument("--no-binary", metavar="NAMES", action="append", default=None)
    _flag(group, "--prefer-binary", dest="prefer_binary", help="prefer wheels to newer sdists")


def add_network(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("network")
    group.add_argument("--trusted-host", metavar="HOST[:PORT]", action="append", default=None)
    group.add_argument("--cert", metavar="PATH", default=None)
    group.add_argument("--client-cert", metavar="PATH", default=None)
    group.add_argument("--proxy", metavar="URL", default=None)
    group.add_argument(
        "--timeout",
        "--default-timeout",
        dest="timeout",
        type=float,
        metavar="SECONDS",
        default=None,
    )
    group.add_argument("--retries", type=int, metavar="N", default=None)
    group.add_argument(
        "--download-timeout",
        type=float,
        metavar="SECONDS",
        default=None,
        help="the most one file or page may take in all (default 3600; 0: no limit)",
    )
    group.add_argument(
        "--keyring-provider", choices=("auto", "disabled", "import", "subprocess"), default=None
    )
    _flag(group, "--offline", dest="offline", help="use only what is cached")


def add_cache(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("cache")
    group.add_argument("--cache-dir", metavar="DIR", default=None)
    _flag(group, "--no-cache-dir", dest="no_cache_dir", help="use a throwaway cache")
