"""Hash-checking mode, as pip has it.

It is on when ``--require-hashes`` is given (command line, configuration or a requirements
file) or when any requirement carries ``--hash``. Then every requirement must be pinned with
``==``/``===`` (or name a file), and every distribution installed — dependencies included —
must have a hash given by the user. Every problem is reported at once; for a missing hash the
line to paste (``name==version --hash=sha256:...``) is given, with the hash the index
announced (or the downloaded file's).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from packaging.utils import NormalizedName, canonicalize_name

from pinset.dists import Candidate
from pinset.errors import Diagnostic, IntegrityError, Location, Severity
from pinset.kinds import VcsCheckout, is_direct
from pinset.redaction import redact_text
from pinset.requirements.model import Requirement
from pinset.settings import Settings

UserHashes = dict[NormalizedName, dict[str, set[str]]]


class HashesRequiredError(IntegrityError):
    """Hash-checking mode found requirements without pins or hashes: all of them are listed."""

    def __init__(self, problems: tuple[Diagnostic, ...]) -> None:
        count = len(problems)
        super().__init__(
            f"hash-checking mode: {count} requirement{'s' if count != 1 else ''} "
            "cannot be verified",
            hint="add the lines shown (or --hash options) to your requirements file",
            note="hash-checking mode is on because of --require-hashes or a --hash option",
        )
        self.problems = problems

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return self.problems


def user_hashes(lines: Iterable[Requirement]) -> UserHashes:
    """``--hash`` values by project (from requirements and constraints alike)."""
    found: UserHashes = {}
    for line in lines:
        if not line.hashes or line.name is None:
            continue
        per = found.setdefault(canonicalize_name(line.name), {})
        for item in line.hashes:
            algo, _, digest = item.partition(":")
            per.setdefault(algo.lower(), set()).add(digest.lower())
    return found


def hash_origins(lines: Iterable[Requirement]) -> dict[NormalizedName, Location]:
    """Where each project's ``--hash`` values were given (its first line with any), so that a
    mismatch names the line to look at."""
    found: dict[NormalizedName, Location] = {}
    for line in lines:
        where = _where(line)
        if line.hashes and line.name is not None and where is not None:
            found.setdefault(canonicalize_name(line.name), where)
    return found


def _where(req: Requirement) -> Location | None:
    return req.origin if req.origin.line > 0 else None


CommitOf = Callable[[Requirement], str | None]
"""The commit a VCS requirement's revision names now (``None`` when it cannot be found)."""


def check_lines(requirements: Sequence[Requirement], commit_of: CommitOf | None = None) -> None:
    """Every top-level requirement pinned and hashed; raises with every problem.

    A version-control requirement, editable or not, is pinned by a full commit id, which stands
    in for the hash (the tree is checked out at exactly that commit); any other revision is
    refused with the line to write, naming the commit ``commit_of`` finds for it. An editable
    local directory is refused, as pip refuses it: there is no single file to hash."""
    problems: list[Diagnostic] = []
    for req in requirements:
        if req.constraint:
            continue
        if req.vcs is not None:
            problem = _vcs_problem(req, commit_of)
            if problem is not None:
                problems.append(problem)
        elif req.editable:
            problems.append(_editable_problem(req))
        elif req.url is None and not req.is_pinned:
            problems.append(
                Diagnostic(
                    Severity.ERROR,
                    f"{req.raw} is not pinned with == (required in hash-checking mode)",
                    where=_where(req),
                    source_line=redact_text(req.raw),
                    code="hash-unpinned",
                    hint="pin it to one version: name==VERSION --hash=sha256:...",
                )
            )
        elif not req.hashes:
            problems.append(
                Diagnostic(
                    Severity.ERROR,
                    f"{req.raw} has no --hash (required in hash-checking mode)",
                    where=_where(req),
                    source_line=redact_text(req.raw),
                    code="hash-missing",
                )
            )
    if problems:
        raise HashesRequiredError(tuple(problems))


def commit_finder(settings: Settings) -> CommitOf:
    """Finds the commit a VCS requirement names through the cache's copy of its repository
    (the ``vcs`` bucket), as an install of it would."""

    def commit_of(req: Requirement) -> str | None:
        from pinset.cache.location import open_cache
        from pinset.distribution.checkout import resolve_commit

        with open_cache(settings.cache_dir.value, disabled=settings.no_cache_dir.value) as cache:
            return resolve_commit(req.url or "", cache.bucket_dir("vcs"))

    return commit_of


def _vcs_problem(req: Requirement, commit_of: CommitOf | None) -> Diagnostic | None:
    from pinset.distribution.checkout import pinned_commit, vcs_source
    from pinset.redaction import redact_url
    from pinset.vcs.base import VcsError
    from pinset.vcs.url import with_revision

    url = req.url or ""
    try:
        if pinned_commit(url) is not None:
            return None
        commit = commit_of(req) if commit_of is not None else None
        backend = vcs_source(url)[0]
    except VcsError as exc:
        shown = f"{redact_text(req.raw)}: {exc.message}"
        return _vcs_diagnostic(req, shown, "pin a full commit id: URL@COMMIT")
    if commit is None:
        hint = "pin a full commit id: URL@COMMIT"
    elif not backend.is_commit_id(commit):  # Subversion, Bazaar: no id stands for content
        hint = (
            f"a {backend.name} revision is not a content hash: only a full git or Mercurial "
            "commit is accepted in hash-checking mode; install this line in a separate run"
        )
    else:
        line = redact_url(with_revision(url, commit))
        hint = f"pin the commit it names now: {'-e ' if req.editable else ''}{line}"
    return _vcs_diagnostic(
        req,
        f"{redact_text(req.raw)} does not name a full commit id (required in hash-checking mode)",
        hint,
    )


def _editable_problem(req: Requirement) -> Diagnostic:
    return Diagnostic(
        Severity.ERROR,
        f"the editable requirement {redact_text(req.raw)} cannot be installed in hash-checking "
        "mode: there is no single file to hash",
        where=_where(req),
        source_line=redact_text(req.raw),
        code="hash-editable",
        hint="install it without -e from a hashed archive or wheel, pin it as an editable "
        "version-control URL at a full commit (-e git+URL@COMMIT#egg=name), or install it "
        "in a separate run without hash-checking mode",
    )


def _vcs_diagnostic(req: Requirement, message: str, hint: str) -> Diagnostic:
    return Diagnostic(
        Severity.ERROR,
        message,
        where=_where(req),
        source_line=redact_text(req.raw),
        code="hash-vcs-revision",
        hint=hint,
    )


def pinned_checkout(candidate: Candidate) -> bool:
    """A version-control candidate pinned to a full commit id: no hash needed."""
    if not isinstance(candidate.kind, VcsCheckout):
        return False
    from pinset.distribution.checkout import pinned_commit

    return pinned_commit(candidate.link.url) is not None


def check_pins(
    candidates: Sequence[Candidate],
    hashes: Mapping[NormalizedName, Mapping[str, set[str]]],
    sha256_of: Callable[[Candidate], str],
) -> None:
    """Every candidate to install has user hashes; the missing are listed with a line to add."""
    problems: list[Diagnostic] = []
    for candidate in candidates:
        if hashes.get(candidate.name) or pinned_checkout(candidate):
            continue
        digest = sha256_of(candidate)
        from pinset.redaction import redact_url

        pin = (
            redact_url(candidate.link.url)
            if is_direct(candidate.kind)
            else f"{candidate.name}=={candidate.version}"
        )
        problems.append(
            Diagnostic(
                Severity.ERROR,
                f"{candidate.name} {candidate.version} has no hash; add: "
                f"{pin} --hash=sha256:{digest}",
                code="hash-missing",
            )
        )
    if problems:
        raise HashesRequiredError(tuple(problems))
