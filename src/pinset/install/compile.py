"""Byte-compile installed modules with the *target* interpreter (its magic number, its tag).

pinset announces each ``__pycache__/<stem>.<cache_tag>.pyc`` in the transaction journal before
the target writes it, so undo stays exact. Files that do not compile (syntax errors for that
Python, as in some test fixtures) are skipped silently, as pip does.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from pinset.environment.interpreter import Interpreter
from pinset.errors import InstallError

COMPILE_TIMEOUT = 600.0
_SCRIPT = r"""
import py_compile, sys
for line in sys.stdin.read().split("\0"):
    if line:
        try:
            py_compile.compile(line, cfile=None, doraise=True, quiet=2)
        except Exception:
            pass
"""


def pyc_path(source: Path, interp: Interpreter) -> Path | None:
    """Where ``interp`` writes the (unoptimised) bytecode of ``source``."""
    if not interp.cache_tag:
        return None
    return source.parent / "__pycache__" / f"{source.stem}.{interp.cache_tag}.pyc"


def compile_sources(interp: Interpreter, sources: Sequence[Path]) -> None:
    """Run the target once over ``sources`` (their pyc paths must already be journaled)."""
    if not sources:
        return
    payload = "\0".join(str(s) for s in sources)
    try:
        proc = subprocess.run(
            [str(interp.executable), "-I", "-c", _SCRIPT],
            input=payload,
            capture_output=True,
            text=True,
            timeout=COMPILE_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InstallError(f"could not byte-compile with {interp.executable}: {exc}") from exc
    if proc.returncode != 0:
        detail = (proc.stderr.strip() or "no output").splitlines()[-1]
        raise InstallError(f"byte-compiling with {interp.executable} failed: {detail}")
