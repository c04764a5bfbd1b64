"""The environment variables a hermetic test runs with."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

_DROP_PREFIXES = ("PIP_", "PINSET_", "UV_", "VIRTUAL_ENV", "CONDA_", "PYTHON")
_KEEP = ("PINSET_ONLINE",)
_DROP_EXACT = frozenset({"NETRC", "ALL_PROXY", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"})


def isolated_environ(base: Mapping[str, str], home: Path) -> dict[str, str]:
    """``base`` without pip/pinset/uv settings, with HOME and XDG dirs inside ``home``."""
    env = {
        k: v
        for k, v in base.items()
        if k in _KEEP or not (k.startswith(_DROP_PREFIXES) or k.upper() in _DROP_EXACT)
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CONFIG_DIRS=str(home / "xdg-config-dirs"),
        PIP_CONFIG_FILE=os.devnull,
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        NO_COLOR="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env
