"""A wheel whose METADATA lists an invalid Requires-Dist: the entry is skipped with a warning,
the valid ones resolved (the entries are read once per run, by the prefetch or the resolver,
and the warning still reaches the user)."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)

from __future__ import annotations

from pathlib import Path

from tests.helpers.dists import make_wheel
from tests.helpers.fixtures_install import Run, catalog, index, pinset, venv  # noqa: F401
from tests.helpers.index_server import IndexServer


def test_an_invalid_entry_is_skipped_with_a_warning(
    pinset: Run, index: IndexServer, tmp_path: Path
) -> None:
    index.add(make_wheel(tmp_path, "sloppy", "1.0", requires=["lib>=2", "not valid ((("]))
    index.add(make_wheel(tmp_path, "uses-sloppy", "1.0", requires=["sloppy"]))
    result = pinset("install", "--dry-run", "uses-sloppy")
    assert result.returncode == 0, result.stderr
    assert " + sloppy==1.0" in result.stderr
    assert " + lib==2.0" in result.stderr
    assert "sloppy 1.0: ignoring Requires-Dist 'not valid (((' (" in result.stderr
