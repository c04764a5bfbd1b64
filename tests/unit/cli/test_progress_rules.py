"""The progress display's small rules: file names shortened in the middle, spinners that say a
phase is alive."""

from __future__ import annotations

from pinset.cli.progress import STALLED, shorten_middle, spins, verbose_line
from pinset.ops.events import Build, Phase, Step, Trace


def test_short_names_are_left_alone_and_long_ones_keep_both_ends() -> None:
    assert shorten_middle("tiny-2.0-py3-none-any.whl", 40) == "tiny-2.0-py3-none-any.whl"
    long = "numpy-2.1.3-cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
    short = shorten_middle(long, 40)
    assert len(short) == 40
    assert short == "numpy-2.1.3-cp3…manylinux2014_x86_64.whl"
    assert short.startswith("numpy-2.1.3")


def test_a_phase_spins_when_it_counts_nothing_or_has_stalled() -> None:
    assert spins(bytes_row=False, total=None, moved=10.0, now=10.0)
    assert not spins(bytes_row=False, total=3, moved=10.0, now=10.0 + STALLED / 2)
    assert spins(bytes_row=False, total=3, moved=10.0, now=10.0 + STALLED)
    assert not spins(bytes_row=True, total=None, moved=None, now=99.0)


def test_verbose_prints_a_build_as_it_starts_not_as_it_ends() -> None:
    assert verbose_line(Build("Building docopt 0.6.2 (sdist)")) == "Building docopt 0.6.2 (sdist)"
    assert verbose_line(Build("Building docopt 0.6.2 (sdist)", done=True)) is None
    assert verbose_line(Phase("Resolving dependencies")) == "Resolving dependencies"
    assert verbose_line(Trace("GET https://x/simple/y/")) == "  GET https://x/simple/y/"
    assert verbose_line(Step("y")) is None
