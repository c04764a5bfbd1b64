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

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from packaging.utils import NormalizedName
from packaging.version import Version

from pinset._dataclass import dataclass, field
from pinset.dists import Candidate, Offered
from pinset.index.evaluate import LinkEvaluator, NameReader, Rejection, Unusable
from pinset.links import Link, PageFiles


def _none_unnamed() -> tuple[tuple[int, Unusable], ...]:
    return ()


@dataclass(frozen=True)
class PageVersions:
    """One page's files of one project by the version their names show: ``by_version`` the
    places (page order) of each version's files, ``unnamed`` the places of files whose names
    give no version of the project, with why. What :func:`group_page` reads from the names,
    or what :mod:`pinset.index.page_form` kept of it."""

    files: PageFiles
    by_version: Mapping[Version, Sequence[int]] = field(default_factory=dict)
    unnamed: Sequence[tuple[int, Unusable]] = field(default_factory=_none_unnamed)


def group_page(files: PageFiles, name: NormalizedName, reader: NameReader) -> PageVersions:
    """Read every file name of ``files`` once (:meth:`NameReader.group_names`); the
    versions newest first, the order :meth:`VersionGroups.offered` sorts them in (sorted
    once here, a kept form keeps the order: sorting a sorted list costs little)."""
    grouped, unnamed = reader.group_names(files.names, name)
    by_version = {v: grouped[v] for v in sorted(grouped, reverse=True)}
    return PageVersions(files, by_version, unnamed)


_File = tuple[int, PageFiles, int]
"""A file: its place among all the pages' files, its page, its place on that page."""

_Part = tuple[int, PageFiles, Sequence[int]]
"""A version's files on one page: where the page starts among all the pages' files, the
page, the files' places on it."""


class VersionGroups:
    """The files of ``pages`` (in order) of ``name`` by version, for an :class:`Offered`;
    a file's link is made, and its tags read, when its version is judged."""

    def __init__(
        self,
        evaluator: LinkEvaluator,
        name: NormalizedName,
        pages: Sequence[PageVersions],
        order: Callable[[Candidate], Any],
    ) -> None:
        self._evaluator = evaluator
        self._name = name
        self._order = order
        self._groups: dict[Version, list[_Part]] = {}
        self._unnamed: list[tuple[_File, Unusable]] = []
        self._rejected: dict[Version, list[tuple[int, Rejection]]] = {}
        at = 0
        for page in pages:
            files = page.files
            groups = self._groups
            for version, places in page.by_version.items():
                if version in groups:
                    groups[version].append((at, files, places))
                else:
                    groups[version] = [(at, files, places)]
            self._unnamed += [((at + place, files, place), why) for place, why in page.unnamed]
            at += len(files)

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
        return tuple(r for _, r in sorted(found, key=_first))

    def _judge(self, version: Version) -> tuple[Candidate, ...]:
        usable: list[Candidate] = []
        rejected: list[tuple[int, Rejection]] = []
        for at, page, place in _files(self._groups.get(version, ())):
            link = page.link(place)
            if link is None:  # an unusable entry (its URL, above all): never chosen
                continue
            parsed = self._evaluator.read_name(link.filename, self._name)
            if isinstance(parsed, Unusable) or parsed[0] != version:
                continue  # not this version's file after all (a kept form is never trusted)
            result = self._evaluator.judge(link, self._name, version, parsed[1])
            if isinstance(result, Candidate):
                usable.append(result)
            else:
                rejected.append((at, result))
        self._rejected[version] = rejected
        unique = list({file_url(c.link): c for c in reversed(usable)}.values())
        unique.sort(key=self._order, reverse=True)
        return tuple(unique)


def _files(parts: Sequence[_Part]) -> list[_File]:
    """A version's files, in page order (each page's places ascend)."""
    return [(start + place, page, place) for start, page, places in parts for place in places]


def _first(pair: tuple[int, Any]) -> int:
    return pair[0]


def file_url(link: Link) -> str:
    """``link.url_without_fragment``, without parsing the (usual) URL that has no fragment."""
    return link.url if "#" not in link.url else link.url_without_fragment
