"""A *Link*: one file URL offered by an index, a find-links page or a direct reference."""

from __future__ import annotations

import posixpath
import urllib.parse
from collections.abc import Callable, Sequence
from typing import Any

from pinset._dataclass import dataclass
from pinset.urls import is_file_url


@dataclass(frozen=True, slots=True)
class Link:
    """A downloadable file and what its source said about it.

    ``hashes`` are ``(algorithm, hexdigest)`` pairs from the index (URL fragment or PEP 691
    ``hashes``). ``yanked`` is ``None`` when not yanked, else the reason ("" when none given).
    ``metadata`` describes PEP 658/714 core metadata: ``None`` when the index offers none, else
    the ``(algorithm, hexdigest)`` pairs it gave (possibly empty). ``size`` is the file's size in
    bytes when the index gave it (PEP 700/691 JSON ``size``), else ``None``.
    """

    url: str
    filename: str
    source: str = ""
    hashes: tuple[tuple[str, str], ...] = ()
    requires_python: str | None = None
    yanked: str | None = None
    metadata: tuple[tuple[str, str], ...] | None = None
    size: int | None = None

    @property
    def url_without_fragment(self) -> str:
        return urllib.parse.urldefrag(self.url)[0]

    @property
    def metadata_url(self) -> str | None:
        """Where the PEP 658 metadata file is, when the index offers one."""
        return None if self.metadata is None else self.url_without_fragment + ".metadata"

    @property
    def is_wheel(self) -> bool:
        return self.filename.endswith(".whl")

    @property
    def is_file_url(self) -> bool:
        return is_file_url(self.url)


class PageFiles:
    """The files one page lists, in page order: each file's name at once, its :class:`Link`
    only when asked (once).

    A project page lists thousands of files and a resolution looks at the few of one or two
    versions, chosen by name: ``make`` turns a page's raw entry into a ``Link`` (with every
    check the page's parser applies to hostile input, so that no file skips them) or None
    when the entry is unusable. ``names`` and ``raw`` are parallel.
    """

    __slots__ = ("_made", "_make", "_raw", "names")

    def __init__(
        self,
        names: Sequence[str],
        raw: Sequence[Any],
        make: Callable[[Any], Link | None],
    ) -> None:
        self.names = names
        self._raw = raw
        self._make = make
        self._made: dict[int, Link | None] = {}

    @classmethod
    def of(cls, links: Sequence[Link]) -> PageFiles:
        """Files whose links are already made (HTML pages, find-links locations)."""
        return cls([link.filename for link in links], links, _itself)

    @property
    def raw(self) -> Sequence[Any]:
        """Each file's entry as its page's parser kept it, parallel to ``names``."""
        return self._raw

    def link(self, at: int) -> Link | None:
        """The link of file ``at`` (None when its entry is unusable)."""
        try:
            return self._made[at]
        except KeyError:
            made = self._made[at] = self._make(self._raw[at])
            return made

    def links(self) -> list[Link]:
        """Every usable file's link, in page order."""
        made = (self.link(at) for at in range(len(self.names)))
        return [link for link in made if link is not None]

    def __len__(self) -> int:
        return len(self._raw)


def _itself(link: Link) -> Link:
    return link


def filename_from_url(url: str) -> str:
    """The last path segment of ``url``, percent-decoded."""
    path = urllib.parse.urlsplit(url).path
    return urllib.parse.unquote(posixpath.basename(path.rstrip("/")))


_FRAGMENT_ALGORITHMS = frozenset({"md5", "sha1", "sha224", "sha256", "sha384", "sha512"})


def fragment_hashes(url: str) -> tuple[tuple[str, str], ...]:
    """The ``#sha256=HEX`` (``&``-joined, any hashlib algorithm pip knows) hashes a URL's
    fragment announces, as ``(algorithm, hexdigest)`` in lower case."""
    _, _, fragment = url.partition("#")
    found = []
    for part in fragment.split("&"):
        algo, sep, value = part.partition("=")
        if sep and algo.lower() in _FRAGMENT_ALGORITHMS:
            found.append((algo.lower(), value.lower()))
    return tuple(found)
