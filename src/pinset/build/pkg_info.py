"""An sdist's own metadata (``PKG-INFO``), when it may stand for the wheel's (PEP 643).

From core metadata 2.2 on, a field of an sdist's ``PKG-INFO`` that is not listed in ``Dynamic``
must be the same in every wheel built from it. When ``Requires-Dist``, ``Requires-Python`` and
``Provides-Extra`` (what the resolver reads) are all static, the sdist's metadata is what
resolving needs, and no backend runs until its wheel is built (uv does the same; pip always
asks the backend). The wheel's METADATA is compared with it before anything is installed
(``IndexSource.check_wheel_metadata``), so an sdist that broke the rule is refused, not
installed with unresolved dependencies.

Only a registry sdist's top-level ``PKG-INFO`` counts, for the name and version the index
gave it: a local directory's may be stale, and an archive URL may name anything.
"""

from __future__ import annotations

from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from pinset.core_metadata import RESOLVED_FIELDS, CoreMetadata

_LIMIT = 1 << 20


def static_metadata(tree: Path, name: str, version: str) -> CoreMetadata | None:
    """``tree``'s ``PKG-INFO`` when it is core metadata 2.2 or later, names the project
    ``name`` at ``version`` and marks none of the fields the resolver reads
    (:data:`~pinset.core_metadata.RESOLVED_FIELDS`) dynamic; else None (the backend is
    asked)."""
    path = tree / "PKG-INFO"
    try:
        if not path.is_file() or path.stat().st_size > _LIMIT:
            return None
        meta = CoreMetadata.from_bytes(path.read_bytes())
    except OSError:
        return None
    if not _at_least_2_2(meta.get("Metadata-Version")):
        return None
    if canonicalize_name(meta.get("Name") or "") != canonicalize_name(name):
        return None
    if not _same_version(meta.get("Version"), version):
        return None
    dynamic = {value.strip().lower() for value in meta.get_all("Dynamic")}
    resolved = {field.lower() for field in RESOLVED_FIELDS}
    return None if dynamic & resolved else meta


def _same_version(found: str | None, wanted: str) -> bool:
    try:
        return found is not None and Version(found) == Version(wanted)
    except InvalidVersion:
        return False


def _at_least_2_2(version: str | None) -> bool:
    major, _, minor = (version or "").strip().partition(".")
    if not (major.isdigit() and minor.isdigit()):
        return False
    return (int(major), int(minor)) >= (2, 2)
