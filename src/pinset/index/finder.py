"""The finder: every usable file of a project across indexes and find-links, best first.

Sources: the index (``--index-url``, unless ``--no-index``), extra indexes in order, and
find-links locations (always merged in). Pages of all indexes are fetched in parallel through
the client's pool; results are memoised per run (thread-safe: one fetch per name, concurrent
callers wait for it).

Index strategy (``--index-strategy``, as uv names it):

- ``first-index`` (default): a project found on an earlier index is never taken from a later
  one, which protects against dependency confusion; when a later index offers a higher version
  a warning says so. An index that fails (unreachable, HTTP 5xx/401, unreadable page, plain
  http) before any index had the project is an error (:class:`NetworkError` naming the index
  and the cause): a later index is not consulted in its place. (A 404 is a clean "not here":
  the next index is asked.) A failure of an index after the one used is a warning.
- ``unsafe-best-match``: all indexes are merged and the best file wins, as pip does; but where
  pip warns about an index that fails and goes on without it, here it is an error (as in uv):
  the answer would depend on which index happened to be up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Literal, TypeVar

from packaging.specifiers import SpecifierSet
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import InvalidVersion, Version

from pinset._dataclass import dataclass, field
from pinset._once import OncePerKey
from pinset.binary import BinaryPolicy
from pinset.dists import Candidate
from pinset.errors import NetworkError, ResolutionError
from pinset.index.evaluate import (
    LinkEvaluator,
    Rejection,
    link_project,
    sdist_version,
    select,
    sort_key,
    summarize_rejections,
)
from pinset.index.find_links import FlatLinks, collect
from pinset.index.page_form import PageForms
from pinset.index.sources import IndexClient, ProjectPage, fetch_project_page
from pinset.index.versions import VersionGroups, group_page
from pinset.interpreter import Interpreter
from pinset.links import Link, PageFiles
from pinset.options import DEFAULT_INDEX_URL
from pinset.redaction import redact_url

Strategy = Literal["first-index", "unsafe-best-match"]
K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True)
class IndexConfig:
    index_url: str | None = DEFAULT_INDEX_URL
    extra_index_urls: tuple[str, ...] = ()
    no_index: bool = False
    find_links: tuple[str, ...] = ()
    pre: bool = False
    strategy: Strategy = "first-index"
    policy: BinaryPolicy = field(default_factory=BinaryPolicy)

    @property
    def index_urls(self) -> tuple[str, ...]:
        if self.no_index:
            return ()
        first = (self.index_url,) if self.index_url else ()
        return first + tuple(u for u in self.extra_index_urls if u not in first)


def _no_rejections() -> tuple[Rejection, ...]:
    return ()


@dataclass(frozen=True)
class FoundCandidates:
    """All applicable files of ``name`` (any version), best first, and what was skipped.

    ``candidates`` is judged a version at a time (an :class:`~pinset.dists.Offered` from the
    finder); ``rejections`` judges every version."""

    name: NormalizedName
    candidates: Sequence[Candidate]
    judged: Callable[[], tuple[Rejection, ...]] = _no_rejections
    warnings: tuple[str, ...] = ()
    missing_on: tuple[str, ...] = ()
    """When no index knows the project and no find-links location has a file of it: every
    place asked (redacted), so that "not found" is told apart from "no version satisfies"."""

    @property
    def rejections(self) -> tuple[Rejection, ...]:
        return self.judged()


class Finder:
    def __init__(
        self,
        client: IndexClient,
        config: IndexConfig,
        target: Interpreter,
        *,
        forms: PageForms | None = None,
    ) -> None:
        self.client = client
        self.config = config
        self.target = target
        self._forms = forms
        self._evaluator = LinkEvaluator(target, config.policy)
        self._found: OncePerKey[NormalizedName, FoundCandidates] = OncePerKey()
        self._pages: OncePerKey[tuple[NormalizedName, str], ProjectPage] = OncePerKey()
        self._flat: OncePerKey[str, tuple[FlatLinks, ...]] = OncePerKey()

    # -- public ------------------------------------------------------------------------------
    def find(self, name: str) -> FoundCandidates:
        key = canonicalize_name(name)
        return self._found.get(key, lambda: self._compute(key))

    def prefetch(self, names: Iterable[str]) -> None:
        """Fetch the pages of ``names`` in parallel now, so later :meth:`find` calls are free.

        One flat batch of (name, index) fetches: no pool task ever waits on another.
        """
        keys = list(dict.fromkeys(canonicalize_name(n) for n in names))
        pairs = [(name, url) for name in keys for url in self.config.index_urls]
        if self.config.find_links:
            self._flat_links()
        self.client.map_parallel(lambda pair: self._page(*pair), pairs)
        for name in keys:
            self.find(name)

    def select(
        self,
        name: str,
        specifier: SpecifierSet,
        *,
        prereleases: bool | None = None,
        allow_yanked_pin: bool = True,
    ) -> tuple[list[Candidate], list[Rejection]]:
        """Candidates matching ``specifier`` (best first) and every file not chosen, with why."""
        found = self.find(name)
        pre = prereleases if prereleases is not None else (True if self.config.pre else None)
        chosen, rejected = select(
            found.candidates, specifier, prereleases=pre, allow_yanked_pin=allow_yanked_pin
        )
        return chosen, list(found.rejections) + rejected

    def best(
        self,
        name: str,
        specifier: SpecifierSet,
        *,
        prereleases: bool | None = None,
        allow_yanked_pin: bool = True,
    ) -> Candidate | None:
        chosen, _ = self.select(
            name, specifier, prereleases=prereleases, allow_yanked_pin=allow_yanked_pin
        )
        return chosen[0] if chosen else None

    # -- internals ---------------------------------------------------------------------------
    def _flat_links(self) -> tuple[FlatLinks, ...]:
        locations = self.config.find_links
        return self._flat.get(
            "all",
            lambda: tuple(
                self.client.map_parallel(
                    lambda loc: collect(self.client, loc, shown=redact_url(loc)), locations
                )
            ),
        )

    def _page(self, name: NormalizedName, url: str) -> ProjectPage:
        return self._pages.get(
            (name, url),
            lambda: fetch_project_page(
                self.client,
                url,
                name,
                shown=redact_url(url),
                reader=self._evaluator,
                forms=self._forms,
            ),
        )

    def _compute(self, name: NormalizedName) -> FoundCandidates:
        urls = self.config.index_urls
        if len(urls) > 1:
            pages = self.client.map_parallel(lambda url: self._page(name, url), urls)
        else:
            pages = [self._page(name, url) for url in urls]
        flats = self._flat_links() if self.config.find_links else ()
        warnings = [p.warning for p in pages if p.warning]  # indexes after the one used
        warnings += [f.warning for f in flats if f.warning]
        flat_links = [ln for f in flats for ln in f.links if _belongs(ln, name)]
        chosen_indexes = range(len(pages))
        if self.config.strategy == "first-index":
            first, stop = _first_index(pages)
            if stop is not None:
                raise _unreadable(name, pages, stop, "first-index")
            chosen_indexes = range(first, first + 1) if first is not None else range(0)
            warnings += self._shadow_warnings(name, pages, first)
        else:
            failed = next((i for i, p in enumerate(pages) if p.failure is not None), None)
            if failed is not None:
                raise _unreadable(name, pages, failed, "unsafe-best-match")
        flat = group_page(PageFiles.of(flat_links), name, self._evaluator)
        files = [pages[i].versions for i in chosen_indexes] + [flat]
        groups = VersionGroups(self._evaluator, name, files, self._sort_key)
        offered = groups.offered(by_version=not self.config.policy.prefer_binary)
        missing_on: tuple[str, ...] = ()
        if not flat_links and not any(p.found for p in pages):
            missing_on = tuple(redact_url(p.index_url) for p in pages)
            missing_on += tuple(f.location for f in flats)
        return FoundCandidates(
            name=name,
            candidates=offered,
            judged=lambda: groups.rejections(offered),
            warnings=tuple(warnings),
            missing_on=missing_on,
        )

    def _evaluate(
        self, name: NormalizedName, links: Sequence[Link]
    ) -> tuple[list[Candidate], list[Rejection]]:
        candidates: list[Candidate] = []
        rejections: list[Rejection] = []
        for link in links:
            result = self._evaluator.evaluate(link, name)
            if isinstance(result, Candidate):
                candidates.append(result)
            else:
                rejections.append(result)
        return candidates, rejections

    def _sort_key(self, candidate: Candidate) -> tuple[bool, bool, Version, bool, int]:
        return sort_key(candidate, self.target, self.config.policy)

    def _shadow_warnings(
        self, name: NormalizedName, pages: Sequence[ProjectPage], first: int | None
    ) -> list[str]:
        if first is None or first + 1 >= len(pages):
            return []
        used = _top_version(self._evaluate(name, pages[first].files.links())[0])
        out: list[str] = []
        for i in range(first + 1, len(pages)):
            later = _top_version(self._evaluate(name, pages[i].files.links())[0])
            if later is not None and (used is None or later > used):
                out.append(
                    f"{name}: {redact_url(pages[i].index_url)} offers version {later}, higher "
                    f"than {used or 'anything usable'} on {redact_url(pages[first].index_url)}, "
                    "but with --index-strategy first-index a project found on an earlier index "
                    "is never taken from a later one (use --index-strategy unsafe-best-match to "
                    "allow it)"
                )
        return out


def no_match_error(
    found: FoundCandidates, specifier: SpecifierSet, rejections: Sequence[Rejection] = ()
) -> ResolutionError:
    """The "no matching distribution" error for ``found``: versions seen, why files were
    skipped (see :func:`~pinset.index.evaluate.summarize_rejections`), and source warnings."""
    wanted = f"{found.name}{specifier}" if str(specifier) else found.name
    versions = sorted({c.version for c in found.candidates})
    seen = ", ".join(str(v) for v in versions) or "none"
    all_rejections = list(rejections) or list(found.rejections)
    lines = summarize_rejections(all_rejections) + list(found.warnings)
    kinds = {r.kind for r in all_rejections}
    if not versions and not all_rejections:
        hint = "check the project name, and the index (--index-url / --extra-index-url)"
    elif "requires-python" in kinds:
        hint = "pick a version that supports the target Python, or target a newer Python"
    elif "prerelease" in kinds:
        hint = "add --pre (or name a pre-release in the specifier) to allow pre-releases"
    else:
        hint = None
    return ResolutionError(
        f"no matching distribution for {wanted} (versions found: {seen})",
        hint=hint,
        note="\n".join(lines) or None,
    )


def _first_index(pages: Sequence[ProjectPage]) -> tuple[int | None, int | None]:
    """(index that has the project, index that failed first before any had it)."""
    for i, page in enumerate(pages):
        if page.found and page.files:
            return i, None
        if page.failure is not None:
            return None, i
    return None, None


def _unreadable(
    name: NormalizedName, pages: Sequence[ProjectPage], at: int, strategy: Strategy
) -> NetworkError:
    """The error for the index ``pages[at]`` that could not answer when its answer was needed
    to choose ``name``."""
    failure = pages[at].failure
    assert failure is not None
    note = None
    if strategy == "unsafe-best-match" and len(pages) > 1:
        note = f"with --index-strategy unsafe-best-match every index must answer for {name}"
    elif at > 0:
        note = (
            f"{name} is not on {', '.join(redact_url(p.index_url) for p in pages[:at])}; with "
            "--index-strategy first-index a later index is never asked in place of one that "
            "fails, so that a project cannot be taken from the wrong index"
        )
    return NetworkError(failure.message, hint=failure.hint, note=note)


def _belongs(link: Link, name: NormalizedName) -> bool:
    """Is a find-links file one of ``name``'s? (Legacy sdist names may hold hyphens.)"""
    if link.is_wheel:
        return link_project(link) == name
    text = sdist_version(link.filename, name)
    if text is None:
        return False
    try:
        Version(text)
    except InvalidVersion:
        return False
    return True


def _top_version(candidates: Sequence[Candidate]) -> Version | None:
    finals = [c.version for c in candidates if c.link.yanked is None]
    return max(finals, default=None)
