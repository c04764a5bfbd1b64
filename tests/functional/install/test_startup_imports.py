"""A run imports what it uses: the fixed cost of start-up is paid only for work the run does
(the layers a run needs no part of stay unimported, as ``python -X importtime`` shows)."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.helpers.fixtures_install import Run, catalog, index, pinset, venv  # noqa: F401
from tests.helpers.imports import (
    BUILDING,
    CHECKOUTS,
    IMPORTTIME,
    UNPACKING_SOURCES,
    imported,
    output,
)
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import installed, site_packages


def test_a_wheel_only_install_imports_no_build_layer(
    pinset: Run, venv: Path, tmp_path: Path
) -> None:
    (tmp_path / "req.txt").write_text("app\nlib==1.0\n")
    done = pinset("install", "-r", "req.txt", python_flags=IMPORTTIME)
    assert done.returncode == 0, output(done.stderr)
    assert installed(site_packages(venv)) == {"app": "1.0", "lib": "1.0"}
    modules = imported(done.stderr)
    assert "pinset.install.transaction" in modules
    assert not modules & (BUILDING | UNPACKING_SOURCES | CHECKOUTS)


def test_a_dry_run_report_imports_neither_the_installer_nor_the_build_layer(
    pinset: Run, venv: Path, tmp_path: Path
) -> None:
    (tmp_path / "req.txt").write_text("app\n")
    done = pinset("install", "--dry-run", "--report", "-", "-r", "req.txt", python_flags=IMPORTTIME)
    assert done.returncode == 0, output(done.stderr)
    assert '"name": "app"' in done.stdout
    assert installed(site_packages(venv)) == {}
    modules = imported(done.stderr)
    assert "pinset.resolve.resolver" in modules
    assert not modules & (
        BUILDING | UNPACKING_SOURCES | {"installer", "pinset.install.transaction"}
    )


DRY_RUN_UNUSED = frozenset(
    {
        "pinset.install.wheelfile",  # an empty cache keeps no unpacked wheel to read
        "pinset.ops.broken",  # a dry run changes nothing to recheck
        "pinset.ops.satisfied",  # -I: nothing installed counts
        "pinset.resolve.explain",  # the resolution succeeds
        "pinset.cache.maintenance",  # pinset cache's, not a run's
        "pinset.ops.report",  # no --report
    }
)
"""What a dry run with ``--ignore-installed`` and an empty cache uses none of."""


def test_a_cold_dry_run_imports_no_wheel_reader_recheck_or_failure_explainer(
    pinset: Run, venv: Path, tmp_path: Path
) -> None:
    (tmp_path / "req.txt").write_text("app\n")
    done = pinset("install", "--dry-run", "-I", "-r", "req.txt", "-v", python_flags=IMPORTTIME)
    assert done.returncode == 0, output(done.stderr)
    assert "Would install" in done.stderr
    assert "app==1.0" in done.stderr
    modules = imported(done.stderr)
    assert "pinset.resolve.resolver" in modules
    assert modules & DRY_RUN_UNUSED == set()


def test_an_install_imports_no_report_writer_nor_failure_explainer(
    pinset: Run, venv: Path, tmp_path: Path
) -> None:
    (tmp_path / "req.txt").write_text("app\n")
    done = pinset("install", "-r", "req.txt", python_flags=IMPORTTIME)
    assert done.returncode == 0, output(done.stderr)
    assert installed(site_packages(venv)) == {"app": "1.0", "lib": "2.0"}
    modules = imported(done.stderr)
    assert {"pinset.install.wheelfile", "pinset.ops.broken", "pinset.ops.satisfied"} <= modules
    assert not modules & {"pinset.ops.report", "pinset.resolve.explain", "pinset.cache.maintenance"}


def test_a_lock_imports_no_version_control_tools(
    pinset: Run, index: IndexServer, tmp_path: Path
) -> None:
    """A lock of index pins records hashes (the freeze layer's helpers) but reads no
    checkout: the VCS backends stay unimported."""
    (tmp_path / "req.in").write_text("app\n")
    done = pinset(
        "lock", "req.in", "-i", index.simple_url, "-o", "req.txt", python_flags=IMPORTTIME
    )
    assert done.returncode == 0, output(done.stderr)
    assert "app==1.0" in (tmp_path / "req.txt").read_text()
    modules = imported(done.stderr)
    assert "pinset.freeze.entries" in modules
    assert not modules & (CHECKOUTS | {"pinset.vcs.git", "pinset.install.wheelfile"})


def test_posix_launchers_are_written_without_installer(pinset: Run, venv: Path) -> None:
    """installer (with the email package it reads metadata with: a tenth of a warm install)
    is imported only for Windows launchers; a POSIX launcher is pinset's own, and it runs."""
    plain = pinset("install", "lib==1.0", python_flags=IMPORTTIME)
    assert plain.returncode == 0, output(plain.stderr)
    assert "installer" not in imported(plain.stderr)

    scripted = pinset("install", "speedy", python_flags=IMPORTTIME)
    assert scripted.returncode == 0, output(scripted.stderr)
    assert not imported(scripted.stderr) & {"installer", "installer.scripts"}
    ran = subprocess.run(
        [str(venv / "bin" / "speedy")], capture_output=True, text=True, check=True, timeout=60
    )
    assert ran.stdout == "fast\n"
