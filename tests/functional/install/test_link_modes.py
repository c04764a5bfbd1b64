"""``--link-mode``: how installed files come from the unpacked-wheel cache, seen on disk; an edit
made through a hard link never reaches another environment; ``check --env`` names it."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

from tests.helpers.fixtures_install import NEWEST, catalog, index  # noqa: F401
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import install_into, new_venv, run_pinset, site_packages

PRISTINE = "def main():\n    print('fast')\n"


def _cached(cache: Path, name: str) -> Path:
    (found,) = (p for p in cache.rglob(name) if "wheels-unpacked" in str(p))
    return found


def test_an_edit_through_a_hard_link_never_reaches_another_environment(
    index: IndexServer, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    one = new_venv(tmp_path / "one", NEWEST)
    assert install_into(index, one, cache, "speedy", "--no-compile").returncode == 0
    edited = site_packages(one) / "speedy" / "__init__.py"
    assert edited.stat().st_nlink == 2  # the default: a hard link to the cache
    with open(edited, "r+") as fh:  # in place, same size: what an editor keeping links does
        fh.write(PRISTINE.replace("fast", "slow"))

    two = new_venv(tmp_path / "two", NEWEST)
    second = install_into(index, two, cache, "speedy", "--no-compile")
    assert second.returncode == 0, second.stderr
    assert (site_packages(two) / "speedy" / "__init__.py").read_text() == PRISTINE
    assert (
        "warning: the cache's unpacked copy of speedy 0.1 had changed (speedy/__init__.py)"
        in second.stderr
    )
    assert _cached(cache, "speedy/__init__.py").read_text() == PRISTINE
    assert edited.read_text() == PRISTINE.replace("fast", "slow")  # one keeps its edit

    audit = run_pinset("check", "--env", "--python", str(one))
    assert audit.returncode == 1, audit.stderr
    assert audit.stderr.startswith(
        f"error: speedy 0.1: {edited} was modified since it was installed\n"
        f"  hint: reinstall with: pinset install --python {one} --force-reinstall speedy==0.1\n"
    )
    assert f"Checked 7 files of 1 package in {one} (Python {NEWEST}." in audit.stderr
    assert audit.stderr.endswith("): 1 changed or missing\n")
    as_json = json.loads(run_pinset("check", "--env", "--json", "--python", str(one)).stdout)
    assert as_json["ok"] is False
    assert as_json["mismatches"] == [
        {"name": "speedy", "version": "0.1", "path": str(edited), "problem": "modified"}
    ]
    clean = run_pinset("check", "--env", "--python", str(two))
    assert clean.returncode == 0, clean.stderr
    assert "all match their RECORD" in clean.stderr


def test_check_env_reports_removed_files_and_ignores_missing_bytecode(
    index: IndexServer, tmp_path: Path
) -> None:
    venv = new_venv(tmp_path / "env", NEWEST)
    assert install_into(index, venv, tmp_path / "cache", "speedy").returncode == 0
    site = site_packages(venv)
    for pyc in site.glob("speedy/__pycache__/*.pyc"):
        pyc.unlink()  # Python writes bytecode again: not a finding
    assert run_pinset("check", "--env", "--python", str(venv)).returncode == 0
    (venv / "bin" / "speedy").unlink()
    audit = run_pinset("check", "--env", "--python", str(venv))
    assert audit.returncode == 1
    assert f"error: speedy 0.1: {venv / 'bin' / 'speedy'} is missing\n" in audit.stderr


@pytest.mark.parametrize("how", ["flag", "env"])
@pytest.mark.parametrize("mode", ["copy", "hardlink", "symlink"])
def test_each_link_mode_on_disk(index: IndexServer, tmp_path: Path, mode: str, how: str) -> None:
    cache = tmp_path / "cache"
    venv = new_venv(tmp_path / "env", NEWEST)
    if how == "flag":
        result = install_into(index, venv, cache, "speedy", "--link-mode", mode)
    else:
        result = run_pinset(
            "install",
            "--python",
            str(venv),
            "-i",
            index.simple_url,
            "--cache-dir",
            str(cache),
            "speedy",
            env={"PINSET_LINK_MODE": mode},
        )
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
    installed = site_packages(venv) / "speedy" / "__init__.py"
    cached = _cached(cache, "speedy/__init__.py")
    assert installed.read_text() == PRISTINE
    if mode == "copy":
        assert not installed.is_symlink()
        assert installed.stat().st_nlink == 1
    elif mode == "hardlink":
        assert not installed.is_symlink()
        assert os.path.samefile(installed, cached)
    else:
        assert installed.is_symlink()
        assert os.readlink(installed) == str(cached)
    script = venv / "bin" / "speedy"
    assert not script.is_symlink()  # launchers are written for the environment in every mode
    assert run_pinset("check", "--env", "--python", str(venv)).returncode == 0
    removed = run_pinset("uninstall", "--python", str(venv), "-y", "speedy")
    assert removed.returncode == 0, removed.stderr
    assert not os.path.lexists(installed)
    assert cached.read_text() == PRISTINE  # uninstalling removed the link, not the cache


def test_symlink_mode_never_points_into_a_throwaway_cache(
    index: IndexServer, tmp_path: Path
) -> None:
    venv = new_venv(tmp_path / "env", NEWEST)
    result = run_pinset(
        "install",
        "--python",
        str(venv),
        "-i",
        index.simple_url,
        "--no-cache-dir",
        "--link-mode",
        "symlink",
        "speedy",
    )
    assert result.returncode == 0, result.stderr
    assert "warning: --link-mode symlink needs a cache that outlives the run" in result.stderr
    installed = site_packages(venv) / "speedy" / "__init__.py"
    assert not installed.is_symlink()
    assert installed.read_text() == PRISTINE


def test_a_cache_on_another_filesystem_is_copied_from_with_a_warning(
    index: IndexServer, tmp_path: Path
) -> None:
    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("no second filesystem here")
    cache = Path(tempfile.mkdtemp(dir=shm))
    try:
        venv = new_venv(tmp_path / "env", NEWEST)
        result = install_into(index, venv, cache, "speedy", "--no-compile")
        assert result.returncode == 0, result.stderr
        assert "warning: could not hard-link files from the cache" in result.stderr
        assert "--link-mode copy" in result.stderr
        assert (site_packages(venv) / "speedy" / "__init__.py").stat().st_nlink == 1
        quiet = install_into(
            index, new_venv(tmp_path / "two", NEWEST), cache, "speedy", "--link-mode", "copy"
        )
        assert quiet.returncode == 0, quiet.stderr
        assert "warning" not in quiet.stderr
        throwaway = run_pinset(  # --no-cache-dir: its temporary cache under TMPDIR, on shm
            "install",
            "--python",
            str(new_venv(tmp_path / "three", NEWEST)),
            "-i",
            index.simple_url,
            "--no-cache-dir",
            "speedy",
            env={"TMPDIR": str(cache)},
        )
        assert throwaway.returncode == 0, throwaway.stderr
        assert "warning" not in throwaway.stderr
    finally:
        import shutil

        shutil.rmtree(cache, ignore_errors=True)
