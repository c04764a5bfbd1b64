"""Recover what interrupted runs left in an environment's state directory, and say what.

Must be called with the environment lock held. Each journal found is read with the user's key
(:mod:`pinset.install.journal`): a committed one is finished, any other undone. One that is not
authentic (planted by a wheel, written by another user's pinset or an older pinset) is left
exactly as it is, stash included, and reported as ``ignored``; so is an authentic one that names
paths outside the environment's directories (``stale``: the environment was moved or its layout
changed since; its stash holds the only copy of the files it replaced). Scratch directories of
dead runs are removed afterwards.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pinset._dataclass import dataclass
from pinset.install.journal import (
    Entry,
    finish,
    out_of_scope,
    read_journal,
    stash_of,
    undo,
)
from pinset.install.state import pending_journals

Outcome = Literal["undone", "finished", "ignored", "stale"]


@dataclass(frozen=True)
class Recovered:
    """One journal an earlier run left: what became of it, and what that run was doing."""

    journal: Path
    outcome: Outcome
    installing: tuple[str, ...] = ()
    """``name==version`` of each distribution the interrupted run was installing."""
    removing: tuple[str, ...] = ()
    """``name==version`` of each distribution it was removing (or replacing)."""
    outside: tuple[str, ...] = ()
    """For a ``stale`` journal: the paths it names outside the environment's directories."""


def recover(state_dir: Path, *, key: bytes, roots: Sequence[Path]) -> tuple[Recovered, ...]:
    """Finish or undo each authentic journal in ``state_dir``; report every journal found."""
    found: list[Recovered] = []
    keep: set[str] = {"lock"}
    for name in pending_journals(state_dir):
        journal = state_dir / name
        authentic = read_journal(journal, key)
        if authentic is None:
            found.append(Recovered(journal, "ignored"))
            keep.update({journal.name, stash_of(journal).name})
            continue
        outside = out_of_scope(journal, authentic, roots)
        if outside:
            found.append(Recovered(journal, "stale", *_intent(authentic.entries), tuple(outside)))
            keep.update({journal.name, stash_of(journal).name})
            continue
        committed = any(e.get("op") == "commit" for e in authentic.entries)
        if committed:
            finish(journal, authentic, roots)
        else:
            undo(journal, authentic, roots, key=key)
        outcome: Outcome = "finished" if committed else "undone"
        found.append(Recovered(journal, outcome, *_intent(authentic.entries)))
    _remove_scratch(state_dir, keep)
    return tuple(found)


def _intent(entries: Sequence[Entry]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    for entry in entries:
        if entry.get("op") == "intent":
            return _names(entry.get("install")), _names(entry.get("remove"))
    return (), ()


def _names(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _remove_scratch(state_dir: Path, keep: set[str]) -> None:
    try:
        leftovers = list(state_dir.iterdir())
    except OSError:
        return
    for leftover in leftovers:
        if leftover.name not in keep and leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
