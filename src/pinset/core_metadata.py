"""Core metadata (``METADATA``, ``PKG-INFO``, PEP 658 files): the one reader, for every source.

Grammar (the email header format that core metadata uses, read as Python's ``email`` package
reads it with the compat32 policy, but as UTF-8 text):

- lines end with ``\\r\\n``, ``\\r`` or ``\\n``; bytes that are not UTF-8 become U+FFFD;
- a header line is ``Name: value``: the name is one or more printable ASCII characters other
  than ``:`` and space; blanks after the colon are dropped;
- a line starting with a space or tab continues the previous header (one before any header is
  ignored); values are unfolded to one line, except ``Description``, which is kept as written;
- the headers end at the first empty line, or at the first line that is neither a header nor a
  continuation; what follows is the body (the long description).

Reading never fails: a file with no headers gives an empty :class:`CoreMetadata`, and the
caller decides (an installed entry without ``Name`` is skipped; a wheel whose metadata names
another project is refused). ``packaging.metadata`` validates fields but keeps no header order
and costs an ``email`` import on the no-op path; its field rules are applied where a field is
used (:meth:`CoreMetadata.requires_dist`, :meth:`CoreMetadata.requires_python`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from pinset._dataclass import dataclass

if TYPE_CHECKING:  # packaging.requirements costs ~15 ms to import: only where it is used
    from packaging.requirements import Requirement
    from packaging.specifiers import SpecifierSet

RESOLVED_FIELDS = ("Requires-Dist", "Requires-Python", "Provides-Extra")
"""The metadata the resolver decides by: an installed wheel must say the same, and an sdist's
``PKG-INFO`` stands for its wheel's only when none of them is dynamic (PEP 643)."""

MULTI_USE = frozenset(
    {
        "dynamic",
        "platform",
        "supported-platform",
        "classifier",
        "requires-dist",
        "requires-external",
        "project-url",
        "provides-extra",
        "provides-dist",
        "obsoletes-dist",
        "license-file",
        "requires",
        "provides",
        "obsoletes",
    }
)
"""Fields that may appear several times: lists in the JSON form (PEP 566)."""

_FOLD = re.compile(r"\n[ \t]+")
_FIELD_NAME = re.compile(r"[!-9;-~]+")
"""Printable ASCII other than space and colon, as the email package reads a header name."""
_KEEP_AS_WRITTEN = "description"


@dataclass(frozen=True)
class CoreMetadata:
    """The headers (in order, folding undone) and body of one distribution's METADATA."""

    headers: tuple[tuple[str, str], ...]
    body: str = ""

    @classmethod
    def from_bytes(cls, data: bytes, *, headers_only: bool = False) -> CoreMetadata:
        """Read METADATA bytes; ``headers_only`` skips the body (the no-op check's case)."""
        if headers_only:
            data = data[: _header_end(data)]
        return cls.from_text(data.decode("utf-8", errors="replace"), headers_only=headers_only)

    @classmethod
    def from_text(cls, text: str, *, headers_only: bool = False) -> CoreMetadata:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if headers_only:
            text = text[: text.find("\n\n") + 1] if "\n\n" in text else text
        fields: list[tuple[str, list[str]]] = []
        lines = text.split("\n")
        body_start = len(lines)
        for number, line in enumerate(lines):
            if not line:
                body_start = number + 1
                break
            if line[0] in " \t":
                if fields:
                    fields[-1][1].append(line)
                continue
            name, colon, value = line.partition(":")
            if not (colon and _FIELD_NAME.fullmatch(name)):
                body_start = number
                break
            fields.append((name, [value.lstrip(" \t")]))
        body = "" if headers_only else "\n".join(lines[body_start:])
        return cls(tuple((name, _value(name, parts)) for name, parts in fields), body)

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> CoreMetadata | None:
        """The form :meth:`to_cache` wrote; None when it is not that form."""
        headers, body = data.get("headers"), data.get("body")
        if not isinstance(headers, list) or not isinstance(body, str):
            return None
        pairs = tuple(
            (str(p[0]), str(p[1])) for p in headers if isinstance(p, list) and len(p) == 2
        )
        return cls(pairs, body)

    def to_cache(self) -> dict[str, object]:
        return {"headers": [list(p) for p in self.headers], "body": self.body}

    def get(self, key: str) -> str | None:
        """The first value of header ``key`` (any case), or None."""
        wanted = key.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)

    def get_all(self, key: str) -> list[str]:
        wanted = key.lower()
        return [v for k, v in self.headers if k.lower() == wanted]

    def requires_dist(self, warn: Callable[[str], None] | None = None) -> list[Requirement]:
        """Every valid Requires-Dist entry (an invalid one is skipped with a warning)."""

        def invalid(why: str) -> None:
            if warn is not None:
                warn(f"{self.get('Name')} {self.get('Version')}: ignoring Requires-Dist {why}")

        return parse_requires_dist(self.get_all("Requires-Dist"), invalid)

    def resolved_fields(self) -> dict[str, list[str]]:
        """:data:`RESOLVED_FIELDS` as the resolver reads them, in a form that ignores how they
        were spelled (spaces, order, case of extras): two documents that resolve alike are
        equal here."""
        from packaging.utils import canonicalize_name

        requires = [str(r) for r in self.requires_dist()]
        python = self.requires_python()
        return {
            "Requires-Dist": sorted(requires),
            "Requires-Python": [str(python)] if python is not None else [],
            "Provides-Extra": sorted(canonicalize_name(e) for e in self.get_all("Provides-Extra")),
        }

    def resolves_unlike(self, other: CoreMetadata) -> list[str]:
        """The :data:`RESOLVED_FIELDS` in which ``other`` resolves differently from this one
        (compared as :meth:`resolved_fields` reads them); a field written the same in both is
        equal without being parsed (the common case: both read from the same wheel)."""
        raw = [f for f in RESOLVED_FIELDS if self.get_all(f) != other.get_all(f)]
        if not raw:
            return []
        mine, theirs = self.resolved_fields(), other.resolved_fields()
        return [f for f in raw if mine[f] != theirs[f]]

    def requires_python(self) -> SpecifierSet | None:
        from packaging.specifiers import InvalidSpecifier, SpecifierSet

        text = self.get("Requires-Python")
        if not text:
            return None
        try:
            return SpecifierSet(text)
        except InvalidSpecifier:
            return None  # pip ignores an invalid Requires-Python too

    def to_json(self) -> dict[str, object]:
        """The JSON form of PEP 566: lower-case keys with ``_``; multiple-use fields as lists;
        ``keywords`` as a list; the body as ``description``."""
        out: dict[str, object] = {}
        for key, value in self.headers:
            lower = key.lower()
            name = lower.replace("-", "_")
            if lower in MULTI_USE:
                existing = out.setdefault(name, [])
                if isinstance(existing, list):
                    existing.append(value)
            elif lower == "keywords":
                out[name] = [k for k in re.split(r"[,\s]+", value) if k]
            else:
                out.setdefault(name, value)
        if self.body.strip() and "description" not in out:
            out["description"] = self.body
        return out


def parse_requires_dist(
    texts: list[str], invalid: Callable[[str], None] | None = None
) -> list[Requirement]:
    """``texts`` (Requires-Dist values) read by packaging; an invalid one is skipped, and told
    to ``invalid`` (``'text' (why)``)."""
    from packaging.requirements import InvalidRequirement, Requirement

    found: list[Requirement] = []
    for text in texts:
        try:
            found.append(Requirement(text))
        except InvalidRequirement as exc:
            if invalid is not None:
                invalid(f"{text!r} ({exc})")
    return found


def _value(name: str, parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0] if name.lower() == _KEEP_AS_WRITTEN else parts[0].strip()
    value = "\n".join(parts)
    return value if name.lower() == _KEEP_AS_WRITTEN else _FOLD.sub(" ", value).strip()


def _header_end(data: bytes) -> int:
    """Where the first empty line starts (after one line end), else the end: a line end
    followed by another is ``\\n\\n``, ``\\n\\r`` (``\\n`` then ``\\r`` or ``\\r\\n``) or
    ``\\r\\r``."""
    end = data.find(b"\n\n")
    limit = end if end >= 0 else len(data)
    for pattern in (b"\n\r", b"\r\r"):
        found = data.find(pattern, 0, limit)
        if found >= 0:
            limit = found
    return limit + 1 if limit < len(data) else limit
