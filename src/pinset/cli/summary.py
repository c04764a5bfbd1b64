"""The lines a person reads after a change: ``+ name==version`` / ``- name==version``."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any, TextIO

from pinset.cli import render
from pinset.errors import Diagnostic, Severity


def elapsed(seconds: float) -> str:
    return f"{seconds:.2f}s" if seconds < 60 else f"{int(seconds // 60)}m{seconds % 60:04.1f}s"


def counted(n: int, word: str) -> str:
    """``1 file``, ``3 files``."""
    return f"{n} {word}{'s' if n != 1 else ''}"


def warn(message: str) -> None:
    render.diagnostics([Diagnostic(Severity.WARNING, message)])


def print_recovered(recovered: Sequence[Any], out: TextIO, *, quiet: bool) -> None:
    """What became of each journal an interrupted earlier run left (ignored ones as warnings,
    shown even when quiet)."""
    for item in recovered:
        if item.outcome == "ignored":
            warn(
                f"ignored {item.journal}: it was not written by pinset for this user (it fails "
                "authentication), so nothing in it was acted on; if no pinset run of yours was "
                "interrupted, a package may have planted it: remove it"
            )
        elif item.outcome == "stale":
            more = f" (and {len(item.outside) - 1} more)" if len(item.outside) > 1 else ""
            warn(
                f"could not recover {item.journal}: it names {item.outside[0]}{more}, outside "
                "this environment's directories (was the environment moved, or its Python "
                "changed?); it was left as it is, and the files that run replaced are in "
                f"{item.journal.with_suffix('.stash')}"
            )
        elif not quiet:
            print(_recovery_line(item), file=out)


def _recovery_line(item: Any) -> str:
    if item.outcome == "finished":
        parts = [f"installed {', '.join(item.installing)}" if item.installing else ""]
        parts.append(f"removed {', '.join(item.removing)}" if item.removing else "")
        head = "Finished an interrupted run"
    else:
        parts = [f"removed {', '.join(item.installing)}" if item.installing else ""]
        parts.append(f"restored {', '.join(item.removing)}" if item.removing else "")
        head = "Recovered an interrupted run"
    done = "; ".join(p for p in parts if p)
    return f"{head}: {done}" if done else f"{head} ({item.journal.name})"


def warn_broken(broken: Sequence[Any]) -> None:
    """pip's warning after an install that left installed projects with unmet requirements:
    one line per broken requirement, under one headline."""
    if not broken:
        return
    projects = len({b.project for b in broken})
    noun = "project now has" if projects == 1 else "projects now have"
    lines = [f"{projects} installed {noun} unmet requirements:"]
    lines += [f"  {b}" for b in broken]
    warn("\n".join(lines))


def print_installed(
    resolved: int,
    added: Sequence[Any],
    removed: Sequence[Any],
    *,
    where: str,
    seconds: float,
    out: TextIO,
) -> None:
    """The summary of an install that was not a dry run: how many packages were resolved,
    then what changed in ``where`` (or that nothing did), one line per change."""
    print(f"Resolved {counted(resolved, 'package')}", file=out)
    if not added and not removed:
        print(f"Nothing to change in {where} ({elapsed(seconds)})", file=out)
        return
    print(
        f"Installed {counted(len(added), 'package')} into {where} in {elapsed(seconds)}", file=out
    )
    print_changes(added, removed, out)


def print_changes(added: Sequence[Any], removed: Sequence[Any], out: TextIO) -> None:
    """One line per change, by name: removals (of replaced versions) then additions."""
    rows: list[tuple[str, int, str]] = []
    rows += [(str(c.name), 0, f" - {c}") for c in removed]
    rows += [(str(c.name), 1, f" + {c}") for c in added]
    for _, _, line in sorted(rows):
        print(_paint(line, out), file=out)


def _paint(line: str, out: TextIO) -> str:
    if os.environ.get("NO_COLOR") or not (os.environ.get("FORCE_COLOR") or _tty(out)):
        return line
    code = "32" if line.startswith(" +") else "31"
    return f"\x1b[{code}m{line}\x1b[0m"


def _tty(out: TextIO) -> bool:
    return hasattr(out, "isatty") and out.isatty()
