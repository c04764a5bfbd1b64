"""File-level options as pip ends up with them after reading every line of every file.

pip applies option lines in reading order (depth first through includes):

- ``--no-index`` empties the index list and makes later index options have no effect;
- ``--index-url`` *replaces* the index list (earlier ``--extra-index-url`` values are dropped);
  ``--extra-index-url`` appends to it;
- only the first ``-f``/``--find-links`` of a line counts; a relative one is taken from the
  requirements file's directory when that path exists there;
- ``--no-binary``/``--only-binary`` (and ``--all-releases``/``--only-final``) take effect on
  *every* line that carries them, requirement lines included, with pip's rule
  (:mod:`pinset.binary`: ``:all:`` clears both sets, ``:none:`` clears its own, a name moves
  from the other set to this one);
- ``--pre`` adds ``:all:`` to the all-releases set (without clearing only-final); ``pre`` in
  the result says whether ``:all:`` is in that set at the end, which is what pip acts on.
"""

from __future__ import annotations

import os

from pinset._dataclass import dataclass, field
from pinset.binary import BinaryPolicy, exclusive_names
from pinset.requirements.model import FileOptions
from pinset.requirements.options import LineOptions

RELEASE_DESTS = {"all_releases": "only_final", "only_final": "all_releases"}
"""pip's release controls, each with the set it excludes."""

FORMAT_DESTS = frozenset({"no_binary", "only_binary", *RELEASE_DESTS})
"""Options that take effect wherever they appear."""


@dataclass(slots=True)
class OptionState:
    """The options read so far (mutable while one parse runs; frozen by :meth:`freeze`)."""

    index_url: str | None = None
    extra_index_urls: list[str] = field(default_factory=list)
    no_index: bool = False
    find_links: list[str] = field(default_factory=list)
    trusted_hosts: list[str] = field(default_factory=list)
    binary: BinaryPolicy = field(default_factory=BinaryPolicy)
    binary_values: list[tuple[str, str]] = field(default_factory=list)
    require_hashes: bool = False
    no_require_hashes: bool = False
    features: list[str] = field(default_factory=list)
    releases: dict[str, frozenset[str]] = field(
        default_factory=lambda: {dest: frozenset() for dest in RELEASE_DESTS}
    )

    def apply_everywhere(self, options: LineOptions) -> None:
        """Apply the options pip applies on any line (binary and release controls)."""
        for spec, _, value in options.values:
            if value is None or spec.dest not in FORMAT_DESTS:
                continue
            if spec.dest in RELEASE_DESTS:
                other = RELEASE_DESTS[spec.dest]
                own, theirs = self.releases[spec.dest], self.releases[other]
                self.releases[spec.dest], self.releases[other] = exclusive_names(value, own, theirs)
            else:
                self.binary = self.binary.with_option(spec.dest, value)
                self.binary_values.append((spec.dest, value))

    def apply_option_line(self, options: LineOptions, file_dir: str | None) -> None:
        """Apply an option line (one without a requirement or an include)."""
        if options.has("require_hashes"):
            self.require_hashes = True
        if options.has("no_require_hashes"):
            self.no_require_hashes = True
        for feature in options.all("features"):
            if feature not in self.features:
                self.features.append(feature)
        self._apply_indexes(options)
        links = options.all("find_links")
        if links:
            self.find_links.append(_find_link(links[0], file_dir))
        if options.has("pre"):
            self.releases["all_releases"] |= {":all:"}
        if options.has("prefer_binary"):
            self.binary = self.binary.preferring_binary()
        for host in options.all("trusted_hosts"):
            if host not in self.trusted_hosts:
                self.trusted_hosts.append(host)

    def _apply_indexes(self, options: LineOptions) -> None:
        if options.has("no_index"):
            self.no_index = True
            self.index_url = None
            self.extra_index_urls = []
        if self.no_index:
            return
        urls = options.all("index_url")
        if urls and urls[-1]:
            self.index_url = urls[-1]
            self.extra_index_urls = []
        self.extra_index_urls.extend(options.all("extra_index_urls"))

    def freeze(self) -> FileOptions:
        return FileOptions(
            index_url=self.index_url,
            extra_index_urls=tuple(self.extra_index_urls),
            no_index=self.no_index,
            find_links=tuple(self.find_links),
            pre=":all:" in self.releases["all_releases"],
            trusted_hosts=tuple(self.trusted_hosts),
            prefer_binary=self.binary.prefer_binary,
            only_binary=tuple(sorted(self.binary.only_binary)),
            no_binary=tuple(sorted(self.binary.no_binary)),
            require_hashes=self.require_hashes,
            use_features=tuple(self.features),
            no_require_hashes=self.no_require_hashes,
            all_releases=tuple(sorted(self.releases["all_releases"])),
            only_final=tuple(sorted(self.releases["only_final"])),
            binary_values=tuple(self.binary_values),
        )


def _find_link(value: str, file_dir: str | None) -> str:
    """pip's rule: relative to the requirements file only if that path exists."""
    if file_dir is None:
        return value
    joined = os.path.join(file_dir, value)
    return joined if os.path.exists(joined) else value
