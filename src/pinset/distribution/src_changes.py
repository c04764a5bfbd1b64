"""What a run did in ``--src``, so that a run that fails leaves ``--src`` as it was.

Editable checkouts are made while resolving, long before the run can still fail (another
line's build, a conflict, the install itself). :class:`SrcChanges` keeps, in order, how to undo
each change a run made there: a checkout it created is removed (with the directories made to
hold it), a checkout moved to another revision is moved back (by the tool), a directory
``--exists-action backup`` moved to ``.bak`` is moved back, and one ``--exists-action wipe``
replaced is restored: a wiped directory is only set aside until the run succeeds (pip deletes
it at once, and a failed pip run leaves it lost). The session that owns it calls
:meth:`SrcChanges.undo` when the run fails, :meth:`SrcChanges.keep` when it succeeds. A
checkout ``--exists-action switch`` moved to another repository is left there (as pip leaves
it).
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from pinset.errors import PinsetError


class SrcChanges:
    """The undo log of one run's changes in ``--src`` (thread-safe: checkouts run in
    parallel)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._undo: list[Callable[[], object]] = []
        self._set_aside: list[Path] = []

    def made_dirs(self, directory: Path) -> None:
        """Record the directories missing on the way to ``directory`` (made next): removed on
        undo when they are empty again."""
        missing = [d for d in (directory, *directory.parents) if not os.path.lexists(d)]
        for made in reversed(missing):  # undone newest first: the deepest first
            self._add(functools.partial(_rmdir, made))

    def created(self, path: Path) -> None:
        """``path`` is a checkout this run created: removed on undo."""
        self._add(lambda: remove_path(path))

    def moved(self, back: Callable[[], object]) -> None:
        """A checkout was moved to another revision; ``back`` moves it where it was."""
        self._add(back)

    def backed_up(self, path: Path, backup: Path) -> None:
        """``path`` was renamed to ``backup`` and a new checkout put in its place."""

        def restore() -> None:
            remove_path(path)
            os.rename(backup, path)

        self._add(restore)

    def wipe(self, path: Path) -> None:
        """Wipe ``path`` (to put a new checkout there): set aside beside it until :meth:`keep`
        deletes it, or :meth:`undo` puts it back."""
        aside = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".wiped"))
        os.rename(path, aside / "tree")

        def restore() -> None:
            remove_path(path)
            os.rename(aside / "tree", path)
            os.rmdir(aside)

        with self._lock:
            self._set_aside.append(aside)
        self._add(restore)

    def undo(self) -> list[str]:
        """Undo every change, newest first; what could not be undone, as messages."""
        with self._lock:
            steps, self._undo, self._set_aside = self._undo[::-1], [], []
        failed = []
        for step in steps:
            try:
                step()
            except OSError as exc:
                failed.append(f"{exc.filename or ''}: {exc.strerror or exc}")
            except PinsetError as exc:  # a tool that could not move a checkout back
                failed.append(exc.message)
        return failed

    def keep(self) -> None:
        """The run succeeded: its changes stay; what was wiped is deleted now."""
        with self._lock:
            aside, self._set_aside, self._undo = self._set_aside, [], []
        for path in aside:
            shutil.rmtree(path, ignore_errors=True)

    def _add(self, step: Callable[[], object]) -> None:
        with self._lock:
            self._undo.append(step)


def _rmdir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not empty: something else is there now, kept
        os.rmdir(path)


def remove_path(path: Path) -> None:
    """Remove ``path``: a link or file itself (never what a link points at), or a tree."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)
