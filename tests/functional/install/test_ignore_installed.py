"""``pinset install -I/--ignore-installed``: resolve as if the target were empty (pip's flag)."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.fixtures_install import Run, catalog, index, pinset, venv  # noqa: F401
from tests.helpers.install_world import installed, site_packages


def test_dry_run_resolves_as_if_nothing_were_installed(pinset: Run, venv: Path) -> None:
    assert pinset("install", "lib==1.0", "--no-compile").returncode == 0
    result = pinset("install", "--ignore-installed", "--dry-run", "--report", "-", "app")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert sorted(i["metadata"]["name"] for i in report["install"]) == ["app", "lib"]
    assert " + lib==2.0" in result.stderr
    assert installed(site_packages(venv)) == {"lib": "1.0"}  # a dry run changes nothing


def test_install_reinstalls_and_leaves_one_copy(pinset: Run, venv: Path) -> None:
    assert pinset("install", "app", "--no-compile").returncode == 0
    result = pinset("install", "-I", "app", "--no-compile")
    assert result.returncode == 0, result.stderr
    assert " + app==1.0" in result.stderr
    site = site_packages(venv)
    assert installed(site) == {"app": "1.0", "lib": "2.0"}
    assert len(list(site.glob("lib-*.dist-info"))) == 1
