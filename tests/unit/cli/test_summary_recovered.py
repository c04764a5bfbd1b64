"""What a person reads about the journals interrupted runs left."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pinset.cli.summary import print_recovered
from pinset.install.recovery import Recovered

JOURNAL = Path("/env/lib/site-packages/.pinset/abc.journal")


def _shown(item: Recovered, capsys: pytest.CaptureFixture[str], quiet: bool = False) -> str:
    out = io.StringIO()
    print_recovered([item], out, quiet=quiet)
    return out.getvalue() + capsys.readouterr().err


def test_an_undone_run(capsys: pytest.CaptureFixture[str]) -> None:
    item = Recovered(JOURNAL, "undone", ("x==1.0", "z==3"), ("y==2.0",))
    assert _shown(item, capsys) == (
        "Recovered an interrupted run: removed x==1.0, z==3; restored y==2.0\n"
    )
    assert _shown(item, capsys, quiet=True) == ""


def test_a_finished_run(capsys: pytest.CaptureFixture[str]) -> None:
    item = Recovered(JOURNAL, "finished", ("x==1.0",), ())
    assert _shown(item, capsys) == "Finished an interrupted run: installed x==1.0\n"


def test_ignored_and_stale_journals_are_warnings_even_when_quiet(
    capsys: pytest.CaptureFixture[str],
) -> None:
    ignored = _shown(Recovered(JOURNAL, "ignored"), capsys, quiet=True)
    assert f"warning: ignored {JOURNAL}: it was not written by pinset" in ignored
    stale = _shown(Recovered(JOURNAL, "stale", outside=("/old/a", "/old/b")), capsys, quiet=True)
    assert f"could not recover {JOURNAL}: it names /old/a (and 1 more)" in stale
    assert str(JOURNAL.with_suffix(".stash")) in stale
