"""Byte-compile installed modules with the *target* interpreter (its magic number, its tag).

A wheel kept in the unpacked-wheel cache is compiled there once per interpreter tag
(``<entry>/bytecode/<cache_tag>/…/__pycache__/<stem>.<cache_tag>.pyc``, see
:func:`cached_bytecode_dir`), and installs link (or copy) those ``.pyc`` files along with the
sources. A timestamp-based ``.pyc`` holds its source's mtime and size: a hard-linked, symlinked
or copied source (:mod:`pinset.install.linking` keeps the mtime of a copy) has both, so Python
uses the linked file as is; the import system sets ``co_filename`` to the installed source path
when it loads it, so tracebacks name the environment, not the cache.

pinset announces each ``__pycache__/<stem>.<cache_tag>.pyc`` in the transaction journal before
the target writes it, so undo stays exact. Files that do not compile (syntax errors for that
Python, as in some test fixtures) are skipped silently, as pip does.

The target runs with ``-I -S``: isolated (no ``PYTHON*`` variables, no user site, no script
directory) and without ``site``, which would execute the ``.pth`` files and ``sitecustomize`` of
the wheels just placed. Compiling needs nothing ``site`` provides.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

from pinset._dataclass import dataclass
from pinset._fs import publish_dir, temporary_sibling_dir
from pinset.errors import InstallError
from pinset.install.record import hash_bytes
from pinset.install.wheelfile import first_changed_file
from pinset.interpreter import Interpreter

COMPILE_TIMEOUT = 600.0
MAX_WORKERS = 8
MIN_PER_WORKER = 50
BYTECODE_DIR = "bytecode"
MANIFEST = "manifest.json"
"""In each ``bytecode/<cache tag>/``: every ``.pyc`` compiled there, with its RECORD hash and
size (so an install writes RECORD without reading the files it links) and its size, mtime and
inode as written (checked before each reuse, as the sources are)."""
MANIFEST_VERSION = 1
_SCRIPT = r"""
import py_compile, sys
items = sys.stdin.buffer.read().decode("utf-8", "surrogateescape").split("\0")
for source, cfile in zip(items[::2], items[1::2]):
    try:
        py_compile.compile(source, cfile=cfile or None, doraise=True, quiet=2)
    except Exception:
        pass
"""


def pyc_path(source: str, interp: Interpreter) -> str | None:
    """Where ``interp`` writes the (unoptimised) bytecode of ``source``."""
    if not interp.cache_tag:
        return None
    parent, name = os.path.split(source)
    stem = name.rpartition(".")[0] or name
    return os.path.join(parent, "__pycache__", f"{stem}.{interp.cache_tag}.pyc")


def cached_bytecode_dir(unpacked_root: Path, interp: Interpreter) -> Path | None:
    """Where the bytecode of an unpacked wheel's files (``<entry>/files``) for ``interp`` is
    kept in its cache entry (a tree of ``__pycache__`` directories mirroring ``files``)."""
    if not interp.cache_tag:
        return None
    return unpacked_root.parent / BYTECODE_DIR / interp.cache_tag


@dataclass(frozen=True, slots=True)
class CachedPyc:
    """One ``.pyc`` in a cache entry's bytecode directory: where (relative to it, native
    separators), its RECORD hash and size, and its mtime and inode as written."""

    path: str
    hash: str
    size: int
    mtime_ns: int
    inode: int


@dataclass(frozen=True)
class CachedBytecode:
    """The intact bytecode of one unpacked wheel for one interpreter: ``pycs`` by the archive
    path of their source (a ``.py`` member not listed did not compile for it)."""

    root: str
    pycs: Mapping[str, CachedPyc]


def cached_bytecode(unpacked_root: Path, interp: Interpreter) -> CachedBytecode | None:
    """The bytecode kept for ``interp`` with an unpacked wheel, when it is there and every
    ``.pyc`` in it is as written (one stat each); None otherwise."""
    found = cached_bytecode_dir(unpacked_root, interp)
    if found is None:
        return None
    root = os.fspath(found)
    try:
        with open(os.path.join(root, MANIFEST), "rb") as fh:
            data = json.loads(fh.read())
        if data.get("version") != MANIFEST_VERSION:
            return None
        pycs = {
            str(m): CachedPyc(str(p), str(h), int(n), int(t), int(i))
            for m, p, h, n, t, i in data["pycs"]
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    stamps = ((c.path, c.size, c.mtime_ns, c.inode) for c in pycs.values())
    if first_changed_file(root, stamps) is not None:
        return None
    return CachedBytecode(root, pycs)


def compile_into_cache(interp: Interpreter, trees: Mapping[Path, Sequence[str]]) -> None:
    """Compile, for each unpacked wheel root in ``trees``, its ``.py`` members (archive paths)
    into its :func:`cached_bytecode_dir`, with its :data:`MANIFEST`, published whole or not at
    all (a damaged one there is replaced). A file that does not compile for ``interp`` gets no
    ``.pyc`` (its absence then means exactly that)."""
    with contextlib.ExitStack() as stack:
        pairs: list[tuple[str, str]] = []
        staged: list[tuple[Path, Path, dict[str, str]]] = []
        for root, members in trees.items():
            final = cached_bytecode_dir(root, interp)
            if final is None:
                continue
            tmp = stack.enter_context(temporary_sibling_dir(final))
            planned: dict[str, str] = {}
            staged.append((root, tmp, planned))
            for member in members:
                pyc = pyc_path(member, interp)
                assert pyc is not None  # the interpreter has a cache tag
                planned[member] = pyc
                pairs.append((os.path.join(root, member), os.path.join(tmp, pyc)))
        _run_compilers(interp, pairs)
        for root, tmp, planned in staged:
            _write_manifest(tmp, planned)
            _publish(root, tmp, interp)


def _publish(root: Path, tmp: Path, interp: Interpreter) -> None:
    """Put ``tmp`` in place as ``root``'s bytecode for ``interp``, unless another run published
    intact bytecode there meanwhile; a damaged one there is replaced."""
    if cached_bytecode(root, interp) is not None:
        return
    final = cached_bytecode_dir(root, interp)
    assert final is not None  # the interpreter has a cache tag
    shutil.rmtree(final, ignore_errors=True)
    publish_dir(tmp, final)  # False: another run won the race, with the same bytecode


def _write_manifest(tmp: Path, planned: Mapping[str, str]) -> None:
    """Record each ``.pyc`` the target wrote into ``tmp`` (hash, size, stamp)."""
    rows: list[list[object]] = []
    for member, pyc in planned.items():
        path = os.path.join(tmp, pyc)
        try:
            with open(path, "rb") as fh:
                data = fh.read()
                st = os.fstat(fh.fileno())
        except FileNotFoundError:
            continue  # it does not compile for this Python
        rows.append([member, pyc, hash_bytes(data), len(data), st.st_mtime_ns, st.st_ino])
    manifest = {"version": MANIFEST_VERSION, "pycs": rows}
    with open(tmp / MANIFEST, "x", encoding="utf-8") as out:
        out.write(json.dumps(manifest))


def compile_sources(interp: Interpreter, sources: Sequence[str]) -> None:
    """Run the target over ``sources`` (their pyc paths must already be journaled), in as many
    processes side by side as there are cores (each takes every n-th file)."""
    _run_compilers(interp, [(source, "") for source in sources])


def _run_compilers(interp: Interpreter, pairs: Sequence[tuple[str, str]]) -> None:
    """Compile each ``(source, pyc)`` (an empty pyc: Python's own place for it)."""
    if not pairs:
        return
    workers = max(1, min(os.cpu_count() or 1, MAX_WORKERS, len(pairs) // MIN_PER_WORKER))
    with contextlib.ExitStack() as stack:
        running: list[tuple[subprocess.Popen[bytes], IO[bytes]]] = []
        for index in range(workers):
            errors = stack.enter_context(tempfile.TemporaryFile())
            proc = stack.enter_context(_start(interp, errors))
            running.append((proc, errors))
            _feed(proc, pairs[index::workers])
        failures = [_outcome(proc, errors) for proc, errors in running]
    failed = [f for f in failures if f is not None]
    if failed:
        raise InstallError(f"byte-compiling with {interp.executable} failed: {failed[0]}")


def _start(interp: Interpreter, errors: IO[bytes]) -> subprocess.Popen[bytes]:
    try:
        return subprocess.Popen(
            [str(interp.executable), "-I", "-S", "-c", _SCRIPT],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
    except OSError as exc:
        raise InstallError(f"could not byte-compile with {interp.executable}: {exc}") from exc


def _feed(proc: subprocess.Popen[bytes], pairs: Sequence[tuple[str, str]]) -> None:
    """Hand the process its files (it reads them all before compiling any)."""
    assert proc.stdin is not None
    text = "\0".join(part for pair in pairs for part in pair)
    with contextlib.suppress(BrokenPipeError):  # it died: its exit status says why
        proc.stdin.write(text.encode("utf-8", "surrogateescape"))
    with contextlib.suppress(BrokenPipeError):
        proc.stdin.close()


def _outcome(proc: subprocess.Popen[bytes], errors: IO[bytes]) -> str | None:
    """None when the process compiled its share, else the last line it wrote."""
    try:
        proc.wait(timeout=COMPILE_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return f"timed out after {COMPILE_TIMEOUT:.0f}s"
    if proc.returncode == 0:
        return None
    errors.seek(0)
    text = errors.read().decode("utf-8", "replace").strip()
    return (text or "no output").splitlines()[-1]
