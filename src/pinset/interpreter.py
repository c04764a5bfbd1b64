"""The target interpreter's facts: the Python pinset installs for (never pinset's own).

One model, in the foundation so that every layer judges against the same thing: the finder
(tags, Requires-Python), the resolver (markers), the installer (shebangs, bytecode tag). It is
filled by :func:`pinset.environment.interpreter.query`, which runs the target once and caches
what it reported. Where a run writes is a separate model,
:class:`pinset.environment.schemes.Scheme`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from pathlib import Path

from packaging.tags import Tag

from pinset._dataclass import dataclass, field


@dataclass(frozen=True)
class Interpreter:
    """What pinset knows about a target Python: the facts its probe reported, nothing chosen.

    Candidates are judged against it (``version``, ``tags``, ``markers``); where a run writes is
    a :class:`pinset.environment.schemes.Scheme`, chosen from these facts. ``paths`` is the
    interpreter's own install scheme (``purelib``, ``platlib``, ``scripts``, ``data``,
    ``include``, ``headers``, ``stdlib``); ``headers`` is the base directory that a wheel's
    ``.data/headers`` go under (a per-project subdirectory is added at install time).
    ``externally_managed`` is PEP 668's marker file, only ever True outside a virtual environment.
    """

    executable: Path
    version: tuple[int, int, int]
    implementation: str
    tags: tuple[Tag, ...]
    markers: Mapping[str, str]
    paths: Mapping[str, str]
    prefix: Path
    base_prefix: Path
    is_venv: bool
    externally_managed: bool
    cache_tag: str | None = None
    scheme_templates: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """The ``prefix`` and ``user`` install schemes, with ``pinset.environment.probe.BASE_MARK``
    for the base directory (see :mod:`pinset.environment.schemes`)."""

    @property
    def version_text(self) -> str:
        return ".".join(str(part) for part in self.version)

    @cached_property
    def tags_text(self) -> str:
        """The supported tags, best first, comma-separated: what a cache key of a build for
        this interpreter holds (made once: a target supports about a thousand tags)."""
        return ",".join(str(tag) for tag in self.tags)

    @cached_property
    def tag_rank(self) -> Mapping[Tag, int]:
        """Each supported tag to its priority (0 is best)."""
        rank: dict[Tag, int] = {}
        for i, tag in enumerate(self.tags):
            rank.setdefault(tag, i)
        return rank
