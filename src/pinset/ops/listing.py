"""``list``: the distributions installed in the target, with what ``pip list`` shows of them.

The target is chosen as ``install`` chooses it (:mod:`pinset.ops.target`) and read through
:mod:`pinset.environment.installed`; nothing is changed. Dependencies (for ``--not-required``)
are each distribution's Requires-Dist with markers evaluated for the *target* with
``extra == ""``, as pip does for its own interpreter. ``--outdated``/``--uptodate`` ask the
indexes of the settings for each project's best file for the target (yanked files and, unless
``--pre``, pre-releases left out).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from packaging.requirements import Requirement as Pep508
from packaging.specifiers import SpecifierSet
from packaging.utils import NormalizedName, canonicalize_name

from pinset._dataclass import dataclass, replace
from pinset.core_metadata import CoreMetadata
from pinset.dists import InstalledDist
from pinset.environment.installed import installed_metadata
from pinset.errors import UsageError
from pinset.ops.target import Target, choose_target
from pinset.settings import Settings

Warn = Callable[[str], None]


@dataclass(frozen=True)
class ListRequest:
    outdated: bool = False
    uptodate: bool = False
    not_required: bool = False
    editable_only: bool = False
    include_editable: bool = True
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Listed:
    """One installed distribution as ``pip list`` shows it."""

    name: str
    """As its metadata spells it."""
    version: str
    """As its metadata writes it."""
    canonical: NormalizedName
    location: Path
    """The directory holding its ``.dist-info``."""
    installer: str
    editable_location: str | None = None
    build_tag: str | None = None
    latest: str | None = None
    latest_type: str | None = None
    """``wheel`` or ``sdist`` (with ``--outdated``/``--uptodate``)."""


@dataclass(frozen=True)
class ListResult:
    python: Path
    location: Path
    packages: tuple[Listed, ...]


def read_target(settings: Settings, environ: Mapping[str, str], cwd: Path) -> Target:
    """The target ``install`` would change, read only: never refused by PEP 668, nor for being
    pinset's own environment; with none found, the Python on PATH."""
    return choose_target(settings, environ=environ, cwd=cwd, check_managed=False, changes=False)


def editable_location(dist: InstalledDist) -> str | None:
    """The project directory of an editable install (from ``direct_url.json``), else None."""
    from pinset.urls import is_file_url, url_to_path

    direct = dist.direct_url
    if direct is None or not direct.editable or not is_file_url(direct.url):
        return None
    try:
        return str(url_to_path(direct.url))
    except ValueError:  # a file URL naming another host
        return None


def metadata_of(dist: InstalledDist) -> CoreMetadata:
    """The distribution's METADATA (empty when it has none to read)."""
    return installed_metadata(dist.path) or CoreMetadata(())


def dependencies(
    meta: CoreMetadata, markers: Mapping[str, str], warn: Warn | None = None
) -> list[Pep508]:
    """The Requires-Dist entries that apply to the target without extras."""
    from pinset.markers import marker_applies

    return [dep for dep in meta.requires_dist(warn) if marker_applies(dep.marker, markers)]


def _listed(dist: InstalledDist, meta: CoreMetadata) -> Listed:
    wheel = _wheel_file(dist)
    return Listed(
        name=meta.get("Name") or dist.name,
        version=meta.get("Version") or str(dist.version),
        canonical=dist.name,
        location=dist.path.parent,
        installer=dist.installer or "",
        editable_location=editable_location(dist),
        build_tag=wheel.get("Build") or None,
    )


def _wheel_file(dist: InstalledDist) -> CoreMetadata:
    """The ``WHEEL`` file of a ``.dist-info`` (same header format as METADATA)."""
    try:
        data = (dist.path / "WHEEL").read_bytes()
    except OSError:
        return CoreMetadata(())
    return CoreMetadata.from_bytes(data, headers_only=True)


def _selected(
    installed: Mapping[NormalizedName, InstalledDist], request: ListRequest
) -> list[InstalledDist]:
    dists = list(installed.values())
    if request.editable_only:
        return [d for d in dists if d.editable]
    if not request.include_editable:
        return [d for d in dists if not d.editable]
    return dists


def _not_required(
    dists: Sequence[InstalledDist],
    metas: Mapping[NormalizedName, CoreMetadata],
    markers: Mapping[str, str],
) -> list[InstalledDist]:
    needed = {
        canonicalize_name(dep.name)
        for dist in dists
        for dep in dependencies(metas[dist.name], markers)
    }
    return [d for d in dists if d.name not in needed]


def list_installed(
    request: ListRequest,
    settings: Settings,
    *,
    environ: Mapping[str, str],
    cwd: Path,
    warn: Warn | None = None,
    trace: Warn | None = None,
) -> ListResult:
    """The distributions of the target, filtered as ``request`` says, sorted by name
    (``trace`` hears the requests of ``--outdated``/``--uptodate``, for ``-v``)."""
    if request.outdated and request.uptodate:
        raise UsageError("--outdated and --uptodate cannot be combined", hint="choose one")
    target = read_target(settings, environ, cwd)
    dists = _selected(target.installed(), request)
    metas = {d.name: metadata_of(d) for d in dists}
    if request.not_required:
        dists = _not_required(dists, metas, target.interpreter.markers)
    excluded = {canonicalize_name(n) for n in request.exclude}
    rows = [_listed(d, metas[d.name]) for d in dists if d.name not in excluded]
    if request.outdated or request.uptodate:
        rows = _with_latest(rows, settings, target, environ, (warn, trace))
        rows = [r for r in rows if _compare(r) == ("newer" if request.outdated else "same")]
    rows.sort(key=lambda r: r.canonical)
    return ListResult(target.interpreter.executable, target.location, tuple(rows))


def _compare(row: Listed) -> str:
    from packaging.version import InvalidVersion, Version

    if row.latest is None:
        return "unknown"
    try:
        latest, current = Version(row.latest), Version(row.version)
    except InvalidVersion:
        return "unknown"
    return "newer" if latest > current else "same" if latest == current else "older"


def _with_latest(
    rows: Iterable[Listed],
    settings: Settings,
    target: Target,
    environ: Mapping[str, str],
    listeners: tuple[Warn | None, Warn | None],
) -> list[Listed]:
    """Each row with the best version the indexes offer for the target (rows with none are
    left out, as pip leaves them out)."""
    from pinset.session import Session

    rows = list(rows)
    warn, trace = listeners
    with Session(settings, environ=environ, warn=warn, trace=trace) as session:
        finder = session.finder(target.interpreter)
        finder.prefetch(r.canonical for r in rows)
        pre = session.options.index.pre
        found: list[Listed] = []
        for row in rows:
            best = finder.best(
                row.canonical, SpecifierSet(), prereleases=pre, allow_yanked_pin=False
            )
            if best is not None:
                kind = "wheel" if best.is_wheel else "sdist"
                found.append(replace(row, latest=str(best.version), latest_type=kind))
        return found
