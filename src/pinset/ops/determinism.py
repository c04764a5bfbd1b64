"""``check``'s determinism audit: what makes installing a requirements file not repeatable.

Each finding is a :class:`~pinset.errors.Diagnostic` with a severity, the line's origin
(``file:line:column``), a ``code`` naming its class and, as its hint, a fix to paste:

``unpinned`` / ``ranged`` (warning)
    a requirement with no version, or a range (``>=``, ``~=``, ``==1.*``...) rather than one
    version: the version installed depends on the day;
``unpinned-dependency`` (warning, only when resolved: ``check --resolve``)
    a project the file's requirements need that the file does not pin, with the version it
    resolved to;
``missing-hash`` (error)
    hash-checking mode is on (``--require-hashes``, or some line has ``--hash``) and a line has
    no ``--hash``: installing it fails;
``vcs-revision`` (warning)
    a version-control URL with no revision, or one that is not a full commit id (a branch or
    tag moves; the rule is :func:`pinset.distribution.checkout.pinned_commit`'s, which
    hash-checking mode applies too);
``url-hash`` (warning)
    an archive URL with neither ``#sha256=`` nor ``--hash``: the file behind it may change;
``several-indexes`` (note or warning)
    several indexes: with pinset's default ``first-index`` strategy a project is taken from the
    first index that has it (a note: a project published on an earlier index under the name of
    one of yours on a later index would be taken; no finding when every line is hashed); with
    ``unsafe-best-match`` any index may supply any project (a warning).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

from pinset.errors import Diagnostic, Location, Severity
from pinset.options import DEFAULT_INDEX_URL
from pinset.redaction import redact_text, redact_url
from pinset.requirements import RequirementsFile
from pinset.requirements.model import Requirement
from pinset.urls import is_file_url, url_to_path

_HASH_FRAGMENT = re.compile(r"[#&](sha256|sha384|sha512)=[0-9a-fA-F]+")
Resolved = Mapping[NormalizedName, Version]


def audit_files(
    files: Sequence[RequirementsFile],
    *,
    require_hashes: bool = False,
    strategy: str = "first-index",
    index_url: str = DEFAULT_INDEX_URL,
    resolved: Resolved | None = None,
) -> list[Diagnostic]:
    """Every finding in ``files`` (see the module); ``resolved`` (``--resolve``): the version
    of every project the files need, which the fixes name."""
    found: list[Diagnostic] = []
    for parsed in files:
        hash_mode = _hash_mode(parsed, require_hashes)
        for req in parsed.requirements:
            if req.constraint:
                continue
            if not req.editable:
                found.extend(_line(req, hash_mode, resolved or {}))
            elif hash_mode is not None:
                found.extend(_editable_in_hash_mode(req, hash_mode))
        found.extend(_indexes(parsed, strategy, index_url))
    return found


def _hash_mode(parsed: RequirementsFile, require_hashes: bool) -> str | None:
    """Why installing ``parsed`` is in hash-checking mode, or None when it is not."""
    if require_hashes or parsed.options.require_hashes:
        return "--require-hashes is on"
    hashed = next((r for r in parsed.requirements if r.hashes), None)
    if hashed is None:
        return None
    name = hashed.name or redact_text(hashed.raw)
    return f"{name} ({hashed.origin}) has --hash, which turns hash-checking on"


def _line(req: Requirement, hash_mode: str | None, resolved: Resolved) -> list[Diagnostic]:
    """The findings of one line (``hash_mode``: why hash-checking mode is on, if it is)."""
    found = [d for d in (_pin(req, resolved), _url(req)) if d is not None]
    if hash_mode is not None and not req.hashes and not _at_commit(req):
        found.append(
            _finding(
                Severity.ERROR,
                "missing-hash",
                req,
                f"{req.name or redact_text(req.raw)} has no --hash, and {hash_mode}: "
                "installing this file fails",
                "add its --hash=sha256:... values (pinset freeze --hashes -r FILE writes them)",
            )
        )
    return found


def _editable_in_hash_mode(req: Requirement, hash_mode: str) -> list[Diagnostic]:
    """An editable line in hash-checking mode: refused by install unless it is a VCS line
    at a full commit id (the rule of :mod:`pinset.ops.hashes`)."""
    shown = redact_text(req.raw)
    if req.vcs is None:
        message = f"-e {shown} cannot be hashed (no single file), and {hash_mode}"
        fix = "install it without -e from a hashed archive, or in a run without hash-checking"
    elif not _at_commit(req):
        message = f"-e {shown} does not name a full commit id, and {hash_mode}"
        fix = "name the full commit id: -e vcs+URL@<commit>#egg=name"
    else:
        return []
    return [_finding(Severity.ERROR, "editable-hash", req, message + ": installing fails", fix)]


def _pin(req: Requirement, resolved: Resolved) -> Diagnostic | None:
    if req.url is not None or req.name is None or req.is_pinned:
        return None
    version = resolved.get(canonicalize_name(req.name))
    fix = f"replace with: {_pinned(req, version)}" if version else _NO_VERSION
    if not str(req.specifier):
        message = f"{req.name} is not pinned: the newest version is installed on the day"
        return _finding(Severity.WARNING, "unpinned", req, message, fix)
    message = f"{req.name} is pinned to a range ({req.specifier}), not one version"
    return _finding(Severity.WARNING, "ranged", req, message, fix)


_NO_VERSION = "pin one version with == (pinset check --resolve names the version it resolves to)"


def _pinned(req: Requirement, version: Version) -> str:
    extras = f"[{','.join(req.extras)}]" if req.extras else ""
    marker = f" ; {req.marker}" if req.marker is not None else ""
    return f"{req.name}{extras}=={version}{marker}"


def _url(req: Requirement) -> Diagnostic | None:
    if req.url is None:
        return None
    if req.vcs is not None:
        return _vcs(req, req.url)
    if req.hashes or _HASH_FRAGMENT.search(req.url) or _is_directory(req.url):
        return None
    shown = redact_url(req.url)
    digest = _local_sha256(req.url)
    fix = (
        f"replace the URL with: {shown}#sha256={digest}"
        if digest
        else f"append #sha256=<the file's sha256> to {shown}, or add --hash=sha256:..."
    )
    message = f"{shown} has no hash: the file behind the URL may change"
    return _finding(Severity.WARNING, "url-hash", req, message, fix)


def _at_commit(req: Requirement) -> bool:
    """A version-control requirement written with a full commit id (which stands in for a
    hash in hash-checking mode, as :mod:`pinset.ops.hashes` rules)."""
    if req.vcs is None or req.url is None:
        return False
    from pinset.distribution.checkout import pinned_commit
    from pinset.vcs.base import VcsError

    try:
        return pinned_commit(req.url) is not None
    except VcsError:
        return False


def _vcs(req: Requirement, url: str) -> Diagnostic | None:
    from pinset.vcs.base import VcsError
    from pinset.vcs.url import parse_vcs_url

    try:
        parsed = parse_vcs_url(url)
    except VcsError:
        return None  # the parser and the VCS layer report a URL they refuse
    if _at_commit(req):
        return None
    revision, tool = parsed.revision, parsed.vcs
    where = f"{tool}+{parsed.display}"
    fix = f"name the full commit id: {where}@<commit>" + (
        f" (git ls-remote {parsed.display} {revision} prints it)"
        if tool == "git" and revision
        else ""
    )
    if revision is None:
        message = f"{where} names no revision: the default branch's latest commit is installed"
    else:
        message = f"{where}@{revision}: '{revision}' is a branch or tag, not a full commit id"
    return _finding(Severity.WARNING, "vcs-revision", req, message, fix)


def _is_directory(url: str) -> bool:
    if not is_file_url(url):
        return False
    try:
        return url_to_path(url.partition("#")[0]).is_dir()
    except ValueError:
        return False


def _local_sha256(url: str) -> str | None:
    """The sha256 of a local archive a ``file:`` URL names (None for other URLs)."""
    if not is_file_url(url):
        return None
    from pinset.distribution.fetch import file_digests

    try:
        return file_digests(url_to_path(url.partition("#")[0]), ())["sha256"]
    except (OSError, ValueError):
        return None


def _indexes(parsed: RequirementsFile, strategy: str, index_url: str) -> list[Diagnostic]:
    """Several indexes: who may supply a project (``index_url``: the one in force when the file
    names none)."""
    options = parsed.options
    if options.no_index or not options.extra_index_urls:
        return []
    urls = list(
        dict.fromkeys(u for u in (options.index_url or index_url, *options.extra_index_urls))
    )
    if len(urls) < 2:
        return []
    shown = ", then ".join(redact_url(u) for u in urls)
    where = _option_line(parsed, "--extra-index-url")
    if strategy == "unsafe-best-match":
        message = (
            f"several indexes ({shown}) with --index-strategy unsafe-best-match: any index may "
            "supply any project, so a project published on a public index under the name of "
            "a private one can be installed instead (dependency confusion)"
        )
        hint = "drop --index-strategy unsafe-best-match, or add --hash to every line"
        return [_index_finding(Severity.WARNING, message, where, hint)]
    if all(r.hashes for r in parsed.requirements if not r.constraint):
        return []
    if _is_default(urls[0]):
        message = (
            f"several indexes ({shown}): each project comes from the first index that has it, "
            f"and {redact_url(urls[0])} is asked first: a project published there under the "
            "name of one on a later index would be installed instead (dependency confusion)"
        )
        hint = f"ask your own index first: --index-url {redact_url(urls[1])} --extra-index-url "
        hint += f"{redact_url(urls[0])}, or add --hash to every line"
        return [_index_finding(Severity.WARNING, message, where, hint)]
    message = (
        f"several indexes ({shown}): each project comes from the first index that has it "
        "(--index-strategy first-index, the default), so a later index cannot replace a "
        "project the first one has"
    )
    return [_index_finding(Severity.NOTE, message, where, None)]


def _is_default(url: str) -> bool:
    return url.rstrip("/") == DEFAULT_INDEX_URL.rstrip("/")


def _index_finding(
    severity: Severity, message: str, where: Location | None, hint: str | None
) -> Diagnostic:
    return Diagnostic(severity, message, where=where, hint=hint, code="several-indexes")


def _option_line(parsed: RequirementsFile, flag: str) -> Location | None:
    """Where ``flag`` is first written in the top file (read again: options keep no origin)."""
    from pathlib import Path

    try:
        lines = Path(parsed.origin).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for number, text in enumerate(lines, start=1):
        column = text.find(flag)
        if column >= 0 and not text.lstrip().startswith("#"):
            return Location(parsed.origin, number, column + 1)
    return None


def _finding(severity: Severity, code: str, req: Requirement, message: str, fix: str) -> Diagnostic:
    return Diagnostic(
        severity,
        message,
        where=req.origin if req.origin.line > 0 else None,
        source_line=redact_text(req.raw),
        hint=fix,
        code=code,
    )


def unpinned_dependencies(
    files: Sequence[RequirementsFile], pins: Resolved, chains: Mapping[NormalizedName, str]
) -> list[Diagnostic]:
    """Every resolved project that no line of ``files`` names (``chains``: for each, the
    top-level project that needs it), at the origin of the line that brought it in."""
    lines = [r for f in files for r in (*f.requirements, *f.constraints)]
    named = {canonicalize_name(r.name) for r in lines if r.name and (r.is_pinned or r.url)}
    tops = {canonicalize_name(r.name or ""): r for r in _requested(files)}
    found: list[Diagnostic] = []
    for name, version in pins.items():
        if name in named or name in tops:
            continue
        top = tops.get(canonicalize_name(chains.get(name, "")))
        found.append(
            Diagnostic(
                Severity.WARNING,
                f"{name} (needed by {chains.get(name, 'the requirements')}) is not pinned: "
                f"it resolved to {version}",
                where=top.origin if top is not None and top.origin.line > 0 else None,
                source_line=redact_text(top.raw) if top is not None else None,
                hint=f"add: {name}=={version}",
                code="unpinned-dependency",
            )
        )
    return found


def _requested(files: Iterable[RequirementsFile]) -> Iterable[Requirement]:
    for parsed in files:
        yield from (r for r in parsed.requirements if r.name and not r.constraint)
