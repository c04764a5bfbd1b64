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
from pinset.kinds import is_direct
from pinset.requirements.model import Requirement

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


def check_lines(requirements: Sequence[Requirement]) -> None:
    """Every top-level requirement pinned and hashed; raises with every problem."""
    problems: list[Diagnostic] = []
    for req in requirements:
        if req.constraint:
            continue
        if req.url is None and not req.is_pinned:
            problems.append(
                Diagnostic(
                    Severity.ERROR,
                    f"{req.raw} is not pinned with == (required in hash-checking mode)",
                    where=_where(req),
                    source_line=req.raw,
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
                    source_line=req.raw,
                    code="hash-missing",
                )
            )
    if problems:
        raise HashesRequiredError(tuple(problems))


def check_pins(
    candidates: Sequence[Candidate],
    hashes: Mapping[NormalizedName, Mapping[str, set[str]]],
    sha256_of: Callable[[Candidate], str],
) -> None:
    """Every candidate to install has user hashes; the missing are listed with a line to add."""
    problems: list[Diagnostic] = []
    for candidate in candidates:
        if hashes.get(candidate.name):
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
