"""Entry point: build the argument parser, dispatch, render errors, map exit codes.

Exit codes: 0 success; 1 a pinset error (bad input, failed operation, ``check`` findings) or
an operating-system error (a path, a permission: the message, no traceback);
2 command-line or configuration misuse; 70 an internal error (a bug: the traceback is shown);
130 interrupted.
"""

from __future__ import annotations

import sys

from pinset import __version__

TYPE_CHECKING = False  # typing costs ~10 ms to import (with re and enum): not on the fast path
if TYPE_CHECKING:  # argparse, rendering and errors cost ~30 ms: not paid by a reused verdict
    import argparse
    from collections.abc import Sequence
    from types import ModuleType
    from typing import NoReturn

COMMANDS = (
    "install",
    "sync",
    "uninstall",
    "list",
    "show",
    "freeze",
    "download",
    "wheel",
    "lock",
    "check",
    "config",
    "cache",
    "venv",
    "app",
    "completion",
)
"""Subcommand modules under ``pinset.cli.commands``, in help order."""

ALIASES = {"compile": "lock"}
"""Other names of subcommands (pip-compile's and uv's name for ``lock``)."""

EXAMPLES = """examples:
  pinset install -r requirements.txt
  pinset list --outdated
  pinset COMMAND --help"""

EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130


def _parser_class() -> type[argparse.ArgumentParser]:
    import argparse

    from pinset.cli import render

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str) -> None:  # type: ignore[override]
            self.print_usage(sys.stderr)
            render.error_line(f"{message}", hint=f"see '{self.prog} --help'")
            raise SystemExit(2)

    return _Parser


def _command_module(name: str) -> ModuleType:
    import importlib

    return importlib.import_module(f"pinset.cli.commands.{name.replace('-', '_')}")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command-line parser; with ``only``, just that subcommand is set up (importing one
    command module instead of all of them: a run pays only for the command it runs)."""
    import argparse

    parser_class = _parser_class()
    parser = parser_class(
        prog="pinset",
        description="Repeatable, fast Python environments.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version", action="version", version=f"pinset {__version__}", help="print the version"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=parser_class)
    sub.required = True
    for name in COMMANDS if only is None else (only,):
        _command_module(name).register(sub)
    return parser


def chosen_command(argv: Sequence[str]) -> str | None:
    """The subcommand when it is the first argument (the only place argparse accepts it, as
    the top level has no options taking a value); None for ``--help``, ``--version``, typos."""
    if argv and argv[0] in ALIASES:
        return ALIASES[argv[0]]
    return argv[0] if argv and argv[0] in COMMANDS else None


YOUNG_COLLECTION_THRESHOLD = 100_000
"""Container objects allocated (net) between two young-generation collections: CPython's
default is 700."""


def collect_seldom() -> None:
    """Let the cyclic garbage collector run seldom in this process: a cold resolve allocates
    millions of containers (the entries of JSON index pages, above all) and keeps hundreds of
    thousands, and with CPython's default thresholds the collector walked them about 600 times
    (about 1 s of a large set's 5 s of CPU, every thread waiting meanwhile); now about 3 times
    (0.2 s). Reference counting frees nearly everything pinset drops; cycles are still
    collected, later. Set here, where the process starts, not by the library."""
    import gc

    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, older, oldest)


def script() -> NoReturn:
    """The ``pinset`` command: :func:`main`, then :func:`end`."""
    end(main())


def end(code: int) -> NoReturn:
    """End this process with ``code`` at once, without the interpreter's teardown: after a
    large resolution that frees every object it kept, one at a time (about 50 ms after a warm
    large resolve of 0.5 s, 65 ms after a cold one), for a process that ends anyway. What the
    teardown does that matters is done first: the ``atexit`` functions run and the standard
    streams are flushed. When a thread other than the daemons is still running, or a stream
    cannot be flushed, the process ends the usual way (which waits for that thread, and
    reports the stream)."""
    import os

    threading = sys.modules.get("threading")  # never imported: no other thread
    if threading is not None:
        current = threading.current_thread()
        if any(t is not current and not t.daemon and t.is_alive() for t in threading.enumerate()):
            raise SystemExit(code)
    atexit = sys.modules.get("atexit")  # never imported: nothing registered
    if atexit is not None:
        atexit._run_exitfuncs()
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        raise SystemExit(code) from None
    os._exit(code)


def main(argv: Sequence[str] | None = None, *, as_module: bool = False) -> int:
    """Run one command; ``as_module``: started as ``python -m pinset`` (the console script
    passes False), which lets the running interpreter be the target, as with pip."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    from pinset.cli.fastpath import replay_plan, reuse_verdict

    try:
        reused = reuse_verdict(arguments, as_module=as_module)
        if reused is None:
            reused = replay_plan(arguments, as_module=as_module)
    except KeyboardInterrupt:  # a replay's transaction is undone first
        from pinset.cli import render

        render.error_line("interrupted")
        return EXIT_INTERRUPTED
    if reused is not None:
        return reused
    collect_seldom()
    from pinset.cli import render
    from pinset.errors import PinsetError

    parser = build_parser(chosen_command(arguments))
    args = parser.parse_args(arguments)
    args.as_module = as_module
    args.command = ALIASES.get(args.command, args.command)
    if args.command in ("install", "lock"):
        args.argv = tuple(arguments)  # the exact arguments: a no-op verdict's key; lock's header
    try:
        code: int = _command_module(args.command).run(args)
    except PinsetError as exc:
        render.pinset_error(exc)
        return exc.exit_code
    except KeyboardInterrupt:
        render.error_line("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 1
    except OSError as exc:  # the machine said no (a path, a permission, a full disk): no bug
        render.error_line(_os_error(exc), hint="check the path, its permissions and free space")
        return 1
    except Exception:
        import traceback

        traceback.print_exc()
        render.error_line("internal error in pinset (a bug); please report the traceback above")
        return EXIT_INTERNAL
    return code


def _os_error(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    where = exc.filename if exc.filename is not None else None
    return f"{reason}: {where}" if where is not None else reason
