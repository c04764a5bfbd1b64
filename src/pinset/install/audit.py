"""Installed files against their RECORD: which were changed or removed since installation.

Every RECORD row with a hash is checked: the file must exist with that size and that digest.
A row without a hash (RECORD itself) or with a weak one (md5, sha1) is not checked; a missing
``.pyc`` is not a finding (Python writes bytecode again when it needs it) but a changed one is.
A row that leads outside the environment is reported, never read. Distributions without RECORD
(legacy ``.egg-info``) are counted as unchecked.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from pinset._dataclass import dataclass
from pinset.dists import InstalledDist
from pinset.install.record import RecordRow, hash_algorithm, parse_record
from pinset.install.uninstall import Guard

_CHUNK = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One installed file that is not what its RECORD says."""

    dist: InstalledDist
    path: Path
    problem: str
    """``modified``, ``missing``, ``outside the environment`` or ``unreadable``."""


@dataclass(frozen=True)
class Audit:
    checked_files: int
    checked: tuple[InstalledDist, ...]
    unchecked: tuple[InstalledDist, ...]
    """Distributions without a readable RECORD."""
    mismatches: tuple[Mismatch, ...]


def audit(dists: Iterable[InstalledDist], roots: Iterable[Path]) -> Audit:
    """Check every file of ``dists`` against RECORD; ``roots`` are the environment's
    directories (see :func:`pinset.install.wheel.environment_roots`)."""
    guard = Guard(roots)
    checked: list[InstalledDist] = []
    unchecked: list[InstalledDist] = []
    found: list[Mismatch] = []
    files = 0
    for dist in sorted(dists, key=lambda d: d.name):
        rows = _rows(dist)
        if rows is None:
            unchecked.append(dist)
            continue
        checked.append(dist)
        for row in rows:
            if not row.hash:
                continue
            files += 1
            path = Path(os.path.normpath(dist.path.parent / row.path))
            problem = _problem(path, row) if guard(path) else "outside the environment"
            if problem is not None:
                found.append(Mismatch(dist, path, problem))
    return Audit(files, tuple(checked), tuple(unchecked), tuple(found))


def _rows(dist: InstalledDist) -> list[RecordRow] | None:
    if dist.path.suffix != ".dist-info":
        return None
    try:
        return parse_record((dist.path / "RECORD").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None


def _problem(path: Path, row: RecordRow) -> str | None:
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        return None if path.suffix == ".pyc" else "missing"
    except OSError:
        return "unreadable"
    if row.size is not None and size != row.size:
        return "modified"
    try:
        algorithm, expected = hash_algorithm(row.hash)
    except ValueError:
        return None  # an algorithm pinset does not check (md5, sha1): not a finding
    try:
        digest = _digest(path, algorithm)
    except OSError:
        return "unreadable"
    return None if digest == expected else "modified"


def _digest(path: Path, algorithm: str) -> str:
    hasher = hashlib.new(algorithm)
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            hasher.update(chunk)
    return base64.urlsafe_b64encode(hasher.digest()).rstrip(b"=").decode("ascii")
