"""pip's configuration file locations per platform, computed from the environment given."""

from __future__ import annotations

from pathlib import Path

import pytest

from pinset.errors import ConfigurationError
from pinset.settings import config_paths, is_isolated


def test_linux_locations() -> None:
    env = {
        "HOME": "/home/u",
        "XDG_CONFIG_DIRS": "/opt/xdg1:/opt/xdg2",
        "XDG_CONFIG_HOME": "/home/u/cfg",
    }
    paths = config_paths(env, platform="linux", prefix="/usr")
    assert paths.global_files == (
        "/opt/xdg1/pip/pip.conf",
        "/opt/xdg2/pip/pip.conf",
        "/etc/pip.conf",
    )
    assert paths.user_files == ("/home/u/.pip/pip.conf", "/home/u/cfg/pip/pip.conf")
    assert paths.site_files == ("/usr/pip.conf",)


def test_linux_defaults_and_virtual_env() -> None:
    env = {"HOME": "/home/u", "XDG_CONFIG_HOME": "relative/ignored", "VIRTUAL_ENV": "/w/.venv"}
    paths = config_paths(env, platform="linux", prefix="/usr")
    assert paths.global_files == ("/etc/xdg/pip/pip.conf", "/etc/pip.conf")
    assert paths.user_files[1] == "/home/u/.config/pip/pip.conf"
    assert paths.site_files == ("/w/.venv/pip.conf",)


def test_macos_locations(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path)}
    paths = config_paths(env, platform="darwin", prefix="/usr/local")
    assert paths.global_files == ("/Library/Application Support/pip/pip.conf",)
    assert paths.user_files == (
        f"{tmp_path}/.pip/pip.conf",
        f"{tmp_path}/.config/pip/pip.conf",
    )
    (tmp_path / "Library" / "Application Support" / "pip").mkdir(parents=True)
    paths = config_paths(env, platform="darwin", prefix="/usr/local")
    assert paths.user_files[1] == f"{tmp_path}/Library/Application Support/pip/pip.conf"


def test_windows_locations() -> None:
    env = {
        "USERPROFILE": r"C:\Users\u",
        "APPDATA": r"C:\Users\u\AppData\Roaming",
        "PROGRAMDATA": r"C:\ProgramData",
    }
    paths = config_paths(env, platform="win32", prefix=r"C:\Python312")
    assert paths.global_files == (r"C:\ProgramData\pip\pip.ini",)
    assert paths.user_files == (
        r"C:\Users\u\pip\pip.ini",
        r"C:\Users\u\AppData\Roaming\pip\pip.ini",
    )
    assert paths.site_files == (r"C:\Python312\pip.ini",)


def test_isolated_mode_from_flag_or_variables() -> None:
    assert is_isolated(True, {})
    assert not is_isolated(None, {})
    assert is_isolated(None, {"PIP_ISOLATED_MODE": "yes"})
    assert not is_isolated(None, {"PIP_ISOLATED_MODE": "0"})
    assert is_isolated(None, {"PINSET_ISOLATED_MODE": "on"})
    with pytest.raises(ConfigurationError) as info:
        is_isolated(None, {"PIP_ISOLATED_MODE": "perhaps"})
    assert info.value.where == "env PIP_ISOLATED_MODE"
