"""``pinset cache dir | info | clean [BUCKET] | prune``: inspect and shrink the cache."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from pinset.cli import options

EXAMPLES = """examples:
  pinset cache info
  pinset cache clean http
  pinset cache prune --older-than 86400"""


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "cache",
        help="inspect and clean pinset's cache",
        description="Inspect and clean pinset's cache directory (see docs/cache.md).",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    options.add_options(parser, "cache")
    actions = parser.add_subparsers(dest="cache_action", metavar="ACTION")
    actions.required = True
    shown = {"epilog": EXAMPLES, "formatter_class": argparse.RawDescriptionHelpFormatter}
    where = actions.add_parser("dir", help="print the cache directory", **shown)
    info = actions.add_parser("info", help="entries and sizes per bucket", **shown)
    info.add_argument("--json", action="store_true", help="print a JSON report")
    clean = actions.add_parser("clean", help="remove all entries, or those of one bucket", **shown)
    clean.add_argument(
        "bucket", nargs="?", default=None, help="only this bucket (e.g. http, archives)"
    )
    prune = actions.add_parser(
        "prune",
        help="remove old bucket versions, leftovers, broken entries and second copies",
        **shown,
    )
    prune.add_argument(
        "--older-than",
        type=_seconds,
        default=3600.0,
        metavar="SECONDS",
        help="only remove temporary leftovers older than this (default: 3600)",
    )
    for action in (where, info, clean, prune):
        options.add_output(action)


def _seconds(text: str) -> float:
    """An argparse ``type``: a usable number of seconds (argparse reports the problem)."""
    from pinset.settings.values import ValueProblem, check_seconds

    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    try:
        return check_seconds(seconds)
    except ValueProblem as problem:
        raise argparse.ArgumentTypeError(f"{problem.message}; {problem.hint}") from None


def _human(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def _root(args: argparse.Namespace) -> Path:
    from pinset.cache import cache_root
    from pinset.errors import ConfigurationError
    from pinset.settings import is_isolated, load_settings

    isolated = is_isolated(args.isolated, os.environ)
    cli = {"cache_dir": args.cache_dir}
    settings = load_settings("cache", cli, environ=os.environ, isolated=isolated)
    if settings.no_cache_dir.value and args.cache_dir is None:
        raise ConfigurationError(
            "the cache is disabled",
            where=settings.no_cache_dir.source,
            hint="unset it, or name a directory with --cache-dir",
        )
    return cache_root(settings.cache_dir.value)


def _info(root: Path, as_json: bool) -> None:
    from pinset.cache import cache_info

    info = cache_info(root)
    if as_json:
        payload = {
            "root": str(info.root),
            "exists": info.exists,
            "size": info.size,
            "temporary_leftovers": info.temporary_leftovers,
            "buckets": [
                {
                    "name": b.name,
                    "version": b.version,
                    "path": str(b.path),
                    "entries": b.entries,
                    "size": b.size,
                    "current": b.current,
                }
                for b in info.buckets
            ],
        }
        from pinset.cli import jsonout

        jsonout.write(payload)
        return
    print(f"cache: {info.root}")
    for b in info.buckets:
        old = "" if b.current else "  (old version: `pinset cache prune` removes it)"
        print(f"  {b.path.name:<22} {b.entries:>7} entries  {_human(b.size):>10}{old}")
    print(f"  total {_human(info.size)}; {info.temporary_leftovers} temporary leftovers")


def run(args: argparse.Namespace) -> int:
    from pinset.cache import clean, prune
    from pinset.errors import UsageError

    root = _root(args)
    if args.cache_action == "dir":
        print(root)
        return 0
    if args.cache_action == "info":
        _info(root, args.json)
        return 0
    if args.cache_action == "clean":
        try:
            removal = clean(root, args.bucket)
        except ValueError as exc:
            raise UsageError(str(exc), hint="see `pinset cache info`") from None
    else:
        removal = prune(root, min_age=args.older_than)
    if args.quiet > args.verbose:
        return 0
    if args.verbose > args.quiet:
        for path in removal.removed:
            print(f"  removed {path}", file=sys.stderr)
    noun = "item" if len(removal.removed) == 1 else "items"
    print(f"removed {len(removal.removed)} {noun}, freed {_human(removal.freed)}", file=sys.stderr)
    return 0
