"""``config list``: every effective setting, its value as shown to a user, and its source.

Values that can carry credentials (index URLs, find-links, proxies, unknown keys) are shown
with passwords replaced by ``****``.
"""

from __future__ import annotations

from collections.abc import Mapping

from pinset._dataclass import dataclass
from pinset.cache import default_cache_dir
from pinset.redaction import redact_text
from pinset.settings import (
    ConfigFile,
    Settings,
    UnknownSetting,
    is_isolated,
    load_settings,
)
from pinset.settings.options import PRIMARY


@dataclass(frozen=True, slots=True)
class SettingRow:
    name: str  # Settings field, e.g. "index_url"
    key: str  # pip's key, e.g. "index-url"
    value: object  # JSON-ready: str, int, float, bool, None or a list of str
    source: str
    file: str | None
    line: int | None

    @property
    def text(self) -> str:
        """The value as one line of text (lists space-separated, unset as empty)."""
        value = self.value
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, list):
            return " ".join(str(v) for v in value)
        return str(value)

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "key": self.key,
            "value": self.value,
            "source": self.source,
            "file": self.file,
            "line": self.line,
        }


@dataclass(frozen=True, slots=True)
class ConfigReport:
    command: str
    isolated: bool
    rows: tuple[SettingRow, ...]
    files: tuple[ConfigFile, ...]
    unknown: tuple[UnknownSetting, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "command": self.command,
            "isolated": self.isolated,
            "settings": {row.name: row.to_dict() for row in self.rows},
            "files": [{"kind": f.kind, "path": f.path, "loaded": f.loaded} for f in self.files],
            "ignored": [{"key": u.key, "value": u.value, "source": u.source} for u in self.unknown],
        }


def _shown(value: object) -> object:
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, (tuple, list, frozenset, set)):
        items = sorted(value) if isinstance(value, (frozenset, set)) else list(value)
        return [redact_text(str(v)) for v in items]
    return value


def _key(name: str) -> str:
    spec = PRIMARY[name]
    return name.replace("_", "-") if spec.kind == "negflag" else spec.key


def report(settings: Settings) -> ConfigReport:
    """What ``pinset config list`` shows for already loaded ``settings``."""
    rows = []
    for name, setting in settings.items():
        where = setting.where
        value = setting.value
        if name == "cache_dir" and value is None:
            value = str(default_cache_dir())  # what "default" means on this machine
        rows.append(
            SettingRow(
                name,
                _key(name),
                _shown(value),
                setting.source,
                where.file if where else None,
                where.line if where else None,
            )
        )
    unknown = tuple(UnknownSetting(u.key, redact_text(u.value), u.source) for u in settings.unknown)
    return ConfigReport(settings.command, settings.isolated, tuple(rows), settings.files, unknown)


def list_config(
    command: str, *, environ: Mapping[str, str], isolated: bool | None = None
) -> ConfigReport:
    """Load the settings ``command`` would run with and report them."""
    settings = load_settings(command, {}, environ=environ, isolated=is_isolated(isolated, environ))
    return report(settings)
