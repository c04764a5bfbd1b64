"""Judge each offered file against the *target* Python: name, version, tags, Requires-Python,
binary policy; then choose among candidates by version specifier, pre-release and yanked rules.

Every file not chosen gets a :class:`Rejection` whose ``reason`` a user can read; the
:func:`summarize_rejections` lines go into "no matching distribution" errors.

Rules (as pip applies them):

- a wheel is usable when one of its tags is among the target's tags; better tags rank higher;
- ``Requires-Python`` is checked against the target version; an invalid one is ignored;
- ``--no-binary``/``--only-binary`` as :class:`pinset.binary.BinaryPolicy` allows;
- a yanked file (PEP 592) is chosen only by a ``==``/``===`` pin without wildcard;
- pre-releases follow packaging: allowed with ``--pre``, or when the specifier names one, or
  when nothing else matches.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.tags import Tag
from packaging.utils import (
    InvalidWheelFilename,
    NormalizedName,
    canonicalize_name,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

from pinset._dataclass import dataclass
from pinset.binary import BinaryPolicy
from pinset.dists import Candidate
from pinset.interpreter import Interpreter
from pinset.kinds import RegistrySdist, RegistryWheel
from pinset.links import Link

SDIST_SUFFIXES = (".tar.gz", ".zip", ".tar.bz2", ".tgz", ".tar.xz", ".tbz", ".txz", ".tar")


@dataclass(frozen=True)
class Rejection:
    """A file that was not chosen and why, in words a user understands.

    ``kind`` groups rejections for summaries: "filename", "name", "tags", "requires-python",
    "binary-policy", "version", "yanked", "prerelease". ``detail`` is the grouping value (the
    Requires-Python text, a tag, a version).
    """

    link: Link
    reason: str
    kind: str = ""
    detail: str = ""

    @property
    def why(self) -> str:
        """The reason without the file: the same words for every file skipped alike, so that
        a summary counts them ("3 were skipped (--only-binary forbids source distributions)")."""
        if self.kind == "requires-python":
            return f"needs Python {self.detail}"
        if self.kind == "binary-policy":
            return self.detail
        return _WHY.get(self.kind, self.reason)


class Unusable(NamedTuple):
    """Why a file name is unusable: a :class:`Rejection` without its link."""

    reason: str
    kind: str


_WHY = {
    "tags": "built for other Pythons or platforms",
    "yanked": "yanked",
    "prerelease": "a pre-release",
    "version": "another version",
    "name": "a file of another project",
    "filename": "an unusable file name",
}


def sdist_version(
    filename: str,
    name: NormalizedName,
    canonical: Callable[[str], NormalizedName] = canonicalize_name,
) -> str | None:
    """The version text of a source archive of ``name``, or None when it is not one: what
    follows the first ``-`` before which the name reads as ``name`` (``canonical``: how a
    name is read, :func:`canonicalize_name` or a memo of it)."""
    lower = filename.lower()
    suffix = next((s for s in SDIST_SUFFIXES if lower.endswith(s)), None)
    if suffix is None:
        return None
    stem = filename[: -len(suffix)]
    dash = stem.find("-")
    while dash >= 0:
        if canonical(stem[:dash]) == name:
            return stem[dash + 1 :] or None
        dash = stem.find("-", dash + 1)
    return None


def link_project(link: Link) -> NormalizedName | None:
    """The project a file belongs to by its name (wheels and PEP 625 sdists), else None."""
    if link.filename.endswith(".whl"):
        try:
            return parse_wheel_filename(link.filename)[0]
        except InvalidWheelFilename:
            return None
    lower = link.filename.lower()
    suffix = next((s for s in SDIST_SUFFIXES if lower.endswith(s)), None)
    if suffix is None:
        return None
    stem = link.filename[: -len(suffix)]
    name, sep, _ = stem.rpartition("-")
    return canonicalize_name(name) if sep and name else None


def evaluate_link(
    link: Link, name: NormalizedName, target: Interpreter, policy: BinaryPolicy
) -> Candidate | Rejection:
    """A :class:`Candidate` when ``link`` is a usable file of ``name`` for ``target``."""
    return LinkEvaluator(target, policy).evaluate(link, name)


class NameReader:
    """What file names say (project, version, wheel tags), for any target, remembering the
    parts that repeat: a project page lists hundreds or thousands of files, but few distinct
    versions and tag sets, each parsed once per run instead of once per file. The memos are
    plain dicts: two threads racing on a key compute the same value, which is harmless."""

    def __init__(self) -> None:
        self._names: dict[str, NormalizedName | None] = {}
        self._canonical: dict[str, NormalizedName] = {}
        self._tag_sets: dict[str, frozenset[Tag] | None] = {}
        self._versions: dict[str, Version | None] = {}

    def read_name(
        self, filename: str, name: NormalizedName
    ) -> tuple[Version, frozenset[Tag]] | Unusable:
        """:meth:`parse_filename` for a file name alone (no link made)."""
        if filename.endswith(".whl"):
            parsed = self._wheel(filename)
            if parsed is None:
                return Unusable(f"{filename}: not a valid wheel file name", "filename")
            wname, version, wheel_tags = parsed
            if wname != name:
                return Unusable(f"{filename}: a wheel of {wname}, not {name}", "name")
            return version, wheel_tags
        text = sdist_version(filename, name, self._canonical_name)
        if text is None:
            return Unusable(f"{filename}: not a wheel or source archive of {name}", "filename")
        parsed_version = self.version(text)
        if parsed_version is None:
            return Unusable(f"{filename}: invalid version {text!r}", "filename")
        return parsed_version, frozenset()

    def group_names(
        self, filenames: Sequence[str], name: NormalizedName
    ) -> tuple[dict[Version, list[int]], list[tuple[int, Unusable]]]:
        """:meth:`read_name` of every file, by place: the places of each version's files
        (ascending) and the files whose names are unusable, with why. Each distinct version
        text is parsed once; a name this cannot read by its parts alone is read whole."""
        by_text: dict[str, list[int]] = {}
        odd: list[int] = []
        for place, filename in enumerate(filenames):
            text = self._version_text(filename, name)
            if text is None:
                odd.append(place)
            elif text in by_text:
                by_text[text].append(place)
            else:
                by_text[text] = [place]
        by_version: dict[Version, list[int]] = {}
        for text, places in by_text.items():
            version = self.version(text)
            if version is None:
                odd += places
            elif version in by_version:  # "1.0" and "1.0.0": one version
                by_version[version] = sorted(by_version[version] + places)
            else:
                by_version[version] = places
        unnamed: list[tuple[int, Unusable]] = []
        for place in sorted(odd):
            parsed = self.read_name(filenames[place], name)
            if isinstance(parsed, Unusable):
                unnamed.append((place, parsed))
            else:
                by_version[parsed[0]] = sorted([*by_version.get(parsed[0], ()), place])
        return by_version, unnamed

    def _version_text(self, filename: str, name: NormalizedName) -> str | None:
        """The version text of a wheel of ``name`` with usable tags and no build tag, or of a
        source archive of ``name``; None for any other file (read whole, by read_name)."""
        if filename.endswith(".whl"):
            stem = filename[:-4]
            if stem.count("-") != 4:
                return None
            name_part, text, tag_text = stem.split("-", 2)
            if self._wheel_name(name_part) != name or self._wheel_tags(tag_text) is None:
                return None
            return text
        return sdist_version(filename, name, self._canonical_name)

    def _canonical_name(self, text: str) -> NormalizedName:
        found = self._canonical.get(text)
        if found is None:
            found = self._canonical[text] = canonicalize_name(text)
        return found

    def _wheel_name(self, name_part: str) -> NormalizedName | None:
        if name_part not in self._names:
            whole = _parse_wheel(f"{name_part}-0-py3-none-any.whl")
            self._names[name_part] = whole[0] if whole is not None else None
        return self._names[name_part]

    def _wheel_tags(self, tag_text: str) -> frozenset[Tag] | None:
        if tag_text not in self._tag_sets:
            whole = _parse_wheel(f"x-0-{tag_text}.whl")
            self._tag_sets[tag_text] = whole[2] if whole is not None else None
        return self._tag_sets[tag_text]

    def _wheel(self, filename: str) -> tuple[NormalizedName, Version, frozenset[Tag]] | None:
        """packaging's reading of a wheel file name, built from memos of its name, version and
        tag parts (each repeats across files); names with a build tag (rare) are read whole."""
        stem = filename[:-4]
        if stem.count("-") != 4:
            return _parse_wheel(filename)
        name_part, version_text, tag_text = stem.split("-", 2)
        wname, version = self._wheel_name(name_part), self.version(version_text)
        wheel_tags = self._wheel_tags(tag_text)
        if wname is None or version is None or wheel_tags is None:
            return None
        return wname, version, wheel_tags

    def version(self, text: str) -> Version | None:
        """``Version(text)``, or None for an invalid one (remembered)."""
        if text not in self._versions:
            try:
                self._versions[text] = Version(text)
            except InvalidVersion:
                self._versions[text] = None
        return self._versions[text]


class LinkEvaluator(NameReader):
    """:func:`evaluate_link` for one target and policy, remembering what files repeat (see
    :class:`NameReader`): also each tag set's and Requires-Python's verdict, once per run."""

    def __init__(self, target: Interpreter, policy: BinaryPolicy) -> None:
        super().__init__()
        self.target = target
        self.policy = policy
        self._python: dict[str, bool] = {}
        self._usable: dict[frozenset[Tag], str | None] = {}

    def evaluate(self, link: Link, name: NormalizedName) -> Candidate | Rejection:
        parsed = self.parse_filename(link, name)
        if isinstance(parsed, Rejection):
            return parsed
        return self.judge(link, name, *parsed)

    def judge(
        self, link: Link, name: NormalizedName, version: Version, wheel_tags: frozenset[Tag]
    ) -> Candidate | Rejection:
        """The rest of :meth:`evaluate` for a file whose name was read
        (:meth:`parse_filename`): tags, binary policy, Requires-Python."""
        is_wheel = link.is_wheel
        example = self._unusable_example(wheel_tags) if is_wheel else None
        if example is not None:
            return Rejection(
                link,
                f"{link.filename}: built for another Python or platform ({example})",
                "tags",
                example,
            )
        if not self.policy.allows(name, wheel=is_wheel):
            what = (
                "--only-binary forbids source distributions"
                if not is_wheel
                else ("--no-binary forbids wheels")
            )
            return Rejection(link, f"{link.filename}: {what}", "binary-policy", what)
        if link.requires_python and not self._python_ok(link.requires_python):
            rp = link.requires_python.strip()
            return Rejection(
                link,
                f"{link.filename}: needs Python {rp} (target is {self.target.version_text})",
                "requires-python",
                rp,
            )
        kind = RegistryWheel() if is_wheel else RegistrySdist()
        return Candidate(name=name, version=version, link=link, tags=wheel_tags, kind=kind)

    def _unusable_example(self, wheel_tags: frozenset[Tag]) -> str | None:
        """None when one of the tags is the target's, else a tag to show in the reason."""
        if wheel_tags not in self._usable:
            rank = self.target.tag_rank
            usable = any(tag in rank for tag in wheel_tags)
            self._usable[wheel_tags] = None if usable else sorted(str(t) for t in wheel_tags)[0]
        return self._usable[wheel_tags]

    def _python_ok(self, requires_python: str) -> bool:
        verdict = self._python.get(requires_python)
        if verdict is None:
            verdict = self._python[requires_python] = _python_ok(requires_python, self.target)
        return verdict

    def parse_filename(
        self, link: Link, name: NormalizedName
    ) -> tuple[Version, frozenset[Tag]] | Rejection:
        """The version and wheel tags a file's name gives (cheap: parts are remembered), or
        why the name is unusable."""
        parsed = self.read_name(link.filename, name)
        if isinstance(parsed, Unusable):
            return Rejection(link, parsed.reason, parsed.kind)
        return parsed


def _parse_wheel(filename: str) -> tuple[NormalizedName, Version, frozenset[Tag]] | None:
    try:
        wname, version, _, wheel_tags = parse_wheel_filename(filename)
    except (InvalidWheelFilename, InvalidVersion):
        return None
    return wname, version, frozenset(wheel_tags)


def _python_ok(requires_python: str, target: Interpreter) -> bool:
    try:
        spec = SpecifierSet(requires_python)
    except InvalidSpecifier:
        return True  # pip ignores an invalid Requires-Python rather than the file
    return spec.contains(Version(target.version_text), prereleases=True)


def sort_key(
    candidate: Candidate, target: Interpreter, policy: BinaryPolicy
) -> tuple[bool, bool, Version, bool, int]:
    """Larger is better: not yanked, (wheel when --prefer-binary), version, wheel, best tag."""
    rank = min((target.tag_rank.get(t, 10**6) for t in candidate.tags), default=10**6)
    return (
        candidate.link.yanked is None,
        policy.prefer_binary and candidate.is_wheel,
        candidate.version,
        candidate.is_wheel,
        -rank,
    )


def is_exact_pin(specifier: SpecifierSet) -> bool:
    specs = list(specifier)
    return len(specs) == 1 and (
        specs[0].operator == "===" or (specs[0].operator == "==" and "*" not in specs[0].version)
    )


def select(
    candidates: Sequence[Candidate],
    specifier: SpecifierSet,
    *,
    prereleases: bool | None = None,
    allow_yanked_pin: bool = True,
) -> tuple[list[Candidate], list[Rejection]]:
    """The candidates (order kept) the specifier admits, and why the others were not.

    Yanked files are skipped unless the specifier is an exact pin that only yanked files
    satisfy (PEP 592, as pip reads it).
    """
    matching = set(specifier.filter({c.version for c in candidates}, prereleases=prereleases))
    matched = [c for c in candidates if c.version in matching]
    yanked_ok = (
        allow_yanked_pin
        and is_exact_pin(specifier)
        and bool(matched)
        and all(c.link.yanked is not None for c in matched)
    )
    chosen: list[Candidate] = []
    rejected: list[Rejection] = []
    for cand in candidates:
        if cand.version not in matching:
            rejected.append(_mismatch(cand, specifier))
        elif cand.link.yanked is not None and not yanked_ok:
            why = f" ({cand.link.yanked})" if cand.link.yanked else ""
            rejected.append(Rejection(cand.link, f"{cand} is yanked{why}", "yanked"))
        else:
            chosen.append(cand)
    return chosen, rejected


def _mismatch(cand: Candidate, specifier: SpecifierSet) -> Rejection:
    if cand.version.is_prerelease and specifier.contains(cand.version, prereleases=True):
        return Rejection(cand.link, f"{cand} is a pre-release", "prerelease")
    wanted = str(specifier) or "any version"
    return Rejection(cand.link, f"{cand} does not match {wanted}", "version", str(cand.version))


def yanked_warning(candidate: Candidate) -> str | None:
    """The warning to show when a pin chose a yanked file (PEP 592), else None."""
    reason = candidate.link.yanked
    if reason is None:
        return None
    why = f" (reason: {reason})" if reason else ""
    return f"{candidate} is yanked{why}; it is used only because it is pinned exactly"


def summarize_rejections(rejections: Iterable[Rejection]) -> list[str]:
    """Short user-facing lines, e.g. "skipped 3 files because they need Python >=3.12"."""
    counts: Counter[tuple[str, str]] = Counter()
    example: dict[tuple[str, str], str] = {}
    for rej in rejections:
        key = (rej.kind, rej.detail if rej.kind in _GROUP_BY_DETAIL else "")
        counts[key] += 1
        example.setdefault(key, rej.detail)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [_summary_line(kind, example[(kind, d)], count) for (kind, d), count in ordered]


_GROUP_BY_DETAIL = frozenset({"requires-python", "binary-policy"})


def _summary_line(kind: str, detail: str, count: int) -> str:
    files = f"{count} file{'s' if count != 1 else ''}"
    they = "they" if count != 1 else "it"
    phrases = {
        "requires-python": f"because {they} need{'s' if count == 1 else ''} Python {detail}",
        "tags": f"built for other Pythons or platforms (e.g. {detail})",
        "binary-policy": f"because {detail}",
        "yanked": f"because {they} {'were' if count != 1 else 'was'} yanked",
        "prerelease": "of pre-releases (use --pre to allow them)",
        "version": "whose version does not match the requirement",
        "name": "of other projects",
        "filename": "with unusable file names",
    }
    return f"skipped {files} {phrases.get(kind, 'for other reasons')}"
