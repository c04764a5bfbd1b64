"""``pinset sync``: the real CLI, the local index, real virtual environments."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.dists import make_wheel
from tests.helpers.fixtures_install import Run, catalog, index, pinset, venv  # noqa: F401
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import installed, site_packages


def _file(tmp_path: Path, text: str, name: str = "pinned.txt") -> str:
    (tmp_path / name).write_text(text)
    return name


def test_sync_installs_upgrades_downgrades_and_removes_in_one_run(
    pinset: Run, venv: Path, tmp_path: Path
) -> None:
    assert pinset("install", "app", "speedy", "old").returncode == 0
    assert installed(site_packages(venv)) == {
        "app": "1.0",
        "lib": "1.0",
        "old": "1.0",
        "speedy": "0.1",
    }
    result = pinset("sync", _file(tmp_path, "app==1.0\nlib==2.0\nchain-b==1.0\n"))
    assert result.returncode == 0, result.stderr
    assert installed(site_packages(venv)) == {"app": "1.0", "lib": "2.0", "chain-b": "1.0"}
    assert "installed 2 packages, removed 2 packages in" in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith((" +", " -"))]
    assert lines == [
        " + chain-b==1.0",
        " - lib==1.0",
        " + lib==2.0",
        " - old==1.0",
        " - speedy==0.1",
    ]
    assert not (venv / "bin" / "speedy").exists()
    # chain-b requires lib==1.0: the files are the whole environment, so that is only a warning
    assert "chain-b 1.0 requires lib==1.0, but lib 2.0 is installed" in result.stderr

    down = pinset("sync", _file(tmp_path, "lib==1.0\n", "down.txt"))
    assert down.returncode == 0, down.stderr
    assert installed(site_packages(venv)) == {"lib": "1.0"}
    assert " - lib==2.0\n + lib==1.0\n" in down.stderr


def test_an_unchanged_rerun_is_a_no_op_without_the_network(
    pinset: Run, venv: Path, index: IndexServer, tmp_path: Path
) -> None:
    name = _file(tmp_path, "app==1.0\nlib==2.0\n")
    assert pinset("sync", name).returncode == 0
    index.clear_requests()
    again = pinset("sync", name)
    assert again.returncode == 0, again.stderr
    assert again.stderr.startswith("Already in sync: checked 2 packages in ")
    assert index.requests == []
    # something extra installed: no longer in sync
    assert pinset("install", "speedy").returncode == 0
    third = pinset("sync", name)
    assert third.returncode == 0, third.stderr
    assert " - speedy==0.1" in third.stderr
    assert installed(site_packages(venv)) == {"app": "1.0", "lib": "2.0"}


def test_unpinned_input_is_refused_with_every_line(pinset: Run, venv: Path, tmp_path: Path) -> None:
    name = _file(tmp_path, "app==1.0\nlib>=1\n# a comment\n  speedy\n")
    result = pinset("sync", name)
    assert result.returncode == 1
    assert "sync needs every requirement pinned: 2 lines are not" in result.stderr
    assert f"{name}:2:1: error: lib>=1 is not pinned to one version" in result.stderr
    assert f"{name}:4:3: error: speedy is not pinned to one version" in result.stderr
    assert installed(site_packages(venv)) == {}


def test_an_empty_set_is_refused_unless_allowed(pinset: Run, venv: Path, tmp_path: Path) -> None:
    assert pinset("install", "lib==1.0").returncode == 0
    name = _file(tmp_path, "# nothing pinned yet\n")
    refused = pinset("sync", name)
    assert refused.returncode == 2
    assert "no requirements: syncing would remove every package" in refused.stderr
    assert "--allow-empty" in refused.stderr
    assert installed(site_packages(venv)) == {"lib": "1.0"}
    emptied = pinset("sync", "--allow-empty", name)
    assert emptied.returncode == 0, emptied.stderr
    assert " - lib==1.0" in emptied.stderr
    assert installed(site_packages(venv)) == {}


def test_dry_run_prints_the_plan_and_changes_nothing(
    pinset: Run, venv: Path, tmp_path: Path
) -> None:
    assert pinset("install", "lib==1.0", "speedy").returncode == 0
    result = pinset("sync", "--dry-run", _file(tmp_path, "lib==2.0\napp==1.0\n"))
    assert result.returncode == 0, result.stderr
    assert "Would install 2 packages and remove 1 package in" in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith((" +", " -"))]
    assert lines == [" + app==1.0", " - lib==1.0", " + lib==2.0", " - speedy==0.1"]
    assert installed(site_packages(venv)) == {"lib": "1.0", "speedy": "0.1"}


def test_seed_tools_are_kept_unless_uv_made_the_environment(
    pinset: Run, venv: Path, tmp_path: Path, index: IndexServer
) -> None:
    wheels = tmp_path / "tools"
    wheels.mkdir()
    for tool in ("pip", "setuptools"):
        index.add(make_wheel(wheels, tool, "1.0"))
    assert pinset("install", "pip==1.0", "setuptools==1.0", "lib==1.0").returncode == 0
    name = _file(tmp_path, "lib==2.0\n")
    kept = pinset("sync", name)
    assert kept.returncode == 0, kept.stderr
    assert installed(site_packages(venv)) == {"lib": "2.0", "pip": "1.0", "setuptools": "1.0"}
    assert pinset("sync", name).stderr.startswith("Already in sync")
    cfg = venv / "pyvenv.cfg"
    cfg.write_text(cfg.read_text() + "uv = 0.9.0\n")
    removed = pinset("sync", name)
    assert removed.returncode == 0, removed.stderr
    assert installed(site_packages(venv)) == {"lib": "2.0"}


def test_hash_checking_mode_as_install(pinset: Run, venv: Path, tmp_path: Path) -> None:
    name = _file(tmp_path, "lib==2.0 --hash=sha256:" + "0" * 64 + "\n")
    result = pinset("sync", name)
    assert result.returncode == 1
    assert "hash" in result.stderr.lower()
    assert installed(site_packages(venv)) == {}


def test_direct_urls_count_as_pinned_and_report_is_written(
    pinset: Run, venv: Path, tmp_path: Path, catalog: Path
) -> None:
    wheel = catalog / "lib-1.0-py3-none-any.whl"
    name = _file(tmp_path, f"lib @ {wheel.as_uri()}\n")
    result = pinset("sync", "--report", "-", name)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [item["metadata"]["name"] for item in report["install"]] == ["lib"]
    assert installed(site_packages(venv)) == {"lib": "1.0"}
    again = pinset("sync", name)
    assert again.stderr.startswith("Already in sync"), again.stderr
