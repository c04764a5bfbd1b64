"""Credentials never leave the parser in a message: ``scheme://user:secret@`` -> ``user:****``.

Diagnostics quote requirement text and source lines, which may hold a password or a token
(written inline or expanded from ``${VAR}``). The requirement data itself keeps them: the
installer needs them.
"""

from __future__ import annotations

import re

REDACTED = "****"
_USERINFO = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.\-]*://)([^\s/?#@]*(?:@[^\s/?#@]*)*)@")


def _hidden(userinfo: str) -> str:
    user, sep, _ = userinfo.partition(":")
    return f"{user}:{REDACTED}" if sep else REDACTED


def redact(text: str) -> str:
    """``text`` with the credentials of every URL in it replaced by ``****``."""
    if "@" not in text:
        return text
    return _USERINFO.sub(lambda m: f"{m.group(1)}{_hidden(m.group(2))}@", text)


def redact_at(text: str, column: int) -> tuple[str, int]:
    """``text`` redacted, and where 1-based ``column`` of ``text`` moved to."""
    if "@" not in text:
        return text, column
    out: list[str] = []
    cursor = 0
    moved = column
    for found in _USERINFO.finditer(text):
        out.append(text[cursor : found.start(2)])
        hidden = _hidden(found.group(2))
        out.append(hidden)
        if found.end(2) < column:
            moved += len(hidden) - len(found.group(2))
        elif found.start(2) < column:
            moved = found.start(2) + 1
        cursor = found.end(2)
    out.append(text[cursor:])
    return "".join(out), moved
