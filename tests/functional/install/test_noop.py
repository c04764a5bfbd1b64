"""The no-op path of ``pinset install``: nothing to do means no network and no process."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)

from __future__ import annotations

from pathlib import Path

from tests.helpers.fixtures_install import Run, catalog, index, pinset, venv  # noqa: F401
from tests.helpers.index_server import IndexServer


def test_a_satisfied_run_starts_no_process_and_asks_no_server(
    pinset: Run, index: IndexServer, venv: Path, tmp_path: Path
) -> None:
    """The target's facts come from the interpreter cache: a run with nothing to do never
    starts the target Python (seen through a wrapper that writes down every start)."""
    starts = tmp_path / "starts.log"
    wrapper = tmp_path / "python-logged"
    wrapper.write_text(f'#!/bin/sh\necho start >> "{starts}"\nexec "{venv}/bin/python" "$@"\n')
    wrapper.chmod(0o755)
    first = pinset("install", "app[fast]", "--python", str(wrapper), "--no-compile")
    assert first.returncode == 0, first.stderr
    assert starts.read_text().count("start") >= 1  # the probe ran once
    starts.unlink()
    index.clear_requests()
    again = pinset("install", "app[fast]", "--python", str(wrapper))
    assert again.returncode == 0, again.stderr
    assert again.stderr.startswith("Already satisfied: checked 3 packages in ")
    assert not starts.exists()
    assert index.requests == []


def test_an_extra_asked_for_later_is_installed(pinset: Run, index: IndexServer) -> None:
    assert pinset("install", "app").returncode == 0
    index.clear_requests()
    kept = pinset("install", "app")
    assert kept.stderr.startswith("Already satisfied: checked 2 packages in ")
    assert index.requests == []
    more = pinset("install", "app[fast]")
    assert more.returncode == 0, more.stderr
    assert " + speedy==0.1" in more.stderr
