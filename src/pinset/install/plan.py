"""A Plan: the change to make to one environment, computed from a resolution and what is
installed, before anything is touched.

:func:`make_plan` keeps what is already installed at the wanted version (unless a reinstall is
forced or a direct URL changed), installs the rest (replacing any other installed version), and,
for an exact sync, removes what nothing wants (``protected`` names excepted).
"""

from __future__ import annotations

from collections.abc import Mapping

from packaging.utils import NormalizedName

from pinset._dataclass import dataclass, field
from pinset.direct_url import DirectUrl
from pinset.dists import InstalledDist, LocalWheel


@dataclass(frozen=True)
class Plan:
    install: tuple[LocalWheel, ...]
    remove: tuple[InstalledDist, ...]
    requested: frozenset[NormalizedName]
    direct_urls: Mapping[NormalizedName, DirectUrl] = field(default_factory=dict)
    dist_info_files: Mapping[NormalizedName, Mapping[str, bytes]] = field(default_factory=dict)
    """Files pinset adds to a ``.dist-info`` (by name: contents), listed in RECORD."""
    unchanged: tuple[InstalledDist, ...] = ()
    """Installed distributions left as they are (for reports; not acted on)."""

    @property
    def is_empty(self) -> bool:
        return not self.install and not self.remove


def make_plan(
    wanted: Mapping[NormalizedName, LocalWheel | InstalledDist],
    installed: Mapping[NormalizedName, InstalledDist],
    *,
    requested: frozenset[NormalizedName] = frozenset(),
    direct_urls: Mapping[NormalizedName, DirectUrl] | None = None,
    dist_info_files: Mapping[NormalizedName, Mapping[str, bytes]] | None = None,
    force_reinstall: bool | frozenset[NormalizedName] = False,
    exact: bool = False,
    protected: frozenset[NormalizedName] = frozenset(),
) -> Plan:
    """Diff the wanted set against ``installed``.

    ``wanted`` maps each pinned name to a wheel to install, or to the installed distribution to
    keep. ``force_reinstall`` (all, or some names) reinstalls even an identical version.
    ``exact`` (sync) also removes installed distributions not wanted, except ``protected``.
    """
    direct_urls = dict(direct_urls or {})
    install: list[LocalWheel] = []
    remove: list[InstalledDist] = []
    unchanged: list[InstalledDist] = []
    for name, item in wanted.items():
        current = installed.get(name)
        if isinstance(item, InstalledDist):
            unchanged.append(item)
        elif current is not None and _keep(current, item, force_reinstall):
            unchanged.append(current)
        else:
            install.append(item)
            if current is not None:
                remove.append(current)
    if exact:
        remove.extend(
            dist for name, dist in installed.items() if name not in wanted and name not in protected
        )
    return Plan(
        install=tuple(install),
        remove=tuple(remove),
        requested=frozenset(requested),
        direct_urls=direct_urls,
        dist_info_files=dict(dist_info_files or {}),
        unchanged=tuple(unchanged),
    )


def _keep(
    current: InstalledDist,
    wheel: LocalWheel,
    force: bool | frozenset[NormalizedName],
) -> bool:
    forced = force if isinstance(force, bool) else current.name in force
    return not forced and current.version == wheel.version
