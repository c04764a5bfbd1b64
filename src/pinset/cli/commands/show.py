"""``pinset show NAME...``: installed packages in ``pip show``'s header format (stdout).

Exit 1 when none of the names is installed; a warning names those that are not.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from pinset.cli import options

EXAMPLES = """examples:
  pinset show requests
  pinset show -f requests urllib3
  pinset show -v --python .venv requests"""


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "show",
        help="show information about installed packages",
        description="Show the metadata, location, dependencies and dependents of installed "
        "packages (with -v: classifiers, entry points, project URLs).",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("names", nargs="+", metavar="NAME", help="an installed project's name")
    parser.add_argument(
        "-f", "--files", action="store_true", help="list the files each package installed"
    )
    options.add_target_path(parser)
    options.add_options(parser, "show")


def _lines(dist: Any, files: bool, verbose: bool) -> list[str]:
    lines = [
        f"Name: {dist.name}",
        f"Version: {dist.version}",
        f"Summary: {dist.summary}",
        f"Home-page: {dist.homepage}",
        f"Author: {dist.author}",
        f"Author-email: {dist.author_email}",
    ]
    if _metadata_version(dist.metadata_version) >= (2, 4) and dist.license_expression:
        lines.append(f"License-Expression: {dist.license_expression}")
    else:
        lines.append(f"License: {dist.license}")
    lines.append(f"Location: {dist.location}")
    if dist.editable_location is not None:
        lines.append(f"Editable project location: {dist.editable_location}")
    lines.append(f"Requires: {', '.join(dist.requires)}")
    lines.append(f"Required-by: {', '.join(dist.required_by)}")
    if verbose:
        lines += [f"Metadata-Version: {dist.metadata_version}", f"Installer: {dist.installer}"]
        lines += ["Classifiers:", *(f"  {c}" for c in dist.classifiers)]
        lines += ["Entry-points:", *(f"  {e}" for e in dist.entry_points)]
        lines += ["Project-URLs:", *(f"  {u}" for u in dist.project_urls)]
    if files:
        lines.append("Files:")
        if dist.files is None:
            lines.append("Cannot locate RECORD or installed-files.txt")
        else:
            lines += [f"  {f}" for f in dist.files]
    return lines


def _metadata_version(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        return ()


def run(args: argparse.Namespace) -> int:
    from pinset.cli.commands.install import load
    from pinset.cli.summary import warn
    from pinset.ops.show import show

    settings = load("show", args)
    quiet = settings.verbosity < 0
    result = show(
        args.names,
        settings,
        environ=os.environ,
        cwd=Path.cwd(),
        files=args.files,
        warn=None if quiet else warn,
    )
    if result.missing and not quiet:
        warn(f"package(s) not found in {result.location}: {', '.join(result.missing)}")
    verbose = settings.verbosity > 0
    for i, dist in enumerate(result.shown):
        if i:
            print("---")
        for line in _lines(dist, args.files, verbose):
            print(line)
    return 0 if result.shown else 1
