"""Wheels that ``dev/setup`` downloads, hash-checked, from ``dev/wheelhouse.lock`` into
``.wheelhouse/``: pinned files for target environments of every CPython the tests use, so that
no test depends on what the development environment happens to hold."""

from __future__ import annotations

from pathlib import Path

WHEELHOUSE = Path(__file__).resolve().parents[2] / ".wheelhouse"


def wheel(project: str, version: str) -> Path:
    """The wheel of ``project`` ``version`` in the wheelhouse; fails with the fix when absent."""
    found = sorted(WHEELHOUSE.glob(f"{project}-{version}-*.whl"))
    if not found:
        raise FileNotFoundError(
            f"{project} {version} is not in {WHEELHOUSE}: run dev/setup (dev/wheelhouse.lock)"
        )
    return found[0]
