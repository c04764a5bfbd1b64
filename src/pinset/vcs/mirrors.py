"""The cache's copies of repositories, one per repository URL, shared by every backend.

A copy lives at ``<mirrors>/<sha256 of the credential-free URL>``, guarded by a lock beside it
while it is created, refreshed or read. A new copy is made in a temporary directory and
published by a rename: a failed clone leaves the cache as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

from pinset._fs import locked, publish_dir, temporary_sibling_dir


@contextlib.contextmanager
def held(mirrors: Path, url: str) -> Iterator[Path]:
    """The path of ``url``'s copy under ``mirrors`` (maybe not there yet), locked."""
    mirror = mirrors / hashlib.sha256(url.encode()).hexdigest()
    with locked(mirrors / f"{mirror.name}.lock"):
        yield mirror


def create(mirror: Path, clone: Callable[[Path], None]) -> None:
    """Make ``mirror`` with ``clone(target)``, published whole or not at all."""
    with temporary_sibling_dir(mirror) as tmp:
        target = tmp / "repo"
        clone(target)
        publish_dir(target, mirror)
