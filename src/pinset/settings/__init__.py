"""pinset's configuration: pip's files and ``PIP_*`` variables, then ``PINSET_*``, then flags.

See :func:`load_settings` and ``docs/configuration`` in the README for the rules.
"""

from __future__ import annotations

from pinset.settings.load import is_isolated, load_settings
from pinset.settings.locations import ConfigPaths, config_paths
from pinset.settings.model import ConfigFile, Setting, Settings, UnknownSetting
from pinset.settings.options import OPTIONS

__all__ = [
    "OPTIONS",
    "ConfigFile",
    "ConfigPaths",
    "Setting",
    "Settings",
    "UnknownSetting",
    "config_paths",
    "is_isolated",
    "load_settings",
]
