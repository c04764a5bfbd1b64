"""A PEP 691 page's file entries found without decoding them, each decoded when asked.

A project page lists thousands of files and a resolution looks at the few of one or two
versions. :func:`scan_files` finds each entry of the page's ``files`` array and its
``filename`` with string searches (no object is made per entry), and decodes the rest of the
document (the array emptied) with :mod:`json`; an entry is decoded from its own text when its
link is made. JSON being context-free, that is the object a decoding of the whole page gives
at that place.

The searches are exact for pages of a plain shape, checked as they go: no backslash in the
page (so every ``"`` opens or closes a string: a character is inside a string when an odd
number of quotes precede it), no ``[`` within the ``files`` array (entries hold no arrays: a
``}``, ``,``, ``{`` outside strings then only ever separates two entries), and exactly one
``"filename": "..."`` within each entry, outside any object nested in it. Any other page
(escapes, arrays in entries, a ``files`` key written twice, text that is not UTF-8, a
byte-order mark...) is not an error here: :func:`scan_files` answers None and the page is
decoded whole, so every refusal of a malformed page stays where it was. What a scan does not
check is the text inside an entry: an entry that is not JSON is found when its version is
judged, and is then an unusable entry (as one of the wrong shape is) rather than the whole
page being refused.
"""

from __future__ import annotations

import json
import re
from array import array
from collections.abc import Sequence
from itertools import accumulate, repeat
from operator import add
from typing import Any

_WS = r"[ \t\n\r]*"
_KEY = r'"[^"\\\x00-\x1f]*"'
_SCALAR = r'(?:"[^"\\\x00-\x1f]*"|-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null)'
_MEMBER = f"{_KEY}{_WS}:{_WS}{_SCALAR}"
_FLAT = rf"\{{{_WS}(?:{_MEMBER}(?:{_WS},{_WS}{_MEMBER})*{_WS})?\}}"
_LIST = rf"\[{_WS}(?:{_SCALAR}(?:{_WS},{_WS}{_SCALAR})*{_WS})?\]"
"""JSON's own objects and arrays of plain values (each separator where JSON has it: a
pattern that could read one text in many ways would take exponential time to refuse it)."""
_OPEN = (
    rf"{_WS}\{{{_WS}"
    rf'(?:(?!"files"){_KEY}{_WS}:{_WS}(?:{_SCALAR}|{_FLAT}|{_LIST}){_WS},{_WS})*'
    rf'"files"{_WS}:{_WS}\[{_WS}'
)
"""The document up to its ``files`` array's first entry, the array a value of the top-level
object (what comes before it is loose here: the document without the array is decoded by
:mod:`json`, which checks it)."""
_SEPARATOR = rf"\}}{_WS},{_WS}\{{"
_NEXT_OBJECT = rf",{_WS}\{{"
"""What each separator holds once: as many of these as separators split on means none was
left unsplit (spelled otherwise, or after an element that is not an object)."""
_FILENAME = rf'"filename"{_WS}:{_WS}"([^"]*)"'
"""The patterns are compiled when a page is first scanned (``re`` keeps them compiled): a
run that reads no page from its body, a warm one, never compiles them."""


class JsonEntries(Sequence[object]):
    """A page's file entries, in page order, each decoded from its text when asked (an entry
    that is not JSON is None): ``bodies``, each entry's text without its braces; ``at``,
    where the first lies in the page's bytes when they lie there one after the other, ``gap``
    bytes apart (an ASCII page, all its entries kept), else None."""

    __slots__ = ("_at", "_bodies", "_gap")

    def __init__(self, bodies: list[str], at: int | None = None, gap: int = 0) -> None:
        self._bodies = bodies
        self._at = at
        self._gap = gap

    def __len__(self) -> int:
        return len(self._bodies)

    def __getitem__(self, at: int) -> object:  # type: ignore[override]
        return decode_entry(self._bodies[at])

    def only(self, places: Sequence[int]) -> JsonEntries:
        """The entries at ``places``, in that order (no longer where the page has them)."""
        return JsonEntries([self._bodies[at] for at in places])

    def texts(self) -> list[str]:
        """Each entry's text without its braces."""
        return self._bodies

    def spans(self) -> tuple[int, int, array[int]] | None:
        """Where the entries lie in the page's bytes: where the first starts, the gap between
        two, and where each ends plus the gap, counted from the first (so entry ``i`` spans
        ``ends[i - 1]`` to ``ends[i] - gap``); None when they do not lie there as they are."""
        if self._at is None:
            return None
        gap = self._gap
        sizes = map(len, self._bodies)
        return self._at, gap, array("I", accumulate(map(add, sizes, repeat(gap))))


def decode_entry(body: str) -> object:
    """One entry decoded from its JSON text without its braces (None when it is not JSON)."""
    try:
        return json.loads(f"{{{body}}}")
    except (ValueError, RecursionError):
        return None


def scan_files(body: bytes) -> tuple[dict[str, Any], list[str], JsonEntries] | None:
    """The document without its files (``files`` an empty list), every entry's file name and
    the entries, for a page of the plain shape; None for any other page (decode it whole)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    opened = re.match(_OPEN, text) if "\\" not in text else None
    close = _closing(text, opened.end()) if opened is not None else None
    if opened is None or close is None:
        return None
    found = _entries(text, opened.end(), close)
    doc = _rest(text[: opened.end()] + text[close:]) if found is not None else None
    if found is None or doc is None:
        return None
    names, entries = found
    return doc, names, entries


def _rest(rest: str) -> dict[str, Any] | None:
    """The document whose ``files`` array was emptied, decoded: None unless it is an object
    with one ``files`` key (not another one, nor the word as a value: decode it whole)."""
    if rest.count('"files"') != 1:
        return None
    try:
        doc = json.loads(rest)
    except (ValueError, RecursionError):
        return None
    return doc if type(doc) is dict and doc.get("files") == [] else None


def _closing(text: str, first: int) -> int | None:
    """Where the array whose first entry starts at ``first`` closes: the first ``]`` outside
    strings; None when a ``[`` comes before it (an entry holds an array)."""
    at = text.find("]", first)
    quotes = text.count('"', first, at) if at >= 0 else 0
    while at >= 0 and quotes % 2:
        last, at = at, text.find("]", at + 1)
        quotes += text.count('"', last, at) if at >= 0 else 0
    if at < 0 or "[" in text[first:at]:
        return None
    return at


def _entries(text: str, first: int, close: int) -> tuple[list[str], JsonEntries] | None:
    """The entries between ``first`` and ``close``: their file names and texts."""
    region = text[first:close].rstrip(" \t\n\r")
    if not region:
        return [], JsonEntries([])
    if region[0] != "{" or region[-1] != "}":
        return None
    separator = re.search(_SEPARATOR, region)
    key = re.search(_FILENAME, region)
    if key is None:
        return None
    bodies = region[1:-1].split(separator[0]) if separator else [region[1:-1]]
    if len(re.findall(_NEXT_OBJECT, region)) != len(bodies) - 1:
        return None  # another separator than the one split on, or one within a string
    key_text = region[key.start() : key.start(1)]
    names = _names(bodies, key_text)
    if names is None and separator and any(body.count('"') % 2 for body in bodies):
        bodies = _rejoined(bodies, separator[0])  # a separator inside a string (rare)
        names = _names(bodies, key_text)
    if names is None:
        return None
    gap = len(separator[0]) if separator else 0
    return names, JsonEntries(bodies, first + 1 if text.isascii() else None, gap)


def _rejoined(parts: list[str], separator: str) -> list[str]:
    """``parts`` split also where the separator lay inside a string (after an odd number of
    quotes), joined again there."""
    bodies: list[str] = []
    open_part: list[str] = []
    quotes = 0
    for part in parts:
        open_part.append(part)
        quotes += part.count('"')
        if not quotes % 2:
            bodies.append(separator.join(open_part))
            open_part, quotes = [], 0
    if open_part:
        bodies.append(separator.join(open_part))  # quotes unpaired: _names refuses it
    return bodies


def _names(bodies: list[str], key: str) -> list[str] | None:
    """Each entry's file name, when every entry is of the plain shape: its quotes paired, one
    ``filename`` key written as ``key`` is written, outside any object nested in the entry,
    its value a string."""
    names: list[str] = []
    size = len(key)
    for body in bodies:
        at = body.find(key)
        if at < 0 or body.count('"') % 2 or body.count('"filename"') != 1:
            return None
        if body.count("{", 0, at) != body.count("}", 0, at):
            return None  # within an object (or braces in a string: decoded whole)
        if body.find("}", 0, at) >= 0 and not _outside_objects(body[:at]):
            return None  # a brace in a string hid one the key lies within
        start = at + size
        names.append(body[start : body.find('"', start)])
    return names


def _outside_objects(before: str) -> bool:
    """Whether the text before a key (its quotes paired) closes every object it opens,
    counting only braces outside strings (the text between quotes)."""
    outside = "".join(before.split('"')[::2])
    return outside.count("{") == outside.count("}")
