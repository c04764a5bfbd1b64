"""Where pip's configuration files are, per platform, computed from an environment mapping.

Load order (later files override earlier ones), as pip 26 does:

* global: Linux/BSD ``$XDG_CONFIG_DIRS/pip/pip.conf`` for each listed directory (default
  ``/etc/xdg``), then ``/etc/pip.conf``; macOS ``$XDG_DATA_DIRS/pip`` or
  ``/Library/Application Support/pip``; Windows ``%PROGRAMDATA%\\pip\\pip.ini``.
* user (skipped in isolated mode, and when ``PIP_CONFIG_FILE`` names an existing file): the
  legacy ``~/.pip/pip.conf`` (Windows ``~\\pip\\pip.ini``), then ``$XDG_CONFIG_HOME/pip/pip.conf``
  (macOS: ``~/Library/Application Support/pip`` when that directory exists, else
  ``~/.config/pip``; Windows ``%APPDATA%\\pip``).
* site: ``$VIRTUAL_ENV/pip.conf``, else ``<sys.prefix>/pip.conf``.
* ``PIP_CONFIG_FILE``; set to ``os.devnull`` it disables every file.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import PurePosixPath, PureWindowsPath

from pinset._dataclass import dataclass


@dataclass(frozen=True, slots=True)
class ConfigPaths:
    """The candidate files of each level, in load order (they need not exist)."""

    global_files: tuple[str, ...]
    user_files: tuple[str, ...]
    site_files: tuple[str, ...]


def _home(environ: Mapping[str, str], platform: str) -> str:
    if platform == "win32":
        return environ.get("USERPROFILE") or environ.get("HOME") or os.path.expanduser("~")
    return environ.get("HOME") or os.path.expanduser("~")


def _abs_env(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name, "").strip()
    return value if PurePosixPath(value).is_absolute() else None


def _abs_env_list(environ: Mapping[str, str], name: str) -> list[str]:
    raw = environ.get(name, "").strip()
    return [p for p in raw.split(":") if p.strip() and PurePosixPath(p).is_absolute()]


def _posix_paths(environ: Mapping[str, str], home: str) -> tuple[list[str], str]:
    dirs = _abs_env_list(environ, "XDG_CONFIG_DIRS") or ["/etc/xdg"]
    global_files = [f"{d.rstrip('/')}/pip/pip.conf" for d in dirs] + ["/etc/pip.conf"]
    config_home = _abs_env(environ, "XDG_CONFIG_HOME") or f"{home}/.config"
    return global_files, f"{config_home}/pip/pip.conf"


def _macos_paths(environ: Mapping[str, str], home: str) -> tuple[list[str], str]:
    data_dirs = _abs_env_list(environ, "XDG_DATA_DIRS") or ["/Library/Application Support"]
    global_files = [f"{d.rstrip('/')}/pip/pip.conf" for d in data_dirs]
    data_home = _abs_env(environ, "XDG_DATA_HOME") or f"{home}/Library/Application Support"
    app_support = f"{data_home}/pip"
    user_dir = app_support if os.path.isdir(app_support) else f"{home}/.config/pip"
    return global_files, f"{user_dir}/pip.conf"


def _windows_paths(environ: Mapping[str, str], home: str) -> tuple[list[str], str]:
    program_data = environ.get("PROGRAMDATA") or environ.get("ALLUSERSPROFILE") or r"C:\ProgramData"
    appdata = environ.get("APPDATA") or str(PureWindowsPath(home, "AppData", "Roaming"))
    return [str(PureWindowsPath(program_data, "pip", "pip.ini"))], str(
        PureWindowsPath(appdata, "pip", "pip.ini")
    )


def config_paths(
    environ: Mapping[str, str], *, platform: str = sys.platform, prefix: str = sys.prefix
) -> ConfigPaths:
    """pip's global, user and site configuration files for ``platform``, from ``environ``."""
    home = _home(environ, platform)
    site_root = environ.get("VIRTUAL_ENV") or prefix
    if platform == "win32":
        global_files, new_user = _windows_paths(environ, home)
        legacy = str(PureWindowsPath(home, "pip", "pip.ini"))
        site = str(PureWindowsPath(site_root, "pip.ini"))
    else:
        maker = _macos_paths if platform == "darwin" else _posix_paths
        global_files, new_user = maker(environ, home)
        legacy = f"{home}/.pip/pip.conf"
        site = f"{site_root.rstrip('/') or '/'}/pip.conf".replace("//", "/")
    return ConfigPaths(tuple(global_files), (legacy, new_user), (site,))
