"""``pinset lock IN... -o OUT`` (alias ``compile``): resolve loose inputs into a lock file.

pip-compile's requirements.txt (header, ``==`` pins sorted by name, ``# via`` annotations,
``--generate-hashes``, index options as written) or PEP 751 ``pylock.toml`` (``--format
pylock``, or an output named ``pylock.toml``/``pylock.NAME.toml``). The output's pins are kept
unless ``-U`` (all) or ``-P NAME`` (one); ``--dry-run`` or ``-o -`` prints instead. The file is
written atomically.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from pathlib import Path
from typing import Any

EXAMPLES = """examples:
  pinset lock requirements.in -o requirements.txt --generate-hashes
  pinset lock requirements.in -o requirements.txt -P requests    # move one pin only
  pinset lock setup.cfg --extra test -o pylock.toml --python-version 3.12 --platform win_amd64"""


def register(sub: Any) -> None:
    from pinset.cli.commands.download import add_another_machine, add_rest

    parser = sub.add_parser(
        "lock",
        aliases=["compile"],
        help="resolve requirements into a pinned lock file",
        description="Resolve the input files (requirements files, pyproject.toml, "
        "setup.cfg) for the target as install --dry-run would, and write every pin: "
        "pip-compile's format or PEP 751 pylock.toml. Pins already in the output are kept "
        "unless -U or -P.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "inputs",
        nargs="*",
        metavar="IN",
        help="a requirements file (e.g. requirements.in) or pyproject.toml",
    )
    add_another_machine(parser)
    add_rest(parser, "lock")


def run(args: argparse.Namespace) -> int:
    from pinset.cli.commands.download import foreign_target
    from pinset.cli.commands.install import load
    from pinset.cli.progress import run_shown
    from pinset.cli.summary import elapsed
    from pinset.ops.lock import LockRequest, lock

    started = time.perf_counter()
    settings = load("lock", args)
    request = LockRequest(
        inputs=tuple(args.inputs),
        output=args.output,
        format=args.lock_format,
        constraints=tuple(args.constraints or ()),
        generate_hashes=args.generate_hashes,
        upgrade=bool(settings.upgrade.value),
        upgrade_packages=tuple(args.upgrade_packages or ()),
        foreign=foreign_target(args),
        command=_command(getattr(args, "argv", ())),
        header=not args.no_header,
        annotate=not args.no_annotate,
        strip_extras=args.strip_extras,
        extras=tuple(args.extras or ()),
        all_extras=args.all_extras,
    )
    quiet = settings.verbosity < 0
    result = run_shown(lock, request, settings, quiet_hides_warnings=True)
    text = result.text
    to_stdout = args.dry_run or args.output in (None, "-")
    if to_stdout:
        sys.stdout.write(text)
    else:
        from pinset._fs import write_output_file

        write_output_file(Path(args.output), text)
    if not quiet:
        n = result.count
        where = "" if to_stdout else f" into {args.output}"
        kept = f", {result.kept} kept" if result.kept else ""
        print(
            f"Locked {n} package{'s' if n != 1 else ''}{where}{kept} "
            f"in {elapsed(time.perf_counter() - started)}",
            file=sys.stderr,
        )
    return 0


def _command(argv: tuple[str, ...]) -> str:
    """The command line as the header shows it, credentials redacted."""
    from pinset.redaction import redact_text

    return redact_text(shlex.join(("pinset", *argv)))
