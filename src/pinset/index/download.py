"""Download a candidate's file, verified against the hashes its index announced.

:func:`index_hashes` turns a link's hashes (URL fragment or PEP 691 ``hashes``) into the
``{algorithm: {hexdigest}}`` mapping the HTTP client's ``download`` verifies; user ``--hash``
values are the caller's to add (:func:`merge_hashes`: when the user gave hashes for an
algorithm, only those count for it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from pathlib import Path

from pinset.dists import Candidate
from pinset.errors import IntegrityError
from pinset.http.download import DownloadResult
from pinset.index.sources import IndexClient
from pinset.links import Link


def index_hashes(link: Link) -> dict[str, set[str]]:
    """The hashes the source announced for ``link``, for algorithms hashlib always has."""
    out: dict[str, set[str]] = {}
    for algo, digest in link.hashes:
        if algo in hashlib.algorithms_guaranteed:
            out.setdefault(algo, set()).add(digest.lower())
    return out


def merge_hashes(
    link: Link, user: Mapping[str, Collection[str]] | None = None
) -> dict[str, set[str]]:
    """Index hashes overlaid with the user's (the user's win for the algorithms they name)."""
    out = index_hashes(link)
    for algo, digests in (user or {}).items():
        out[algo.lower()] = {d.lower() for d in digests}
    return out


def download_candidate(
    client: IndexClient,
    candidate: Candidate,
    dest_dir: Path,
    *,
    user_hashes: Mapping[str, Collection[str]] | None = None,
) -> DownloadResult:
    """Stream the candidate's file to ``dest_dir/<filename>``; IntegrityError on mismatch.

    Returns the client's ``DownloadResult(path, sha256, size)``.
    """
    link = candidate.link
    if link.filename in ("", ".", "..") or "/" in link.filename or "\\" in link.filename:
        raise IntegrityError(f"refusing to save a file named {link.filename!r}")
    result: DownloadResult = client.download(
        link.url_without_fragment,
        dest_dir / link.filename,
        hashes=merge_hashes(link, user_hashes) or None,
    )
    return result
