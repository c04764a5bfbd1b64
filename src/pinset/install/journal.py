"""A write-ahead journal of the changes one transaction makes to an environment.

Every change is announced in the journal *before* it is made, so the journal always describes a
superset of what happened and undoing it is exact:

- ``begin``, then ``intent``: what the transaction installs and removes (``name==version``), so
  that a later run can say what it undid;
- ``mkdir``: a directory pinset created (undo: remove it when empty);
- ``stash``: an existing file moved aside into the stash directory (undo: move it back);
- ``create``: a path that did not exist and is about to be written (undo: remove it);
- ``tree``: a directory that did not exist, about to be created and filled (undo: remove it
  with everything in it). A fresh install announces the few new top-level directories it
  makes, not every file inside them, so journaling costs little however many files a wheel has;
- ``commit``: the point of no return; afterwards the stash is deleted and emptied directories
  are pruned (``prune`` entries list the candidates).

The journal lives in the environment (``<purelib>/.pinset/``), where a wheel may have written
anything, so each line is ``<mac> <json>``: an HMAC-SHA256, under the user's key
(:mod:`pinset.install.journal_key`), of the journal's file name, the line's number and its
text. Reading stops at the first line that does not verify (a torn last line, or tampering), and
a journal whose first line does not verify is not pinset's: nothing in it is acted on. Even an
authentic entry is acted on only for a path inside the environment's directories (a stashed
file only from this journal's own stash).

A run killed outright (SIGKILL, power to the process cut) leaves its journal behind; the next
run, holding the environment lock, recovers it (:mod:`pinset.install.recovery`): a committed
journal is finished, any other is undone. Entries are flushed to the OS with each write
(surviving process death), not fsynced one by one (a machine crash is out of scope).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import shutil
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from pinset._dataclass import dataclass
from pinset.install.state import JOURNAL_SUFFIX
from pinset.install.uninstall import Guard

Entry = dict[str, object]


class Journal:
    """Journal and stash of one transaction, under ``state_dir`` (inside the environment);
    ``roots``: the environment's directories, the only places its entries may name."""

    def __init__(self, state_dir: Path, *, key: bytes, roots: Sequence[Path]) -> None:
        self.id = os.urandom(16).hex()
        self.state_dir = state_dir
        self.path = state_dir / f"{self.id}{JOURNAL_SUFFIX}"
        self.stash_dir = state_dir / f"{self.id}.stash"
        self._key = key
        self._roots = tuple(roots)
        self._lines = 0
        self._count = 0
        self._dirs: dict[str, bool] = {}  # directory -> created by this transaction
        state_dir.mkdir(parents=True, exist_ok=True)
        self.stash_dir.mkdir()
        self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        self._log({"op": "begin"})
        os.fsync(self._fd)

    def _log(self, entry: Entry) -> None:
        self._log_many([entry])

    def _log_many(self, entries: Sequence[Entry]) -> None:
        if not entries:
            return
        lines = []
        for entry in entries:
            lines.append(sign(self._key, self.path.name, self._lines, entry))
            self._lines += 1
        os.write(self._fd, "".join(lines).encode("utf-8"))

    def intent(self, *, install: Sequence[str], remove: Sequence[str]) -> None:
        """Record what this transaction installs and removes (``name==version`` each)."""
        self._log({"op": "intent", "install": list(install), "remove": list(remove)})

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
        written (see :meth:`announce_many`), and create their directories."""
        for directory in self.announce_many(paths):
            with contextlib.suppress(FileExistsError):
                os.mkdir(directory)

    def announce_many(self, paths: Iterable[str | os.PathLike[str]]) -> list[str]:
        """Announce that every file in ``paths`` (none existing as a directory) is about to be
        written; returns the directories the caller must create for them, parents first.

        Missing directories are announced once each, as the top of a ``tree`` this transaction
        creates; files inside such a tree need no entry of their own. Files in directories that
        already existed get ``create`` entries (an existing file there is stashed first). All
        entries go to the journal in one write, before any directory is made.
        """
        entries: list[Entry] = []
        old_dir_files: list[str] = []
        new_dirs: list[str] = []
        for path in paths:
            text = os.fspath(path)
            parent = text.rpartition(os.sep)[0]  # an absolute file path: its directory
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
        return new_dirs  # parents come before their children

    def _classify(self, directory: str, entries: list[Entry], new: list[str]) -> bool:
        """True when ``directory`` is (to be) created by this transaction. One inside a
        directory this transaction creates is new without a look (a stat per directory of a
        fresh install would be thousands of lookups that fail); its parent is classified first,
        so that only a directory whose parent exists is looked up."""
        known = self._dirs.get(directory)
        if known is not None:
            return known
        parent = os.path.dirname(directory)
        parent_new = self._dirs.get(parent)
        if parent_new is None:  # a filesystem root exists
            parent_new = parent != directory and self._classify(parent, entries, new)
        if not parent_new and os.path.isdir(directory):
            self._dirs[directory] = False
            return False
        if parent == directory:  # pragma: no cover - a missing filesystem root
            raise FileNotFoundError(directory)
        if not parent_new:
            entries.append({"op": "tree", "path": directory})
        new.append(directory)
        self._dirs[directory] = True
        return True

    def prune_later(self, directories: Iterable[str | os.PathLike[str]]) -> None:
        self._log_many([{"op": "prune", "path": os.fspath(d)} for d in directories])

    def commit(self) -> None:
        self._log({"op": "commit"})
        os.fsync(self._fd)
        os.close(self._fd)
        finish(self.path, self._read(), self._roots)

    def rollback(self) -> None:
        os.close(self._fd)
        undo(self.path, self._read(), self._roots, key=self._key)

    def _read(self) -> Authentic:
        found = read_journal(self.path, self._key)
        if found is None:  # pragma: no cover - our own journal, replaced under our feet
            raise OSError(f"the journal {self.path} was replaced while this run wrote it")
        return found


def sign(key: bytes, name: str, number: int, entry: Mapping[str, object]) -> str:
    """One journal line: the MAC of (journal file name, line number, text), then the text."""
    text = json.dumps(entry, separators=(",", ":"))
    return f"{_mac(key, name, number, text)} {text}\n"


def _mac(key: bytes, name: str, number: int, text: str) -> str:
    message = f"{name}\n{number}\n{text}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Authentic:
    """What of a journal file pinset wrote: its entries, and the bytes they take."""

    entries: list[Entry]
    size: int


def read_journal(journal: Path, key: bytes) -> Authentic | None:
    """The authentic entries of ``journal`` in order, up to the first line that does not
    verify; None when it has no authentic first line (not a journal pinset wrote)."""
    entries: list[Entry] = []
    size = 0
    try:
        for number, (line, end) in enumerate(_lines(journal)):
            entry = _verified(key, journal.name, number, line)
            if entry is None:
                break  # torn (the change it announced never started), or not ours
            entries.append(entry)
            size = end
    except (OSError, UnicodeDecodeError):
        pass
    if not entries or entries[0].get("op") != "begin":
        return None
    return Authentic(entries, size)


def _lines(journal: Path) -> Iterator[tuple[str, int]]:
    """Each complete line (without its newline) and the offset just after it."""
    end = 0
    with open(journal, "rb") as fh:
        for raw in fh:  # streamed: a planted journal may be huge; its first line decides
            if not raw.endswith(b"\n"):
                return
            end += len(raw)
            yield raw[:-1].decode("utf-8"), end


def _verified(key: bytes, name: str, number: int, line: str) -> Entry | None:
    mac, _sep, text = line.partition(" ")
    if not hmac.compare_digest(mac.encode(), _mac(key, name, number, text).encode()):
        return None
    try:
        entry = json.loads(text)
    except ValueError:
        return None
    return entry if isinstance(entry, dict) else None


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


class _Scope:
    """Where a journal's entries may act: inside ``roots``, never on the state directory or
    an ancestor of it, and stashed files only from the journal's own stash."""

    def __init__(self, journal: Path, roots: Sequence[Path]) -> None:
        self.guard = Guard(roots)
        self.stash = stash_of(journal)
        self.state = os.path.normcase(os.path.abspath(journal.parent))

    def path(self, entry: Entry) -> Path | None:
        value = entry.get("path")
        if not isinstance(value, str) or not value or not self.guard(Path(value)):
            return None
        text = os.path.normcase(os.path.abspath(value))
        if self.state == text or self.state.startswith(text.rstrip(os.sep) + os.sep):
            return None
        return Path(value)

    def stashed(self, entry: Entry) -> Path | None:
        value = entry.get("to")
        if not isinstance(value, str) or not value.isascii():
            return None
        to = Path(value)
        return to if to.parent == self.stash and to.name.isdigit() else None


_CHANGES = ("create", "tree", "stash", "mkdir", "prune")


def out_of_scope(journal: Path, found: Authentic, roots: Sequence[Path]) -> list[str]:
    """The paths ``found`` names that are not this environment's to change (it was moved, or
    its layout changed, since the journal was written): such a journal is not acted on."""
    scope = _Scope(journal, roots)
    outside: list[str] = []
    for entry in found.entries:
        if entry.get("op") not in _CHANGES:
            continue
        if scope.path(entry) is None:
            outside.append(str(entry.get("path")))
        elif entry.get("op") == "stash" and scope.stashed(entry) is None:
            outside.append(str(entry.get("to")))
    return outside


def undo(journal: Path, found: Authentic, roots: Sequence[Path], *, key: bytes) -> None:
    """Undo every change ``found`` (read from ``journal``) announced, newest first; then
    delete the journal and its stash.

    Each step undone is marked in the journal (``undone``) before the next, so that an undo
    that is itself interrupted is resumed where it stopped: undoing a ``create`` again after
    the stashed original was moved back would delete the original. (What follows the
    authentic lines, such as a torn last line, is cut off first so that the marks are read.)"""
    scope = _Scope(journal, roots)
    entries = found.entries
    marks = [e.get("line") for e in entries if e.get("op") == "undone"]
    start = min([m for m in marks if isinstance(m, int)], default=len(entries))
    next_line = len(entries)
    fd = os.open(journal, os.O_WRONLY | os.O_APPEND)
    try:
        os.ftruncate(fd, found.size)
        for number in range(min(start, len(entries)) - 1, -1, -1):
            if _undo_one(entries[number], scope):
                mark = sign(key, journal.name, next_line, {"op": "undone", "line": number})
                os.write(fd, mark.encode("utf-8"))
                next_line += 1
    finally:
        os.close(fd)
    discard(journal)


def _undo_one(entry: Entry, scope: _Scope) -> bool:
    """Undo one entry; True when it named a change (and so deserves a mark)."""
    op, path = entry.get("op"), scope.path(entry)
    if path is None or op not in ("create", "tree", "stash", "mkdir"):
        return False
    if op == "create":
        if path.is_symlink() or path.is_file():
            path.unlink()
    elif op == "tree":
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
    elif op == "stash":
        stashed = scope.stashed(entry)
        if stashed is not None:
            _unstash(path, stashed)
    else:
        with contextlib.suppress(OSError):
            path.rmdir()
    return True


def _unstash(original: Path, stashed: Path) -> None:
    if not os.path.lexists(stashed):
        return  # the move never happened
    if os.path.lexists(original):
        stashed.unlink()  # a cross-device move stopped half-way: the original is intact
        return
    original.parent.mkdir(parents=True, exist_ok=True)
    _move(stashed, original)


def finish(journal: Path, found: Authentic, roots: Sequence[Path]) -> None:
    """Complete a committed journal: drop its stash, prune emptied directories, delete it."""
    scope = _Scope(journal, roots)
    prune = [scope.path(e) for e in found.entries if e.get("op") == "prune"]
    shutil.rmtree(stash_of(journal), ignore_errors=True)
    prune_empty_dirs([p for p in prune if p is not None], roots)
    discard(journal)


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


def stash_of(journal: Path) -> Path:
    return journal.with_name(journal.name[: -len(JOURNAL_SUFFIX)] + ".stash")


def discard(journal: Path) -> None:
    shutil.rmtree(stash_of(journal), ignore_errors=True)
    with contextlib.suppress(FileNotFoundError):
        journal.unlink()
