"""One logical line -> what it means: a requirement, an include, or options; plus findings.

This is where pip's per-line rules live: which options count on which kind of line, how an
``-e`` value becomes the requirement, and what pip silently ignores (pinset warns).
"""

from __future__ import annotations

from pinset.errors import Diagnostic, Location, Severity
from pinset.redaction import redact_at
from pinset.requirements.checks import check_constraint, check_digests, valid_trusted_host
from pinset.requirements.context import (
    FileContext,
    LineResult,
    diagnostic,
    origin,
    token_offset,
)
from pinset.requirements.lines import LogicalLine
from pinset.requirements.merge import FORMAT_DESTS
from pinset.requirements.model import Requirement
from pinset.requirements.options import (
    LineOptions,
    OptionError,
    parse_options,
    split_args_options,
    tokenize,
)
from pinset.requirements.parser import Parts, parse_editable, parse_line_requirement
from pinset.requirements.problems import Finding, LineProblem

_REQUIREMENT_DESTS = frozenset({"hashes", "config_settings"}) | frozenset(FORMAT_DESTS)
_EDITABLE_DESTS = frozenset({"config_settings", "editables"}) | frozenset(FORMAT_DESTS)
_INCLUDE_DESTS = frozenset({"requirement_files", "constraints"}) | frozenset(FORMAT_DESTS)


def read_line(line: LogicalLine, ctx: FileContext) -> LineResult:
    result = LineResult()
    args, options_text = split_args_options(line.text)
    try:
        options = parse_options(tokenize(options_text)) if options_text else LineOptions()
    except OptionError as exc:
        offset = token_offset(line.text, exc.token, len(args))
        result.diagnostics.append(
            diagnostic(ctx, line, offset, Severity.ERROR, exc.message, hint=exc.hint, code="option")
        )
        return result
    result.options = options
    if options.ignored:
        words = " ".join(options.ignored)
        offset = token_offset(line.text, options.ignored[0], len(args))
        result.diagnostics.append(
            diagnostic(
                ctx,
                line,
                offset,
                Severity.WARNING,
                f"ignored: {words!r} (pip ignores words that follow options)",
                hint="put each requirement on its own line, before any option",
                code="ignored-words",
            )
        )
    if args:
        _requirement(result, line, ctx, args, 0, editable=options.has("editables"))
    elif options.has("editables"):
        value = options.all("editables")[0]
        offset = _value_offset(line.text, options.spelling("editables"), value)
        _requirement(result, line, ctx, value, offset, editable=True)
    elif options.has("requirement_files") or options.has("constraints"):
        _include(result, line, ctx, options)
    else:
        result.is_option_line = True
        _warn_option_line(result, line, ctx, options)
    return result


def _value_offset(text: str, spelling: str, value: str) -> int:
    """Where the value of the first ``spelling`` option is written in ``text``."""
    start = text.find(spelling)
    start = 0 if start == -1 else start + len(spelling)
    return token_offset(text, value, start)


def _warn_ignored(
    result: LineResult, line: LogicalLine, ctx: FileContext, allowed: frozenset[str], what: str
) -> None:
    assert result.options is not None
    ignored = [used for spec, used, _ in result.options.values if spec.dest not in allowed]
    if not ignored:
        return
    offset = token_offset(line.text, ignored[0], 0)
    result.diagnostics.append(
        diagnostic(
            ctx,
            line,
            offset,
            Severity.WARNING,
            f"{', '.join(dict.fromkeys(ignored))} on {what} has no effect (pip ignores it)",
            hint="write file-wide options on a line of their own",
            code="ignored-option",
        )
    )


def _warn_option_line(
    result: LineResult, line: LogicalLine, ctx: FileContext, options: LineOptions
) -> None:
    per_requirement = [used for spec, used, _ in options.values if spec.per_requirement]
    if per_requirement:
        result.diagnostics.append(
            diagnostic(
                ctx,
                line,
                token_offset(line.text, per_requirement[0], 0),
                Severity.WARNING,
                f"{per_requirement[0]} without a requirement on the same line is ignored",
                hint="put it after the requirement it belongs to (use `\\` to continue lines)",
                code="ignored-option",
            )
        )
    for host in options.all("trusted_hosts"):
        if not valid_trusted_host(host):
            result.diagnostics.append(
                diagnostic(
                    ctx,
                    line,
                    token_offset(line.text, host, 0),
                    Severity.ERROR,
                    f"--trusted-host {host!r} is not a valid host or host:port",
                    hint="write a host name or host:port, like --trusted-host example.com:8080",
                    code="option",
                )
            )
    links = options.all("find_links")
    if len(links) > 1:
        result.diagnostics.append(
            diagnostic(
                ctx,
                line,
                token_offset(line.text, links[1], 0),
                Severity.WARNING,
                f"only the first find-links location of a line counts; {links[1]!r} is ignored",
                hint="write one -f option per line",
                code="ignored-option",
            )
        )


def _include(result: LineResult, line: LogicalLine, ctx: FileContext, options: LineOptions) -> None:
    dest = "requirement_files" if options.has("requirement_files") else "constraints"
    target, nested_constraint = options.all(dest)[0], dest == "constraints"
    offset = _value_offset(line.text, options.spelling(dest), target)
    lineno, column = line.locate(offset)
    source = ctx.physical[lineno - 1] if 0 < lineno <= len(ctx.physical) else None
    if source is not None:
        source, column = redact_at(source, column)
    where = Location(ctx.display, lineno, column)
    result.include = (target, nested_constraint, where, source, origin(ctx, line, offset))
    _warn_ignored(result, line, ctx, _INCLUDE_DESTS, "an include line")
    if len(options.all(dest)) > 1 or (
        options.has("requirement_files") and options.has("constraints")
    ):
        result.diagnostics.append(
            diagnostic(
                ctx,
                line,
                offset,
                Severity.WARNING,
                f"only the first include of a line is read ({target!r}); the others are ignored",
                hint="write one -r or -c per line",
                code="ignored-option",
            )
        )
    if ctx.constraint and not nested_constraint:
        result.diagnostics.append(
            diagnostic(
                ctx,
                line,
                offset,
                Severity.WARNING,
                f"-r inside a constraints file: pip reads {target!r} as requirements to "
                "install, not as constraints",
                hint=f"write `-c {target}` to include it as constraints",
                code="requirements-in-constraints",
            )
        )


def _requirement(
    result: LineResult,
    line: LogicalLine,
    ctx: FileContext,
    text: str,
    offset: int,
    *,
    editable: bool,
) -> None:
    options = result.options
    assert options is not None
    _warn_ignored(
        result,
        line,
        ctx,
        _EDITABLE_DESTS if editable else _REQUIREMENT_DESTS,
        "an editable requirement line" if editable else "a requirement line",
    )
    try:
        parts = (
            parse_editable(text, ctx.place) if editable else parse_line_requirement(text, ctx.place)
        )
    except LineProblem as problem:
        result.diagnostics.append(
            diagnostic(
                ctx,
                line,
                offset + problem.offset,
                Severity.ERROR,
                problem.message,
                hint=problem.hint,
                code=problem.code,
            )
        )
        return
    for finding in parts.findings:
        result.diagnostics.append(_from_finding(ctx, line, offset, finding))
    result.requirement = _build(
        parts,
        text,
        origin(ctx, line, offset),
        options=options,
        ctx=ctx,
        editable=editable,
    )
    check_constraint(result, line, ctx, offset)
    if not editable:
        check_digests(result, line, ctx, options)


def _from_finding(ctx: FileContext, line: LogicalLine, offset: int, finding: Finding) -> Diagnostic:
    return diagnostic(
        ctx,
        line,
        offset + finding.offset,
        finding.severity,
        finding.message,
        hint=finding.hint,
        code=finding.code,
    )


def _build(
    parts: Parts,
    text: str,
    origin: Location,
    *,
    options: LineOptions,
    ctx: FileContext,
    editable: bool,
) -> Requirement:
    settings: dict[str, list[str]] = {}
    for value in options.all("config_settings"):
        key, _, val = value.partition("=")
        settings.setdefault(key, []).append(val)
    return Requirement(
        origin=origin,
        raw=text.rstrip(),
        name=parts.name,
        extras=parts.extras,
        specifier=parts.specifier,
        marker=parts.marker,
        url=parts.url,
        editable=editable,
        constraint=ctx.constraint,
        hashes=() if editable else tuple(sorted(options.all("hashes"))),
        config_settings=tuple((k, tuple(v)) for k, v in settings.items()),
        legacy_form=parts.legacy_form,
    )
