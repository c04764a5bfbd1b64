"""Asking the target interpreter for its facts (:class:`pinset.interpreter.Interpreter`).

:func:`query` runs the target once with a small probe (:mod:`pinset.environment.probe`) and
caches what it reported in ``cache_dir`` keyed by the executable's path, its resolved path and
that file's mtime and size: a rebuilt or replaced interpreter is probed again. While the probe
runs (a new process: ~50 ms of CPU, more of wall time), the caller's ``while_probing`` work
runs in this process, so the two overlap on a multi-core machine.
:func:`find_target` (:mod:`pinset.environment.discovery`) finds the executable a command works on.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from pinset.buckets import bucket_dir_name
from pinset.environment.discovery import find_target
from pinset.environment.probe import BASE_MARK, MARKER, PROBE_SOURCE
from pinset.environment.tags import compute_tags
from pinset.errors import TargetEnvironmentError
from pinset.interpreter import Interpreter

__all__ = ["cache_file", "find_target", "from_facts", "query"]

PROBE_TIMEOUT = 60.0
_CACHE_BUCKET = bucket_dir_name("interpreters")


def query(
    executable: Path,
    *,
    cache_dir: Path | None,
    while_probing: Callable[[], object] | None = None,
) -> Interpreter:
    """Describe the interpreter at ``executable``; runs it at most once per (path, build).
    ``while_probing`` is called (in this thread) only when the probe has to run, while it runs:
    work the caller needs next anyway, such as its imports."""
    exe = Path(os.path.abspath(executable))
    if not exe.is_file():
        raise TargetEnvironmentError(
            f"no Python interpreter at {exe}", hint="check --python or the virtual environment"
        )
    cached = cache_file(exe, cache_dir) if cache_dir is not None else None
    facts = _read_cached(cached) if cached is not None else None
    if facts is None:
        facts = _run_probe(exe, while_probing)
        if cached is not None:
            from pinset._fs import atomic_write_bytes  # only needed on a miss

            # the probe's order (pip's); not synced: an entry a crash damaged is probed again
            atomic_write_bytes(cached, json.dumps(facts).encode(), durable=False)
    return from_facts(exe, facts)


def cache_file(executable: Path, cache_dir: Path) -> Path:
    """Where the facts of ``executable`` are cached: keyed by its path, its resolved path and
    that file's mtime and size (a rebuilt or replaced interpreter gets a new entry)."""
    exe = Path(os.path.abspath(executable))
    try:
        real = exe.resolve(strict=True)
        st = real.stat()
    except (OSError, RuntimeError) as exc:
        raise TargetEnvironmentError(
            f"no Python interpreter at {exe}", hint="check --python or the virtual environment"
        ) from exc
    key = hashlib.sha256(
        json.dumps([str(exe), str(real), st.st_mtime_ns, st.st_size, sys.platform]).encode()
    ).hexdigest()[:32]
    return cache_dir / _CACHE_BUCKET / f"{key}.json"


def _read_cached(path: Path) -> dict[str, object] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _run_probe(exe: Path, while_probing: Callable[[], object] | None) -> dict[str, object]:
    import subprocess  # only on a cache miss: a no-op run never starts a process

    try:
        proc = subprocess.Popen(
            [str(exe), "-I", "-S", "-c", PROBE_SOURCE, MARKER, BASE_MARK],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    except OSError as exc:
        raise TargetEnvironmentError(f"could not run the target interpreter {exe}: {exc}") from exc
    with proc:  # the answer (a few kB) fits the pipe: the probe never waits for us
        try:
            if while_probing is not None:
                while_probing()
            stdout, stderr = proc.communicate(timeout=PROBE_TIMEOUT)
        except BaseException as exc:
            proc.kill()
            if isinstance(exc, subprocess.TimeoutExpired):
                raise TargetEnvironmentError(
                    f"could not run the target interpreter {exe}: {exc}"
                ) from exc
            raise
    return _answer(exe, stdout, stderr)


def _answer(exe: Path, stdout: str, stderr: str) -> dict[str, object]:
    """The probe's JSON object, found after its marker line."""
    for line in reversed(stdout.splitlines()):
        if line.startswith(MARKER):
            try:
                data = json.loads(line[len(MARKER) :])
            except ValueError:
                break
            if isinstance(data, dict):
                return data
    detail = (stderr.strip().splitlines() or ["no output"])[-1]
    raise TargetEnvironmentError(
        f"{exe} did not answer as a Python 3 interpreter: {detail}",
        hint="pinset targets Python 3.8 or newer",
    )


def from_facts(executable: Path, facts: Mapping[str, object]) -> Interpreter:
    """Build an :class:`Interpreter` from a probe result (also used by tests, in-process)."""
    try:
        return _from_facts(executable, facts)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise TargetEnvironmentError(
            f"unexpected answer from the interpreter probe of {executable}: {exc!r}",
            hint="remove pinset's interpreter cache and retry",
        ) from exc


def _from_facts(executable: Path, facts: Mapping[str, object]) -> Interpreter:
    raw_version = facts["version"]
    markers = facts["markers"]
    raw_paths = facts["paths"]
    if not (isinstance(raw_version, list) and isinstance(markers, dict)):
        raise TypeError("version/markers")
    if not isinstance(raw_paths, dict):
        raise TypeError("paths")
    major, minor, micro = (int(part) for part in raw_version[:3])
    prefix = Path(str(facts["prefix"]))
    base_prefix = Path(str(facts["base_prefix"]))
    is_venv = os.path.normcase(str(prefix)) != os.path.normcase(str(base_prefix))
    paths = {str(k): str(v) for k, v in raw_paths.items()}
    if is_venv:
        paths["headers"] = str(prefix / "include" / "site" / f"python{major}.{minor}")
    else:
        paths["headers"] = paths.get("include", str(prefix / "include"))
    stdlib = paths.get("stdlib")
    managed = not is_venv and stdlib is not None and (Path(stdlib) / "EXTERNALLY-MANAGED").exists()
    cache_tag = facts.get("cache_tag")
    raw_schemes = facts.get("schemes")
    templates = (
        {
            str(k): {str(a): str(b) for a, b in v.items()}
            for k, v in raw_schemes.items()
            if isinstance(v, dict)
        }
        if isinstance(raw_schemes, dict)
        else {}
    )
    return Interpreter(
        executable=executable,
        version=(major, minor, micro),
        implementation=str(facts["implementation"]),
        tags=compute_tags(facts, executable),
        markers={str(k): str(v) for k, v in markers.items()},
        paths=paths,
        prefix=prefix,
        base_prefix=base_prefix,
        is_venv=is_venv,
        externally_managed=managed,
        cache_tag=str(cache_tag) if cache_tag else None,
        scheme_templates=templates,
    )
