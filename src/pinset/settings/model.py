"""The typed result of reading configuration: every value with the place it came from."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Generic, Literal, TypeVar

from pinset.errors import Location

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


@dataclass(frozen=True, slots=True)
class Settings:
    """Every option pinset knows, merged from defaults, pip's files and variables, and flags."""

    index_url: Setting[str | None] = Setting("https://pypi.org/simple")
    extra_index_urls: Setting[tuple[str, ...]] = Setting(())
    no_index: Setting[bool] = Setting(False)
    find_links: Setting[tuple[str, ...]] = Setting(())
    pre: Setting[bool] = Setting(False)
    trusted_hosts: Setting[tuple[str, ...]] = Setting(())
    cert: Setting[str | None] = Setting(None)
    client_cert: Setting[str | None] = Setting(None)
    proxy: Setting[str | None] = Setting(None)
    timeout: Setting[float] = Setting(15.0)
    retries: Setting[int] = Setting(5)
    download_timeout: Setting[float] = Setting(3600.0)
    cache_dir: Setting[str | None] = Setting(None)
    no_cache_dir: Setting[bool] = Setting(False)
    constraints: Setting[tuple[str, ...]] = Setting(())
    no_binary: Setting[frozenset[str]] = Setting(frozenset())
    only_binary: Setting[frozenset[str]] = Setting(frozenset())
    prefer_binary: Setting[bool] = Setting(False)
    require_hashes: Setting[bool] = Setting(False)
    no_deps: Setting[bool] = Setting(False)
    target: Setting[str | None] = Setting(None)
    prefix: Setting[str | None] = Setting(None)
    upgrade: Setting[bool] = Setting(False)
    upgrade_strategy: Setting[str] = Setting("only-if-needed")
    index_strategy: Setting[str] = Setting("first-index")
    compile: Setting[bool] = Setting(True)
    build_isolation: Setting[bool] = Setting(True)
    break_system_packages: Setting[bool] = Setting(False)
    keyring_provider: Setting[str] = Setting("auto")
    offline: Setting[bool] = Setting(False)
    link_mode: Setting[str] = Setting("hardlink")
    python: Setting[str | None] = Setting(None)
    verbose: Setting[int] = Setting(0)
    quiet: Setting[int] = Setting(0)
    # What was read, for `pinset config list`:
    command: str = "install"
    isolated: bool = False
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
