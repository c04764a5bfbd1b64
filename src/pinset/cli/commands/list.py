"""``pinset list``: installed packages in ``pip list``'s formats (columns, freeze, json).

Columns: ``Package Version`` (+ ``Latest Type`` with ``--outdated``/``--uptodate``, + ``Build``
when a wheel had a build tag, + ``Editable project location`` when one is editable, +
``Location Installer`` with ``-v``), sorted by normalised name; the data goes to stdout.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pinset.cli import options

EXAMPLES = """examples:
  pinset list
  pinset list --outdated -i https://pypi.org/simple
  pinset list --format freeze --exclude-editable > requirements.txt"""


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "list",
        help="list installed packages",
        description="List the packages installed in the environment install would change "
        "(--python, else $VIRTUAL_ENV, else $CONDA_PREFIX, else .venv here or above, else the "
        "first python3 on PATH), sorted by name.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    group = parser.add_argument_group("what to list")
    group.add_argument(
        "-o", "--outdated", action="store_true", help="list packages with a newer version"
    )
    group.add_argument(
        "-u", "--uptodate", action="store_true", help="list packages that are the newest version"
    )
    group.add_argument("-e", "--editable", action="store_true", help="list editable projects only")
    group.add_argument(
        "--exclude-editable",
        dest="include_editable",
        action="store_false",
        default=True,
        help="leave editable projects out",
    )
    group.add_argument(
        "--include-editable",
        dest="include_editable",
        action="store_true",
        help="include editable projects (the default)",
    )
    group.add_argument(
        "--not-required",
        action="store_true",
        help="list packages no other installed package depends on",
    )
    group.add_argument(
        "--exclude",
        dest="exclude",
        action="append",
        default=[],
        metavar="NAME",
        help="leave this package out (repeatable)",
    )
    group.add_argument(
        "--format",
        dest="list_format",
        choices=("columns", "freeze", "json"),
        default="columns",
        help="columns (default), freeze (name==version) or json; freeze cannot show --outdated",
    )
    options.add_target_path(parser)
    options.add_options(parser, "list")


def _table(rows: Sequence[Sequence[str]]) -> list[str]:
    """Left-aligned columns one space apart, a dashed line under the header, no trailing
    blanks (pip's layout)."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        " ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, " ".join("-" * w for w in widths))
    return lines


def _columns(packages: Sequence[Any], outdated: bool, verbose: bool) -> list[str]:
    header = ["Package", "Version"]
    latest = outdated
    build = any(p.build_tag for p in packages)
    editable = any(p.editable_location for p in packages)
    header += ["Latest", "Type"] if latest else []
    header += ["Build"] if build else []
    header += ["Editable project location"] if editable else []
    header += ["Location", "Installer"] if verbose else []
    rows = [header]
    for p in packages:
        row = [p.name, p.version]
        row += [p.latest or "", p.latest_type or ""] if latest else []
        row += [p.build_tag or ""] if build else []
        row += [p.editable_location or ""] if editable else []
        row += [str(p.location), p.installer] if verbose else []
        rows.append(row)
    return _table(rows)


def _json(packages: Sequence[Any], outdated: bool, verbose: bool) -> list[dict[str, str]]:
    data: list[dict[str, str]] = []
    for p in packages:
        item = {"name": p.name, "version": _normal_version(p.version)}
        if verbose:
            item.update(location=str(p.location), installer=p.installer)
        if outdated:
            item.update(latest_version=p.latest or "", latest_filetype=p.latest_type or "")
        if p.editable_location:
            item["editable_project_location"] = p.editable_location
        data.append(item)
    return data


def _normal_version(text: str) -> str:
    from packaging.version import InvalidVersion, Version

    try:
        return str(Version(text))
    except InvalidVersion:
        return text


def _freeze(packages: Sequence[Any], verbose: bool) -> list[str]:
    lines = []
    for p in packages:
        pin = f"{p.name}=={_normal_version(p.version)}"
        lines.append(f"{pin} ({p.location})" if verbose else pin)
    return lines


def _trace(text: str) -> None:
    print(f"  {text}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from pinset.cli.commands.install import load
    from pinset.cli.summary import warn
    from pinset.errors import UsageError
    from pinset.ops.listing import ListRequest, list_installed

    if args.outdated and args.list_format == "freeze":
        raise UsageError(
            "--format freeze cannot be used with --outdated",
            hint="use --format columns or --format json",
        )
    settings = load("list", args)
    request = ListRequest(
        outdated=args.outdated,
        uptodate=args.uptodate,
        not_required=args.not_required,
        editable_only=args.editable,
        include_editable=args.include_editable,
        exclude=tuple(args.exclude),
    )
    quiet = settings.verbosity < 0
    verbose = settings.verbosity > 0
    result = list_installed(
        request,
        settings,
        environ=os.environ,
        cwd=Path.cwd(),
        warn=None if quiet else warn,
        trace=_trace if verbose else None,
    )
    with_latest = args.outdated  # pip shows Latest and Type for --outdated only
    if args.list_format == "json":
        from pinset.cli import jsonout

        sys.stdout.write(jsonout.dumps(_json(result.packages, with_latest, verbose), indent=None))
        return 0
    if args.list_format == "freeze":
        lines = _freeze(result.packages, verbose)
    else:
        lines = _columns(result.packages, with_latest, verbose) if result.packages else []
    for line in lines:
        print(line)
    return 0
