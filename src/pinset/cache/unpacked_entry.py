"""Where the cache keeps a wheel unpacked: ``<bucket>/<archive sha256>/``, complete once its
``manifest.json`` is there (written last by :mod:`pinset.install.wheelfile`, which reads it).

Kept apart from the wheel reader so that a run can ask whether the cache keeps a wheel
unpacked with one ``stat`` and without importing it (a cold run's answer is always no).
"""

from __future__ import annotations

import os
from pathlib import Path

MANIFEST = "manifest.json"
_HEX = frozenset("0123456789abcdef")


def entry_dir(sha256: str, bucket: Path) -> Path:
    """The entry of the wheel whose archive had ``sha256`` (a lowercase hex digest)."""
    return bucket / sha256


def is_digest(text: str) -> bool:
    """Whether ``text`` is a lowercase hex sha256 (anything else never names an entry)."""
    return len(text) == 64 and _HEX.issuperset(text)


def has_entry(sha256: str, bucket: Path) -> bool:
    """Whether the cache has an entry for the wheel whose archive had ``sha256`` (its
    manifest is there; whether its files are intact is the wheel reader's question)."""
    return is_digest(sha256) and os.path.isfile(entry_dir(sha256, bucket) / MANIFEST)
