"""The data a requirements file turns into: frozen, typed, JSON-ready.

Glossary: a *Requirement* is one thing the user asked for, with the ``Origin`` of the line that
asked. Constraints are requirements read from ``-c`` files (``constraint=True``); they limit
versions but install nothing by themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from pinset._dataclass import dataclass, field
from pinset.errors import Diagnostic, Location, RequirementsError, Severity

if TYPE_CHECKING:  # packaging.markers costs ~15 ms to import: only lines with a marker need it
    from packaging.markers import Marker

Origin = Location
"""Where a requirement or option was written: file (path or URL), line, column (1-based)."""

STRONG_HASHES = ("sha256", "sha384", "sha512")
"""The only hash algorithms pip and pinset accept as proof of integrity."""


@dataclass(frozen=True, slots=True)
class Requirement:
    """One requirement line (or ``-e`` line), as pip reads it.

    ``raw`` is the requirement text after continuation joining, comment stripping and
    ``${VAR}`` expansion, without per-requirement options. ``url`` is the link for URL, VCS and
    local-path requirements (local paths as absolute ``file://`` URLs); ``None`` for requirements
    resolved from an index. ``hashes`` are ``algo:hexdigest`` strings, sorted.
    """

    origin: Origin
    raw: str
    name: str | None
    extras: tuple[str, ...] = ()
    specifier: SpecifierSet = field(default_factory=SpecifierSet)
    marker: Marker | None = None
    url: str | None = None
    editable: bool = False
    constraint: bool = False
    hashes: tuple[str, ...] = ()
    config_settings: tuple[tuple[str, tuple[str, ...]], ...] = ()
    legacy_form: str | None = None
    """When the line used a form today's pip refuses: the spelling pip accepts today."""

    @property
    def name_normalized(self) -> str | None:
        return canonicalize_name(self.name) if self.name else None

    @property
    def config_dict(self) -> dict[str, str | list[str]]:
        """The line's ``-C`` settings as a backend's ``config_settings`` (a key given more
        than once: the list of its values)."""
        return {k: (v[0] if len(v) == 1 else list(v)) for k, v in self.config_settings}

    @property
    def is_pinned(self) -> bool:
        """``==``/``===`` pin to one version without wildcard."""
        specs = list(self.specifier)
        return len(specs) == 1 and (
            specs[0].operator == "==="
            or (specs[0].operator == "==" and "*" not in specs[0].version)
        )

    @property
    def vcs(self) -> str | None:
        """``git``, ``hg``, ``svn`` or ``bzr`` for version-control URLs, else ``None``."""
        if self.url is None:
            return None
        scheme = self.url.split(":", 1)[0].lower()
        prefix = scheme.split("+", 1)[0]
        return prefix if prefix in ("git", "hg", "svn", "bzr") and "+" in scheme else None

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.origin.file,
            "line": self.origin.line,
            "column": self.origin.column,
            "raw": self.raw,
            "name": self.name,
            "name_normalized": self.name_normalized,
            "specifier": str(self.specifier) if self.name is not None else None,
            "extras": sorted(self.extras),
            "marker": str(self.marker) if self.marker is not None else None,
            "url": self.url,
            "editable": self.editable,
            "is_constraint": self.constraint,
            "hashes": sorted(self.hashes),
            "config_settings": self.config_dict or None,
            "legacy_form": self.legacy_form,
        }


@dataclass(frozen=True, slots=True)
class FileOptions:
    """File-level options as pip ends up with them after reading every included file."""

    index_url: str | None = None
    extra_index_urls: tuple[str, ...] = ()
    no_index: bool = False
    find_links: tuple[str, ...] = ()
    pre: bool = False
    trusted_hosts: tuple[str, ...] = ()
    prefer_binary: bool = False
    only_binary: tuple[str, ...] = ()
    no_binary: tuple[str, ...] = ()
    require_hashes: bool = False
    use_features: tuple[str, ...] = ()
    no_require_hashes: bool = False
    all_releases: tuple[str, ...] = ()
    """``--all-releases`` names (``:all:`` for every project; ``--pre`` adds ``:all:``)."""
    only_final: tuple[str, ...] = ()
    binary_values: tuple[tuple[str, str], ...] = ()
    """Every ``--no-binary``/``--only-binary`` value in reading order, as ``(dest, value)``:
    pip applies them to the sets the command line left, so a run replays them there."""

    def to_dict(self) -> dict[str, object]:
        return {
            "index_url": self.index_url,
            "extra_index_urls": list(self.extra_index_urls),
            "no_index": self.no_index,
            "find_links": list(self.find_links),
            "pre": self.pre,
            "trusted_hosts": list(self.trusted_hosts),
            "prefer_binary": self.prefer_binary,
            "only_binary": list(self.only_binary),
            "no_binary": list(self.no_binary),
            "require_hashes": self.require_hashes,
            "use_features": list(self.use_features),
            "no_require_hashes": self.no_require_hashes,
            "all_releases": list(self.all_releases),
            "only_final": list(self.only_final),
        }


@dataclass(frozen=True, slots=True)
class IncludedFile:
    """A file that was read: the top file or one reached through ``-r``/``-c``."""

    file: str
    constraint: bool
    included_from: Origin | None
    key: str = ""
    """Its identity: the absolute path, or the URL, that was read."""


@dataclass(frozen=True, slots=True)
class RequirementsFile:
    """Everything read from one top-level requirements file and its includes."""

    origin: str
    requirements: tuple[Requirement, ...] = ()
    constraints: tuple[Requirement, ...] = ()
    options: FileOptions = field(default_factory=FileOptions)
    files: tuple[IncludedFile, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    """Warnings and notes (errors are raised as :class:`RequirementsFileError`, whose
    ``partial`` result holds the errors here too)."""

    @property
    def editables(self) -> tuple[Requirement, ...]:
        return tuple(r for r in self.requirements if r.editable)

    def to_dict(self) -> dict[str, object]:
        return {
            "origin": self.origin,
            "requirements": [r.to_dict() for r in self.requirements],
            "constraints": [r.to_dict() for r in self.constraints],
            "options": self.options.to_dict(),
            "files": [
                {
                    "file": f.file,
                    "constraint": f.constraint,
                    "included_from": str(f.included_from) if f.included_from else None,
                }
                for f in self.files
            ],
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }


class RequirementsFileError(RequirementsError):
    """The errors of one requirements file (and its includes), with what was read.

    ``partial`` is the :class:`RequirementsFile` of everything that could be read: the
    requirements, constraints and options of every line without an error, every file read, and
    in ``diagnostics`` every finding, errors included, in reading order (the lines with errors
    are known by their findings' locations and source lines). Tools that lint or edit
    requirements files use it; an installer stops at the error.
    """

    def __init__(self, partial: RequirementsFile) -> None:
        errors = tuple(d for d in partial.diagnostics if d.severity is Severity.ERROR)
        super().__init__(problems=errors, findings=partial.diagnostics)
        self.partial = partial
