"""The resolver's :class:`~pinset.resolve.CandidateSource`, made of the finder and metadata.

- ``candidates``: the finder's files of a project, best first (yanked files last, so they are
  chosen only when nothing else fits);
- ``dependencies``/``requires_python``: the candidate's core metadata by the cheapest way (PEP
  658 file → HTTP range requests → download; see :mod:`pinset.distribution.metadata`), kept in the
  cache's ``metadata`` bucket when the file's hash is known (files on an index never change);
  installed distributions are read from their ``.dist-info``. When the run will install
  (:meth:`IndexSource.will_install`), a wheel the resolver will almost surely keep (pinned with
  ``==`` to that version; or, when the index offers no PEP 658 file, announced as at most
  :data:`WHOLE_WHEEL_LIMIT` bytes, so a discarded one costs little) is instead
  downloaded whole, once, into the cache's ``archives`` bucket (see
  :mod:`pinset.distribution.archives`) and its METADATA read from there: the install then finds it
  and downloads nothing, where range requests would cost a few round trips and then the same
  download again. A wheel the cache keeps unpacked (found by the index's sha256) has its
  METADATA read from that tree: nothing is downloaded;
- ``direct``: a file or tree named by URL or path (:mod:`pinset.distribution.direct`);
  metadata that needs a build comes from the source builder. Its file is the project's only
  candidate (as pip and uv decide), so the project's index page is never warmed;
- ``prefetch``: pages and the likeliest candidates' metadata fetched in the background, and
  then, recursively, those of their dependencies (not the installed ones): on a cold cache the
  likely graph is downloaded many requests at a time while the resolver works.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from packaging.requirements import Requirement as Pep508
from packaging.specifiers import SpecifierSet
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

from pinset._fs import WriteBehind
from pinset._once import OncePerKey
from pinset.cache import Cache, make_key
from pinset.core_metadata import CoreMetadata
from pinset.distribution.archives import ensure_archive, index_sha256
from pinset.distribution.build import NoBuilds, SourceBuilder, needs_build
from pinset.distribution.direct import direct_candidate
from pinset.dists import Candidate, InstalledDist, Offered
from pinset.environment.installed import installed_metadata
from pinset.errors import IntegrityError, PinsetError
from pinset.kinds import Buildable
from pinset.links import Link
from pinset.markers import marker_applies
from pinset.requirements.model import Requirement

if TYPE_CHECKING:  # a run whose candidates are all direct or cached needs no index or HTTP code
    from pinset.http.client import HttpClient
    from pinset.index.evaluate import Rejection
    from pinset.index.finder import Finder, FoundCandidates

Pin = Candidate | InstalledDist
WHOLE_WHEEL_LIMIT = 10 * 1024 * 1024
"""An installing run downloads a wheel whole for its metadata when the index announced at
most this size (a larger one that the resolver might discard is read with range requests)."""
Warn = Callable[[str], None]
UnpackedMetadata = Callable[[str], "bytes | None"]
"""The METADATA of the wheel the cache keeps unpacked under an archive's sha256, if any (the
composition root reads it from the install layer's unpacked cache)."""


class IndexSource:
    """Candidates and metadata for one run's resolution."""

    def __init__(
        self,
        finder: Finder,
        client: HttpClient,
        cache: Cache,
        *,
        no_deps: bool = False,
        warn: Warn | None = None,
        installed: Collection[NormalizedName] = frozenset(),
        trace: Warn | None = None,
        unpacked_metadata: UnpackedMetadata | None = None,
        build: SourceBuilder | None = None,
        behind: WriteBehind | None = None,
    ) -> None:
        """``behind``: what writes the metadata read from the index into the cache (soon, in
        another thread; None: the thread that read it)."""
        self.finder = finder
        self._behind = behind
        self._on_archive: Callable[[Candidate], None] | None = None
        self._trace = trace
        self._unpacked_metadata = unpacked_metadata or (lambda sha256: None)
        self._build: SourceBuilder = build or NoBuilds()
        self.client = client
        self.cache = cache
        self.no_deps = no_deps
        self._warn = warn or (lambda message: None)
        self._memo: OncePerKey[object, CoreMetadata] = OncePerKey()
        self._parsed: OncePerKey[object, tuple[tuple[Pep508, ...], tuple[str, ...]]]
        self._parsed = OncePerKey()
        self._warned: set[str] = set()
        self._lock = threading.Lock()
        self._installed = frozenset(installed)
        self._warming: set[NormalizedName] = set()
        self._warmed_extras: dict[NormalizedName, frozenset[str]] = {}
        self._pinned: Mapping[NormalizedName, Version] | None = None  # None: not installing
        self._background = ThreadPoolExecutor(
            max_workers=max(2, client.config.max_workers), thread_name_prefix="pinset-prefetch"
        )

    def will_install(
        self,
        pinned: Mapping[NormalizedName, Version],
        *,
        on_archive: Callable[[Candidate], None] | None = None,
    ) -> None:
        """The run installs what it resolves (call before resolving): wheels it will almost
        surely keep are downloaded whole into the cache for their metadata. ``pinned``: the
        versions the user's ``==`` requirements and constraints name; ``on_archive``: told of
        each such wheel once it is in the cache (to unpack it while the resolver goes on)."""
        self._pinned = dict(pinned)
        self._on_archive = on_archive

    def close(self) -> None:
        self._background.shutdown(wait=True, cancel_futures=True)

    # -- CandidateSource ---------------------------------------------------------------------
    def found(self, name: str) -> FoundCandidates:
        found = self.finder.find(name)
        for message in found.warnings:
            self._warn_once(message)
        return found

    def candidates(self, name: NormalizedName) -> Sequence[Candidate]:
        return self.found(name).candidates

    def dependencies(self, candidate: Pin) -> Sequence[Pep508]:
        if self.no_deps:
            return []
        found, invalid = self._requires(candidate)
        for message in invalid:
            self._warn(message)
        return found

    def requires_python(self, candidate: Pin) -> SpecifierSet | None:
        if isinstance(candidate, InstalledDist):
            return None
        if self.no_deps and not candidate.is_wheel:
            return None  # only a build could tell; the index's data-requires-python was applied
        return self.metadata(candidate).requires_python()

    def direct(self, requirement: Requirement) -> Candidate:
        candidate = direct_candidate(requirement, self.finder.target, self._build)
        with self._lock:  # its file is the one candidate: never warm its index page
            self._warming.add(candidate.name)
        return candidate

    @property
    def builder(self) -> SourceBuilder:
        """What builds this source's buildable candidates (their wheels, for the install)."""
        return self._build

    def rejections(self, name: NormalizedName) -> Sequence[str]:
        found: tuple[Rejection, ...] = self.found(name).rejections
        return [r.why for r in found]

    def missing_on(self, name: NormalizedName) -> Sequence[str]:
        return self.found(name).missing_on

    def prefetch(
        self,
        names: Iterable[NormalizedName],
        extras: Mapping[NormalizedName, frozenset[str]] | None = None,
    ) -> None:
        for name in names:
            self._warm(name, (extras or {}).get(name, frozenset()))

    def skip_warming(self, names: Iterable[NormalizedName]) -> None:
        """Never warm these projects' pages (their candidates are known without them)."""
        with self._lock:
            self._warming.update(names)

    # -- metadata ------------------------------------------------------------------------------
    def metadata(self, pin: Pin) -> CoreMetadata:
        if isinstance(pin, InstalledDist):
            return self._memo.get(_memo_key(pin), lambda: _installed(pin))
        kind = pin.kind
        if isinstance(kind, Buildable):
            return self._memo.get(_memo_key(pin), lambda: self._built(pin, kind))
        return self._memo.get(_memo_key(pin), lambda: self._fetch(pin))

    def _requires(self, pin: Pin) -> tuple[tuple[Pep508, ...], tuple[str, ...]]:
        """``pin``'s Requires-Dist read once per run (the prefetch and the resolver, and
        each extra of a candidate, ask for the same), with the warnings for invalid entries,
        which the caller gives each time it asks (as when every caller read them anew)."""

        def read() -> tuple[tuple[Pep508, ...], tuple[str, ...]]:
            invalid: list[str] = []
            found = self.metadata(pin).requires_dist(invalid.append)
            return tuple(found), tuple(invalid)

        return self._parsed.get(_memo_key(pin), read)

    def check_wheel_metadata(self, candidate: Candidate, path: Path) -> None:
        """Refuse a wheel whose METADATA (at ``path``, in its unpacked copy) says other than
        what the resolver used for it (read from the index's PEP 658 file or from byte ranges
        of the file before it was downloaded): its dependencies were never resolved."""
        seen = self.metadata(candidate)
        try:
            actual = CoreMetadata.from_bytes(path.read_bytes(), headers_only=True)
        except OSError as exc:
            raise IntegrityError(f"{candidate.link.filename}: cannot read METADATA: {exc}") from exc
        differ = seen.resolves_unlike(actual)
        if differ:
            raise IntegrityError(
                f"{candidate.link.filename}: its METADATA differs from the metadata pinset "
                f"resolved with ({', '.join(differ)})",
                hint="the index serves metadata that does not match its wheel (its .metadata "
                "file, or the file changed after it was read), or an sdist's PKG-INFO said "
                "its dependencies were static and they were not; nothing was installed",
            )

    def _fetch(self, candidate: Candidate) -> CoreMetadata:
        key = _cache_key(candidate.link)
        if key is not None:
            cached = self.cache.read_json("metadata", key)
            found = CoreMetadata.from_json(cached) if isinstance(cached, dict) else None
            if found is not None:
                if self._trace is not None:
                    self._trace(f"metadata of {candidate} from the cache")
                return found
        meta = self._from_unpacked(candidate) or self._from_index(candidate)
        if meta is None:  # pragma: no cover - wheels always have metadata
            raise needs_build(str(candidate), "a build to learn its metadata")
        if key is not None:
            self.cache.write_json("metadata", key, meta.to_cache(), behind=self._behind)
        return meta

    def _built(self, candidate: Candidate, kind: Buildable) -> CoreMetadata:
        return self._build.metadata(str(candidate), kind, candidate.link)

    def _from_index(self, candidate: Candidate) -> CoreMetadata | None:
        """METADATA from the whole wheel when it is worth keeping, else the cheapest way."""
        sha256 = self._download_whole(candidate)
        if sha256 is not None:
            return self._from_archive(candidate, sha256)
        from pinset.distribution.metadata import fetch_metadata  # zip and index readers

        return fetch_metadata(self.client, candidate)

    def _from_unpacked(self, candidate: Candidate) -> CoreMetadata | None:
        """METADATA of a wheel the cache keeps unpacked (found by the index's sha256, intact):
        read from the tree that would be installed, nothing downloaded."""
        link = candidate.link
        sha256 = index_sha256(link)
        if sha256 is None or link.is_file_url or not candidate.is_wheel:
            return None
        data = self._unpacked_metadata(sha256)
        from pinset.distribution.metadata import metadata_from_bytes

        return None if data is None else metadata_from_bytes(data, candidate)

    def _download_whole(self, candidate: Candidate) -> str | None:
        """The index's sha256 of ``candidate``'s wheel when the run installs and that wheel is
        one it will almost surely keep and can store in the cache (a remote file whose sha256
        the index announced); else None."""
        link = candidate.link
        sha256 = index_sha256(link)
        if self._pinned is None or link.is_file_url or sha256 is None:
            return None
        if self._pinned.get(candidate.name) == candidate.version:
            return sha256
        small = link.size is not None and link.size <= WHOLE_WHEEL_LIMIT
        return sha256 if small and link.metadata is None else None

    def _from_archive(self, candidate: Candidate, sha256: str) -> CoreMetadata:
        """METADATA read from the wheel, downloaded (verified) into the ``archives`` bucket
        under the key the install's fetch looks up (which drops it once unpacked)."""
        from pinset.distribution.metadata import metadata_from_wheel

        path, _ = ensure_archive(self.client, self.cache, candidate, sha256)
        try:
            meta = metadata_from_wheel(path, candidate)
        except FileNotFoundError:  # unpacked and dropped by a concurrent run just now
            path, _ = ensure_archive(self.client, self.cache, candidate, sha256)
            meta = metadata_from_wheel(path, candidate)
        if self._on_archive is not None:
            self._on_archive(candidate)
        return meta

    def _warm(self, name: NormalizedName, extras: frozenset[str] = frozenset()) -> None:
        """Start warming ``name`` with ``extras`` in the background (once per run; again only
        for extras not asked before, and never for a name kept from warming)."""
        with self._lock:
            before = self._warmed_extras.get(name)
            if name in self._warming and (before is None or extras <= before):
                return
            self._warming.add(name)
            self._warmed_extras[name] = extras | (before or frozenset())
            new = extras - (before or frozenset())
        try:
            self._background.submit(self._warm_one, name, new)
        except RuntimeError:  # closed: the run is over
            return

    def _warm_one(self, name: NormalizedName, extras: frozenset[str]) -> None:
        """``name``'s page and its likeliest candidate's metadata, then the same for that
        candidate's dependencies (those that apply to the target, with one of ``extras`` or
        without, and are not installed, with the extras they name): the whole likely graph is
        fetched ahead of the resolver, many requests at a time."""
        try:
            top = self._likeliest(name)
            if top is None:
                return
            self.metadata(top)
            if self.no_deps:
                return
            for dep in self._requires(top)[0]:
                dep_name = canonicalize_name(dep.name)
                if (
                    dep.url is None
                    and dep_name not in self._installed
                    and self._applies(dep, extras)
                ):
                    self._warm(dep_name, frozenset(canonicalize_name(e) for e in dep.extras))
        except (PinsetError, OSError):
            return  # the resolver asks again and meets the error itself

    def _applies(self, dep: Pep508, extras: frozenset[str]) -> bool:
        markers = self.finder.target.markers
        if marker_applies(dep.marker, markers):
            return True
        return any(marker_applies(dep.marker, markers, extra) for extra in extras)

    def _likeliest(self, name: NormalizedName) -> Candidate | None:
        try:
            found = self.finder.find(name).candidates
        except PinsetError:
            return None
        pinned = (self._pinned or {}).get(name)
        if pinned is not None:  # an installing run warms the version the user pinned
            files = found.files(pinned) if isinstance(found, Offered) else found
            exact = next((c for c in files if c.version == pinned and c.is_wheel), None)
            if exact is not None:
                return exact
        if isinstance(found, Offered) and found.by_version:  # judged a version at a time
            every = (c for v in self._likely_versions(found) for c in found.files(v))
            return next((c for c in every if c.link.yanked is None and c.is_wheel), None)
        return next((c for c in found if c.link.yanked is None and c.is_wheel), None)

    def _likely_versions(self, found: Offered) -> list[Version]:
        """``found``'s versions in the order the resolver is likely to want them: newest
        first, and without ``--pre`` the final releases before every pre-release (which the
        resolver takes only when no final release will do), so that the metadata warmed is
        the one asked for, not a newer alpha's."""
        versions = list(found.versions())
        if self.finder.config.pre:
            return versions
        return [v for v in versions if not v.is_prerelease] + [
            v for v in versions if v.is_prerelease
        ]

    def _warn_once(self, message: str) -> None:
        with self._lock:
            if message in self._warned:
                return
            self._warned.add(message)
        self._warn(message)


def _memo_key(pin: Pin) -> object:
    """What a pin's metadata is remembered by in a run: an installed distribution's place,
    else its file's URL."""
    if isinstance(pin, InstalledDist):
        return ("installed", str(pin.path))
    return pin.link.url_without_fragment


def _cache_key(link: Link) -> str | None:
    """Metadata of a file with a known sha256 never changes: cache it by URL and hash."""
    if link.is_file_url:
        return None
    sha256 = next((h for algo, h in link.hashes if algo == "sha256"), None)
    if sha256 is None:
        return None
    return make_key("core-metadata", link.url_without_fragment, sha256.lower())


def _installed(dist: InstalledDist) -> CoreMetadata:
    """An installed distribution's METADATA; empty when unreadable."""
    return installed_metadata(dist.path) or CoreMetadata(())
