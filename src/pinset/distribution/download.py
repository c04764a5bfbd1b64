"""Download a candidate's file, verified against the hashes its index announced.

The HTTP client's ``download`` accepts a file when, for *any* algorithm given, its digest is one
of the allowed values. So one source's hashes are never mixed with another's, and only the
strongest algorithm an index announced is used (an md5 beside a sha256 would otherwise let a
file that matches only the md5 through):

- with the user's ``--hash`` values, the download is checked against those, and then also
  against the index's sha256 when it gave one;
- else against the index's strongest hash; a file the index gave no hash for is unchecked.
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from pinset.dists import Candidate
from pinset.errors import HashMismatchError, IntegrityError
from pinset.links import Link
from pinset.redaction import redact_url

if TYPE_CHECKING:  # types only: the client that downloads brought them in
    from pinset.http.download import DownloadResult
    from pinset.index.sources import IndexClient

STRENGTH = ("sha512", "sha384", "sha256", "sha224", "sha1", "md5")
"""Hash algorithms an index may announce, strongest first."""


def index_hashes(link: Link) -> dict[str, set[str]]:
    """The link's hashes for the strongest algorithm its source announced (or nothing)."""
    by_algo: dict[str, set[str]] = {}
    for algo, digest in link.hashes:
        by_algo.setdefault(algo.lower(), set()).add(digest.lower())
    for algo in STRENGTH:
        if algo in by_algo:
            return {algo: by_algo[algo]}
    return {}


def user_hashes(user: Mapping[str, Collection[str]] | None) -> dict[str, set[str]]:
    """The user's ``--hash`` values, normalised to lower case."""
    out: dict[str, set[str]] = {}
    for algo, digests in (user or {}).items():
        values = {d.lower() for d in digests if d}
        if values:
            out.setdefault(algo.lower(), set()).update(values)
    return out


def download_candidate(
    client: IndexClient,
    candidate: Candidate,
    dest_dir: Path,
    *,
    user: Mapping[str, Collection[str]] | None = None,
) -> DownloadResult:
    """Stream the candidate's file to ``dest_dir/<filename>``; IntegrityError on mismatch
    (and then nothing is left at the destination)."""
    link = candidate.link
    if link.filename in ("", ".", "..") or "/" in link.filename or "\\" in link.filename:
        raise IntegrityError(f"refusing to save a file named {link.filename!r}")
    wanted = user_hashes(user)
    result: DownloadResult = client.download(
        link.url_without_fragment,
        dest_dir / link.filename,
        hashes=wanted or index_hashes(link) or None,
    )
    announced = {d for algo, d in link.hashes if algo == "sha256"}
    if wanted and announced and result.sha256 not in announced:
        with contextlib.suppress(FileNotFoundError):
            result.path.unlink()
        raise HashMismatchError(
            f"hash mismatch for {redact_url(link.url)}: the file matches your --hash but not "
            "the sha256 its index announced",
            note=f"index sha256: {', '.join(sorted(announced))}\n   got sha256: {result.sha256}",
            hint="the index serves a different file than it lists; report it to the index",
        )
    return result
