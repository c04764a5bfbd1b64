"""Checks on lines that were read: they add diagnostics and never change what is read
(except dropping an editable constraint, which ``pip install`` refuses)."""

from __future__ import annotations

import urllib.parse

from pinset.errors import Severity
from pinset.requirements.context import FileContext, LineResult, diagnostic, token_offset
from pinset.requirements.lines import LogicalLine
from pinset.requirements.options import LineOptions


def valid_trusted_host(host: str) -> bool:
    """pip's test: ``https://{host}`` must parse with a host (and a valid port, if any)."""
    if host.count(":") >= 2 and "@" not in host and "[" not in host:
        host = f"[{host}]"
    try:
        parsed = urllib.parse.urlparse(f"https://{host}")
        return parsed.hostname is not None and (parsed.port is None or parsed.port >= 0)
    except ValueError:
        return False


_DIGEST_LENGTHS = {"sha256": 64, "sha384": 96, "sha512": 128}
_LOWER_HEX = frozenset("0123456789abcdef")


def check_digests(
    result: LineResult, line: LogicalLine, ctx: FileContext, options: LineOptions
) -> None:
    """pip compares lower-case hex digests: any other spelling can never match."""
    for value in options.all("hashes"):
        algo, _, digest = value.partition(":")
        if len(digest) == _DIGEST_LENGTHS.get(algo) and set(digest) <= _LOWER_HEX:
            continue
        result.diagnostics.append(
            diagnostic(
                ctx,
                line,
                token_offset(line.text, value, 0),
                Severity.WARNING,
                f"--hash={algo}:{digest[:16]}... can never match: a {algo} digest is "
                f"{_DIGEST_LENGTHS.get(algo)} lower-case hex digits",
                hint="copy the digest from the index or from `pip hash`",
                code="bad-digest",
            )
        )


def check_constraint(result: LineResult, line: LogicalLine, ctx: FileContext, offset: int) -> None:
    req = result.requirement
    if req is None or not req.constraint:
        return
    if req.editable:
        result.diagnostics.append(
            diagnostic(
                ctx,
                line,
                offset,
                Severity.ERROR,
                "editable requirements are not allowed as constraints",
                hint="move the -e line to a requirements file (-r)",
                code="editable-constraint",
            )
        )
        result.requirement = None
        return
    problem = None
    if not req.name:
        problem = "an unnamed requirement cannot constrain anything"
    elif req.extras:
        problem = "constraints cannot have extras"
    if problem:
        result.diagnostics.append(
            diagnostic(
                ctx,
                line,
                offset,
                Severity.ERROR,
                problem,
                hint="a constraint is a name and a version specifier, like `name==1.0`",
                code="constraint-form",
            )
        )
