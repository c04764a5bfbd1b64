"""``show``: what ``pip show`` tells of installed distributions, read from the target.

Requires are the names a distribution's Requires-Dist gives (markers evaluated for the target
with no extra), Required-by the installed distributions whose dependencies name it. Files are
the paths its RECORD lists, as written there (relative to the directory of the
``.dist-info``); ``None`` when it has no readable RECORD.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from pathlib import Path

from packaging.utils import NormalizedName, canonicalize_name

from pinset._dataclass import dataclass
from pinset.core_metadata import CoreMetadata
from pinset.dists import InstalledDist
from pinset.ops.listing import Warn, dependencies, editable_location, metadata_of, read_target
from pinset.settings import Settings


@dataclass(frozen=True)
class Shown:
    """One installed distribution, every field ``pip show`` prints."""

    name: str
    version: str
    location: Path
    editable_location: str | None
    requires: tuple[str, ...]
    required_by: tuple[str, ...]
    installer: str
    metadata_version: str
    summary: str
    homepage: str
    author: str
    author_email: str
    license: str
    license_expression: str
    classifiers: tuple[str, ...]
    project_urls: tuple[str, ...]
    entry_points: tuple[str, ...]
    files: tuple[str, ...] | None


@dataclass(frozen=True)
class ShowResult:
    python: Path
    location: Path
    shown: tuple[Shown, ...]
    missing: tuple[str, ...]
    """The names asked for that are not installed, as given, sorted."""


def _homepage(meta: CoreMetadata) -> str:
    """Home-page, else the Project-URL labelled "homepage" (PEP 753 label normalisation)."""
    page = meta.get("Home-page")
    if page:
        return page
    drop = str.maketrans("", "", string.punctuation + string.whitespace)
    for entry in meta.get_all("Project-URL"):
        label, sep, url = entry.partition(",")
        if sep and label.translate(drop).lower() == "homepage":
            return url.strip()
    return ""


def _files(dist: InstalledDist) -> tuple[str, ...] | None:
    from pinset.install.record import parse_record

    try:
        rows = parse_record((dist.path / "RECORD").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return tuple(sorted(row.path for row in rows))


def _entry_points(dist: InstalledDist) -> tuple[str, ...]:
    try:
        text = (dist.path / "entry_points.txt").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ()
    return tuple(line.strip() for line in text.splitlines())


def _shown(
    dist: InstalledDist,
    meta: CoreMetadata,
    required_by: Sequence[str],
    markers: Mapping[str, str],
    files: bool,
) -> Shown:
    requires = sorted({dep.name for dep in dependencies(meta, markers)}, key=str.lower)
    return Shown(
        name=meta.get("Name") or dist.name,
        version=meta.get("Version") or str(dist.version),
        location=dist.path.parent,
        editable_location=editable_location(dist),
        requires=tuple(requires),
        required_by=tuple(sorted(required_by, key=str.lower)),
        installer=dist.installer or "",
        metadata_version=meta.get("Metadata-Version") or "",
        summary=meta.get("Summary") or "",
        homepage=_homepage(meta),
        author=meta.get("Author") or "",
        author_email=meta.get("Author-email") or "",
        license=meta.get("License") or "",
        license_expression=meta.get("License-Expression") or "",
        classifiers=tuple(meta.get_all("Classifier")),
        project_urls=tuple(meta.get_all("Project-URL")),
        entry_points=_entry_points(dist) if dist.path.is_dir() else (),
        files=_files(dist) if files else None,
    )


def show(
    names: Sequence[str],
    settings: Settings,
    *,
    environ: Mapping[str, str],
    cwd: Path,
    files: bool = False,
    warn: Warn | None = None,
) -> ShowResult:
    """The distributions named, in the order asked (each once), and the names not found."""
    target = read_target(settings, environ, cwd)
    installed = target.installed()
    markers = target.interpreter.markers
    metas = {name: metadata_of(dist) for name, dist in installed.items()}
    wanted = list(dict.fromkeys(canonicalize_name(n) for n in names))
    users: dict[NormalizedName, list[str]] = {name: [] for name in wanted}
    if wanted:
        for name, meta in metas.items():
            for dep_name in {canonicalize_name(d.name) for d in dependencies(meta, markers, warn)}:
                if dep_name in users:
                    users[dep_name].append(meta.get("Name") or name)
    shown = tuple(
        _shown(installed[name], metas[name], users[name], markers, files)
        for name in wanted
        if name in installed
    )
    missing = sorted(n for n in names if canonicalize_name(n) not in installed)
    return ShowResult(target.interpreter.executable, target.location, shown, tuple(missing))
