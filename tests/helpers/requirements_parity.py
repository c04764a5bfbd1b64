"""Compare pinset's reading of a requirements file with pip's, field by field.

pip's reading comes from :mod:`tests.helpers.pip_oracle` (live) or from a stored ``*.pip.json``
of the conformance corpus; both have the same shape. pinset's reading is turned into the same
shape by :func:`read_with_pinset`. Only the fields both sides have are compared (``FIELDS``,
``OPTION_FIELDS``); extras are compared under PEP 685 normalization because pip itself shows
them lower-cased or as written depending on the line's form.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from pinset.errors import RequirementsError, Severity
from pinset.requirements import Fetch, parse_file

JSON = dict[str, Any]

FIELDS = (
    "file",
    "line",
    "name_normalized",
    "specifier",
    "extras",
    "marker",
    "url",
    "editable",
    "is_constraint",
    "hashes",
    "config_settings",
)
"""Requirement fields both pip's oracle and ``Requirement.to_dict()`` have."""

OPTION_FIELDS = (
    "index_url",
    "extra_index_urls",
    "no_index",
    "find_links",
    "pre",
    "trusted_hosts",
    "prefer_binary",
    "only_binary",
    "no_binary",
    "require_hashes",
    "no_require_hashes",
    "all_releases",
    "only_final",
)
"""File options both sides have (``use_features`` is compared where the oracle is live)."""

_SORTED_OPTIONS = ("only_binary", "no_binary", "all_releases", "only_final")
"""Options pip keeps as sets: compared without order."""

Where = tuple[str, int]


@dataclass
class PinsetReading:
    """pinset's reading in the oracle's shape; ``problems`` are error diagnostics."""

    ok: bool
    requirements: list[JSON] = field(default_factory=list)
    constraints: list[JSON] = field(default_factory=list)
    options: JSON = field(default_factory=dict)
    problems: list[JSON] = field(default_factory=list)
    warnings: list[JSON] = field(default_factory=list)

    def error_lines(self) -> set[Where]:
        return {(p["file"], p["line"]) for p in self.problems}

    def warning_lines(self) -> set[Where]:
        return {(w["file"], w["line"]) for w in self.warnings}


def display_file(file: str | None, cwd: Path) -> str | None:
    """A file as the oracle shows it: relative to ``cwd`` when inside it, else absolute."""
    if file is None or re.match(r"^(https?|file):", file, re.I):
        return file
    absolute = Path(os.path.abspath(cwd / file))
    try:
        return absolute.relative_to(cwd).as_posix()
    except ValueError:
        return absolute.as_posix()


def read_with_pinset(
    path: str | os.PathLike[str],
    *,
    cwd: str | os.PathLike[str],
    constraint: bool = False,
    environ: Mapping[str, str] | None = None,
    fetch: Fetch | None = None,
) -> PinsetReading:
    """pinset's reading of ``path`` (relative to ``cwd``, absolute, or a URL)."""
    root = Path(cwd).resolve()
    try:
        result = parse_file(
            os.fspath(path),
            constraint=constraint,
            environ=dict(environ or {}),
            cwd=root,
            fetch=fetch,
        )
    except RequirementsError as exc:
        problems = [_diagnostic(d.to_dict(), root) for d in exc.problems]
        return PinsetReading(ok=False, problems=problems)
    diagnostics = [_diagnostic(d.to_dict(), root) for d in result.diagnostics]
    return PinsetReading(
        ok=True,
        requirements=[_relocate(r.to_dict(), root) for r in result.requirements],
        constraints=[_relocate(r.to_dict(), root) for r in result.constraints],
        options=result.options.to_dict(),
        warnings=[d for d in diagnostics if d["severity"] in _SAYS_SO],
    )


_SAYS_SO = frozenset({Severity.WARNING.value, Severity.NOTE.value})
"""Where pinset reads a line differently from pip it says so: a warning, or a note for a fix."""


def _relocate(entry: JSON, root: Path) -> JSON:
    return {**entry, "file": display_file(entry["file"], root)}


def _diagnostic(entry: JSON, root: Path) -> JSON:
    return {**entry, "file": display_file(entry["file"], root)}


def redact(url: str | None) -> str | None:
    """Credentials shown as ``****``, the way the corpus shows URLs."""
    if url is None:
        return None
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    auth, _, host = parts.netloc.rpartition("@")
    user, colon, _password = auth.partition(":")
    shown = f"{urllib.parse.quote(urllib.parse.unquote(user))}:****" if colon else "****"
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{shown}@{host}"))


def project(entry: JSON, *, redact_urls: bool = False) -> JSON:
    """The compared fields of one requirement, normalized alike on both sides."""
    out = {key: entry.get(key) for key in FIELDS}
    out["extras"] = sorted(canonicalize_name(e) for e in entry.get("extras") or ())
    if redact_urls:
        out["url"] = redact(out["url"])
    return out


def option_differences(pip: JSON, pinset: JSON, keys: Iterable[str] = OPTION_FIELDS) -> list[str]:
    out = []
    for key in keys:
        theirs, ours = pip.get(key), pinset.get(key)
        if key in _SORTED_OPTIONS:
            theirs, ours = sorted(theirs or ()), sorted(ours or ())
        if theirs != ours:
            out.append(f"option {key}: pip {theirs!r}, pinset {ours!r}")
    return out


def requirement_differences(
    pip_entries: list[JSON],
    reading: PinsetReading,
    *,
    skip: set[Where] = frozenset(),  # type: ignore[assignment]
    redact_urls: bool = False,
) -> list[str]:
    """Every difference between pip's requirements (errors left out) and pinset's."""
    out: list[str] = []
    good = [e for e in pip_entries if "error" not in e]
    for constraint, ours in ((False, reading.requirements), (True, reading.constraints)):
        theirs = [project(e) for e in good if bool(e["is_constraint"]) is constraint]
        mine = [
            project(e, redact_urls=redact_urls) for e in ours if (e["file"], e["line"]) not in skip
        ]
        out.extend(_list_differences(theirs, mine, "constraint" if constraint else "requirement"))
    return out


def _list_differences(theirs: list[JSON], mine: list[JSON], kind: str) -> list[str]:
    """Pairwise when both read the same lines in the same order (a file included twice reads
    twice), else which lines only one side read."""
    keys_theirs = [(t["file"], t["line"]) for t in theirs]
    keys_mine = [(m["file"], m["line"]) for m in mine]
    if keys_theirs == keys_mine:
        return [
            f"{kind} {t['file']}:{t['line']} {key}: pip {t[key]!r}, pinset {m[key]!r}"
            for t, m in zip(theirs, mine, strict=True)
            for key in FIELDS
            if t[key] != m[key]
        ]
    only_theirs = Counter(keys_theirs) - Counter(keys_mine)
    only_mine = Counter(keys_mine) - Counter(keys_theirs)
    out = [
        f"{kind} {f}:{n}: pip reads it ({c}x more), pinset does not"
        for (f, n), c in only_theirs.items()
    ]
    out += [
        f"{kind} {f}:{n}: pinset reads it ({c}x more), pip does not"
        for (f, n), c in only_mine.items()
    ]
    if not out:
        out.append(f"{kind}s in a different order: pip {keys_theirs}, pinset {keys_mine}")
    return out


def logical_lines(text: str) -> dict[int, tuple[str, list[int]]]:
    """Logical line number -> (text without comment, physical line numbers it spans).

    A small reader of the format (continuations, comments) for locating lines; the parsers
    under test do the real work.
    """
    physical = text.splitlines()
    out: dict[int, tuple[str, list[int]]] = {}
    index = 0
    while index < len(physical):
        start, pieces, spans = index + 1, [], []
        while True:
            line = physical[index]
            spans.append(index + 1)
            index += 1
            is_comment = re.match(r"(^|\s+)#", line) is not None
            if line.endswith("\\") and not is_comment and index < len(physical):
                pieces.append(line.strip("\\"))
                continue
            pieces.append(line.strip("\\") if line.endswith("\\") and not is_comment else line)
            break
        joined = re.sub(r"(^|\s+)#.*$", "", "".join(pieces)).strip()
        out[start] = (joined, spans)
    return out


def blank_lines(root: Path, where: Iterable[Where]) -> None:
    """Empty the logical lines at ``where`` (files relative to ``root``), keeping numbering."""
    by_file: dict[str, set[int]] = {}
    for file, line in where:
        by_file.setdefault(file, set()).add(line)
    for file, lines in by_file.items():
        path = root / file
        text = path.read_bytes().decode("utf-8-sig")
        spans = logical_lines(text)
        physical = text.splitlines(keepends=True)
        for line in lines:
            for number in spans.get(line, ("", [line]))[1]:
                content = physical[number - 1]
                body = content.splitlines()[0] if content.splitlines() else ""
                # a space keeps the line (and its break) apart from its neighbours: an
                # empty line after a lone "\r" would merge with its "\n" into one break
                physical[number - 1] = " " + content[len(body) :]
        path.write_text("".join(physical), encoding="utf-8", newline="")
