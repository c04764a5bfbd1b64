"""``pinset install`` answered from a remembered verdict (:mod:`pinset.ops.noop_verdict`) or
by replaying a remembered plan (:mod:`pinset.ops.replay`), before argparse and the settings
are imported; None means: run the command as usual."""

from __future__ import annotations

import os
import sys
import time

TYPE_CHECKING = False  # collections.abc imports collections (~1 ms): not on the fast path
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import TypeVar

    T = TypeVar("T")


def _elapsed(seconds: float) -> str:
    return f"{seconds:.2f}s" if seconds < 60 else f"{int(seconds // 60)}m{seconds % 60:04.1f}s"


def _verbose(arguments: Sequence[str]) -> bool:
    return any(a == "--verbose" or (a.startswith("-v") and set(a[1:]) == {"v"}) for a in arguments)


def _remembered(find: Callable[..., T | str], arguments: Sequence[str], as_module: bool) -> T | str:
    """What ``find`` (a no-op verdict's or a plan's) answers for this run, or why not."""
    try:
        return find(arguments, os.environ, os.getcwd(), as_module=as_module)
    except (OSError, ValueError, TypeError) as exc:
        return f"it could not be read ({exc})"


def reuse_verdict(arguments: Sequence[str], *, as_module: bool = False) -> int | None:
    """Print what a satisfied run prints and return 0 when a verdict still holds
    (``as_module``: started as ``python -m pinset``, part of the verdict's key)."""
    if not arguments or arguments[0] != "install":
        return None
    started = time.perf_counter()
    from pinset.ops.noop_verdict import find

    verdict = _remembered(find, arguments, as_module)
    if isinstance(verdict, str):
        if _verbose(arguments):
            print(f"no-op verdict not used: {verdict}", file=sys.stderr)
        return None
    verbosity, count = verdict.verbosity, verdict.audited
    if verbosity >= 0:
        where = f"{verdict.location} (Python {verdict.python_version})"
        print(
            f"Already satisfied: checked {count} package{'s' if count != 1 else ''} in "
            f"{where} in {_elapsed(time.perf_counter() - started)}",
            file=sys.stderr,
        )
    if verbosity > 0:
        print("no-op verdict reused: nothing changed since the last check", file=sys.stderr)
    return 0


def replay_plan(arguments: Sequence[str], *, as_module: bool = False) -> int | None:
    """Apply a remembered plan that still holds, print what the full run printed, write its
    no-op verdict and return 0; None when there is none, or it no longer holds (nothing was
    changed: the full path runs)."""
    if not arguments or arguments[0] != "install":
        return None
    started = time.perf_counter()
    from pinset.ops.replay import Stale, find, remember_verdict, replay

    plan = _remembered(find, arguments, as_module)
    if not isinstance(plan, str):
        from pinset.errors import PinsetError

        try:
            applied = replay(plan)
        except (Stale, PinsetError, OSError) as exc:  # nothing changed: the full path decides
            plan = str(exc)
        except Exception as exc:  # a bug here: the full path is the reference
            plan = f"it failed ({exc!r}); the transaction left the environment as it was"
    if isinstance(plan, str):
        if _verbose(arguments):
            print(f"install plan not replayed: {plan}", file=sys.stderr)
        return None
    remember_verdict(plan, arguments, os.environ, os.getcwd(), as_module=as_module)
    from pinset.cli.summary import print_installed, print_recovered
    from pinset.dists import Change

    shown = plan.verdict  # what the full run showed: a plan read back always holds it
    print_recovered(applied.recovered, sys.stderr, quiet=shown is None or shown.verbosity < 0)
    if shown is not None and shown.verbosity >= 0:
        print_installed(
            plan.resolved,
            [Change(d.name, str(d.version)) for d in applied.installed],
            (),
            where=f"{shown.location} (Python {shown.python_version})",
            seconds=time.perf_counter() - started,
            out=sys.stderr,
        )
    if _verbose(arguments):
        print("install plan replayed: nothing resolved or downloaded", file=sys.stderr)
    return 0
