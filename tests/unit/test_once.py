"""OncePerKey: concurrent askers of one key share one computation; failures are not kept."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from pinset._once import OncePerKey


def test_concurrent_callers_of_one_key_share_one_computation() -> None:
    once: OncePerKey[str, int] = OncePerKey()
    calls: list[str] = []
    gate = threading.Event()

    def compute() -> int:
        calls.append("x")
        gate.wait(5)
        return 42

    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(once.get, "k", compute) for _ in range(8)]
        gate.set()
        assert [f.result() for f in futures] == [42] * 8
    assert calls == ["x"]
    assert once.get("other", lambda: 7) == 7


def test_a_failure_reaches_the_caller_and_a_later_call_tries_again() -> None:
    once: OncePerKey[str, int] = OncePerKey()

    def broken() -> int:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        once.get("k", broken)
    assert once.get("k", lambda: 1) == 1
