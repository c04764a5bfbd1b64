"""Which file names PEP 751 gives lock files, answered without importing ``packaging.pylock``
(every ``install -r`` asks; a unit test keeps the answer equal to packaging's)."""

from __future__ import annotations

import os
import re

_NAMED = re.compile(r"pylock\.[^.]+\.toml")


def is_pylock(path: str) -> bool:
    """``pylock.toml`` or ``pylock.NAME.toml`` (NAME without a dot)."""
    name = os.path.basename(path)
    return name == "pylock.toml" or _NAMED.fullmatch(name) is not None
