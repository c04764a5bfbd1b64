"""Wheels fetched and unpacked into the cache in one go: the composition of
:mod:`pinset.distribution.fetch` (a verified wheel on disk) and :mod:`pinset.install.wheelfile`
(its verified unpacked copy), which the distribution layer may not import; and the METADATA of
a wheel the cache keeps unpacked, which the candidate source is given to read.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from pinset._dataclass import dataclass
from pinset._fs import locked
from pinset.cache import Cache
from pinset.cache.store import LOCK_SUFFIX
from pinset.cache.unpacked_entry import has_entry
from pinset.dists import Candidate, LocalWheel
from pinset.errors import IntegrityError, PinsetError

if TYPE_CHECKING:  # fetching and unpacking: imported where a wheel is (a dry run's cold
    # resolve asks only whether the cache keeps a wheel unpacked, and it does not)
    from pinset.distribution.fetch import Hashes
    from pinset.http.client import HttpClient
    from pinset.install.wheelfile import UnpackedWheel


def metadata_of(found: UnpackedWheel) -> bytes | None:
    """The METADATA bytes of an unpacked wheel (read from the tree that would be installed:
    nothing downloaded); None when it cannot be read."""
    try:
        return (found.root / found.dist_info / "METADATA").read_bytes()
    except OSError:
        return None


def intact_unpacked(cache: Cache, sha256: str) -> UnpackedWheel | None:
    """The cache's intact unpacked wheel whose archive had ``sha256``, if it keeps one."""
    if not has_entry(sha256, cache.bucket_dir("wheels-unpacked")):
        return None  # one stat, the wheel reader not imported: a cold run's usual answer
    from pinset.install.wheelfile import lookup_unpacked

    return lookup_unpacked(sha256, cache.bucket_dir("wheels-unpacked"))


def has_unpacked(cache: Cache, sha256: str) -> bool:
    """Whether the cache has an entry for the unpacked wheel whose archive had ``sha256``
    (its files not checked: :func:`intact_unpacked` does)."""
    return has_entry(sha256, cache.bucket_dir("wheels-unpacked"))


@dataclass(frozen=True)
class Fetched:
    """A verified wheel and its verified unpacked copy in the cache."""

    wheel: LocalWheel
    unpacked: UnpackedWheel
    reused: bool = False
    """The unpacked cache already held it: nothing was downloaded or read."""


def fetch_unpacked(
    client: HttpClient,
    cache: Cache,
    candidate: Candidate,
    scratch: Path,
    *,
    required: Hashes | None = None,
) -> Fetched:
    """:func:`fetch_wheel`, then unpack it into the unpacked-wheel cache, in one go, so that
    a pool of these overlaps downloads with unpacking. A wheel whose index sha256 (matching
    ``required``, if given) is already unpacked is neither downloaded nor read again.

    The cache keeps one copy of a wheel: once its unpacked tree (named by the archive's
    sha256) is in place, its archive leaves the ``archives`` bucket. Both happen under the
    unpacked entry's lock, so a concurrent run either finds the tree or makes it itself."""
    from pinset.distribution.archives import archive_key
    from pinset.distribution.fetch import fetch_wheel, known_sha256
    from pinset.install.wheelfile import lookup_unpacked

    unpacked_dir = cache.bucket_dir("wheels-unpacked")
    known = known_sha256(candidate, required)
    wheel: LocalWheel | None = None
    if known is None:  # the user's hashes decide: the file is read and checked first
        wheel = fetch_wheel(client, cache, candidate, scratch, required=required)
        if not _in_archives(cache, candidate, wheel):
            return Fetched(wheel, _unpack(cache, candidate, wheel, unpacked_dir))
        # checked, and the archive the cache keeps for the index's sha256, which another
        # thread or run may unpack and drop meanwhile: from here on, as when known
        known = wheel.sha256
    found = lookup_unpacked(known, unpacked_dir)
    reused = found is not None and wheel is None
    if found is None:
        with locked(unpacked_dir / f"{known}{LOCK_SUFFIX}"):
            found = lookup_unpacked(known, unpacked_dir)
            reused = found is not None and wheel is None
            if found is None:
                if wheel is None or not wheel.path.is_file():
                    wheel = fetch_wheel(client, cache, candidate, scratch, required=required)
                found = _unpack(cache, candidate, wheel, unpacked_dir)
                cache.remove("archives", archive_key(candidate.link, known))
    return from_cache(cache, candidate, known, found, reused=reused)


def _in_archives(cache: Cache, candidate: Candidate, wheel: LocalWheel) -> bool:
    """Whether ``wheel`` is the archive the cache keeps under the index's sha256 (not a file
    of the user's, nor a download of a file the index gave no sha256 for)."""
    from pinset.distribution.archives import archive_key, index_sha256

    link = candidate.link
    sha256 = index_sha256(link)
    if sha256 is None or sha256 != wheel.sha256 or link.is_file_url:
        return False
    return wheel.path.parent == cache.path_for("archives", archive_key(link, sha256))


def from_cache(
    cache: Cache, candidate: Candidate, sha256: str, found: UnpackedWheel, *, reused: bool = True
) -> Fetched:
    """The candidate's wheel as the cache keeps it: unpacked under ``sha256`` (its archive, no
    longer kept, named where it would be)."""
    from pinset.distribution.archives import archive_key

    key = archive_key(candidate.link, sha256)
    path = cache.path_for("archives", key) / candidate.link.filename
    wheel = LocalWheel(candidate.name, candidate.version, path, sha256, candidate)
    return Fetched(wheel, found, reused=reused)


class UnpackAhead:
    """Wheels the resolver downloads whole (for their metadata, when the run will install
    them), unpacked into the cache in the background as each one lands, a few at a time, while
    the resolver goes on: the install's fetch then finds them unpacked. Through
    :func:`fetch_unpacked`, so under the same lock, with the same checks (the archive was
    verified when it was stored, the members against its RECORD now); an error is dropped
    here, and met again by the install's own fetch of that wheel."""

    WORKERS = 2

    def __init__(self, client: HttpClient, cache: Cache, scratch: Path) -> None:
        self._client, self._cache, self._scratch = client, cache, scratch
        self._pool = ThreadPoolExecutor(self.WORKERS, thread_name_prefix="pinset-unpack")

    def __call__(self, candidate: Candidate) -> None:
        try:
            self._pool.submit(self._one, candidate)
        except RuntimeError:  # closed: the run is over
            return

    def _one(self, candidate: Candidate) -> None:
        try:
            fetch_unpacked(self._client, self._cache, candidate, self._scratch)
        except (PinsetError, OSError):
            return

    def close(self) -> None:
        """Wait for the unpacking under way; what was not started is not done."""
        self._pool.shutdown(wait=True, cancel_futures=True)


def unpack_built(
    cache: Cache, candidate: Candidate, wheel: LocalWheel, into: Path | None = None
) -> Fetched:
    """A wheel built from source (kept in ``wheels-built``), unpacked into the cache, or into
    ``into`` (an editable's wheel, which the cache never keeps)."""
    unpacked_dir = into if into is not None else cache.bucket_dir("wheels-unpacked")
    return Fetched(wheel, _unpack(cache, candidate, wheel, unpacked_dir))


def _unpack(
    cache: Cache, candidate: Candidate, wheel: LocalWheel, unpacked_dir: Path
) -> UnpackedWheel:
    def changed(stale: UnpackedWheel, member: str) -> None:
        cache.warn(
            f"the cache's unpacked copy of {stale.display_name} {stale.version} had changed "
            f"({member}), probably edited in place through an installed hard link; it was "
            "unpacked again. Environments that share that file keep the change: "
            "`pinset check --env` finds it"
        )

    from pinset.distribution.fetch import forget_archive
    from pinset.install.wheelfile import unpack_cached

    try:
        return unpack_cached(
            wheel.path, wheel.sha256, unpacked_dir, hashed=True, on_changed=changed
        )
    except IntegrityError:
        forget_archive(cache, candidate, wheel.path)  # a wheel proven bad is not kept
        raise
