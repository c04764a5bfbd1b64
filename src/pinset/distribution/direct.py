"""The candidate of a requirement that names a file or tree (``name @ url``, a path, ``-e``).

:func:`direct_kind` tells the kinds apart (VCS checkout, local tree, archive, wheel; editable
where it applies). A wheel is judged against the target like an index's file; every other kind
needs the source builder for its metadata (:class:`~pinset.distribution.build.NoBuilds` refuses);
a VCS checkout first gets the commit its revision names, kept on its kind.
"""

from __future__ import annotations

from typing import TypeVar

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from pinset.binary import BinaryPolicy
from pinset.core_metadata import CoreMetadata
from pinset.distribution.build import SourceBuilder
from pinset.dists import Candidate
from pinset.errors import BuildError, Location, PinsetError
from pinset.index.evaluate import Rejection, evaluate_link, link_project
from pinset.interpreter import Interpreter
from pinset.kinds import Buildable, DirectArchive, DirectWheel, LocalDirectory, VcsCheckout
from pinset.links import Link, filename_from_url, fragment_hashes
from pinset.redaction import redact_url
from pinset.requirements.model import Requirement
from pinset.vcs.base import VcsError

DirectKind = DirectWheel | DirectArchive | LocalDirectory | VcsCheckout
PinsetErrorT = TypeVar("PinsetErrorT", bound=PinsetError)


def direct_kind(requirement: Requirement, link: Link) -> DirectKind:
    """What ``requirement``'s URL or path names (a local name without a dot is a directory;
    a remote one is an archive, even ``…/tarball/master``)."""
    if requirement.vcs is not None:
        return VcsCheckout(requirement.vcs, editable=requirement.editable)
    tree = link.is_file_url and "." not in link.filename  # a remote URL is never a tree
    if requirement.editable:
        return LocalDirectory(editable=True) if tree else DirectArchive(editable=True)
    if link.is_wheel:
        return DirectWheel()
    return LocalDirectory() if tree else DirectArchive()


def direct_candidate(
    requirement: Requirement, target: Interpreter, build: SourceBuilder
) -> Candidate:
    """The candidate of a requirement naming a file or tree."""
    url = requirement.url or ""
    shown = redact_url(url)
    filename = filename_from_url(url.partition("#")[0])
    link = Link(
        url, filename, source=shown, hashes=fragment_hashes(url) + _line_hashes(requirement)
    )
    kind = direct_kind(requirement, link)
    if isinstance(kind, DirectWheel):
        return _direct_wheel(requirement, link, target)
    label = requirement.name or shown
    config = requirement.config_dict
    try:
        if isinstance(kind, VcsCheckout):
            kind = build.vcs_checkout(label, kind, link)
        meta = build.metadata(label, kind, link, config)
    except (BuildError, VcsError) as exc:
        raise with_origin(exc, requirement.origin) from None
    return _built(requirement, link, kind, meta)


def with_origin(exc: PinsetErrorT, origin: Location | None) -> PinsetErrorT:
    """``exc`` placed at the requirement that asked for the build (its log stays in the hint
    and the message's ``where`` was only the log)."""
    if origin is not None and not isinstance(exc.where, Location):
        exc.where = origin
    return exc


def _built(requirement: Requirement, link: Link, kind: Buildable, meta: CoreMetadata) -> Candidate:
    """The candidate a source builder's metadata describes: its Name must be the one the
    requirement gave (if any), as pip insists."""
    name = canonicalize_name(meta.get("Name") or "")
    try:
        version = Version(meta.get("Version") or "")
    except InvalidVersion:
        version = None
    if not name or version is None:
        raise PinsetError(
            f"{link.source}: its metadata has no valid Name and Version", where=requirement.origin
        )
    if requirement.name and canonicalize_name(requirement.name) != name:
        raise PinsetError(
            f"{requirement.name} @ {link.source} is a distribution of {name}",
            where=requirement.origin,
            hint="the name before @ must be the project's",
        )
    return Candidate(name, version, link, kind=kind)


def _direct_wheel(requirement: Requirement, link: Link, target: Interpreter) -> Candidate:
    shown, filename = link.source, link.filename
    project = link_project(link)
    if project is None:
        raise PinsetError(f"{filename} is not a valid wheel file name", where=requirement.origin)
    if requirement.name and canonicalize_name(requirement.name) != project:
        raise PinsetError(
            f"{requirement.name} @ {shown} names a wheel of {project}",
            where=requirement.origin,
            hint="the name before @ must be the wheel's project",
        )
    result = evaluate_link(link, project, target, BinaryPolicy())
    if isinstance(result, Rejection):
        raise PinsetError(
            f"{filename} cannot be installed here: {result.reason}", where=requirement.origin
        )
    return Candidate(result.name, result.version, link, result.tags, kind=DirectWheel())


def _line_hashes(requirement: Requirement) -> tuple[tuple[str, str], ...]:
    """The line's ``--hash`` values: a direct archive is checked against them when it is
    downloaded, before it is unpacked or built."""
    found = []
    for text in requirement.hashes:
        algo, sep, value = text.partition(":")
        if sep:
            found.append((algo.lower(), value.lower()))
    return tuple(found)
