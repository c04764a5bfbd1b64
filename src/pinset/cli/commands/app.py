"""``pinset app build [DIR]``, ``pinset app run [PROCESS]``, ``pinset app release [DIR]``:
an application built and run as a platform does (:mod:`pinset.app`)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from pinset.cli import options
from pinset.cli.summary import counted, elapsed, print_changes

EXAMPLES = """examples:
  pinset app build ./myapp --cache-dir /tmp/cache --python 3.12
  pinset app run web
  pinset app release ./myapp"""


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "app",
        help="build and run an application as a platform does",
        description="Build an application's environment from its requirements.txt and "
        ".python-version (app build), run one of its Procfile's processes (app run), or print "
        "its process types as a buildpack's release step does (app release).",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(dest="app_action", metavar="ACTION")
    actions.required = True
    shown = {"epilog": EXAMPLES, "formatter_class": argparse.RawDescriptionHelpFormatter}
    build = actions.add_parser("build", help="build the application's environment", **shown)
    build.add_argument("app_dir", nargs="?", default=".", metavar="DIR", help="the application")
    build.add_argument("--cache-dir", metavar="DIR", default=None, help="pinset's cache")
    build.add_argument(
        "--python",
        "-p",
        metavar="VERSION|PATH",
        default=None,
        help="a version (instead of .python-version), or an interpreter to consider first",
    )
    run = actions.add_parser("run", help="run a Procfile process with the environment", **shown)
    run.add_argument("process", nargs="?", default="web", help="the process type (default: web)")
    run.add_argument("--app", dest="app_dir", default=".", metavar="DIR", help="the application")
    release = actions.add_parser("release", help="print the process types as YAML", **shown)
    release.add_argument("app_dir", nargs="?", default=".", metavar="DIR", help="the application")
    for action in (build, run):
        action.add_argument(
            "--venv", metavar="PATH", default=None, help="the environment (default: DIR/.venv)"
        )
    for action in (build, run, release):
        options.add_output(action)


def run(args: argparse.Namespace) -> int:
    if args.app_action == "build":
        return _build(args)
    if args.app_action == "run":
        return _run(args)
    return _release(args)


def _build(args: argparse.Namespace) -> int:
    from pinset.app.build import BuildRequest, build
    from pinset.cli.commands.install import load
    from pinset.cli.progress import run_shown

    started = time.perf_counter()
    settings = load("install", _settings_values(args))
    request = BuildRequest(
        Path(args.app_dir), Path(args.venv) if args.venv else None, python=args.python
    )
    quiet = settings.verbosity < 0
    result = run_shown(build, request, settings)
    if not quiet:
        _summary(result, time.perf_counter() - started)
    return 0


def _settings_values(args: argparse.Namespace) -> argparse.Namespace:
    """The options of ``app build`` that are settings (the rest are the build's own)."""
    return argparse.Namespace(cache_dir=args.cache_dir, verbose=args.verbose, quiet=args.quiet)


def _summary(result: Any, seconds: float) -> None:
    out = sys.stderr
    print(
        f"Python {result.python_version} at {result.python} (from {result.python_source})",
        file=out,
    )
    if result.outcome == "unchanged":
        print(
            f"Nothing to do: {result.venv} is up to date ({result.reason}; "
            f"{counted(len(result.files), 'file')} checked in {elapsed(seconds)})",
            file=out,
        )
        return
    verb = {"created": "Built", "recreated": "Rebuilt", "updated": "Updated"}[result.outcome]
    print(f"{verb} {result.venv} in {elapsed(seconds)} ({result.reason})", file=out)
    print_changes(result.installed, result.removed, out)
    for name in result.files:
        print(f"  read {name}", file=out)


def _run(args: argparse.Namespace) -> int:
    from pinset.app.procfile import plan_run

    root = Path(os.path.abspath(args.app_dir))
    venv = Path(os.path.abspath(args.venv)) if args.venv else root / ".venv"
    planned = plan_run(root, venv, args.process, os.environ)
    if args.verbose > args.quiet:
        print(f"Running {planned.name}: {planned.command}", file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    os.chdir(planned.cwd)
    os.execve(planned.argv[0], list(planned.argv), dict(planned.environ))
    return 0  # not reached


def _release(args: argparse.Namespace) -> int:
    from pinset.app.procfile import read_procfile

    types = read_procfile(Path(args.app_dir))
    lines = ["---", "default_process_types:"]
    lines += [f"  {name}: {json.dumps(command)}" for name, command in types.commands.items()]
    print("\n".join(lines))
    return 0
