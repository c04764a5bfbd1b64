"""The user's URL lines are made side by side (each is a download, a checkout or a build),
with the errors reading them in turn would give; editable lines keep their turn."""

from __future__ import annotations

import threading

import pytest

from pinset._dataclass import replace
from pinset.dists import Candidate
from pinset.errors import PinsetError
from pinset.requirements.model import Requirement
from pinset.resolve import resolve
from tests.helpers.repository import Repository, parse_lines, target_markers
from tests.unit.resolve.test_resolve import run, versions

URLS: dict[str, tuple[str, str, list[str]]] = {
    f"https://example.org/p{n}-1.0-py3-none-any.whl": (f"p{n}", "1.0", []) for n in range(3)
}
LINES = "".join(f"p{n} @ {url}\n" for n, url in enumerate(URLS))


class Slow(Repository):
    """Each URL line takes a while, and tells who made it."""

    def __init__(self, *, together: int = 0, failing: frozenset[str] = frozenset()) -> None:
        super().__init__({}, urls=URLS)
        self.threads: list[str] = []
        self._failing = failing
        self._together = threading.Barrier(together, timeout=10) if together else None

    def direct(self, requirement: Requirement) -> Candidate:
        self.threads.append(threading.current_thread().name)
        if self._together is not None:
            self._together.wait()  # every line in flight at once, or a BrokenBarrierError
        if requirement.name in self._failing:
            raise PinsetError(f"cannot build {requirement.name}")
        return super().direct(requirement)


def test_url_lines_are_made_at_the_same_time() -> None:
    repo = Slow(together=3)  # one after the other, the first would wait 10 s and fail
    assert versions(run(repo, LINES)) == {"p0": "1.0", "p1": "1.0", "p2": "1.0"}
    assert "MainThread" not in repo.threads


def test_the_first_failing_line_in_order_is_the_error() -> None:
    repo = Slow(failing=frozenset({"p1", "p2"}))
    with pytest.raises(PinsetError, match="cannot build p1"):
        run(repo, LINES)


def test_a_url_written_twice_keeps_the_place_of_its_first_line() -> None:
    repo = Slow(failing=frozenset({"p0", "p1"}))
    first, second, _ = URLS
    with pytest.raises(PinsetError, match="cannot build p0"):
        run(repo, f"p0 @ {first}\np1 @ {second}\np0 @ {first}\n")


def test_editable_lines_are_made_in_their_turn() -> None:
    lines = [replace(r, editable=True) for r in parse_lines(LINES)]
    repo = Slow()
    resolution = resolve(lines, source=repo, installed={}, markers=target_markers())
    assert versions(resolution) == {"p0": "1.0", "p1": "1.0", "p2": "1.0"}
    assert repo.threads == ["MainThread"] * 3
