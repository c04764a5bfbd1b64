"""pip's installation report (``--report FILE``), format version "1", so that tools reading
pip's report read pinset's.

Top level: ``version`` ("1"), ``pip_version`` (pinset's version here, since pinset wrote it;
``installer`` says "pinset"), ``install`` (one item per distribution that is or would be
installed) and ``environment`` (the target's PEP 508 marker values). Each item:
``download_info`` (PEP 610 form: ``url`` with credentials removed, ``archive_info.hashes``),
``is_direct``, ``is_yanked``, ``requested``, ``requested_extras`` (when any) and ``metadata``
(the core metadata in its PEP 566 JSON form).
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable, Mapping, Sequence

from packaging.utils import NormalizedName

from pinset import __version__
from pinset.direct_url import ArchiveInfo, DirectUrl
from pinset.dists import Candidate
from pinset.kinds import is_direct
from pinset.links import Link

REPORT_VERSION = "1"

MetadataJson = Callable[[Candidate], Mapping[str, object]]


def public_url(url: str) -> str:
    """``url`` without user information (PEP 610: credentials are never recorded)."""
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit(parts._replace(netloc=host))


def _hashes(link: Link, sha256: str | None) -> dict[str, str]:
    found = {algo: digest for algo, digest in link.hashes}
    if sha256:
        found["sha256"] = sha256
    return found


def archive_info(link: Link, sha256: str | None = None) -> ArchiveInfo:
    hashes = _hashes(link, sha256)
    legacy = f"sha256={hashes['sha256']}" if "sha256" in hashes else None
    return ArchiveInfo(tuple(hashes.items()), legacy)


def direct_url(candidate: Candidate, sha256: str | None) -> DirectUrl:
    """PEP 610 ``direct_url.json`` for a distribution installed from a URL the user named."""
    url = public_url(candidate.link.url_without_fragment)
    return DirectUrl(url, archive_info(candidate.link, sha256))


def install_report(
    candidates: Sequence[Candidate],
    *,
    requested: frozenset[NormalizedName],
    requested_extras: Mapping[NormalizedName, Sequence[str]],
    metadata: MetadataJson,
    markers: Mapping[str, str],
) -> dict[str, object]:
    items: list[dict[str, object]] = []
    for candidate in candidates:
        item: dict[str, object] = {
            "download_info": {
                "url": public_url(candidate.link.url_without_fragment),
                "archive_info": archive_info(candidate.link).to_dict(),
            },
            "is_direct": is_direct(candidate.kind),
            "is_yanked": candidate.link.yanked is not None,
            "requested": candidate.name in requested,
            "metadata": dict(metadata(candidate)),
        }
        extras = requested_extras.get(candidate.name)
        if extras:
            item["requested_extras"] = sorted(extras)
        items.append(item)
    return {
        "version": REPORT_VERSION,
        "pip_version": __version__,
        "installer": "pinset",
        "install": items,
        "environment": dict(markers),
    }
