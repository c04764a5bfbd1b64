"""``freeze --hashes``: the ``--hash`` values of each pinned version.

A project from an index gets the hash of every file its version has there (wheels for other
platforms and the sdist too, as the index lists them, so the file also installs elsewhere); a
direct URL archive gets the hashes its ``direct_url.json`` recorded. What cannot be hashed (an
editable install, a directory, a VCS checkout, a version the index does not list or lists
without a hash) stops the run with every such project named: ``install --require-hashes``
would refuse the file anyway, later and further from the cause.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    NormalizedName,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import Version

from pinset._dataclass import dataclass, field
from pinset.direct_url import ArchiveInfo, VcsInfo
from pinset.errors import IntegrityError
from pinset.freeze.entries import Frozen, archive_hashes
from pinset.index.finder import Finder
from pinset.interpreter import Interpreter
from pinset.links import Link
from pinset.requirements import FileOptions, Requirement
from pinset.requirements.model import STRONG_HASHES
from pinset.settings import Settings


@dataclass
class HashSuffix:
    """The ``--hash`` options to write after each pin: with ``--hashes`` (``enabled``), the
    ``hashes`` found for each project; without, a template line's own when it pinned the
    version that is installed (they are then still true)."""

    hashes: Mapping[NormalizedName, tuple[str, ...]]
    enabled: bool
    warnings: list[str] = field(default_factory=list)

    def plain(self, frozen: Frozen) -> str:
        return _format(self.hashes.get(frozen.key, ()))

    def template(self, frozen: Frozen, req: Requirement) -> str:
        if self.enabled or not req.hashes:
            return self.plain(frozen)
        version = frozen.dist.parsed
        same = version is not None and req.is_pinned and req.specifier.contains(version, True)
        if same and frozen.direct is None:
            return _format(req.hashes)
        self.warnings.append(
            f"{req.origin}: the --hash values of {req.raw} were dropped: they are not for "
            f"{frozen.dist.name} {frozen.dist.version}, which is installed; "
            "use --hashes to write the installed version's"
        )
        return ""


def _format(hashes: Sequence[str]) -> str:
    return "".join(f" \\\n    --hash={h}" for h in hashes)


def index_hashes(
    settings: Settings,
    files: Sequence[FileOptions],
    interp: Interpreter,
    wanted: Iterable[Frozen],
    environ: Mapping[str, str],
) -> dict[NormalizedName, tuple[str, ...]]:
    """``algo:hex`` strings for every project in ``wanted``; raises IntegrityError naming
    each project that cannot be hashed."""
    from pinset.session import Session

    found: dict[NormalizedName, tuple[str, ...]] = {}
    missing: list[str] = []
    frozen = list(wanted)
    by_index = [f for f in frozen if f.direct is None and not f.editable]
    with Session(settings, files, environ=environ) as session:
        finder = session.finder(interp)
        finder.prefetch(f.dist.name for f in by_index)
        for item in frozen:
            hashes, why = _hashes_of(item, finder)
            if hashes:
                found[item.key] = hashes
            else:
                missing.append(f"{item.dist.name} {item.dist.version}: {why}")
    if missing:
        raise IntegrityError(
            f"cannot write --hash values for {len(missing)} "
            f"project{'s' if len(missing) != 1 else ''}",
            note="\n".join(missing),
            hint="leave them out with --exclude NAME (or --exclude-editable), or freeze "
            "without --hashes",
        )
    return found


def _hashes_of(item: Frozen, finder: Finder) -> tuple[tuple[str, ...], str]:
    if item.editable:
        return (), "an editable install has no archive to hash"
    if item.direct is not None:
        info = item.direct.info
        if not isinstance(info, ArchiveInfo):
            kind = "version control" if isinstance(info, VcsInfo) else "a directory"
            return (), f"installed from {kind}, which has no archive to hash"
        strong = [f"{a}:{h}" for a, h in archive_hashes(info) if a in STRONG_HASHES]
        return tuple(sorted(strong)), "its direct_url.json records no sha256 of the archive"
    if item.dist.parsed is None:
        return (), "its version is not PEP 440, so no index lists it"
    links = version_links(finder, item.key, item.dist.parsed)
    if not links:
        return (), "the index has no file of this version"
    hashes = strong_hashes(links)
    if hashes is None:
        return (), "the index lists a file of this version without a sha256"
    return hashes, ""


_NOT_THE_POLICYS = frozenset({"binary-policy", "filename", "name"})
"""Rejections a lock leaves out: files the run's binary policy forbids, unreadable names."""


def version_links(
    finder: Finder, name: NormalizedName, version: Version, *, policy: bool = False
) -> list[Link]:
    """Every file of ``version`` of ``name`` on the finder's indexes (for any platform or
    Python: the file then installs elsewhere too); ``policy``: only those the run's binary
    policy allows (``lock --generate-hashes``, as pip-compile)."""
    found = finder.find(name)
    links = [c.link for c in found.candidates if c.version == version]
    links += [
        r.link
        for r in found.rejections
        if _version_of(r.link.filename) == version and not (policy and r.kind in _NOT_THE_POLICYS)
    ]
    return list({link.url: link for link in links}.values())


def strong_hashes(links: Sequence[Link]) -> tuple[str, ...] | None:
    """The ``algo:hex`` strings of ``links``, sorted; None when one file has no strong hash."""
    if any(not any(a in STRONG_HASHES for a, _ in link.hashes) for link in links):
        return None
    return tuple(
        sorted({f"{a}:{h}" for link in links for a, h in link.hashes if a in STRONG_HASHES})
    )


def _version_of(filename: str) -> Version | None:
    try:
        if filename.endswith(".whl"):
            return parse_wheel_filename(filename)[1]
        return parse_sdist_filename(filename)[1]
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None
