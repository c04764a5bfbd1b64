"""pip's installation report (``--report FILE``), format version "1", so that tools reading
pip's report read pinset's.

Top level: ``version`` ("1"), ``pip_version`` (pinset's version here, since pinset wrote it;
``installer`` says "pinset"), ``install`` (one item per distribution that is or would be
installed) and ``environment`` (the target's PEP 508 marker values). Each item:
``download_info`` (PEP 610 form: ``url`` with credentials removed, ``archive_info.hashes``,
``dir_info`` or ``vcs_info``),
``is_direct``, ``is_yanked``, ``requested``, ``requested_extras`` (when any) and ``metadata``
(the core metadata in its PEP 566 JSON form).
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable, Mapping, Sequence

from packaging.utils import NormalizedName

from pinset import __version__
from pinset.direct_url import ArchiveInfo, DirectUrl, DirInfo, public_url
from pinset.dists import Candidate
from pinset.kinds import LocalDirectory, VcsCheckout, is_direct
from pinset.links import Link

REPORT_VERSION = "1"

MetadataJson = Callable[[Candidate], Mapping[str, object]]
ArchiveSha256 = Callable[[Candidate], "str | None"]
"""The sha256 of a candidate's archive when its link does not say it (a direct archive)."""


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
    """PEP 610 ``direct_url.json`` (and a report's ``download_info``) for a distribution from
    a file or tree: ``vcs_info`` for a VCS checkout (the commit it was built from; an
    editable one: ``dir_info`` naming its directory in ``--src``, as pip), ``dir_info``
    for a local directory, else ``archive_info`` with ``sha256`` (the archive's: for a built
    one, the source archive's, never the built wheel's)."""
    link = candidate.link
    if isinstance(candidate.kind, VcsCheckout):  # the VCS layer, imported only for a checkout
        from pinset.distribution.checkout import vcs_direct_url

        return vcs_direct_url(link.url, candidate.kind.commit_id, candidate.kind.tree)
    url = public_url(link.url_without_fragment)
    subdirectory = _subdirectory(link.url)
    if isinstance(candidate.kind, LocalDirectory):
        return DirectUrl(url, DirInfo(candidate.kind.editable), subdirectory)
    return DirectUrl(url, archive_info(link, sha256), subdirectory)


def _subdirectory(url: str) -> str | None:
    values = urllib.parse.parse_qs(urllib.parse.urlsplit(url).fragment).get("subdirectory")
    return values[0] if values else None


def install_report(
    candidates: Sequence[Candidate],
    *,
    requested: frozenset[NormalizedName],
    requested_extras: Mapping[NormalizedName, Sequence[str]],
    metadata: MetadataJson,
    markers: Mapping[str, str],
    archive_sha256: ArchiveSha256 | None = None,
) -> dict[str, object]:
    items: list[dict[str, object]] = []
    for candidate in candidates:
        sha256 = archive_sha256(candidate) if archive_sha256 is not None else None
        item: dict[str, object] = {
            "download_info": direct_url(candidate, sha256).to_dict(),
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
