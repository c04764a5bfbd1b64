"""Real pip configuration files in a temporary tree standing in for /etc, $HOME and a venv."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pinset.settings import ConfigPaths, Settings, load_settings


@dataclass(frozen=True)
class Layout:
    root: Path
    paths: ConfigPaths

    @property
    def xdg_global(self) -> Path:
        return Path(self.paths.global_files[0])

    @property
    def etc(self) -> Path:
        return Path(self.paths.global_files[1])

    @property
    def legacy_user(self) -> Path:
        return Path(self.paths.user_files[0])

    @property
    def user(self) -> Path:
        return Path(self.paths.user_files[1])

    @property
    def site(self) -> Path:
        return Path(self.paths.site_files[0])

    def write(self, path: Path, text: str) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def load(
        self,
        environ: Mapping[str, str] | None = None,
        cli: Mapping[str, object] | None = None,
        *,
        command: str = "install",
        isolated: bool = False,
    ) -> Settings:
        return load_settings(
            command, cli or {}, environ=dict(environ or {}), isolated=isolated, paths=self.paths
        )


def make_layout(tmp_path: Path) -> Layout:
    """Two global files (XDG, then /etc), legacy and current user files, one site file."""
    paths = ConfigPaths(
        global_files=(
            str(tmp_path / "xdg" / "pip" / "pip.conf"),
            str(tmp_path / "etc" / "pip.conf"),
        ),
        user_files=(
            str(tmp_path / "home" / ".pip" / "pip.conf"),
            str(tmp_path / "home" / ".config" / "pip" / "pip.conf"),
        ),
        site_files=(str(tmp_path / "venv" / "pip.conf"),),
    )
    return Layout(tmp_path, paths)


def devnull_env(**extra: str) -> dict[str, str]:
    return {"PIP_CONFIG_FILE": os.devnull, **extra}
