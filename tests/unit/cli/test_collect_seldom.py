"""The process's garbage-collector policy set by ``pinset.cli.main`` (fewer collections on a
cold resolve): fewer, never none."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from pinset.cli.main import YOUNG_COLLECTION_THRESHOLD, collect_seldom


@pytest.fixture
def restored_thresholds() -> Iterator[None]:
    before = gc.get_threshold()
    try:
        yield
    finally:
        gc.set_threshold(*before)


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


@pytest.mark.usefixtures("restored_thresholds")
def test_young_collections_are_rarer_and_the_older_ones_unchanged() -> None:
    _, older, oldest = gc.get_threshold()
    collect_seldom()
    assert gc.get_threshold() == (YOUNG_COLLECTION_THRESHOLD, older, oldest)
    assert YOUNG_COLLECTION_THRESHOLD > 700  # CPython's default


@pytest.mark.usefixtures("restored_thresholds")
def test_the_collector_still_runs_and_frees_cycles_by_itself() -> None:
    collect_seldom()
    assert gc.isenabled()
    first, second = _Node(), _Node()
    first.other, second.other = second, first
    alive = weakref.ref(first)
    del first, second
    assert alive() is not None  # a cycle: reference counting alone keeps it
    kept: list[list[object]] = [
        [] for _ in range(YOUNG_COLLECTION_THRESHOLD + 1000)
    ]  # reach the threshold
    assert alive() is None
    assert len(kept) > YOUNG_COLLECTION_THRESHOLD
