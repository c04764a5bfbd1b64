"""``freeze -r TEMPLATE``: the template's lines, in order, each requirement pinned.

The template is read by :mod:`pinset.requirements` (what each logical line is) and its physical
lines are written back: blank lines and comments as they are; option lines once each (pip's
rule: ``--index-url`` twice would be a different file); ``-c`` lines as written; ``-r`` lines
replaced by the included file's lines (kept as written with ``keep_includes``); each
requirement's lines (continuations included) replaced by what is installed, keeping the
template's extras, marker and trailing comment. A requirement whose project is not installed is
kept as written, with a warning (none when its marker is false for the target); a project named
a second time is written once, with a warning. A local directory line (``-e .``, ``./lib``) is
kept as written (a path pins itself) and stands for the project installed from there.
A template that already has pip's "added by pip freeze" header (a frozen file frozen again) keeps
it where it is and gets no second one, so freezing a frozen file changes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

from packaging.utils import NormalizedName, canonicalize_name

from pinset._dataclass import dataclass, field
from pinset.direct_url import DirInfo
from pinset.errors import PinsetError
from pinset.freeze.entries import Frozen
from pinset.requirements import Requirement, RequirementsFile
from pinset.requirements.lines import logical_lines, strip_comment
from pinset.urls import is_file_url, url_to_path

ADDED_HEADER = "## The following requirements were added by pip freeze:"
"""The line before the projects no template named (pip's words)."""

Suffix = Callable[[Frozen, Requirement], str]
"""What follows a pinned requirement on its line (``--hash`` options), given the template's."""


@dataclass
class Merged:
    lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    used: dict[NormalizedName, str] = field(default_factory=dict)
    """Projects written from a template, with the file that named them first."""
    emitted_options: set[str] = field(default_factory=set)
    header_seen: bool = False
    """A template already had :data:`ADDED_HEADER` (a frozen file frozen again)."""
    inlined: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Template:
    """One parsed template and the text of each file it reads (by ``IncludedFile.key``)."""

    parsed: RequirementsFile
    texts: Mapping[str, str]
    environ: Mapping[str, str]


@dataclass(frozen=True)
class _Span:
    first: int
    last: int
    text: str


def _spans(text: str, environ: Mapping[str, str]) -> list[_Span]:
    """Each logical line as the physical lines (1-based, inclusive) it spans."""
    return [
        _Span(line.lineno, max(a[1] for a in line.anchors), line.text)
        for line in logical_lines(text.splitlines(), environ)
    ]


@dataclass(frozen=True)
class _Run:
    template: Template
    installed: Mapping[NormalizedName, Frozen]
    keep_includes: bool
    suffix: Suffix
    applies: Callable[[Requirement], bool]
    locations: Mapping[str, NormalizedName]


def merge(
    template: Template,
    installed: Mapping[NormalizedName, Frozen],
    merged: Merged,
    *,
    keep_includes: bool,
    suffix: Suffix,
    applies: Callable[[Requirement], bool],
) -> None:
    """Append the template's lines (``installed``: every project that may be pinned;
    ``applies``: whether a line's marker holds for the target, else its absence is no news)."""
    top = template.parsed.files[0]
    run = _Run(template, installed, keep_includes, suffix, applies, _locations(installed))
    _merge_file(run, top.file, top.key, merged)


def _merge_file(run: _Run, display: str, key: str, merged: Merged) -> None:
    merged.inlined.add(key)
    parsed, text = run.template.parsed, run.template.texts[key]
    physical = text.splitlines()
    requirements = {r.origin.line: r for r in parsed.requirements if r.origin.file == display}
    includes = {
        f.included_from.line: f
        for f in parsed.files
        if f.included_from is not None and f.included_from.file == display and not f.constraint
    }
    at = 1
    for span in _spans(text, run.template.environ):
        _copy(physical[at - 1 : span.first - 1], merged)
        raw = physical[span.first - 1 : span.last]
        at = span.last + 1
        req = next((requirements[n] for n in range(span.first, at) if n in requirements), None)
        include = next((includes[n] for n in range(span.first, at) if n in includes), None)
        if req is not None:
            _requirement(req, raw, run, merged)
        elif include is not None and not run.keep_includes:
            if include.key not in merged.inlined:
                _merge_file(run, include.file, include.key, merged)
        elif span.text.startswith("-") and not span.text.startswith(("-r", "--requirement")):
            if span.text not in merged.emitted_options:
                merged.emitted_options.add(span.text)
                merged.lines.extend(raw)
        else:
            merged.lines.extend(raw)
    _copy(physical[at - 1 :], merged)


def _copy(lines: list[str], merged: Merged) -> None:
    """Blank and comment lines, without trailing blanks (as pip); the added-by header is
    noted, so that a frozen file frozen again comes out the same."""
    kept = [line.rstrip() for line in lines]  # blank and comment lines only: nothing continues
    merged.header_seen = merged.header_seen or ADDED_HEADER in (x.strip() for x in kept)
    merged.lines.extend(kept)


def _requirement(req: Requirement, raw: list[str], run: _Run, merged: Merged) -> None:
    if req.name is None:
        _path_requirement(req, raw, run, merged)
        return
    key = canonicalize_name(req.name)
    if key in merged.used:
        merged.warnings.append(
            f"requirement {req.name} included multiple times "
            f"[{merged.used[key]}, {req.origin}]; written once"
        )
        return
    frozen = run.installed.get(key)
    if frozen is None:
        if run.applies(req):
            merged.warnings.append(
                f"{req.origin}: {req.raw} is kept as written: {req.name} is not installed"
            )
        merged.lines.extend(raw)
        return
    merged.used[key] = str(req.origin)
    comment = _trailing_comment(raw[-1])
    lines = pinned(frozen, req, run.suffix(frozen, req))
    if comment and "\n" in lines[-1]:
        lines.insert(len(lines) - 1, comment.strip())
    elif comment:
        lines[-1] += comment
    merged.lines.extend(lines)


def _path_requirement(req: Requirement, raw: list[str], run: _Run, merged: Merged) -> None:
    """A local directory line (``-e .``, ``./lib``): kept as written, as a path is its own pin;
    the project installed from that directory is not written again."""
    merged.lines.extend(raw)
    where = _local_path(req.url) if req.url else None
    if where is None:
        return
    key = run.locations.get(where)
    if key is not None:
        merged.used.setdefault(key, str(req.origin))
    elif run.applies(req):
        written = f"-e {req.raw}" if req.editable else req.raw
        merged.warnings.append(
            f"{req.origin}: {written} is kept as written: nothing is installed from {where}"
        )


def _local_path(url: str) -> str | None:
    if not is_file_url(url):
        return None
    try:
        return os.path.normcase(os.path.realpath(url_to_path(url)))
    except PinsetError:
        return None


def _locations(installed: Mapping[NormalizedName, Frozen]) -> dict[str, NormalizedName]:
    """The projects installed from a local directory, by that directory."""
    found: dict[str, NormalizedName] = {}
    for key, frozen in installed.items():
        direct = frozen.direct
        where = _local_path(direct.url) if direct and isinstance(direct.info, DirInfo) else None
        if where is not None:
            found.setdefault(where, key)
    return found


def _trailing_comment(line: str) -> str:
    kept = strip_comment(line)
    return line[len(kept) :] if len(kept) < len(line) and kept.strip() else ""


def pinned(frozen: Frozen, req: Requirement, suffix: str) -> list[str]:
    """``frozen``'s lines, with the template's extras and marker on a plain or URL pin."""
    if frozen.editable or req.editable:
        return frozen.lines(suffix)
    extras = f"[{','.join(sorted(req.extras))}]" if req.extras else ""
    name = frozen.dist.name
    line = extras.join((name, frozen.requirement[len(name) :])) if extras else frozen.requirement
    if req.marker is not None:
        line += f" ; {req.marker}"
    return [*frozen.comments, line + suffix]
