"""The resolver's source for a lock that keeps every pin: each pinned project offers only the
file its pinned version was resolved to before, remembered in the ``locks`` bucket, so the
resolution reads no index page (metadata comes as :class:`IndexSource` gets it: from the cache
when it was read before).

A project this source cannot answer for (not pinned, nothing remembered for its pin under the
same indexes and target) raises :class:`PinnedMiss`: the caller then resolves in full, against
the index, and :func:`remember` what it chose for next time.

Remembered per (indexes and binary policy, target tags and Python, name, version): the file
chosen and, when the run looked them up, every file of the version (``--generate-hashes``,
pylock).

``install`` uses the same record (:class:`CachedPins`): a ``==`` pin with ``--hash`` values
whose remembered file one of them names, and whose wheel the cache keeps unpacked, is offered
that file alone, so a warm install of a hashed lock reads no index page; the file is still
verified by its hash when it is linked, and an install remembers what the index chose for
such a pin (:func:`remember_choice`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from packaging.requirements import Requirement as Pep508
from packaging.specifiers import SpecifierSet
from packaging.tags import Tag, parse_tag
from packaging.utils import NormalizedName
from packaging.version import Version

from pinset.cache import Cache
from pinset.cache.keys import make_key
from pinset.distribution.source import IndexSource
from pinset.dists import Candidate, InstalledDist
from pinset.index.finder import IndexConfig
from pinset.interpreter import Interpreter
from pinset.kinds import RegistrySdist, RegistryWheel
from pinset.links import Link
from pinset.requirements.model import Requirement

BUCKET = "locks"


class PinnedMiss(Exception):
    """The pinned source cannot answer: resolve in full."""


def scope_of(index: IndexConfig, interp: Interpreter) -> str:
    """What a remembered choice depends on besides the pin: the indexes, find-links and binary
    policy, the target's tags and Python version."""
    text = repr((index, [str(t) for t in interp.tags], interp.markers.get("python_full_version")))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _key(scope: str, name: NormalizedName, version: Version) -> str:
    return make_key("lock-pin", scope, name, str(version))


def _link_json(link: Link) -> dict[str, Any]:
    return {
        "url": link.url,
        "filename": link.filename,
        "source": link.source,
        "hashes": [list(h) for h in link.hashes],
        "requires_python": link.requires_python,
        "yanked": link.yanked,
        "metadata": None if link.metadata is None else [list(h) for h in link.metadata],
        "size": link.size,
    }


def _link(data: Mapping[str, Any]) -> Link:
    meta = data.get("metadata")
    return Link(
        url=str(data["url"]),
        filename=str(data["filename"]),
        source=str(data.get("source", "")),
        hashes=tuple((str(a), str(h)) for a, h in data.get("hashes", ())),
        requires_python=data.get("requires_python"),
        yanked=data.get("yanked"),
        metadata=None if meta is None else tuple((str(a), str(h)) for a, h in meta),
        size=data.get("size"),
    )


def remember(
    cache: Cache,
    scope: str,
    candidate: Candidate,
    files: Sequence[Link] | None,
) -> None:
    """Keep ``candidate``'s file (and every file of its version, when looked up)."""
    value = {
        "link": _link_json(candidate.link),
        "tags": sorted(str(t) for t in candidate.tags),
        "files": None if files is None else [_link_json(f) for f in files],
    }
    cache.write_json(BUCKET, _key(scope, candidate.name, candidate.version), value)


class PinnedSource:
    """A :class:`~pinset.resolve.CandidateSource` offering only remembered pinned files."""

    def __init__(
        self,
        inner: IndexSource,
        cache: Cache,
        scope: str,
        pins: Mapping[NormalizedName, Version],
    ) -> None:
        self._inner = inner
        self._cache = cache
        self._scope = scope
        self._pins = pins
        self._records: dict[NormalizedName, tuple[Candidate, tuple[Link, ...] | None]] = {}

    def _record(self, name: NormalizedName) -> tuple[Candidate, tuple[Link, ...] | None]:
        found = self._records.get(name)
        if found is not None:
            return found
        version = self._pins.get(name)
        if version is None:
            raise PinnedMiss(name)
        data = self._cache.read_json(BUCKET, _key(self._scope, name, version))
        if not isinstance(data, dict):
            raise PinnedMiss(name)
        try:
            link = _link(data["link"])
            tags = frozenset(t for text in data["tags"] for t in _tags(text))
            files = None if data["files"] is None else tuple(_link(f) for f in data["files"])
        except (TypeError, KeyError, ValueError):  # nothing remembered, or not as we write it
            raise PinnedMiss(name) from None
        kind = RegistryWheel() if link.is_wheel else RegistrySdist()
        candidate = Candidate(name, version, link, tags, kind=kind)
        self._records[name] = (candidate, files)
        return candidate, files

    def files(self, name: NormalizedName) -> tuple[Link, ...] | None:
        """Every file of the pinned version, when a run looked them up; None otherwise."""
        return self._record(name)[1]

    def candidates(self, name: NormalizedName) -> Sequence[Candidate]:
        return [self._record(name)[0]]

    def dependencies(self, candidate: Candidate | InstalledDist) -> Sequence[Pep508]:
        return self._inner.dependencies(candidate)

    def requires_python(self, candidate: Candidate | InstalledDist) -> SpecifierSet | None:
        return self._inner.requires_python(candidate)

    def direct(self, requirement: Requirement) -> Candidate:
        return self._inner.direct(requirement)

    def rejections(self, name: NormalizedName) -> Sequence[str]:
        raise PinnedMiss(name)  # asked only to explain a failure: the full resolve will

    def missing_on(self, name: NormalizedName) -> Sequence[str]:
        raise PinnedMiss(name)

    def prefetch(
        self,
        names: Iterable[NormalizedName],
        extras: Mapping[NormalizedName, frozenset[str]] | None = None,
    ) -> None:
        return None


def _tags(text: str) -> frozenset[Tag]:
    return parse_tag(text)


def remember_choice(cache: Cache, scope: str, candidate: Candidate) -> None:
    """Keep the file an install chose for ``candidate``'s pin, unless that file is already
    remembered (a lock's list of every file of the version is kept with it)."""
    data = cache.read_json(BUCKET, _key(scope, candidate.name, candidate.version))
    link = data.get("link") if isinstance(data, dict) else None
    if isinstance(link, dict) and link.get("url") == candidate.link.url:
        return
    remember(cache, scope, candidate, None)


HashedPin = tuple[Version, frozenset[str]]
"""A ``==`` pin's version and the sha256 values its ``--hash`` options allow."""


def cached_pins(
    cache: Cache,
    scope: str,
    pins: Mapping[NormalizedName, HashedPin],
    unpacked: Callable[[str], bool],
) -> dict[NormalizedName, Candidate]:
    """The hashed pins whose file is known without the index: the file remembered for the pin
    (same indexes, binary policy and target) is a remote wheel whose sha256 the pin's hashes
    allow, and the cache keeps it unpacked (``unpacked``, by sha256). One cache entry read per
    pin; a pin that misses goes to the index as before."""
    found: dict[NormalizedName, Candidate] = {}
    for name, (version, allowed) in pins.items():
        data = cache.read_json(BUCKET, _key(scope, name, version))
        if not isinstance(data, dict):
            continue
        try:
            link = _link(data["link"])
            tags = frozenset(t for text in data["tags"] for t in _tags(text))
        except (TypeError, KeyError, ValueError):
            continue
        if not link.is_wheel or link.is_file_url:
            continue
        sha256 = next((h.lower() for a, h in link.hashes if a == "sha256"), None)
        if sha256 is not None and sha256 in allowed and unpacked(sha256):
            found[name] = Candidate(name, version, link, tags, kind=RegistryWheel())
    return found


class CachedPins:
    """An install's :class:`~pinset.resolve.CandidateSource` over :class:`IndexSource`: a
    project :func:`cached_pins` found offers that file alone, and its index page is neither
    read nor warmed (the hash names the file, which is still verified when it is linked);
    every other project is asked of the index as before."""

    def __init__(self, inner: IndexSource, hits: Mapping[NormalizedName, Candidate]) -> None:
        self._inner = inner
        self._hits = hits
        inner.skip_warming(hits)

    def candidates(self, name: NormalizedName) -> Sequence[Candidate]:
        hit = self._hits.get(name)
        return [hit] if hit is not None else self._inner.candidates(name)

    def dependencies(self, candidate: Candidate | InstalledDist) -> Sequence[Pep508]:
        return self._inner.dependencies(candidate)

    def requires_python(self, candidate: Candidate | InstalledDist) -> SpecifierSet | None:
        return self._inner.requires_python(candidate)

    def direct(self, requirement: Requirement) -> Candidate:
        return self._inner.direct(requirement)

    def rejections(self, name: NormalizedName) -> Sequence[str]:
        return self._inner.rejections(name)

    def missing_on(self, name: NormalizedName) -> Sequence[str]:
        return self._inner.missing_on(name)

    def prefetch(
        self,
        names: Iterable[NormalizedName],
        extras: Mapping[NormalizedName, frozenset[str]] | None = None,
    ) -> None:
        self._inner.prefetch((n for n in names if n not in self._hits), extras)
