"""Apply a :class:`~pinset.install.plan.Plan` to an environment as one transaction.

1. Lock the environment (``<purelib>/.pinset/lock``) and recover what a killed run left
   (:mod:`pinset.install.recovery`); then make the plan (a :data:`Planner` is given what is
   installed *now*, so that a run that waited for the lock does not redo another's work).
2. Prepare without touching the environment: unpack and verify every wheel (into the unpacked
   cache, or a scratch directory beside the environment), lay out every destination, compute
   every removal from RECORD. Any refusal here leaves the environment as it was.
3. Journal, then change: stash the files of replaced and removed distributions, place the new
   files with their bytecode in one pass (linked from the unpacked-wheel cache, compiled into
   it first where it has none for the target; files of a scratch unpack are compiled in place
   by the target once placed), write RECORDs.
4. Commit (delete the stash, prune emptied directories) or, on *any* exception including
   ``KeyboardInterrupt``, undo the journal: the environment is restored exactly.

``hook(step, detail)`` is called before each step (``stash``, ``install``, ``compile``,
``record``, ``commit``); it lets callers report progress and lets tests inject faults.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from packaging.utils import NormalizedName

from pinset._dataclass import dataclass, replace
from pinset._fs import locked
from pinset.dists import InstalledDist, LocalWheel
from pinset.environment.installed import scan
from pinset.environment.schemes import Scheme, environment_scheme
from pinset.errors import InstallError, PinsetError
from pinset.install.compile import (
    CachedBytecode,
    cached_bytecode,
    compile_into_cache,
    compile_sources,
    pyc_path,
)
from pinset.install.journal import Journal
from pinset.install.journal_key import journal_key
from pinset.install.linking import DEFAULT_LINK_MODE, How, LinkMode
from pinset.install.overwrite import Overwrite, find_overwrites
from pinset.install.plan import Plan
from pinset.install.recovery import Recovered, recover
from pinset.install.state import STATE_DIR, pending_journals
from pinset.install.uninstall import (
    Guard,
    Removal,
    removal_for,
    spare_shared,
    without_line,
)
from pinset.install.wheel import (
    Batch,
    Bounds,
    Layout,
    PlacedFile,
    announce,
    environment_roots,
    layout,
    write_files,
    write_record,
)
from pinset.install.wheelfile import UnpackedWheel, unpack, unpack_cached
from pinset.interpreter import Interpreter

Hook = Callable[[str, str], None]
Planner = Callable[[Mapping[NormalizedName, InstalledDist]], Plan]
"""Makes the plan from what is installed when the lock is held."""
WRITERS = 4
"""At most this many threads place files, and no more than there are cores: a link or a
``mkdir`` waits on the filesystem with the interpreter lock released, but a thread more than
the cores only adds lock hand-overs (each a futex call and a context switch)."""


@dataclass(frozen=True)
class ApplyResult:
    installed: tuple[InstalledDist, ...]
    removed: tuple[InstalledDist, ...]
    recovered: tuple[Recovered, ...] = ()
    """The journals of interrupted earlier runs found first (undone, finished, ignored, stale)."""
    copied: bool = False
    """The filesystem refused the link mode (e.g. a hard link across filesystems): files were
    copied instead."""
    overwrites: tuple[Overwrite, ...] = ()
    """Files of distributions that stay which the installed wheels wrote over."""
    environment: Mapping[NormalizedName, InstalledDist] | None = None
    """What the environment holds after the change (None when nothing changed: not
    scanned)."""


def state_dir(scheme: Scheme) -> Path:
    return scheme.purelib / STATE_DIR


def recover_pending(scheme: Scheme) -> tuple[Recovered, ...]:
    """Recover what interrupted runs left in ``scheme`` (under its lock).

    Costs one ``listdir`` when there is nothing to recover; waits for a run in progress."""
    sdir = state_dir(scheme)
    if not pending_journals(sdir):
        return ()
    with locked(sdir / "lock"):
        return recover(sdir, key=journal_key(), roots=environment_roots(scheme))


def _no_hook(step: str, detail: str) -> None:
    return None


def apply(
    plan: Plan | Planner,
    interp: Interpreter,
    scheme: Scheme | None = None,
    *,
    compile: bool = True,
    unpacked_cache: Path | None = None,
    unpacked: Mapping[Path, UnpackedWheel] | None = None,
    hook: Hook | None = None,
    link_mode: LinkMode = DEFAULT_LINK_MODE,
) -> ApplyResult:
    """Change ``scheme`` (by default the environment of ``interp``) as ``plan`` says (or as
    the :data:`Planner` says, given what is installed once the lock is held), all or nothing;
    ``interp`` is the Python the installed files are for (shebangs, bytecode).

    ``unpacked``: wheels (by archive path) already verified into ``unpacked_cache``, whose files
    are placed as ``link_mode`` says (without a cache, files are moved out of a scratch unpack)."""
    hook = hook or _no_hook
    scheme = scheme or environment_scheme(interp)
    sdir = state_dir(scheme)
    roots = environment_roots(scheme)
    how: How = link_mode if unpacked_cache is not None else "move"
    key = journal_key()
    with locked(sdir / "lock"):
        recovered = recover(sdir, key=key, roots=roots)
        current = scan(scheme)
        if not isinstance(plan, Plan):
            plan = plan(current)
        if plan.is_empty:
            return ApplyResult((), (), recovered)
        scratch = sdir / f"unpack-{os.urandom(16).hex()}"
        try:
            removals = _removals(plan, current, roots, sdir)
            unpacker = _Unpacker(unpacked_cache, unpacked or {}, scratch)
            layouts = _prepare(plan, interp, scheme, unpacker)
            overwrites = find_overwrites(layouts, removals, current)
            placed = _transact(_Change(layouts, removals, how, compile, hook), interp, scheme, key)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    installed = tuple(lay.installed() for lay in layouts)
    copied = how in ("hardlink", "symlink") and placed == "copy"
    removed = tuple(r.dist for r in removals)
    after = _after(current, removed, installed)
    return ApplyResult(installed, removed, recovered, copied, tuple(overwrites), after)


def _after(
    current: Mapping[NormalizedName, InstalledDist],
    removed: tuple[InstalledDist, ...],
    installed: tuple[InstalledDist, ...],
) -> dict[NormalizedName, InstalledDist]:
    """What a scan of the environment finds after the change: ``current`` (scanned under the
    lock) without what was removed, with what was installed."""
    gone = {d.name for d in removed}
    after = {name: dist for name, dist in current.items() if name not in gone}
    after.update((d.name, d) for d in installed)
    return after


def _removals(
    plan: Plan,
    current: Mapping[NormalizedName, InstalledDist],
    roots: tuple[Path, ...],
    sdir: Path,
) -> list[Removal]:
    """What to remove, from what is installed now; a file list naming pinset's own state
    (which no install by pinset writes) never removes it."""
    names = [d.name for d in plan.remove] + [w.name for w in plan.install]
    found = [current[name] for name in dict.fromkeys(names) if name in current]
    leaving = set(names)
    staying = [dist for name, dist in current.items() if name not in leaving]
    removals = spare_shared([removal_for(dist, roots) for dist in found], staying)
    ours = Guard([sdir])
    return [replace(r, files=tuple(f for f in r.files if not ours(f))) for r in removals]


@dataclass(frozen=True)
class _Unpacker:
    cache: Path | None
    known: Mapping[Path, UnpackedWheel]
    scratch: Path

    def __call__(self, wheel: LocalWheel, index: int) -> UnpackedWheel:
        found = self.known.get(wheel.path)
        if found is not None and self.cache is not None:
            return found
        if self.cache is not None:
            return unpack_cached(wheel.path, wheel.sha256, self.cache)
        scratch = self.scratch / str(index)
        scratch.mkdir(parents=True)
        return unpack(wheel.path, scratch)


def _prepare(
    plan: Plan, interp: Interpreter, scheme: Scheme, unpack_one: _Unpacker
) -> list[Layout]:
    layouts: list[Layout] = []
    bounds = Bounds.of(scheme)
    for index, wheel in enumerate(plan.install):
        unpacked = unpack_one(wheel, index)
        if unpacked.name != wheel.name or unpacked.version != wheel.version:
            raise InstallError(
                f"{wheel.path.name} is {unpacked.name} {unpacked.version}, "
                f"expected {wheel.name} {wheel.version}"
            )
        layouts.append(
            layout(
                unpacked,
                interp,
                scheme,
                requested=wheel.name in plan.requested,
                direct_url=plan.direct_urls.get(wheel.name),
                extra_files=plan.dist_info_files.get(wheel.name, {}),
                bounds=bounds,
            )
        )
    return layouts


@dataclass(frozen=True)
class _Change:
    layouts: list[Layout]
    removals: list[Removal]
    how: How
    compile: bool
    hook: Hook


def _transact(change: _Change, interp: Interpreter, scheme: Scheme, key: bytes) -> How:
    """Apply the change; returns how files were placed in the end (see :func:`_write_all`)."""
    journal = Journal(state_dir(scheme), key=key, roots=environment_roots(scheme))
    try:
        journal.intent(
            install=[f"{lay.name}=={lay.version}" for lay in change.layouts],
            remove=[f"{r.dist.name}=={r.dist.version}" for r in change.removals],
        )
        placed = _change(
            journal,
            change.layouts,
            change.removals,
            _Compiler(journal, interp, scheme) if change.compile else None,
            how=change.how,
            hook=change.hook,
        )
        change.hook("commit", "")
    except BaseException as exc:
        journal.rollback()
        if isinstance(exc, (PinsetError, KeyboardInterrupt)) or not isinstance(exc, OSError):
            raise
        raise InstallError(
            f"could not change the environment: {exc}",
            note="the environment was restored to what it was before this run",
        ) from exc
    journal.commit()
    return placed


def _change(
    journal: Journal,
    layouts: list[Layout],
    removals: list[Removal],
    compiler: _Compiler | None,
    *,
    how: How,
    hook: Hook,
) -> How:
    for removal in removals:
        hook("stash", str(removal.dist.name))
        for path in removal.files:
            if os.path.lexists(path):  # files shared by several distributions go once
                journal.stash(path)
        for shared, line in removal.drop_lines:
            content = without_line(shared, line)
            if content is not None:
                journal.create(shared)  # the old file is stashed: a rollback puts it back
                shared.write_bytes(content)
        journal.prune_later(removal.directories)
    for lay in layouts:
        hook("install", str(lay.name))
    bytecode = _Bytecode.none()
    if compiler is not None:
        hook("compile", "")  # a phase of its own: its files are placed with the others
        bytecode = compiler.plan(layouts, how=how)
    placed = _write_all(announce(layouts, journal, bytecode.linked), how=how)
    if compiler is not None:
        compiler.compile_in_place(bytecode)
    for lay in layouts:
        hook("record", str(lay.name))
        write_record(lay, journal, bytecode.by_source)
    return placed


def _write_all(found: list[Batch], *, how: How) -> How:
    """Write every batch (a wheel's files), several at a time (making directories, linking and
    copying wait on the filesystem, not the interpreter); the first failure is raised once all
    have stopped. Returns ``copy`` when any batch had to copy instead of ``how``, else ``how``."""
    writers = min(WRITERS, os.cpu_count() or 1, len(found))
    if writers <= 1:
        placed = [write_files(b.files, how=how, dirs=b.dirs) for b in found]
        return "copy" if "copy" in placed else how
    largest_first = sorted(found, key=lambda b: len(b.files), reverse=True)  # no long tail
    with ThreadPoolExecutor(max_workers=writers, thread_name_prefix="pinset-place") as pool:
        futures = [pool.submit(write_files, b.files, how=how, dirs=b.dirs) for b in largest_first]
    placed = [future.result() for future in futures]
    return "copy" if "copy" in placed else how


@dataclass(frozen=True)
class _Bytecode:
    """The bytecode of a change, decided before anything is placed: per layout, the ``.pyc``
    files to link from the cache (placed with the layout's own files, in the same pass); the
    sources the target compiles in place once placed (files of a scratch unpack); and, by
    source destination, each ``.pyc`` (its RECORD hash and size from the cache; an empty hash
    for one compiled in place)."""

    linked: list[list[PlacedFile]]
    in_place: list[str]
    by_source: dict[str, PlacedFile]

    @classmethod
    def none(cls) -> _Bytecode:
        return cls([], [], {})


@dataclass(frozen=True)
class _Compiler:
    """Bytecode for the modules placed in the scheme's site directories: linked (as the sources
    are placed) from the unpacked-wheel cache, which is compiled once per interpreter tag;
    compiled in place by the target when the files came from a scratch unpack."""

    journal: Journal
    interp: Interpreter
    scheme: Scheme

    def plan(self, layouts: list[Layout], *, how: How) -> _Bytecode:
        """Where each layout's bytecode comes from (the cache compiled first where its entry
        has none for the target). A ``.pyc`` compiled in place is announced with its layout's
        files, with neither source nor content: its ``__pycache__`` is made, the file left to
        the target."""
        cached = self._cached_trees(layouts) if how != "move" else {}
        found = _Bytecode.none()
        site_dirs = Guard(self.scheme.site_dirs())
        for lay in layouts:
            tree = cached.get(lay.unpacked_root)
            root = os.fspath(lay.unpacked_root) + os.sep
            pycs = tree.root + os.sep if tree is not None else ""
            placing: list[PlacedFile] = []
            found.linked.append(placing)
            for item in lay.python_files(site_dirs):
                if tree is None or item.source is None or not item.source.startswith(root):
                    pyc = pyc_path(item.dest, self.interp)
                    if pyc is not None:
                        compiled = PlacedFile(pyc, None, None, "", 0)
                        found.by_source[item.dest] = compiled
                        found.in_place.append(item.dest)
                        placing.append(compiled)
                    continue
                cached_pyc = tree.pycs.get(item.source[len(root) :].replace(os.sep, "/"))
                if cached_pyc is not None:  # absent: it does not compile for this Python
                    pyc = item.dest.rpartition(os.sep)[0] + os.sep + _tail(cached_pyc.path)
                    source = pycs + cached_pyc.path  # a relative path, as written
                    placed = PlacedFile(pyc, source, None, cached_pyc.hash, cached_pyc.size)
                    found.by_source[item.dest] = placed
                    placing.append(placed)
        return found

    def compile_in_place(self, bytecode: _Bytecode) -> None:
        """Run the target over the sources whose ``.pyc`` it writes itself (announced and their
        ``__pycache__`` made with their layouts' files)."""
        if not bytecode.in_place:
            return
        # a __pycache__ the target compiles into may stay empty (nothing compiled there)
        self.journal.prune_later(
            {os.path.dirname(bytecode.by_source[dest].dest) for dest in bytecode.in_place}
        )
        compile_sources(self.interp, bytecode.in_place)

    def _cached_trees(self, layouts: list[Layout]) -> dict[Path, CachedBytecode]:
        """Each layout's intact cached bytecode for the target (compiled into the cache first
        where it is missing or damaged)."""
        trees: dict[Path, CachedBytecode] = {}
        missing: dict[Path, list[str]] = {}
        for lay in layouts:
            found = cached_bytecode(lay.unpacked_root, self.interp)
            if found is not None:
                trees[lay.unpacked_root] = found
            elif self.interp.cache_tag:
                missing[lay.unpacked_root] = lay.python_members()
        compile_into_cache(self.interp, missing)
        for root in missing:
            found = cached_bytecode(root, self.interp)
            if found is not None:
                trees[root] = found
        return trees


def _tail(pyc: str) -> str:
    """``__pycache__/<stem>.<tag>.pyc`` of a ``.pyc`` path (native separators)."""
    return os.sep.join(pyc.rsplit(os.sep, 2)[-2:])
