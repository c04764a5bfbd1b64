"""JSON on stdout (or into a file) with every credential redacted.

Requirement URLs, index URLs, origins and source lines may carry ``user:password@``; no JSON
pinset prints or writes for a person or a tool may show it. Every string in the payload (keys
and values, at any depth) has its URLs' userinfo replaced: ``user:****`` (a bare token:
``****``).
"""

from __future__ import annotations

import json
import sys
from typing import TextIO

from pinset.redaction import redact_text


def redacted(value: object) -> object:
    """``value`` (JSON data) with the credentials of every URL in every string hidden."""
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {redact_text(str(k)): redacted(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redacted(v) for v in value]
    return value


def dumps(payload: object, *, indent: int | None = 2) -> str:
    """The redacted payload as JSON text (indented unless ``indent`` is None, pip's one-line
    form), with a final newline."""
    return json.dumps(redacted(payload), indent=indent) + "\n"


def write(payload: object, out: TextIO | None = None) -> None:
    (out or sys.stdout).write(dumps(payload))
