"""The source builder is made when first asked for something, once, whichever threads ask."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from pinset.distribution.build import DeferredBuilds, NoBuilds, SourceBuilder


def test_nothing_is_made_until_asked_then_once_for_every_thread() -> None:
    made: list[SourceBuilder] = []
    gate = threading.Barrier(4)

    def make() -> SourceBuilder:
        builder = NoBuilds()
        made.append(builder)
        return builder

    deferred = DeferredBuilds(make)
    assert not deferred.made
    assert made == []

    def ask(_: int) -> str | None:
        gate.wait()
        return deferred.editable_inputs(None)  # type: ignore[arg-type]

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(ask, range(4))) == [None] * 4
    assert deferred.made
    assert len(made) == 1
