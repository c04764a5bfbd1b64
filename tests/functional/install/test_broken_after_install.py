"""After an install, projects already installed whose requirements it broke are named (as pip
does), and only those: an install that breaks nothing says nothing more."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)
from __future__ import annotations

from pathlib import Path

from tests.helpers.fixtures_install import Run, catalog, index, pinset, venv  # noqa: F401
from tests.helpers.install_world import installed, site_packages


def test_an_install_that_breaks_an_installed_project_names_the_requirement(
    pinset: Run, venv: Path
) -> None:
    first = pinset("install", "old")  # old 1.0 requires lib<2
    assert first.returncode == 0, first.stderr
    assert "unmet requirements" not in first.stderr
    result = pinset("install", "lib==3.0")
    assert result.returncode == 0, result.stderr
    assert installed(site_packages(venv))["lib"] == "3.0"
    assert result.stderr.endswith(
        "warning: 1 installed project now has unmet requirements:\n"
        "  old 1.0 requires lib<2, but lib 3.0 is installed\n"
    )
    assert result.stderr.count("old 1.0 requires") == 1


def test_no_deps_installs_are_not_checked_as_pip(pinset: Run) -> None:
    assert pinset("install", "old").returncode == 0
    result = pinset("install", "--no-deps", "lib==3.0")
    assert result.returncode == 0, result.stderr
    assert "unmet requirements" not in result.stderr
