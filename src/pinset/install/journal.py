"""A write-ahead journal of the changes one transaction makes to an environment.

Every change is announced in the journal *before* it is made, so the journal always describes a
superset of what happened and undoing it is exact:

- ``mkdir``: a directory pinset created (undo: remove it when empty);
- ``stash``: an existing file moved aside into the stash directory (undo: move it back);
- ``create``: a path that did not exist and is about to be written (undo: remove it);
- ``tree``: a directory that did not exist, about to be created and filled (undo: remove it
  with everything in it). A fresh install announces the few new top-level directories it
  makes, not every file inside them, so journaling costs little however many files a wheel has;
- ``commit``: the point of no return; afterwards the stash is deleted and emptied directories
  are pruned (``prune`` entries list the candidates).

A run killed outright (SIGKILL, power to the process cut) leaves its journal behind; the next
run, holding the environment lock, calls :func:`recover`: a committed journal is finished, any
other is undone. Entries are flushed to the OS with each write (surviving process death), not
fsynced one by one (a machine crash is out of scope).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path

JOURNAL_SUFFIX = ".journal"


class Journal:
    """Journal and stash of one transaction, under ``state_dir`` (inside the environment)."""

    def __init__(self, state_dir: Path) -> None:
        self.id = uuid.uuid4().hex
        self.state_dir = state_dir
        self.path = state_dir / f"{self.id}{JOURNAL_SUFFIX}"
        self.stash_dir = state_dir / f"{self.id}.stash"
        self._count = 0
        self._dirs: dict[str, bool] = {}  # directory -> created by this transaction
        state_dir.mkdir(parents=True, exist_ok=True)
        self.stash_dir.mkdir()
        self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o644)
        self._log({"op": "begin"})
        os.fsync(self._fd)

    def _log(self, entry: dict[str, str]) -> None:
        os.write(self._fd, (json.dumps(entry) + "\n").encode("utf-8"))

    def ensure_dir(self, directory: Path) -> None:
        """Create ``directory`` and missing parents, journaling each one created."""
        if directory.is_dir():
            return
        self.ensure_dir(directory.parent)
        self._log({"op": "mkdir", "path": str(directory)})
        directory.mkdir()

    def stash(self, path: Path) -> None:
        """Move the existing file (or symlink) ``path`` into the stash."""
        self._count += 1
        to = self.stash_dir / str(self._count)
        self._log({"op": "stash", "path": str(path), "to": str(to)})
        _move(path, to)

    def create(self, path: Path) -> None:
        """Announce that ``path`` (which must not exist) is about to be written."""
        if os.path.lexists(path):
            if path.is_dir() and not path.is_symlink():
                raise IsADirectoryError(f"{path} is a directory")
            self.stash(path)
        self.ensure_dir(path.parent)
        self._log({"op": "create", "path": str(path)})

    def create_many(self, paths: Iterable[str | os.PathLike[str]]) -> None:
        """Announce that every file in ``paths`` (none existing as a directory) is about to be
        written, and create their directories.

        Missing directories are announced once each, as the top of a ``tree`` this transaction
        creates; files inside such a tree need no entry of their own. Files in directories that
        already existed get ``create`` entries (an existing file there is stashed first). All
        entries go to the journal in one write, before any directory is made.
        """
        entries: list[dict[str, str]] = []
        old_dir_files: list[str] = []
        new_dirs: list[str] = []
        for path in paths:
            text = os.fspath(path)
            parent = os.path.dirname(text)
            known = self._dirs.get(parent)
            if known is None:
                known = self._classify(parent, entries, new_dirs)
            if not known:
                old_dir_files.append(text)
        for text in old_dir_files:
            if os.path.lexists(text):
                if os.path.isdir(text) and not os.path.islink(text):
                    raise IsADirectoryError(f"{text} is a directory")
                self.stash(Path(text))
            entries.append({"op": "create", "path": text})
        self._log_many(entries)
        for directory in new_dirs:  # parents come before their children
            with contextlib.suppress(FileExistsError):
                os.mkdir(directory)

    def _classify(self, directory: str, entries: list[dict[str, str]], new: list[str]) -> bool:
        """True when ``directory`` is (to be) created by this transaction."""
        known = self._dirs.get(directory)
        if known is not None:
            return known
        if os.path.isdir(directory):
            self._dirs[directory] = False
            return False
        parent = os.path.dirname(directory)
        if parent == directory:  # pragma: no cover - a missing filesystem root
            raise FileNotFoundError(directory)
        if not self._classify(parent, entries, new):
            entries.append({"op": "tree", "path": directory})
        new.append(directory)
        self._dirs[directory] = True
        return True

    def _log_many(self, entries: list[dict[str, str]]) -> None:
        if entries:
            os.write(self._fd, "".join(json.dumps(e) + "\n" for e in entries).encode("utf-8"))

    def prune_later(self, directories: Iterable[Path]) -> None:
        for directory in directories:
            self._log({"op": "prune", "path": str(directory)})

    def commit(self, *, stop_at: Iterable[Path]) -> None:
        self._log({"op": "commit"})
        os.fsync(self._fd)
        os.close(self._fd)
        _finish(self.path, list(stop_at))

    def rollback(self) -> None:
        os.close(self._fd)
        undo(self.path)


def _move(src: Path, dest: Path) -> None:
    try:
        os.rename(src, dest)
    except OSError:
        # another filesystem: copy, then remove the original (undo copes with either half)
        if src.is_symlink():
            os.symlink(os.readlink(src), dest)
        else:
            shutil.copy2(src, dest)
        os.unlink(src)


def _entries(journal: Path) -> list[dict[str, str]]:
    entries: list[dict[str, str]] = []
    try:
        text = journal.read_text(encoding="utf-8")
    except OSError:
        return entries
    for line in text.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            break  # a torn last line: the change it announced never started
        if isinstance(entry, dict):
            entries.append(entry)
    return entries


def undo(journal: Path) -> None:
    """Undo every change ``journal`` announced, newest first; then delete it and its stash."""
    for entry in reversed(_entries(journal)):
        op, path = entry.get("op"), Path(entry.get("path", ""))
        if op == "create":
            if path.is_symlink() or path.is_file():
                path.unlink()
        elif op == "tree":
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
        elif op == "stash":
            _unstash(path, Path(entry["to"]))
        elif op == "mkdir":
            with contextlib.suppress(OSError):
                path.rmdir()
    _discard(journal)


def _unstash(original: Path, stashed: Path) -> None:
    if not os.path.lexists(stashed):
        return  # the move never happened
    if os.path.lexists(original):
        stashed.unlink()  # a cross-device move stopped half-way: the original is intact
        return
    original.parent.mkdir(parents=True, exist_ok=True)
    _move(stashed, original)


def _finish(journal: Path, stop_at: list[Path]) -> None:
    prune = [Path(e["path"]) for e in _entries(journal) if e.get("op") == "prune"]
    shutil.rmtree(_stash_of(journal), ignore_errors=True)
    prune_empty_dirs(prune, stop_at)
    _discard(journal)


def prune_empty_dirs(directories: Iterable[Path], stop_at: Iterable[Path]) -> None:
    """Remove each directory that is empty, then its emptied parents, never a ``stop_at``."""
    stops = {os.path.normcase(os.path.abspath(p)) for p in stop_at}
    for directory in sorted(set(directories), key=lambda p: len(p.parts), reverse=True):
        current = directory
        while os.path.normcase(os.path.abspath(current)) not in stops:
            try:
                current.rmdir()
            except OSError:
                break
            current = current.parent


def _stash_of(journal: Path) -> Path:
    return journal.with_name(journal.name[: -len(JOURNAL_SUFFIX)] + ".stash")


def _discard(journal: Path) -> None:
    shutil.rmtree(_stash_of(journal), ignore_errors=True)
    with contextlib.suppress(FileNotFoundError):
        journal.unlink()


def recover(state_dir: Path, *, stop_at: Iterable[Path]) -> int:
    """Finish or undo the journals left by runs that died; returns how many there were.

    Must be called with the environment lock held. Committed journals are finished; the rest
    are undone. Stale scratch directories are removed afterwards.
    """
    stops = list(stop_at)
    journals = sorted(state_dir.glob(f"*{JOURNAL_SUFFIX}")) if state_dir.is_dir() else []
    for journal in journals:
        if any(e.get("op") == "commit" for e in _entries(journal)):
            _finish(journal, stops)
        else:
            undo(journal)
    if state_dir.is_dir():
        for leftover in state_dir.iterdir():
            if leftover.name != "lock" and leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
    return len(journals)
