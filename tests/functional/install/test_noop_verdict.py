"""A satisfied ``pinset install`` remembers its verdict; the next identical run reuses it, and
any change that could alter the answer makes the full check run again."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers.fixtures_install import NEWEST, Run, catalog, index, pinset, venv  # noqa: F401
from tests.helpers.imports import IMPORTTIME, imported
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import (
    dist_info,
    installed,
    new_venv,
    run_pinset,
    site_packages,
)

REUSED = "verdict reused"


def _settled(pinset: Run, *args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Install (which re-checks and writes the verdict), then return a run that reused it."""
    done = pinset("install", "-v", *args, **kwargs)
    assert done.returncode == 0, done.stderr
    assert REUSED not in done.stderr
    again = pinset("install", "-v", *args, **kwargs)
    assert again.returncode == 0, again.stderr
    assert REUSED in again.stderr, f"first run:\n{done.stderr}\nsecond run:\n{again.stderr}"
    return again


def _requirements(tmp_path: Path, text: str) -> None:
    (tmp_path / "req.txt").write_text(text)


def test_an_unchanged_run_reuses_the_verdict_and_asks_no_server(
    pinset: Run, index: IndexServer, tmp_path: Path
) -> None:
    _requirements(tmp_path, "app\nlib==1.0\n")
    assert REUSED in _settled(pinset, "-r", "req.txt").stderr
    index.clear_requests()
    again = pinset("install", "-v", "-r", "req.txt")
    assert again.stderr.startswith("Already satisfied: checked 2 packages in ")
    assert REUSED in again.stderr
    assert index.requests == []
    quiet = pinset("install", "-r", "req.txt")
    assert quiet.returncode == 0
    assert pinset("install", "-r", "req.txt").stderr.startswith("Already satisfied: checked 2")


def test_the_first_run_after_an_install_reuses_its_verdict(
    pinset: Run, index: IndexServer, tmp_path: Path
) -> None:
    _requirements(tmp_path, "app\n")
    first = pinset("install", "-v", "-r", "req.txt")
    assert first.returncode == 0, first.stderr
    assert "+ app==" in first.stderr
    index.clear_requests()
    again = pinset("install", "-v", "-r", "req.txt")
    assert again.stderr.startswith("Already satisfied: checked 2 packages in ")
    assert REUSED in again.stderr
    assert index.requests == []


def test_editing_the_requirements_file_runs_the_check(pinset: Run, tmp_path: Path) -> None:
    _requirements(tmp_path, "app\nlib==1.0\n")
    assert REUSED in _settled(pinset, "-r", "req.txt").stderr
    _requirements(tmp_path, "app\nlib==2.0\n")
    changed = pinset("install", "-v", "-r", "req.txt")
    assert changed.returncode == 0, changed.stderr
    assert REUSED not in changed.stderr
    assert "req.txt changed since the last check" in changed.stderr
    assert " + lib==2.0" in changed.stderr


def test_editing_an_included_file_runs_the_check(pinset: Run, venv: Path, tmp_path: Path) -> None:
    _requirements(tmp_path, "app\n-r more.txt\n")
    (tmp_path / "more.txt").write_text("lib==1.0\n")
    assert REUSED in _settled(pinset, "-r", "req.txt").stderr
    (tmp_path / "more.txt").write_text("lib==2.0\n")
    changed = pinset("install", "-v", "-r", "req.txt")
    assert changed.returncode == 0, changed.stderr
    assert REUSED not in changed.stderr
    assert installed(site_packages(venv))["lib"] == "2.0"


def test_a_dist_removed_by_another_tool_is_installed_again(
    pinset: Run, venv: Path, tmp_path: Path
) -> None:
    _requirements(tmp_path, "app\nlib==1.0\n")
    assert REUSED in _settled(pinset, "-r", "req.txt").stderr
    shutil.rmtree(dist_info(site_packages(venv), "lib"))
    again = pinset("install", "-v", "-r", "req.txt")
    assert again.returncode == 0, again.stderr
    assert " + lib==1.0" in again.stderr


def test_another_install_in_between_runs_the_check(pinset: Run, venv: Path, tmp_path: Path) -> None:
    _requirements(tmp_path, "app\nlib==1.0\n")
    assert REUSED in _settled(pinset, "-r", "req.txt").stderr
    other = pinset("install", "lib==2.0")
    assert other.returncode == 0, other.stderr
    again = pinset("install", "-v", "-r", "req.txt")
    assert again.returncode == 0, again.stderr
    assert REUSED not in again.stderr
    assert installed(site_packages(venv))["lib"] == "1.0"
    assert pinset("install", "speedy").returncode == 0
    added = pinset("install", "-v", "-r", "req.txt")
    assert REUSED not in added.stderr
    assert "Already satisfied: checked 2 packages" in added.stderr


def test_a_changed_index_variable_runs_the_check(
    pinset: Run, index: IndexServer, tmp_path: Path
) -> None:
    _requirements(tmp_path, "app\nlib==1.0\n")
    assert REUSED in _settled(pinset, "-r", "req.txt").stderr
    moved = pinset("install", "-v", "-r", "req.txt", env={"PIP_INDEX_URL": index.simple_url})
    assert moved.returncode == 0, moved.stderr
    assert REUSED not in moved.stderr


def test_a_changed_pip_config_file_runs_the_check(pinset: Run, tmp_path: Path) -> None:
    _requirements(tmp_path, "app\nlib==1.0\n")
    config = tmp_path / "pip.conf"
    config.write_text("[install]\nno-compile = true\n")
    env = {"PIP_CONFIG_FILE": str(config)}
    assert REUSED in _settled(pinset, "-r", "req.txt", env=env).stderr
    config.write_text("[install]\nno-compile = true\n[global]\nquiet = 1\n")
    changed = pinset("install", "-v", "-r", "req.txt", env=env)
    assert changed.returncode == 0, changed.stderr
    assert REUSED not in changed.stderr


def test_another_python_gets_its_own_check(pinset: Run, index: IndexServer, tmp_path: Path) -> None:
    _requirements(tmp_path, "app\nlib==1.0\n")
    assert REUSED in _settled(pinset, "-r", "req.txt").stderr
    other = new_venv(tmp_path / "other", NEWEST)
    fresh = run_pinset(
        "install",
        "-v",
        "--python",
        str(other),
        "-i",
        index.simple_url,
        "-r",
        "req.txt",
        cwd=tmp_path,
    )
    assert fresh.returncode == 0, fresh.stderr
    assert REUSED not in fresh.stderr
    assert installed(site_packages(other)) == {"app": "1.0", "lib": "1.0"}


def test_options_that_change_the_run_never_reuse_it(pinset: Run, tmp_path: Path) -> None:
    _requirements(tmp_path, "app\nlib==1.0\n")
    assert REUSED in _settled(pinset, "-r", "req.txt").stderr
    forced = pinset("install", "-v", "-r", "req.txt", "--force-reinstall")
    assert forced.returncode == 0, forced.stderr
    assert REUSED not in forced.stderr
    assert " + lib==1.0" in forced.stderr
    upgraded = pinset("install", "-v", "--upgrade", "-r", "req.txt")
    assert REUSED not in upgraded.stderr


def test_a_pending_journal_is_seen_before_a_verdict_is_reused(
    pinset: Run, venv: Path, tmp_path: Path
) -> None:
    _requirements(tmp_path, "lib==1.0\n")
    assert REUSED in _settled(pinset, "-r", "req.txt").stderr
    journal = site_packages(venv) / ".pinset" / "0000.journal"
    journal.write_text("not one of pinset's\n")  # one listdir finds it
    again = pinset("install", "-v", "-r", "req.txt")
    assert again.returncode == 0, again.stderr
    assert REUSED not in again.stderr
    assert f"warning: ignored {journal}" in again.stderr
    assert "Already satisfied: checked 1 package" in again.stderr


def test_a_reused_verdict_loads_neither_openssl_nor_the_cli(
    pinset: Run, index: IndexServer, venv: Path, tmp_path: Path
) -> None:
    # the reused verdict's fixed cost: no hashlib (OpenSSL's libcrypto), argparse or re; the
    # digests it compares are still sha256 (a verdict written by the full run is reused)
    _requirements(tmp_path, "app\nlib==1.0\n")
    assert REUSED in _settled(pinset, "-r", "req.txt").stderr
    argv = ["install", "--python", str(venv), "-i", index.simple_url, "-v", "-r", "req.txt"]
    traced = run_pinset(*argv, cwd=tmp_path, python_flags=IMPORTTIME, timeout=60)
    assert traced.returncode == 0, traced.stderr
    assert REUSED in traced.stderr
    modules = imported(traced.stderr)
    assert "pinset.ops.noop_verdict" in modules
    assert not modules & {"hashlib", "_hashlib", "argparse", "re", "typing"}


CONSOLE_SCRIPT = "import sys; from pinset.cli.main import script; sys.exit(script())"
"""What the ``pinset`` console script runs (as installers write it): no runpy."""

FAST_PATH_STDLIB = frozenset({"marshal", "time", "types", "__future__", "_sha256", "_sha2"})
"""What a reused verdict may import beyond what the interpreter loads to run ``pass``."""


def test_a_reused_verdict_from_the_console_script_imports_almost_nothing(
    index: IndexServer, venv: Path, tmp_path: Path
) -> None:
    # started as `pinset ...` (not `python -m pinset`, whose runpy imports collections,
    # contextlib and importlib.util first), the reused verdict adds only pinset's own few
    # modules and the small ones above: each import is a part of the no-op's ~2 ms
    _requirements(tmp_path, "app\nlib==1.0\n")
    argv = ["install", "--python", str(venv), "-i", index.simple_url, "-v", "-r", "req.txt"]
    console = (sys.executable, *IMPORTTIME, "-c", CONSOLE_SCRIPT, *argv)

    def run(*command: str) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, NO_COLOR="1")
        return subprocess.run(
            command, cwd=tmp_path, env=env, capture_output=True, text=True, check=False
        )

    done = run(*console)
    assert done.returncode == 0, done.stderr
    traced = run(*console)
    assert traced.returncode == 0, traced.stderr
    assert REUSED in traced.stderr
    assert "Already satisfied: checked 2 packages" in traced.stderr
    bare = run(sys.executable, *IMPORTTIME, "-c", "pass")
    added = imported(traced.stderr) - imported(bare.stderr)
    assert {m for m in added if not m.startswith("pinset")} <= FAST_PATH_STDLIB
    assert "pinset.ops.noop_verdict" in added
