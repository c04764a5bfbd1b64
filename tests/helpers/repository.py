"""A candidate source built from data, for resolver tests.

The network-backed source (index finder + metadata) answers the same four questions from index
pages and METADATA files; the resolver's contract is data in, data out, so tests state the data
directly::

    repo = Repository({
        "app": {"1.0": ["lib>=2"], "2.0": {"requires": ["lib"], "requires_python": ">=3.12"}},
        "lib": {"1.0": [], "2.0": [], "3.0": {"skip": "yanked"}},
    })

A release is a list of Requires-Dist strings, or a mapping with ``requires``,
``requires_python`` and ``skip`` (a reason: the release is not offered, only reported by
``rejections``, as the finder does for files it skipped). ``urls`` maps direct URLs to
``(name, version, requires)``. The source records what it was asked (``asked``, ``prefetched``).
"""

from __future__ import annotations

import email.message
import email.parser
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement as Pep508
from packaging.specifiers import SpecifierSet
from packaging.utils import NormalizedName, canonicalize_name, parse_wheel_filename
from packaging.version import Version

from pinset.dists import Candidate, InstalledDist
from pinset.errors import Location
from pinset.kinds import DirectWheel, RegistryWheel, is_direct
from pinset.links import Link, filename_from_url
from pinset.requirements.model import Requirement

Release = Sequence[str] | Mapping[str, Any]


@dataclass(frozen=True)
class _Meta:
    requires: tuple[str, ...] = ()
    requires_python: str | None = None
    skip: str | None = None


def _meta(release: Release) -> _Meta:
    if isinstance(release, Mapping):
        return _Meta(
            tuple(release.get("requires", ())),
            release.get("requires_python"),
            release.get("skip"),
        )
    return _Meta(tuple(release))


@dataclass
class Repository:
    """A :class:`pinset.resolve.CandidateSource` over a dict of projects."""

    projects: Mapping[str, Mapping[str, Release]]
    urls: Mapping[str, tuple[str, str, Sequence[str]]] = field(default_factory=dict)
    installed_requires: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    asked: list[NormalizedName] = field(default_factory=list)
    prefetched: list[NormalizedName] = field(default_factory=list)
    metadata_reads: list[str] = field(default_factory=list)

    def _releases(self, name: str) -> dict[Version, _Meta]:
        for key, releases in self.projects.items():
            if canonicalize_name(key) == name:
                return {Version(v): _meta(r) for v, r in releases.items()}
        return {}

    def candidates(self, name: NormalizedName) -> Sequence[Candidate]:
        self.asked.append(name)
        found = [
            Candidate(name, version, _link(name, version), kind=RegistryWheel())
            for version, meta in self._releases(name).items()
            if meta.skip is None
        ]
        return sorted(found, key=lambda c: c.version, reverse=True)

    def _lookup(self, candidate: Candidate | InstalledDist) -> _Meta:
        if isinstance(candidate, InstalledDist):
            key = (candidate.name, str(candidate.version))
            if key in self.installed_requires:
                return _Meta(self.installed_requires[key])
        if isinstance(candidate, Candidate) and is_direct(candidate.kind):
            _, _, requires = self.urls[candidate.link.url]
            return _Meta(tuple(requires))
        return self._releases(candidate.name).get(candidate.version, _Meta())

    def dependencies(self, candidate: Candidate | InstalledDist) -> Sequence[Pep508]:
        self.metadata_reads.append(f"{candidate.name}=={candidate.version}")
        return [Pep508(r) for r in self._lookup(candidate).requires]

    def requires_python(self, candidate: Candidate | InstalledDist) -> SpecifierSet | None:
        text = self._lookup(candidate).requires_python
        return None if text is None else SpecifierSet(text)

    def direct(self, requirement: Requirement) -> Candidate:
        assert requirement.url is not None
        name, version, _ = self.urls[requirement.url]
        link = Link(requirement.url, filename_from_url(requirement.url))
        return Candidate(canonicalize_name(name), Version(version), link, kind=DirectWheel())

    def rejections(self, name: NormalizedName) -> Sequence[str]:
        return [m.skip for m in self._releases(name).values() if m.skip is not None]

    def missing_on(self, name: NormalizedName) -> Sequence[str]:
        return [] if self._releases(name) else ["the test repository"]

    def prefetch(
        self,
        names: Iterable[NormalizedName],
        extras: Mapping[NormalizedName, frozenset[str]] | None = None,
    ) -> None:
        self.prefetched.extend(names)

    def install(
        self, name: str, version: str, requires: Sequence[str] | None = None
    ) -> InstalledDist:
        """An installed distribution (its Requires-Dist: ``requires``, else the release's)."""
        key = canonicalize_name(name)
        if requires is not None:
            self.installed_requires[(key, version)] = tuple(requires)
        path = Path("/target/site-packages") / f"{name}-{version}.dist-info"
        return InstalledDist(key, Version(version), path)


def _link(name: str, version: Version) -> Link:
    filename = f"{name.replace('-', '_')}-{version}-py3-none-any.whl"
    return Link(f"https://files.example/{filename}", filename, source="https://index.example/")


def parse_lines(
    text: str, file: str = "requirements.txt", *, constraint: bool = False
) -> list[Requirement]:
    """Requirement lines (PEP 508 and ``name @ url``) with their origins; ``#`` comments skipped.

    Indentation counts in the column, as in the real parser's origins.
    """
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        body = line.split(" #", 1)[0].rstrip()
        if not body.strip() or body.lstrip().startswith("#"):
            continue
        column = len(body) - len(body.lstrip()) + 1
        parsed = Pep508(body.strip())
        found.append(
            Requirement(
                origin=Location(file, number, column),
                raw=body.strip(),
                name=parsed.name,
                extras=tuple(sorted(parsed.extras)),
                specifier=parsed.specifier,
                marker=parsed.marker,
                url=parsed.url,
                constraint=constraint,
            )
        )
    return found


def target_markers(python: str = "3.11.4", sys_platform: str = "linux") -> dict[str, str]:
    """A complete PEP 508 marker environment for a target interpreter."""
    major_minor = ".".join(python.split(".")[:2])
    return {
        "implementation_name": "cpython",
        "implementation_version": python,
        "os_name": "nt" if sys_platform == "win32" else "posix",
        "platform_machine": "x86_64",
        "platform_python_implementation": "CPython",
        "platform_release": "",
        "platform_system": {"linux": "Linux", "win32": "Windows", "darwin": "Darwin"}[sys_platform],
        "platform_version": "",
        "python_full_version": python,
        "python_version": major_minor,
        "sys_platform": sys_platform,
    }


class WheelDirectory:
    """A :class:`pinset.resolve.CandidateSource` over a directory of real wheel files.

    Candidates come from the file names, dependencies and Requires-Python from each wheel's
    METADATA (read from the archive): the same data pip reads with ``--find-links DIR``.
    """

    def __init__(self, root: Path) -> None:
        self._files: dict[NormalizedName, list[Candidate]] = {}
        for path in sorted(root.glob("*.whl")):
            name, version, _, _ = parse_wheel_filename(path.name)
            link = Link(path.as_uri(), path.name, source=str(root))
            self._files.setdefault(name, []).append(
                Candidate(name, version, link, kind=RegistryWheel())
            )
        for found in self._files.values():
            found.sort(key=lambda c: c.version, reverse=True)

    def _metadata(self, candidate: Candidate | InstalledDist) -> email.message.Message:
        assert isinstance(candidate, Candidate)
        path = Path(urllib.request.url2pathname(urllib.parse.urlsplit(candidate.link.url).path))
        with zipfile.ZipFile(path) as archive:
            member = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
            return email.parser.BytesParser().parsebytes(archive.read(member))

    def candidates(self, name: NormalizedName) -> Sequence[Candidate]:
        return self._files.get(name, [])

    def dependencies(self, candidate: Candidate | InstalledDist) -> Sequence[Pep508]:
        return [Pep508(r) for r in self._metadata(candidate).get_all("Requires-Dist") or []]

    def requires_python(self, candidate: Candidate | InstalledDist) -> SpecifierSet | None:
        text = self._metadata(candidate).get("Requires-Python")
        return None if text is None else SpecifierSet(str(text))

    def direct(self, requirement: Requirement) -> Candidate:
        """A ``file:`` URL of a wheel (anywhere)."""
        assert requirement.url is not None
        filename = filename_from_url(requirement.url)
        name, version, _, _ = parse_wheel_filename(filename)
        return Candidate(name, version, Link(requirement.url, filename), kind=DirectWheel())

    def rejections(self, name: NormalizedName) -> Sequence[str]:
        return []

    def missing_on(self, name: NormalizedName) -> Sequence[str]:
        return []

    def prefetch(
        self,
        names: Iterable[NormalizedName],
        extras: Mapping[NormalizedName, frozenset[str]] | None = None,
    ) -> None:
        return None
