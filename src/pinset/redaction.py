"""The one credential redactor: ``scheme://user:secret@host`` is shown ``scheme://user:****@host``.

A userinfo with no password (a token) becomes ``****`` as a whole. :func:`redact_url` redacts
one URL, :func:`redact_text` every URL inside free text (a message, a source line, a
configuration value), :func:`redact_at` the same while following a column (the caret under a
source line). Every URL or text pinset shows, in any layer, goes through one of them: the
requirements parser's diagnostics, the HTTP layer's errors, JSON output and ``config list``.
The data itself keeps its credentials: the installer needs them.

In the foundation layer so that the parser and the HTTP layer (siblings) share it.
"""

from __future__ import annotations

import re

REDACTED = "****"

# scheme://userinfo@ — the userinfo runs to the last "@" before the end of the authority.
_URL_USERINFO = re.compile(
    r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)(?P<userinfo>[^\s/?#@]*(?:@[^\s/?#@]*)*)@"
)


_AUTHORITY_END = re.compile(r"[\s/?#]")
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")


def _hidden(userinfo: str) -> str:
    user, sep, _password = userinfo.partition(":")
    return f"{user}:{REDACTED}" if sep else REDACTED


def redact_url(url: str) -> str:
    """``url`` with any password replaced by ``****`` (a password-less userinfo entirely)."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    end = len(rest)
    for stop in "/?#":
        pos = rest.find(stop)
        if pos != -1:
            end = min(end, pos)
    authority, tail = rest[:end], rest[end:]
    userinfo, at, hostport = authority.rpartition("@")
    if not at:
        return url
    return f"{scheme}://{_hidden(userinfo)}@{hostport}{tail}"


def redact_text(text: str) -> str:
    """``text`` with the userinfo of every ``scheme://user:pass@`` URL in it redacted.

    The pattern is tried only around each ``://`` whose authority holds an ``@`` (a match
    never spans more): a long text (a project's description in a report) is not scanned
    character by character. Same result as :func:`redact_at`'s full scan.
    """
    if "@" not in text or "://" not in text:
        return text
    out: list[str] = []
    done = 0
    sep = text.find("://")
    while sep != -1:
        stop = _AUTHORITY_END.search(text, sep + 3)
        end = stop.start() if stop is not None else len(text)
        if text.find("@", sep + 3, end) != -1:
            start = sep
            while start > done and text[start - 1] in _SCHEME_CHARS:
                start -= 1
            found = _URL_USERINFO.search(text, start, end)
            if found is not None:
                out += (text[done : found.start("userinfo")], _hidden(found["userinfo"]))
                done = found.end("userinfo")
        sep = text.find("://", sep + 3)
    out.append(text[done:])
    return "".join(out)


def redact_at(text: str, column: int) -> tuple[str, int]:
    """``text`` redacted, and where 1-based ``column`` of ``text`` moved to."""
    if "@" not in text:
        return text, column
    out: list[str] = []
    cursor = 0
    moved = column
    for found in _URL_USERINFO.finditer(text):
        start, end = found.span("userinfo")
        out.append(text[cursor:start])
        hidden = _hidden(found["userinfo"])
        out.append(hidden)
        if end < column:
            moved += len(hidden) - (end - start)
        elif start < column:
            moved = start + 1
        cursor = end
    out.append(text[cursor:])
    return "".join(out), moved
