"""Wheels onto disk, verified, before anything in an environment changes.

- a local file (``file:`` URL, find-links directory, a path) is used in place after its hashes
  are checked;
- a file whose sha256 the index announced is downloaded once into the cache's ``archives``
  bucket (key: URL + sha256), streamed and hashed while it arrives; once unpacked into
  ``wheels-unpacked`` the archive is dropped (the cache keeps one copy of each wheel);
- any other file is downloaded into the run's scratch directory.

``required`` hashes (``--hash``) are checked, and the index's sha256 as well when it announced
one (see :mod:`pinset.distribution.download`); a file that does not match is refused with an
:class:`~pinset.errors.IntegrityError`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from pinset.cache import Cache, make_key
from pinset.distribution.archives import archive_key, ensure_archive, index_sha256
from pinset.distribution.build import needs_build, what_to_build
from pinset.distribution.download import download_candidate, index_hashes, user_hashes
from pinset.dists import Candidate, LocalWheel
from pinset.errors import HashMismatchError, IntegrityError, NetworkError
from pinset.kinds import Buildable
from pinset.redaction import redact_url
from pinset.urls import url_to_path

if TYPE_CHECKING:
    from pinset.http.client import HttpClient

Hashes = Mapping[str, Collection[str]]


def file_digests(path: Path, algorithms: Collection[str]) -> dict[str, str]:
    digests = {algo: hashlib.new(algo) for algo in {"sha256", *algorithms}}
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            for digest in digests.values():
                digest.update(block)
    return {algo: d.hexdigest() for algo, d in digests.items()}


def check_file(path: Path, expected: Hashes, shown: str) -> str:
    """The file's sha256, after checking it matches ``expected`` (any digest of any algorithm
    given counts, as pip does). IntegrityError with what was expected and what was got."""
    wanted = {a.lower(): {d.lower() for d in ds} for a, ds in expected.items() if ds}
    wanted = {a: ds for a, ds in wanted.items() if a in hashlib.algorithms_guaranteed}
    got = file_digests(path, wanted)
    if wanted and not any(got[a] in ds for a, ds in wanted.items()):
        lines = [f"expected {a}: {d}" for a, ds in sorted(wanted.items()) for d in sorted(ds)]
        lines += [f"     got {a}: {got[a]}" for a in sorted(wanted)]
        raise HashMismatchError(
            f"hash mismatch for {shown}",
            note="\n".join(lines),
            hint="the file is not the one the hashes describe; nothing was installed",
        )
    return got["sha256"]


def fetch_wheel(
    client: HttpClient,
    cache: Cache,
    candidate: Candidate,
    scratch: Path,
    *,
    required: Hashes | None = None,
) -> LocalWheel:
    """A verified wheel file of ``candidate`` on disk."""
    if isinstance(candidate.kind, Buildable):  # the source builder does not make wheels yet
        raise needs_build(str(candidate), what_to_build(candidate.kind, candidate.link))
    return fetch_file(client, cache, candidate, scratch, required=required)


def fetch_file(
    client: HttpClient,
    cache: Cache,
    candidate: Candidate,
    scratch: Path,
    *,
    required: Hashes | None = None,
) -> LocalWheel:
    """A verified file of ``candidate`` (a wheel or, for ``download``, an sdist) on disk."""
    link = candidate.link
    expected = user_hashes(required) or index_hashes(link)
    shown = redact_url(link.url_without_fragment)
    if link.is_file_url:
        path = url_to_path(link.url_without_fragment)
        if not path.is_file():
            raise NetworkError(f"no such file: {shown}", hint="check the path")
        return LocalWheel(
            candidate.name, candidate.version, path, check_file(path, expected, shown), candidate
        )
    index_sha = index_sha256(link)
    if index_sha is None:
        dest = scratch / make_key(link.url_without_fragment)[:16] / link.filename
        dest.parent.mkdir(parents=True, exist_ok=True)
        result = download_candidate(client, candidate, dest.parent, user=required)
        return LocalWheel(candidate.name, candidate.version, result.path, result.sha256, candidate)
    for last in (False, True):
        path, sha256 = ensure_archive(client, cache, candidate, index_sha, required=required)
        if set(expected) == {"sha256"} and sha256 in expected["sha256"]:
            break
        try:
            sha256 = check_file(path, expected, shown)  # other algorithms: read it again
            break
        except FileNotFoundError:
            if last:
                raise
            # dropped since it was found (unpacked by another thread or run, which then
            # removes the archive): fetched again
        except IntegrityError:
            # stored earlier (for its metadata, or by a run without these hashes): a file
            # the user's hashes refuse is not kept for the next run
            forget_archive(cache, candidate, path)
            raise
    return LocalWheel(candidate.name, candidate.version, path, sha256, candidate)


def forget_archive(cache: Cache, candidate: Candidate, path: Path) -> None:
    """Drop ``path`` from the ``archives`` bucket when that is where it is."""
    index_sha = index_sha256(candidate.link)
    if index_sha is None or candidate.link.is_file_url:
        return
    key = archive_key(candidate.link, index_sha)
    if path.parent == cache.path_for("archives", key):
        cache.remove("archives", key)


def known_sha256(candidate: Candidate, required: Hashes | None) -> str | None:
    """The sha256 the wheel must have when that alone decides whether it is acceptable (so a
    copy already in the cache under it needs neither a download nor a read)."""
    link = candidate.link
    if not candidate.is_wheel or link.is_file_url:
        return None
    index_sha = index_sha256(link)
    wanted = user_hashes(required)
    if index_sha is None or (wanted and index_sha not in wanted.get("sha256", set())):
        return None
    return index_sha
