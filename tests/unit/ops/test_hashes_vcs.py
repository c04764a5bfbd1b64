"""Hash-checking mode's rule for version-control requirements, without running any tool."""

from __future__ import annotations

import pytest
from packaging.utils import canonicalize_name
from packaging.version import Version

from pinset.dists import Candidate
from pinset.errors import Location
from pinset.kinds import VcsCheckout
from pinset.links import Link
from pinset.ops.hashes import HashesRequiredError, check_lines, check_pins
from pinset.requirements.model import Requirement

SHA = "0123456789abcdef" * 2 + "01234567"


def _req(url: str, line: int = 1) -> Requirement:
    return Requirement(Location("r.txt", line, 1), url, "pkg", url=url)


def test_a_full_commit_is_accepted_and_a_branch_gets_the_commit_to_pin() -> None:
    check_lines([_req(f"git+https://h/r.git@{SHA}#egg=pkg")])
    with pytest.raises(HashesRequiredError) as caught:
        check_lines(
            [_req("git+https://u:tok@h/r.git@main#egg=pkg"), _req("hg+https://h/r@tip", 2)],
            lambda req: SHA if req.url and req.url.startswith("git") else None,
        )
    first, second = caught.value.problems
    assert first.hint == f"pin the commit it names now: git+https://u:****@h/r.git@{SHA}#egg=pkg"
    assert "tok" not in (first.message + (first.hint or ""))
    assert second.hint == "pin a full commit id: URL@COMMIT"


def test_a_pinned_checkout_needs_no_hash_but_a_moving_one_does() -> None:
    def candidate(url: str) -> Candidate:
        link = Link(url, "r.git")
        kind = VcsCheckout("git")
        return Candidate(canonicalize_name("pkg"), Version("1"), link, kind=kind)

    check_pins([candidate(f"git+https://h/r.git@{SHA}")], {}, lambda c: "x")
    with pytest.raises(HashesRequiredError):
        check_pins([candidate("git+https://h/r.git@main")], {}, lambda c: "x")
