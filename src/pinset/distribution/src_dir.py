"""Where editable checkouts go (``--src``), as pip decides; apart from the checkout code so that
every install can settle it without importing the VCS layer."""

from __future__ import annotations

import os
from pathlib import Path


def editable_src_dir(option: str | None, prefix: Path | None, cwd: Path) -> Path:
    """Where editable checkouts go, as pip decides: ``--src`` (relative to ``cwd``), else
    ``<prefix>/src`` for a virtual environment's ``prefix``, else ``<cwd>/src``."""
    if option:
        return Path(os.path.abspath(cwd / os.path.expanduser(option)))
    return Path(os.path.abspath((prefix if prefix is not None else cwd) / "src"))
