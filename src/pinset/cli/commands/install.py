"""``pinset install``: install requirements into an environment, as ``pip install`` does.

Progress (rich, imported only then) is shown only when stderr is a terminal; the summary
(``+ name==version`` / ``- name==version`` and the time taken) goes to stderr; a JSON report
(``--report -``) to stdout.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from pinset.cli import options
from pinset.cli.progress import run_shown
from pinset.cli.summary import (
    elapsed,
    print_changes,
    print_installed,
    print_recovered,
    warn_broken,
)

EXAMPLES = """examples:
  pinset install -r requirements.txt
  pinset install --python .venv "requests>=2.31" -c constraints.txt
  pinset install --no-index -f ./wheelhouse -r requirements.txt"""


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "install",
        help="install packages into an environment",
        description="Install requirements (names, -r files, wheel paths or URLs) into the "
        "target environment: --python, else $VIRTUAL_ENV, else $CONDA_PREFIX, else .venv here "
        "or in a parent directory; a Python outside a virtual environment only with --system.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "requirements",
        nargs="*",
        metavar="REQUIREMENT",
        help="a requirement (name[extras] and versions, a wheel path or URL)",
    )
    options.add_options(parser, "install")
    intermixed(parser)


def intermixed(parser: argparse.ArgumentParser) -> None:
    """Let options and requirement names come in any order (``foo -r x.txt bar``), as pip's
    command line allows: this subcommand's parser parses intermixed arguments."""
    plain = parser.parse_known_args
    inside = False

    def parse(args: Any = None, namespace: Any = None) -> Any:
        nonlocal inside
        if inside:
            return plain(args, namespace)
        inside = True
        try:
            return parser.parse_known_intermixed_args(args, namespace)
        finally:
            inside = False

    parser.parse_known_args = parse  # type: ignore[method-assign]


def load(command: str, args: argparse.Namespace) -> Any:
    from pinset.settings import is_isolated, load_settings

    values = {k: v for k, v in vars(args).items() if k not in ("command", "argv", "as_module")}
    return load_settings(
        command,
        values,
        environ=os.environ,
        isolated=is_isolated(getattr(args, "isolated", None), os.environ),
        as_module=getattr(args, "as_module", False),
    )


def write_report(report: Any, dest: str) -> None:
    from pinset.cli import jsonout

    text = jsonout.dumps(report)
    if dest == "-":
        sys.stdout.write(text)
        return
    from pinset._fs import write_output_file

    write_output_file(Path(dest), text)


def run(args: argparse.Namespace) -> int:
    from pinset.ops.install import InstallRequest, install

    started = time.perf_counter()
    settings = load("install", args)
    request = InstallRequest(
        requirements=tuple(args.requirements),
        files=tuple(args.requirement_files or ()),
        editables=tuple(args.editables or ()),
        force_reinstall=args.force_reinstall,
        ignore_installed=args.ignore_installed,
        user=args.user,
        root=args.root,
        dry_run=args.dry_run,
        report=args.report is not None,
    )
    quiet = settings.verbosity < 0
    result = run_shown(install, request, settings)
    print_recovered(result.recovered, sys.stderr, quiet=quiet)
    if result.report is not None:
        write_report(result.report, args.report)
    if result.satisfied or result.now_satisfied is not None:
        _remember(args, settings, result)
    if not quiet:
        _summary(result, time.perf_counter() - started)
    warn_broken(result.broken)
    if settings.verbosity > 0 and result.timings:
        steps = ", ".join(f"{step} {elapsed(t)}" for step, t in result.timings.items())
        print(f"timings: {steps}", file=sys.stderr)
    return 0


def _remember(args: argparse.Namespace, settings: Any, result: Any) -> None:
    """Write the no-op verdict a later identical run can reuse (never for runs with options
    that change what is done or shown, nor without a cache); after a change that a later run
    may replay (:mod:`pinset.ops.replay`), the plan too."""
    argv = getattr(args, "argv", None)
    if argv is None or result.dry_run or result.report is not None or result.warnings:
        return
    if result.local_trees:
        return
    if settings.no_cache_dir.value:
        return
    from pinset.cache import cache_root
    from pinset.ops.noop_verdict import Verdict, record
    from pinset.ops.replay import record as remember_plan
    from pinset.settings import config_paths

    paths = config_paths(os.environ)
    configs = [*paths.global_files, *paths.user_files, *paths.site_files]
    if os.environ.get("PIP_CONFIG_FILE"):
        configs.append(os.environ["PIP_CONFIG_FILE"])
    pythons = [str(result.python), *(v for v in [settings.python.value] if v)]
    verdict = Verdict(
        files=[str(f) for f in result.sources],
        stats=[*configs, *pythons, str(result.location / "pyvenv.cfg")],
        site_dirs=[str(d) for d in result.site_dirs],
        verbosity=settings.verbosity,
        audited=result.audited if result.satisfied else result.now_satisfied,
        location=str(result.location),
        python_version=result.python_version,
    )
    root = str(cache_root(settings.cache_dir.value))
    try:
        record(argv, os.environ, os.getcwd(), root, verdict, as_module=settings.as_module)
        if result.replay is not None and not result.broken and not result.recovered:
            plan = result.replay
            plan.verdict, plan.configs, plan.pythons = verdict, tuple(configs), tuple(pythons)
            plan.venv_cfgs = (str(result.location / "pyvenv.cfg"),)
            plan.cache_root, plan.python = root, str(result.python)
            remember_plan(argv, os.environ, os.getcwd(), plan, as_module=settings.as_module)
    except OSError:
        return  # a cache that cannot be written: the next run just checks again


def _summary(result: Any, seconds: float) -> None:
    out = sys.stderr
    where = f"{result.location} (Python {result.python_version})"
    if result.satisfied:
        count = result.audited
        print(
            f"Already satisfied: checked {count} package{'s' if count != 1 else ''} in "
            f"{where} in {elapsed(seconds)}",
            file=out,
        )
        return
    if result.dry_run:
        n = len(result.installed)
        print(
            f"Would install {n} package{'s' if n != 1 else ''} into {where} "
            "(dry run: nothing changed)",
            file=out,
        )
        print_changes(result.installed, result.removed, out)
        return
    print_installed(
        result.resolved, result.installed, result.removed, where=where, seconds=seconds, out=out
    )
