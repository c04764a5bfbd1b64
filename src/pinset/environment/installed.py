"""What is installed in a target environment: ``*.dist-info``, legacy ``*.egg-info``, and
legacy editables (``NAME.egg-link``, written by ``setup.py develop`` under old pip): the link's
first line names the directory holding the project's ``.egg-info``; such a distribution's
``path`` is the ``.egg-link`` file itself (uninstalling removes that file and its line in
``easy-install.pth``, never the tree) and
it counts as editable (a ``dir_info`` URL of that directory), as pip shows it.

Only metadata headers are read (``Name``, ``Version``), plus the small PEP 376/610/627 files
``INSTALLER``, ``REQUESTED`` and ``direct_url.json``. When a project appears twice, the first in
import order (purelib before platlib, directory order otherwise sorted) wins, as Python would
import it. Entries whose version is not a valid PEP 440 version are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import InvalidVersion, Version

from pinset._dataclass import dataclass
from pinset.core_metadata import CoreMetadata
from pinset.direct_url import FILENAME as DIRECT_URL
from pinset.direct_url import DirectUrl, read_direct_url
from pinset.dists import InstalledDist
from pinset.environment.schemes import Scheme


def scan(scheme: Scheme) -> dict[NormalizedName, InstalledDist]:
    """Every distribution installed in the site directories of ``scheme``, by canonical name."""
    return scan_dirs(scheme.site_dirs())


def scan_dirs(site_dirs: Iterable[Path]) -> dict[NormalizedName, InstalledDist]:
    found: dict[NormalizedName, InstalledDist] = {}
    for site in site_dirs:
        try:
            entries = sorted(site.iterdir())
        except OSError:
            continue
        for entry in entries:
            dist = read_dist(entry)
            if dist is not None and dist.name not in found:
                found[dist.name] = dist
    return found


def read_dist(entry: Path) -> InstalledDist | None:
    """The distribution described by one ``.dist-info``/``.egg-info``/``.egg-link`` path, or
    None."""
    if entry.suffix == ".dist-info" and entry.is_dir():
        return _read_dist_info(entry)
    if entry.suffix == ".egg-info":
        return _from_headers(entry, installer=None, requested=False, direct_url=None)
    if entry.suffix == ".egg-link":
        return _from_headers(entry, installer=None, requested=False, direct_url=_linked(entry))
    return None


def egg_link_target(link: Path) -> Path | None:
    """The project's ``.egg-info`` directory an ``.egg-link`` file points at, if it exists."""
    try:
        first = link.read_text(encoding="utf-8").splitlines()[0].strip()
    except (OSError, UnicodeDecodeError, IndexError):
        return None
    wanted = canonicalize_name(link.stem)
    try:
        found = sorted(Path(first).glob("*.egg-info"))
    except (OSError, ValueError):
        return None
    return next((p for p in found if canonicalize_name(p.stem.split("-")[0]) == wanted), None)


def _linked(link: Path) -> DirectUrl | None:
    """The editable ``dir_info`` an ``.egg-link`` stands for (the directory it names)."""
    from pinset.direct_url import DirInfo
    from pinset.urls import path_to_url

    target = egg_link_target(link)
    return DirectUrl(path_to_url(target.parent), DirInfo(editable=True)) if target else None


@dataclass(frozen=True)
class ListedDist:
    """An installed distribution as its metadata spells it, for listings (``freeze``).

    Unlike :class:`InstalledDist`, the name is as written and the version is kept even when it
    is not PEP 440 (``parsed`` is then None), as ``pip freeze`` shows such versions with ``===``.
    """

    name: str
    version: str
    parsed: Version | None
    path: Path
    direct_url: DirectUrl | None

    @property
    def key(self) -> NormalizedName:
        return canonicalize_name(self.name)


_VALID_NAME = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)


def list_dirs(site_dirs: Iterable[Path]) -> Iterator[ListedDist]:
    """Every distribution in ``site_dirs``, the first of each name (as :func:`scan_dirs`);
    names that are not valid project names are skipped, as pip skips them."""
    seen: set[NormalizedName] = set()
    for site in site_dirs:
        try:
            entries = sorted(site.iterdir())
        except OSError:
            continue
        for entry in entries:
            listed = _listed(entry)
            if listed is not None and listed.key not in seen:
                seen.add(listed.key)
                yield listed


def _listed(entry: Path) -> ListedDist | None:
    if entry.suffix == ".dist-info" and entry.is_dir():
        direct_url = read_direct_url(_read_text(entry / DIRECT_URL))
    elif entry.suffix == ".egg-info":
        direct_url = None
    elif entry.suffix == ".egg-link":
        direct_url = _linked(entry)
    else:
        return None
    meta = installed_metadata(entry, headers_only=True)
    name = meta.get("Name") if meta is not None else None
    version = meta.get("Version") if meta is not None else None
    if not name or not version or not _VALID_NAME.match(name):
        return None
    try:
        parsed: Version | None = Version(version)
    except InvalidVersion:
        parsed = None
    return ListedDist(name, version, parsed, entry, direct_url)


def installed_metadata(path: Path, *, headers_only: bool = False) -> CoreMetadata | None:
    """The METADATA of the ``.dist-info`` (or legacy PKG-INFO of the ``.egg-info``, or of the
    one an ``.egg-link`` points at) at ``path``; None when there is none to read."""
    if path.suffix == ".egg-link":
        target = egg_link_target(path)
        if target is None:
            return None
        path = target
    files = (path / "METADATA", path / "PKG-INFO") if path.is_dir() else (path,)
    for file in files:
        try:
            data = file.read_bytes()
        except OSError:
            continue
        return CoreMetadata.from_bytes(data, headers_only=headers_only)
    return None


def _read_dist_info(path: Path) -> InstalledDist | None:
    installer = _read_text(path / "INSTALLER")
    direct_url = read_direct_url(_read_text(path / DIRECT_URL))
    return _from_headers(
        path,
        installer=installer.strip() if installer else None,
        requested=(path / "REQUESTED").exists(),
        direct_url=direct_url,
    )


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _from_headers(
    path: Path,
    *,
    installer: str | None,
    requested: bool,
    direct_url: DirectUrl | None,
) -> InstalledDist | None:
    meta = installed_metadata(path, headers_only=True)
    name = meta.get("Name") if meta is not None else None
    raw_version = meta.get("Version") if meta is not None else None
    if not name or not raw_version:
        return None
    try:
        version = Version(raw_version)
    except InvalidVersion:
        return None
    return InstalledDist(
        name=canonicalize_name(name),
        version=version,
        path=path,
        installer=installer,
        requested=requested,
        direct_url=direct_url,
    )
