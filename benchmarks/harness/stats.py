"""The figures reported per scenario: median and spread of times, paired ratios, peak memory.
Pure: plain numbers in, frozen summaries out."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    """Everything measured for one tool in one scenario on one set.

    ``seconds[i]`` and ``peak_rss_kib[i]`` belong to round ``i``; ``None`` marks a round that
    did not run or failed. ``failure`` is the first useful stderr line of a failed command.
    """

    tool: str
    seconds: tuple[float | None, ...]
    peak_rss_kib: tuple[int | None, ...]
    failure: str | None = None
    installed: tuple[str, ...] | None = None
    """``name==version`` of what the venv held after the first successful install round."""
    cpu_seconds: tuple[float | None, ...] = ()
    cache_bytes: int | None = None
    """Disk used by the tool's cache directory after its first successful cold install."""


@dataclass(frozen=True)
class Summary:
    """Median, min and max of the rounds that succeeded, and the peak RSS over them."""

    median: float
    low: float
    high: float
    rounds: int
    peak_rss_kib: int | None
    cpu_median: float | None = None


def summarize(outcome: Outcome) -> Summary | None:
    """``None`` when no round succeeded."""
    times = [t for t in outcome.seconds if t is not None]
    if not times:
        return None
    rss = [r for r in outcome.peak_rss_kib if r is not None]
    cpu = [c for c in outcome.cpu_seconds if c is not None]
    return Summary(
        median=statistics.median(times),
        low=min(times),
        high=max(times),
        rounds=len(times),
        peak_rss_kib=max(rss) if rss else None,
        cpu_median=statistics.median(cpu) if cpu else None,
    )


def paired_ratio(
    numerator: Sequence[float | None], denominator: Sequence[float | None]
) -> float | None:
    """Median over rounds of ``numerator[i] / denominator[i]``, using only rounds where both
    ran: pairing by round cancels drift that hits both tools in the same round."""
    ratios = [
        a / b
        for a, b in zip(numerator, denominator, strict=False)
        if a is not None and b is not None and b > 0
    ]
    return statistics.median(ratios) if ratios else None


def first_useful_line(stderr: str) -> str:
    """The line of a failed command's stderr that says what went wrong.

    That is the first non-blank line, skipping argparse's ``usage:`` block and its wrapped
    ``[--option]`` lines (an unknown subcommand prints usage first, the error after it).
    """
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in lines:
        if not line.startswith(("usage:", "[", "{")):
            return line
    return lines[0] if lines else "no output"
