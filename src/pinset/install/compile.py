"""Byte-compile installed modules with the *target* interpreter (its magic number, its tag).

pinset announces each ``__pycache__/<stem>.<cache_tag>.pyc`` in the transaction journal before
the target writes it, so undo stays exact. Files that do not compile (syntax errors for that
Python, as in some test fixtures) are skipped silently, as pip does.

The target runs with ``-I -S``: isolated (no ``PYTHON*`` variables, no user site, no script
directory) and without ``site``, which would execute the ``.pth`` files and ``sitecustomize`` of
the wheels just placed. Compiling needs nothing ``site`` provides.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
from collections.abc import Sequence
from typing import IO

from pinset.errors import InstallError
from pinset.interpreter import Interpreter

COMPILE_TIMEOUT = 600.0
MAX_WORKERS = 8
MIN_PER_WORKER = 50
_SCRIPT = r"""
import py_compile, sys
for line in sys.stdin.buffer.read().decode("utf-8", "surrogateescape").split("\0"):
    if line:
        try:
            py_compile.compile(line, cfile=None, doraise=True, quiet=2)
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


def compile_sources(interp: Interpreter, sources: Sequence[str]) -> None:
    """Run the target over ``sources`` (their pyc paths must already be journaled), in as many
    processes side by side as there are cores (each takes every n-th file)."""
    if not sources:
        return
    workers = max(1, min(os.cpu_count() or 1, MAX_WORKERS, len(sources) // MIN_PER_WORKER))
    with contextlib.ExitStack() as stack:
        running: list[tuple[subprocess.Popen[bytes], IO[bytes]]] = []
        for index in range(workers):
            errors = stack.enter_context(tempfile.TemporaryFile())
            proc = stack.enter_context(_start(interp, errors))
            running.append((proc, errors))
            _feed(proc, sources[index::workers])
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


def _feed(proc: subprocess.Popen[bytes], sources: Sequence[str]) -> None:
    """Hand the process its files (it reads them all before compiling any)."""
    assert proc.stdin is not None
    with contextlib.suppress(BrokenPipeError):  # it died: its exit status says why
        proc.stdin.write("\0".join(sources).encode("utf-8", "surrogateescape"))
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
