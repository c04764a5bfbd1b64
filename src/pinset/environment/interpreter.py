"""The target interpreter: the Python pinset installs for (never assumed to be pinset's own).

:func:`query` runs the target once with a small probe (:mod:`pinset.environment.probe`) and
caches what it reported in ``cache_dir`` keyed by the executable's path, its resolved path and
that file's mtime and size: a rebuilt or replaced interpreter is probed again.
:func:`find_target` turns ``--python`` / ``VIRTUAL_ENV`` / ``./.venv`` into an executable path.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from packaging.tags import Tag

from pinset.buckets import bucket_dir_name
from pinset.environment.discovery import find_target
from pinset.environment.probe import BASE_MARK, MARKER, PROBE_SOURCE
from pinset.environment.tags import compute_tags
from pinset.errors import TargetEnvironmentError

__all__ = ["Interpreter", "cache_file", "find_target", "from_facts", "query"]

PROBE_TIMEOUT = 60.0
_CACHE_BUCKET = bucket_dir_name("interpreters")


@dataclass(frozen=True)
class Interpreter:
    """What pinset knows about a target Python: the facts its probe reported, nothing chosen.

    Candidates are judged against it (``version``, ``tags``, ``markers``); where a run writes is
    a :class:`pinset.environment.schemes.Scheme`, chosen from these facts. ``paths`` is the
    interpreter's own install scheme (``purelib``, ``platlib``, ``scripts``, ``data``,
    ``include``, ``headers``, ``stdlib``); ``headers`` is the base directory that a wheel's
    ``.data/headers`` go under (a per-project subdirectory is added at install time).
    ``externally_managed`` is PEP 668's marker file, only ever True outside a virtual environment.
    """

    executable: Path
    version: tuple[int, int, int]
    implementation: str
    tags: tuple[Tag, ...]
    markers: Mapping[str, str]
    paths: Mapping[str, str]
    prefix: Path
    base_prefix: Path
    is_venv: bool
    externally_managed: bool
    cache_tag: str | None = None
    scheme_templates: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """The ``prefix`` and ``user`` install schemes, with ``BASE_MARK`` for the base directory
    (see :mod:`pinset.environment.schemes`)."""

    @property
    def version_text(self) -> str:
        return ".".join(str(part) for part in self.version)

    @cached_property
    def tag_rank(self) -> Mapping[Tag, int]:
        """Each supported tag to its priority (0 is best)."""
        rank: dict[Tag, int] = {}
        for i, tag in enumerate(self.tags):
            rank.setdefault(tag, i)
        return rank


def query(executable: Path, *, cache_dir: Path | None) -> Interpreter:
    """Describe the interpreter at ``executable``; runs it at most once per (path, build)."""
    exe = Path(os.path.abspath(executable))
    if not exe.is_file():
        raise TargetEnvironmentError(
            f"no Python interpreter at {exe}", hint="check --python or the virtual environment"
        )
    cached = cache_file(exe, cache_dir) if cache_dir is not None else None
    facts = _read_cached(cached) if cached is not None else None
    if facts is None:
        facts = _run_probe(exe)
        if cached is not None:
            from pinset._fs import atomic_write_text  # only needed on a miss

            atomic_write_text(cached, json.dumps(facts, sort_keys=True))
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


def _run_probe(exe: Path) -> dict[str, object]:
    import subprocess  # only on a cache miss: a no-op run never starts a process

    try:
        proc = subprocess.run(
            [str(exe), "-I", "-c", PROBE_SOURCE, MARKER, BASE_MARK],
            capture_output=True,
            text=True,
            timeout=PROBE_TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise TargetEnvironmentError(f"could not run the target interpreter {exe}: {exc}") from exc
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(MARKER):
            try:
                data = json.loads(line[len(MARKER) :])
            except ValueError:
                break
            if isinstance(data, dict):
                return data
    detail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
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
