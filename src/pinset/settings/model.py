"""The typed result of reading configuration: every value with the place it came from."""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pinset._dataclass import dataclass, field, fields
from pinset.errors import Location
from pinset.options import default

T = TypeVar("T")

DEFAULT_SOURCE = "default"

FileKind = Literal["global", "user", "site", "env"]


@dataclass(frozen=True, slots=True)
class Setting(Generic[T]):
    """One effective value and where it came from.

    ``source`` reads like ``/etc/pip.conf [global] index-url``, ``env PIP_INDEX_URL``,
    ``command line --index-url`` or ``default``; ``where`` is the file and line when the value
    came from a configuration file.
    """

    value: T
    source: str = DEFAULT_SOURCE
    where: Location | None = None

    @property
    def is_default(self) -> bool:
        return self.source == DEFAULT_SOURCE


@dataclass(frozen=True, slots=True)
class UnknownSetting:
    """A configuration key pinset does not use (a pip option it ignores, or a typo)."""

    key: str
    value: str
    source: str


@dataclass(frozen=True, slots=True)
class ConfigFile:
    """A configuration file pinset consulted, in load order; ``loaded`` if it existed."""

    kind: FileKind
    path: str
    loaded: bool


def _default(dest: str) -> Setting[Any]:
    """The default of ``dest`` as the option table (:mod:`pinset.options`) gives it."""
    return Setting(default(dest))


@dataclass(frozen=True, slots=True)
class Settings:
    """Every option pinset knows, merged from defaults, pip's files and variables, and flags."""

    index_url: Setting[str | None] = _default("index_url")
    extra_index_urls: Setting[tuple[str, ...]] = _default("extra_index_urls")
    no_index: Setting[bool] = _default("no_index")
    find_links: Setting[tuple[str, ...]] = _default("find_links")
    pre: Setting[bool] = _default("pre")
    trusted_hosts: Setting[tuple[str, ...]] = _default("trusted_hosts")
    cert: Setting[str | None] = _default("cert")
    client_cert: Setting[str | None] = _default("client_cert")
    proxy: Setting[str | None] = _default("proxy")
    timeout: Setting[float] = _default("timeout")
    retries: Setting[int] = _default("retries")
    download_timeout: Setting[float] = _default("download_timeout")
    cache_dir: Setting[str | None] = _default("cache_dir")
    no_cache_dir: Setting[bool] = _default("no_cache_dir")
    constraints: Setting[tuple[str, ...]] = _default("constraints")
    no_binary: Setting[frozenset[str]] = _default("no_binary")
    only_binary: Setting[frozenset[str]] = _default("only_binary")
    prefer_binary: Setting[bool] = _default("prefer_binary")
    require_hashes: Setting[bool] = _default("require_hashes")
    no_deps: Setting[bool] = _default("no_deps")
    target: Setting[str | None] = _default("target")
    prefix: Setting[str | None] = _default("prefix")
    upgrade: Setting[bool] = _default("upgrade")
    upgrade_strategy: Setting[str] = _default("upgrade_strategy")
    index_strategy: Setting[str] = _default("index_strategy")
    compile: Setting[bool] = _default("compile")
    build_isolation: Setting[bool] = _default("build_isolation")
    config_settings: Setting[tuple[str, ...]] = _default("config_settings")
    build_constraints: Setting[tuple[str, ...]] = _default("build_constraints")
    break_system_packages: Setting[bool] = _default("break_system_packages")
    keyring_provider: Setting[str] = _default("keyring_provider")
    offline: Setting[bool] = _default("offline")
    link_mode: Setting[str] = _default("link_mode")
    src_dir: Setting[str | None] = _default("src_dir")
    exists_action: Setting[tuple[str, ...]] = _default("exists_action")
    python: Setting[str | None] = _default("python")
    system: Setting[bool] = _default("system")
    verbose: Setting[int] = _default("verbose")
    quiet: Setting[int] = _default("quiet")
    # What was read, for `pinset config list`:
    command: str = "install"
    isolated: bool = False
    as_module: bool = False
    """Started as ``python -m pinset``: the running interpreter is a target of last resort."""
    files: tuple[ConfigFile, ...] = ()
    unknown: tuple[UnknownSetting, ...] = field(default=())

    def items(self) -> tuple[tuple[str, Setting[object]], ...]:
        """``(name, Setting)`` for every option, in declaration order."""
        out: list[tuple[str, Setting[object]]] = []
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Setting):
                out.append((f.name, value))
        return tuple(out)

    @property
    def verbosity(self) -> int:
        """``verbose - quiet``, as pip computes it."""
        return self.verbose.value - self.quiet.value
