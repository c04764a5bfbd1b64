"""pip's own reading of a requirements file, as plain data: the oracle for differential tests.

``read_with_pip(path, cwd=...)`` reads a file with pip's internal parser pieces (pip 26.3, a
test-only dependency) and returns the shape of the conformance corpus' ``*.pip.json``
(/work/shared/conformance/README.md): ``ok``, ``requirements`` (requirement objects and error
objects, in pip's depth-first order), ``options``, ``files``, ``warnings``.

pip stops at its first error; this oracle drives pip's pieces line by line so that it goes on
and reports every failing line, as the corpus does:

- reading: ``get_file_content`` and ``preprocess`` (continuations, comments, ``${VAR}``);
- each line: pip's own per-line option parser (``get_line_parser`` with a real finder, so
  ``--no-binary``/``--only-binary``/``--pre`` accumulate exactly as in ``pip install``);
- ``-r``/``-c``: the same path joining and recursion check as pip's ``RequirementsFileParser``;
- option lines: pip's ``handle_line`` against a real ``PackageFinder`` and ``PipSession`` (no
  network: nothing is fetched unless an include is an ``http(s)`` URL);
- requirement lines: ``install_req_from_parsed_requirement``, as ``pip install -r`` calls it.

pip reads the process' working directory and environment, so the oracle changes both for the
duration of one call (tests run one per process, or per xdist worker).
"""

from __future__ import annotations

import io
import logging
import optparse
import os
import urllib.parse
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, redirect_stderr
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pip._internal.cli import cmdoptions
from pip._internal.exceptions import InstallationError, PipError
from pip._internal.index.collector import LinkCollector
from pip._internal.index.package_finder import PackageFinder
from pip._internal.models.format_control import FormatControl
from pip._internal.models.release_control import ReleaseControl
from pip._internal.models.search_scope import SearchScope
from pip._internal.models.selection_prefs import SelectionPreferences
from pip._internal.network.session import PipSession
from pip._internal.req.constructors import install_req_from_parsed_requirement
from pip._internal.req.req_file import (
    SCHEME_RE,
    OptionParsingError,
    ParsedLine,
    get_file_content,
    get_line_parser,
    handle_line,
    preprocess,
)
from pip._internal.req.req_install import check_invalid_constraint_type
from pip._internal.utils.misc import redact_auth_from_url
from pip._vendor.packaging.utils import canonicalize_name

DEFAULT_INDEX = "https://pypi.org/simple"
"""The index pip starts from before a file says otherwise."""

JSON = dict[str, Any]


@dataclass
class _State:
    """Everything one oracle run accumulates."""

    cwd: Path
    redact: bool
    session: PipSession
    finder: PackageFinder
    options: optparse.Values
    entries: list[JSON] = field(default_factory=list)
    files: list[JSON] = field(default_factory=list)
    trusted_hosts: list[str] = field(default_factory=list)

    def display(self, filename: str) -> str:
        """A file as the corpus shows it: relative to the working directory when inside it."""
        if SCHEME_RE.search(filename):
            return filename
        absolute = Path(os.path.abspath(filename))
        try:
            return absolute.relative_to(self.cwd).as_posix()
        except ValueError:
            return absolute.as_posix()

    def error(self, exc: BaseException, stage: str, filename: str, line: int) -> None:
        self.entries.append(
            {
                "error": str(exc),
                "error_type": type(exc).__name__,
                "stage": stage,
                "file": self.display(filename),
                "line": line,
            }
        )


def read_with_pip(
    path: str | os.PathLike[str],
    *,
    cwd: str | os.PathLike[str],
    constraint: bool = False,
    environ: Mapping[str, str] | None = None,
    redact: bool = True,
) -> JSON:
    """pip's reading of ``path`` (relative to ``cwd`` or absolute), in the corpus' JSON shape.

    ``environ`` replaces the process environment for ``${VAR}`` expansion (default: empty).
    ``redact`` shows credentials in URLs as ``****`` like the corpus (pip's own redaction).
    """
    cwd_path = Path(cwd).resolve()
    with _pip_world(cwd_path, environ or {}) as warnings:
        state = _new_state(cwd_path, redact)
        _walk(state, os.fspath(path), constraint, {os.path.abspath(path): None}, None)
        options = _options(state)
    return {
        "ok": not any("error" in e for e in state.entries),
        "requirements": state.entries,
        "options": options,
        "files": state.files,
        "warnings": warnings,
    }


@contextmanager
def _pip_world(cwd: Path, environ: Mapping[str, str]) -> Iterator[list[str]]:
    """Working directory, environment and captured warnings for one pip run."""
    saved_cwd = os.getcwd()
    saved_env = dict(os.environ)
    handler = _ListHandler()
    root = logging.getLogger()
    root.addHandler(handler)
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(environ)
    try:
        with redirect_stderr(io.StringIO()):  # optparse prints its usage line on errors
            yield handler.messages
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        os.chdir(saved_cwd)
        root.removeHandler(handler)


class _ListHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _new_state(cwd: Path, redact: bool) -> _State:
    # pip's --use-feature option has one default list for the whole process; a pip run is
    # one process, so start every oracle run from an empty list as pip would.
    shared = getattr(cmdoptions.use_new_feature, "keywords", {}).get("default")
    if isinstance(shared, list):
        shared.clear()
    session = PipSession()
    scope = SearchScope.create(find_links=[], index_urls=[DEFAULT_INDEX], no_index=False)
    prefs = SelectionPreferences(  # as `pip install` builds them from its defaults
        allow_yanked=True,
        format_control=FormatControl(set(), set()),
        release_control=ReleaseControl(),
    )
    finder = PackageFinder.create(LinkCollector(session, scope), prefs)
    options = optparse.Values(
        {"require_hashes": False, "no_require_hashes": False, "features_enabled": []}
    )
    return _State(cwd, redact, session, finder, options)


def _walk(
    state: _State,
    filename: str,
    constraint: bool,
    seen: dict[str, str | None],
    included_from: JSON | None,
) -> None:
    """Read one file and its includes depth first, recording every line's outcome."""
    record: JSON = {
        "file": state.display(filename),
        "constraint": constraint,
        "included_from": included_from,
        "read": True,
    }
    state.files.append(record)
    try:
        _, content = get_file_content(filename, state.session, constraint=constraint)
    except (PipError, OSError, ValueError) as exc:  # ValueError: a NUL in the path
        record["read"] = False
        if included_from is None:
            state.error(exc, "read", filename, 0)
        else:
            state.error(exc, "read", included_from["file"], included_from["line"])
        return
    line_parser = get_line_parser(state.finder)
    for lineno, line in preprocess(content):
        try:
            args, opts = line_parser(line)
        except OptionParsingError as exc:
            state.error(
                InstallationError(f"Invalid requirement: {line}\n{exc.msg}"),
                "option",
                filename,
                lineno,
            )
            continue
        except PipError as exc:
            state.error(exc, "option", filename, lineno)
            continue
        parsed = ParsedLine(filename, lineno, args, opts, constraint)
        if parsed.requirement is None and (opts.requirements or opts.constraints):
            _include(state, parsed, seen)
        else:
            _handle(state, parsed)


def _include(state: _State, parsed: ParsedLine, seen: dict[str, str | None]) -> None:
    """An ``-r``/``-c`` line, joined and checked for cycles exactly as pip does."""
    opts, filename = parsed.opts, parsed.filename
    nested_constraint = not opts.requirements
    req_path: str = opts.requirements[0] if opts.requirements else opts.constraints[0]
    if SCHEME_RE.search(filename):
        req_path = urllib.parse.urljoin(filename, req_path)
    elif not SCHEME_RE.search(req_path):
        req_path = os.path.abspath(os.path.join(os.path.dirname(filename), req_path))
    if req_path in seen:
        first = seen[req_path]
        tail = f" and again in {first}" if first is not None else ""
        state.error(
            InstallationError(f"{req_path} recursively references itself in {filename}{tail}"),
            "read",
            filename,
            parsed.lineno,
        )
        return
    here = {"file": state.display(filename), "line": parsed.lineno}
    _walk(state, req_path, nested_constraint, {**seen, req_path: filename}, here)


def _handle(state: _State, parsed: ParsedLine) -> None:
    try:
        parsed_req = handle_line(parsed, state.options, state.finder, state.session)
    except (PipError, ValueError) as exc:
        state.error(exc, "option", parsed.filename, parsed.lineno)
        return
    if parsed_req is None:
        state.trusted_hosts.extend(
            h for h in parsed.opts.trusted_hosts or [] if h not in state.trusted_hosts
        )
        return
    try:
        ireq = install_req_from_parsed_requirement(
            parsed_req,
            user_supplied=True,
            config_settings=(parsed_req.options or {}).get("config_settings"),
        )
    except (PipError, ValueError) as exc:  # InvalidWheelFilename, InvalidEggFragment, …
        state.error(exc, "requirement", parsed.filename, parsed.lineno)
        return
    state.entries.append(_requirement(state, parsed, ireq))


def _requirement(state: _State, parsed: ParsedLine, ireq: Any) -> JSON:
    req = ireq.req
    url = ireq.link.url if ireq.link is not None else None
    if url is not None and state.redact and "@" in urllib.parse.urlsplit(url).netloc:
        url = redact_auth_from_url(url)
    hashes = sorted(
        f"{algo}:{digest}" for algo, digests in ireq.hash_options.items() for digest in digests
    )
    return {
        "file": state.display(parsed.filename),
        "line": parsed.lineno,
        "raw": parsed.requirement,
        "name": req.name if req is not None else None,
        "name_normalized": canonicalize_name(req.name) if req is not None else None,
        "specifier": str(req.specifier) if req is not None else None,
        "extras": sorted(ireq.extras),
        "marker": str(ireq.markers) if ireq.markers is not None else None,
        "url": url,
        "editable": bool(ireq.editable),
        "is_constraint": bool(ireq.constraint),
        "hashes": hashes,
        "config_settings": ireq.config_settings or None,
        # what `pip install` refuses when it starts resolving (unnamed, editable or extras)
        "constraint_problem": _constraint_problem(ireq),
    }


def _constraint_problem(ireq: Any) -> str | None:
    if not ireq.constraint:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pip's deprecation notice for the same problem
        return check_invalid_constraint_type(ireq) or None


def _options(state: _State) -> JSON:
    """File-level options as the finder, session and command options ended up."""
    scope = state.finder.search_scope
    index_urls = list(scope.index_urls)
    index_url = None
    if index_urls and index_urls[0] is not DEFAULT_INDEX:
        index_url = index_urls[0]
    release = state.finder.release_control
    all_releases = sorted(release.all_releases) if release is not None else []
    return {
        "index_url": index_url,
        "extra_index_urls": index_urls[1:],
        "no_index": bool(scope.no_index),
        "find_links": list(scope.find_links),
        "pre": ":all:" in all_releases,
        "all_releases": all_releases,
        "only_final": sorted(release.only_final) if release is not None else [],
        "trusted_hosts": list(state.trusted_hosts),
        "prefer_binary": bool(state.finder.prefer_binary),
        "only_binary": sorted(state.finder.format_control.only_binary),
        "no_binary": sorted(state.finder.format_control.no_binary),
        "require_hashes": bool(state.options.require_hashes),
        "no_require_hashes": bool(state.options.no_require_hashes),
        "use_features": list(state.options.features_enabled),
    }
