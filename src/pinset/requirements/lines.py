"""From bytes to logical lines, the way pip reads a requirements file before parsing any line.

1. **Decoding** (:func:`decode`): a byte-order mark wins (UTF-8, UTF-32, UTF-16; the BOM is
   dropped); else a PEP 263 ``coding:`` declaration in a ``#`` comment on one of the first two
   lines; else UTF-8; else the locale's encoding, with a warning that suggests a ``coding:``
   line.
2. **Physical lines**: ``str.splitlines`` (so ``\\n``, ``\\r\\n`` and ``\\r`` read alike).
3. **Continuations**: a line ending in ``\\`` (and not itself a comment) is joined to the next;
   the backslashes at both ends of the continued line are dropped, nothing is inserted between
   the pieces, and the logical line takes the number of its first physical line. A comment
   line ends a continuation.
4. **Comments**: ``#`` starts a comment only at the start of a line or after whitespace, so
   URL fragments such as ``#egg=`` survive. The rest is stripped; blank lines are dropped.
5. **Environment variables**: ``${NAME}`` with ``NAME`` made of ``A-Z``, ``0-9`` and ``_`` is
   replaced by its value; an unset or empty variable is left as written.

Every logical line keeps a map from its characters back to physical line and column, so that a
diagnostic can point at the offending token.
"""

from __future__ import annotations

import codecs
import locale
import re
import sys
from collections.abc import Mapping

from pinset._dataclass import dataclass

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF16_BE, "utf-16"),
    (codecs.BOM_UTF16_LE, "utf-16"),
)
"""Byte-order marks; UTF-32 before UTF-16 (the UTF-16 LE mark is a prefix of UTF-32 LE's)."""

_CODING_RE = re.compile(rb"coding[:=]\s*([-\w.]+)")
_COMMENT_LINE_RE = re.compile(r"\s*#")
_ENV_VAR_RE = re.compile(r"\$\{([A-Z0-9_]+)\}")


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text of a file, and the warning to give when it was not UTF-8 (or declared)."""

    text: str
    encoding: str
    fallback_warning: str | None = None


class DecodeError(Exception):
    """The bytes cannot be read in the declared, default or locale encoding."""


def _locale_encoding() -> str:
    if sys.version_info >= (3, 11):
        return locale.getencoding()
    return locale.getpreferredencoding(False)  # pragma: no cover - Python 3.10


def decode(data: bytes, *, locale_encoding: str | None = None) -> Decoded:
    """Decode a requirements file as pip does (BOM, PEP 263, UTF-8, locale fallback)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_as(data, encoding, strip=len(bom) if encoding == "utf-8" else 0)
    for line in data.split(b"\n")[:2]:
        if line[:1] == b"#":
            found = _CODING_RE.search(line)
            if found is not None:
                return _decode_as(data, found.group(1).decode("ascii"), strip=0)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    fallback = locale_encoding or _locale_encoding() or sys.getdefaultencoding()
    decoded = _decode_as(data, fallback, strip=0)
    warning = (
        f"not valid UTF-8; read with the locale's encoding {fallback!r}. If that is intended, "
        f"declare it on the first line: '# -*- coding: {fallback} -*-'"
    )
    return Decoded(decoded.text, fallback, warning)


def _decode_as(data: bytes, encoding: str, *, strip: int) -> Decoded:
    try:
        return Decoded(data[strip:].decode(encoding), encoding)
    except LookupError:
        raise DecodeError(f"unknown encoding {encoding!r}") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise DecodeError(f"cannot decode as {encoding}: {exc}") from None


@dataclass(frozen=True, slots=True)
class LogicalLine:
    """One line as pip parses it, with the way back to the physical text.

    ``anchors`` are ``(offset in text, physical line, 0-based column)``, sorted by offset: the
    character at ``offset`` sits at that column of that physical line, and the following
    characters follow it until the next anchor.
    """

    lineno: int
    text: str
    anchors: tuple[tuple[int, int, int], ...]

    def locate(self, offset: int) -> tuple[int, int]:
        """Physical ``(line, column)`` (1-based) of character ``offset`` of :attr:`text`."""
        offset = max(0, min(offset, len(self.text)))
        best = self.anchors[0]
        for anchor in self.anchors:
            if anchor[0] > offset:
                break
            best = anchor
        return best[1], best[2] + (offset - best[0]) + 1


def logical_lines(physical: list[str], environ: Mapping[str, str]) -> list[LogicalLine]:
    """Join continuations, strip comments, expand ``${VAR}``; drop empty lines.

    ``physical`` is ``text.splitlines()``.
    """
    out: list[LogicalLine] = []
    pieces: list[str] = []
    anchors: list[tuple[int, int, int]] = []
    start = 0
    length = 0
    for lineno, line in enumerate(physical, start=1):
        is_comment = line[:1] == "#" or ("#" in line and _COMMENT_LINE_RE.match(line) is not None)
        if not line.endswith("\\") or is_comment:
            if not pieces:
                _finish(out, lineno, line, ((0, lineno, 0),), environ)
                continue
            # pip prefixes a comment line with a space so that it is stripped as a comment
            piece = " " + line if is_comment else line
            anchors.append((length, lineno, -1 if is_comment else 0))
            pieces.append(piece)
            _finish(out, start, "".join(pieces), tuple(anchors), environ)
            pieces, anchors, length = [], [], 0
            continue
        if not pieces:
            start = lineno
        stripped = line.strip("\\")
        lead = len(line) - len(line.lstrip("\\"))
        anchors.append((length, lineno, lead))
        pieces.append(stripped)
        length += len(stripped)
    if pieces:
        _finish(out, start, "".join(pieces), tuple(anchors), environ)
    return out


def _finish(
    out: list[LogicalLine],
    lineno: int,
    joined: str,
    anchors: tuple[tuple[int, int, int], ...],
    environ: Mapping[str, str],
) -> None:
    if "#" in joined:
        joined = strip_comment(joined)
    stripped = joined.strip()
    if not stripped:
        return
    lead = len(joined) - len(joined.lstrip())
    if lead:
        anchors = _shift(anchors, lead)
    if "${" in stripped:
        stripped, anchors = _expand(stripped, anchors, environ)
    out.append(LogicalLine(lineno, stripped, anchors))


def strip_comment(text: str) -> str:
    """Drop the first ``#`` that starts the text or follows whitespace, and what precedes
    it of that whitespace, and everything after it (pip's ``(^|\\s+)#.*$``, in linear time)."""
    at = text.find("#")
    while at > 0 and not text[at - 1].isspace():
        at = text.find("#", at + 1)
    if at == -1:
        return text
    cut = at
    while cut > 0 and text[cut - 1].isspace():
        cut -= 1
    return text[:cut]


def _shift(anchors: tuple[tuple[int, int, int], ...], by: int) -> tuple[tuple[int, int, int], ...]:
    """Anchors for the text after its first ``by`` characters were removed."""
    shifted: list[tuple[int, int, int]] = []
    for offset, line, col in anchors:
        if offset - by <= 0:
            shifted = [(0, line, col + (by - offset))]
        else:
            shifted.append((offset - by, line, col))
    return tuple(shifted)


def _expand(
    text: str, anchors: tuple[tuple[int, int, int], ...], environ: Mapping[str, str]
) -> tuple[str, tuple[tuple[int, int, int], ...]]:
    """Replace ``${NAME}`` as pip does: each found name, in turn, everywhere in the line."""
    result = text
    for found in _ENV_VAR_RE.finditer(text):
        value = environ.get(found.group(1))
        if value:
            result = result.replace(found.group(0), value)
    if result == text:
        return text, anchors
    return result, _expanded_anchors(text, anchors, environ)


def _expanded_anchors(
    text: str, anchors: tuple[tuple[int, int, int], ...], environ: Mapping[str, str]
) -> tuple[tuple[int, int, int], ...]:
    """Anchors after expansion: a value maps to where its ``${NAME}`` was written."""
    located = LogicalLine(0, text, anchors)
    new: list[tuple[int, int, int]] = []
    delta = 0
    cursor = 0
    for found in _ENV_VAR_RE.finditer(text):
        value = environ.get(found.group(1))
        if not value:
            continue
        line, col = located.locate(cursor)
        new.append((cursor + delta, line, col - 1))
        line, col = located.locate(found.start())
        new.append((found.start() + delta, line, col - 1))
        delta += len(value) - len(found.group(0))
        cursor = found.end()
    line, col = located.locate(cursor)
    new.append((cursor + delta, line, col - 1))
    return tuple(new)
