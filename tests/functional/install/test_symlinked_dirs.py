"""A directory in the environment that is a symbolic link to elsewhere cannot lead writes out."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)

from __future__ import annotations

import os
from pathlib import Path

from tests.helpers.fixtures_install import Run, catalog, index, pinset, venv  # noqa: F401
from tests.helpers.install_world import installed, site_packages


def test_linked_package_directory_outside_is_refused(
    pinset: Run, venv: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    site = site_packages(venv)
    os.symlink(outside, site / "speedy")
    result = pinset("install", "speedy", "--no-compile")
    assert result.returncode != 0
    assert "outside the environment" in result.stderr
    assert list(outside.iterdir()) == []
    assert installed(site) == {}
    assert os.path.islink(site / "speedy")
