"""The METADATA the resolver used must be the one in the wheel that is installed (issue 8 #7).

The resolver reads a candidate's dependencies from the index's PEP 658 file (or from byte
ranges of the wheel); the wheel is downloaded afterwards. An index whose metadata file says
something else than the wheel (here: a lying index that announces the matching hash for its
lie, so every hash check passes) would have pinset install a wheel whose dependencies were
never resolved. pinset compares the two before anything is installed.
"""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)
from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import index_server as index_server_module
from tests.helpers.dists import make_wheel, metadata_text
from tests.helpers.envs import diff, snapshot
from tests.helpers.fixtures_index import IndexServerFactory
from tests.helpers.fixtures_install import venv  # noqa: F401
from tests.helpers.install_world import installed, run_pinset, site_packages


def test_metadata_that_differs_from_the_wheel_is_refused(
    index_server_factory: IndexServerFactory,
    venv: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = tmp_path / "files"
    make_wheel(files, "dep", "1.0")
    real = make_wheel(files, "tool", "1.0", requires=["dep"])
    honest = index_server_module.wheel_metadata

    def lying(path: Path) -> bytes | None:
        if path.name == real.name:
            return metadata_text("tool", "1.0").encode()  # no Requires-Dist: dep
        return honest(path)

    monkeypatch.setattr(index_server_module, "wheel_metadata", lying)
    server = index_server_factory()
    for path in sorted(files.iterdir()):
        server.add(path)
    before = snapshot(venv)
    result = run_pinset(
        "install", "--python", str(venv), "-i", server.simple_url, "tool", cwd=tmp_path
    )
    assert result.returncode == 1, result.stderr
    assert (
        "error: tool-1.0-py3-none-any.whl: its METADATA differs from the metadata pinset "
        "resolved with (Requires-Dist)"
    ) in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert diff(before, snapshot(venv)) == {"added": [], "removed": [], "changed": []}
    assert installed(site_packages(venv)) == {}


def test_metadata_that_matches_installs(
    index_server_factory: IndexServerFactory, venv: Path, tmp_path: Path
) -> None:
    files = tmp_path / "files"
    make_wheel(files, "dep", "1.0")
    make_wheel(files, "tool", "1.0", requires=["dep"], requires_python=">=3")
    server = index_server_factory()
    for path in sorted(files.iterdir()):
        server.add(path)
    result = run_pinset(
        "install", "--python", str(venv), "-i", server.simple_url, "tool", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert installed(site_packages(venv)) == {"tool": "1.0", "dep": "1.0"}
