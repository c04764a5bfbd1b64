"""File-level options as pip ends up with them after reading every line of every file.

pip applies option lines in reading order (depth first through includes):

- ``--no-index`` empties the index list and makes later index options have no effect;
- ``--index-url`` *replaces* the index list (earlier ``--extra-index-url`` values are dropped);
  ``--extra-index-url`` appends to it;
- only the first ``-f``/``--find-links`` of a line counts; a relative one is taken from the
  requirements file's directory when that path exists there;
- ``--no-binary``/``--only-binary`` (and ``--all-releases``/``--only-final``) take effect on
  *every* line that carries them, requirement lines included; ``:all:`` clears both sets,
  ``:none:`` clears its own, a name moves from the other set to this one;
- ``--pre`` adds ``:all:`` to the all-releases set (without clearing only-final); ``pre`` in
  the result says whether ``:all:`` is in that set at the end, which is what pip acts on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from packaging.utils import canonicalize_name

from pinset.requirements.model import FileOptions
from pinset.requirements.options import LineOptions

FORMAT_DESTS = {
    "no_binary": "only_binary",
    "only_binary": "no_binary",
    "all_releases": "only_final",
    "only_final": "all_releases",
}
"""Options that take effect wherever they appear, each with the set it excludes."""


@dataclass(slots=True)
class OptionState:
    """The options read so far (mutable while one parse runs; frozen by :meth:`freeze`)."""

    index_url: str | None = None
    extra_index_urls: list[str] = field(default_factory=list)
    no_index: bool = False
    find_links: list[str] = field(default_factory=list)
    trusted_hosts: list[str] = field(default_factory=list)
    prefer_binary: bool = False
    require_hashes: bool = False
    no_require_hashes: bool = False
    features: list[str] = field(default_factory=list)
    sets: dict[str, set[str]] = field(
        default_factory=lambda: {dest: set() for dest in FORMAT_DESTS}
    )

    def apply_everywhere(self, options: LineOptions) -> None:
        """Apply the options pip applies on any line (binary and release controls)."""
        for spec, _, value in options.values:
            if spec.dest in FORMAT_DESTS and value is not None:
                self._mutual_exclude(value, spec.dest)

    def _mutual_exclude(self, value: str, dest: str) -> None:
        target, other = self.sets[dest], self.sets[FORMAT_DESTS[dest]]
        names = value.split(",")
        while ":all:" in names:
            other.clear()
            target.clear()
            target.add(":all:")
            del names[: names.index(":all:") + 1]
            if ":none:" not in names:
                return
        for name in names:
            if name == ":none:":
                target.clear()
                continue
            normalized = canonicalize_name(name)
            other.discard(normalized)
            target.add(normalized)

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
            self.sets["all_releases"].add(":all:")
        if options.has("prefer_binary"):
            self.prefer_binary = True
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
            pre=":all:" in self.sets["all_releases"],
            trusted_hosts=tuple(self.trusted_hosts),
            prefer_binary=self.prefer_binary,
            only_binary=tuple(sorted(self.sets["only_binary"])),
            no_binary=tuple(sorted(self.sets["no_binary"])),
            require_hashes=self.require_hashes,
            use_features=tuple(self.features),
            no_require_hashes=self.no_require_hashes,
            all_releases=tuple(sorted(self.sets["all_releases"])),
            only_final=tuple(sorted(self.sets["only_final"])),
        )


def _find_link(value: str, file_dir: str | None) -> str:
    """pip's rule: relative to the requirements file only if that path exists."""
    if file_dir is None:
        return value
    joined = os.path.join(file_dir, value)
    return joined if os.path.exists(joined) else value
