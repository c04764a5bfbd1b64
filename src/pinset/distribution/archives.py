"""Downloaded wheels kept in the cache's ``archives`` bucket, under one key for everyone.

A file whose sha256 the index announced is stored once under ``archive`` + URL + sha256, by
whichever step needs it first: :mod:`pinset.distribution.source` when an installing run reads a
candidate's metadata from the whole wheel, or :mod:`pinset.distribution.fetch` when it installs it.
The second finds the first's file and downloads nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from pinset.cache import Cache, make_key
from pinset.dists import Candidate
from pinset.links import Link

if TYPE_CHECKING:  # the HTTP stack is imported by a run that downloads, when it does
    from pinset.http.client import HttpClient


def index_sha256(link: Link) -> str | None:
    """The sha256 the index announced for ``link`` (lower case), if any."""
    return next((d.lower() for a, d in link.hashes if a == "sha256"), None)


def archive_key(link: Link, sha256: str) -> str:
    return make_key("archive", link.url_without_fragment, sha256)


def ensure_archive(
    client: HttpClient,
    cache: Cache,
    candidate: Candidate,
    sha256: str,
    *,
    required: Mapping[str, Collection[str]] | None = None,
) -> tuple[Path, str]:
    """The candidate's file in the ``archives`` bucket (downloaded, verified against the
    index's hashes and ``required``, when not there yet) and the sha256 it was stored with."""
    from pinset.distribution.download import download_candidate

    return cache.ensure_file_hashed(
        "archives",
        archive_key(candidate.link, sha256),
        candidate.link.filename,
        lambda dest: download_candidate(client, candidate, dest.parent, user=required).sha256,
    )
