"""What a parsed project page offers, every version judged: to compare two readings of a page
(a kept form against the page read afresh, the page worker's against this process's)."""

from __future__ import annotations

from packaging.utils import NormalizedName

from pinset.binary import BinaryPolicy
from pinset.dists import Candidate
from pinset.index.evaluate import LinkEvaluator, Rejection, sort_key
from pinset.index.versions import PageVersions, VersionGroups
from pinset.interpreter import Interpreter
from pinset.links import Link


def everything(
    page: PageVersions, name: NormalizedName, target: Interpreter
) -> tuple[list[str], list[list[Link]], list[Rejection]]:
    """The versions (newest first), each version's usable files (best first) and every
    rejected file (page order)."""

    def order(candidate: Candidate) -> object:
        return sort_key(candidate, target, BinaryPolicy())

    groups = VersionGroups(LinkEvaluator(target, BinaryPolicy()), name, [page], order)
    offered = groups.offered(by_version=True)
    versions = offered.versions()
    files = [[c.link for c in offered.files(v)] for v in versions]
    return [str(v) for v in versions], files, list(groups.rejections(offered))
