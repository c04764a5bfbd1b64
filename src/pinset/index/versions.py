"""A project's files grouped by the version their names show, each version judged when first
looked at.

Reading a version from a file name is cheap (its parts are remembered by the
:class:`~pinset.index.evaluate.LinkEvaluator`); making a file's link (its URL checked),
judging it (tags, binary policy, Requires-Python) and ranking a version's files is not, and a
resolution looks at a few of a project's hundreds of versions. Every file not chosen keeps
its :class:`Rejection`, in page order, for the errors that list them (which judge every
version).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from packaging.tags import Tag
from packaging.utils import NormalizedName
from packaging.version import Version

from pinset.dists import Candidate, Offered
from pinset.index.evaluate import LinkEvaluator, Rejection, Unusable
from pinset.links import Link, PageFiles

_File = tuple[int, PageFiles, int]
"""A file: its place among all the pages' files, its page, its place on that page."""


class VersionGroups:
    """The files of ``pages`` (in order) of ``name`` by version, for an :class:`Offered`;
    a file's link is made when its version is judged."""

    def __init__(
        self,
        evaluator: LinkEvaluator,
        name: NormalizedName,
        pages: Sequence[PageFiles],
        order: Callable[[Candidate], Any],
    ) -> None:
        self._evaluator = evaluator
        self._name = name
        self._order = order
        self._groups: dict[Version, list[tuple[_File, frozenset[Tag]]]] = {}
        self._unnamed: list[tuple[_File, Unusable]] = []
        self._rejected: dict[Version, list[tuple[int, Rejection]]] = {}
        at = 0
        for page in pages:
            for place, filename in enumerate(page.names):
                parsed = evaluator.read_name(filename, name)
                if isinstance(parsed, Unusable):
                    self._unnamed.append(((at, page, place), parsed))
                else:
                    self._groups.setdefault(parsed[0], []).append(((at, page, place), parsed[1]))
                at += 1

    def offered(self, *, by_version: bool) -> Offered:
        versions = sorted(self._groups, reverse=True)
        return Offered(versions, self._judge, self._order, by_version=by_version)

    def rejections(self, offered: Offered) -> tuple[Rejection, ...]:
        """Every file not usable, in page order (every version of ``offered`` judged)."""
        for version in offered.versions():
            offered.files(version)
        found = [r for v in self._groups for r in self._rejected[v]]
        for (at, page, place), why in self._unnamed:
            link = page.link(place)
            if link is not None:
                found.append((at, Rejection(link, why.reason, why.kind)))
        return tuple(r for _, r in sorted(found, key=lambda pair: pair[0]))

    def _judge(self, version: Version) -> tuple[Candidate, ...]:
        usable: list[Candidate] = []
        rejected: list[tuple[int, Rejection]] = []
        for (at, page, place), tags in self._groups.get(version, ()):
            link = page.link(place)
            if link is None:  # an unusable entry (its URL, above all): never chosen
                continue
            result = self._evaluator.judge(link, self._name, version, tags)
            if isinstance(result, Candidate):
                usable.append(result)
            else:
                rejected.append((at, result))
        self._rejected[version] = rejected
        unique = list({file_url(c.link): c for c in reversed(usable)}.values())
        unique.sort(key=self._order, reverse=True)
        return tuple(unique)


def file_url(link: Link) -> str:
    """``link.url_without_fragment``, without parsing the (usual) URL that has no fragment."""
    return link.url if "#" not in link.url else link.url_without_fragment
