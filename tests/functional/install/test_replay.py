"""A remembered install plan (``pinset.ops.replay``): the same fully pinned install into a
recreated environment is replayed from the cache without reading the requirements' index,
the resolver or a VCS tool, and leaves exactly what the full run left; any change to what
the plan was made from (a file, the environment, the cache) runs the full path instead, and
runs whose pins do not name their files for good are never remembered."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)
from __future__ import annotations

import hashlib
import marshal
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from pinset.buckets import bucket_dir_name
from tests.helpers.fixtures_install import NEWEST, catalog, index, venv  # noqa: F401
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import (
    dist_info,
    install_into,
    installed,
    new_venv,
    run_pinset,
    site_packages,
)

REPLAYED = "install plan replayed"


def sha(catalog: Path, filename: str) -> str:
    return hashlib.sha256((catalog / filename).read_bytes()).hexdigest()


def hashed_lock(catalog: Path, tmp_path: Path) -> Path:
    """app 1.0 and its dependency lib 1.0, each pinned with its wheel's hash."""
    app = sha(catalog, "app-1.0-py3-none-any.whl")
    lib = sha(catalog, "lib-1.0-py3-none-any.whl")
    path = tmp_path / "requirements.lock"
    path.write_text(f"app==1.0 --hash=sha256:{app}\nlib==1.0 --hash=sha256:{lib}\n")
    return path


def recreate(venv: Path) -> Path:
    """The environment deleted and made again at the same place (as a CI job does)."""
    shutil.rmtree(venv)
    return new_venv(venv, NEWEST)


def planned(index: IndexServer, catalog: Path, venv: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A hashed lock installed into ``venv`` by the full path (which records its plan), and
    ``venv`` made anew: ``(lock, cache)``."""
    lock, cache = hashed_lock(catalog, tmp_path), tmp_path / "cache"
    assert install_into(index, venv, cache, "-r", str(lock), "-v").returncode == 0
    recreate(venv)
    return lock, cache


def files(venv: Path) -> dict[str, bytes]:
    """Every file of the environment's site-packages (bytecode and pinset's state aside)."""
    site = site_packages(venv)
    return {
        str(p.relative_to(site)): p.read_bytes()
        for p in site.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and ".pinset" not in p.parts
    }


def summary(stderr: str) -> list[str]:
    """What an install prints for a person, its time taken out."""
    lines = [
        line for line in stderr.splitlines() if line.startswith(("Resolved", "Installed", " + "))
    ]
    return [line.rsplit(" in ", 1)[0] if line.startswith("Installed") else line for line in lines]


def plans(cache: Path) -> list[Path]:
    bucket = cache / bucket_dir_name("plans")
    return sorted(bucket.glob("*.plan")) if bucket.is_dir() else []


def full_run(
    index: IndexServer, venv: Path, cache: Path, args: tuple[str, ...], why: str
) -> subprocess.CompletedProcess[str]:
    """The same install again (``args`` hold ``-v``): the full path ran, for ``why``, and
    the environment holds app 1.0 and lib 1.0."""
    done = install_into(index, venv, cache, *args)
    assert done.returncode == 0, done.stderr
    assert f"install plan not replayed: {why}" in done.stderr
    assert installed(site_packages(venv)) == {"app": "1.0", "lib": "1.0"}
    return done


def pins_file(tmp_path: Path) -> tuple[str, ...]:
    """``-r`` of app 1.0 and lib 1.0 pinned with ``==`` (no hashes: the index chooses)."""
    (tmp_path / "pins.txt").write_text("app==1.0\nlib==1.0\n")
    return ("-r", str(tmp_path / "pins.txt"), "-v")


CHANGED = "a file, an index page or the interpreter it was made from changed"


def test_a_hashed_lock_into_a_recreated_environment_is_replayed(
    index: IndexServer, catalog: Path, venv: Path, tmp_path: Path
) -> None:
    lock, cache = hashed_lock(catalog, tmp_path), tmp_path / "cache"
    first = install_into(index, venv, cache, "-r", str(lock), "-v")
    assert first.returncode == 0, first.stderr
    assert REPLAYED not in first.stderr
    assert len(plans(cache)) == 1
    full = files(venv)

    recreate(venv)
    index.clear_requests()
    again = install_into(index, venv, cache, "-r", str(lock), "-v")
    assert again.returncode == 0, again.stderr
    assert REPLAYED in again.stderr
    assert index.requests == []
    assert files(venv) == full  # RECORD, INSTALLER, REQUESTED, scripts: as the full run left them
    assert summary(again.stderr) == summary(first.stderr)
    assert summary(again.stderr)[0] == "Resolved 2 packages"
    assert summary(again.stderr)[1].startswith(f"Installed 2 packages into {venv} (Python ")
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import app, lib"], capture_output=True, check=False
    )
    assert done.returncode == 0, done.stderr

    # the replay wrote the verdict the full run writes: the next identical run is a no-op
    third = install_into(index, venv, cache, "-r", str(lock), "-v")
    assert third.returncode == 0, third.stderr
    assert third.stderr.startswith("Already satisfied: checked 2 packages")


def test_a_changed_requirements_file_runs_the_full_install(
    index: IndexServer, catalog: Path, venv: Path, tmp_path: Path
) -> None:
    lock, cache = planned(index, catalog, venv, tmp_path)
    lock.write_text(lock.read_text() + "# reviewed\n")
    full_run(index, venv, cache, ("-r", str(lock), "-v"), CHANGED)


def test_an_environment_holding_something_else_runs_the_full_install(
    index: IndexServer, catalog: Path, venv: Path, tmp_path: Path
) -> None:
    lock, cache = planned(index, catalog, venv, tmp_path)
    assert install_into(index, venv, cache, "lib==2.0").returncode == 0
    why = "the environment holds other distributions than when it was made"
    again = full_run(index, venv, cache, ("-r", str(lock), "-v"), why)
    assert " - lib==2.0" in again.stderr  # replaced


def test_a_damaged_cache_entry_is_not_replayed(
    index: IndexServer, catalog: Path, venv: Path, tmp_path: Path
) -> None:
    lock, cache = hashed_lock(catalog, tmp_path), tmp_path / "cache"
    assert install_into(index, venv, cache, "-r", str(lock), "-v").returncode == 0
    entry = cache / bucket_dir_name("wheels-unpacked") / sha(catalog, "app-1.0-py3-none-any.whl")
    module = next((entry / "files").rglob("app/__init__.py"))
    original = module.read_bytes()
    module.unlink()  # a new file: the environment's hard link keeps the real one
    module.write_bytes(b"raise SystemExit('tampered')\n")
    recreate(venv)
    full_run(index, venv, cache, ("-r", str(lock), "-v"), "the cache no longer holds app 1.0")
    installed_module = next(site_packages(venv).rglob("app/__init__.py"))
    assert installed_module.read_bytes() == original  # the full path unpacked it again


def test_pins_chosen_from_fresh_index_pages_are_replayed_until_a_page_changes(
    index: IndexServer, catalog: Path, venv: Path, tmp_path: Path
) -> None:
    """``==`` pins without hashes: the index's pages chose the files. While the HTTP cache
    answers those pages without a request (a full run would read the same entries), the
    plan is replayed; once an entry changed, the full install runs."""
    cache, pins = tmp_path / "cache", pins_file(tmp_path)
    first = install_into(index, venv, cache, *pins)
    assert first.returncode == 0, first.stderr
    assert len(plans(cache)) == 1
    recreate(venv)
    index.clear_requests()
    again = install_into(index, venv, cache, *pins)
    assert again.returncode == 0, again.stderr
    assert REPLAYED in again.stderr
    assert index.requests == []
    assert summary(again.stderr) == summary(first.stderr)

    page = next(p for p in (cache / bucket_dir_name("http")).rglob("*") if p.is_file())
    page.write_bytes(page.read_bytes())  # the same page, stored again (as a 304 refreshes it)
    recreate(venv)
    full_run(index, venv, cache, pins, CHANGED)


def test_a_plan_whose_pages_are_no_longer_fresh_is_not_replayed(
    index: IndexServer, catalog: Path, venv: Path, tmp_path: Path
) -> None:
    cache, pins = tmp_path / "cache", pins_file(tmp_path)
    assert install_into(index, venv, cache, *pins).returncode == 0
    [plan] = plans(cache)
    body = marshal.loads(plan.read_bytes())
    body["fresh_until"] = time.time() - 1  # as if the pages' freshness had run out
    plan.write_bytes(marshal.dumps(body))
    recreate(venv)
    full_run(index, venv, cache, pins, "an index page it was made from is no longer fresh")


def test_a_local_directory_of_wheels_is_never_remembered(
    index: IndexServer, catalog: Path, venv: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    local = ("--no-index", "-f", str(catalog), *pins_file(tmp_path))
    assert install_into(index, venv, cache, *local).returncode == 0  # a directory's listing
    assert plans(cache) == []


def test_a_replay_that_finds_the_environment_changed_under_its_lock_changes_nothing(
    index: IndexServer, catalog: Path, venv: Path, tmp_path: Path
) -> None:
    """Between the plan's check and the transaction another process installed something: the
    transaction's own scan (under the environment's lock) refuses the plan, untouched."""
    from pinset.ops.replay import Recorded, Stale, find, replay

    lock, cache = hashed_lock(catalog, tmp_path), tmp_path / "cache"
    argv = ["install", "--python", str(venv), "-i", index.simple_url, "--cache-dir", str(cache)]
    argv += ["-r", str(lock)]
    assert run_pinset(*argv, cwd=venv.parent).returncode == 0
    recreate(venv)
    environ = dict(os.environ, NO_COLOR="1")
    plan = find(argv, environ, str(venv.parent), as_module=True)
    assert isinstance(plan, Recorded), plan
    site = site_packages(venv)
    other = site / "other-1.0.dist-info"
    other.mkdir()
    (other / "METADATA").write_text("Metadata-Version: 2.1\nName: other\nVersion: 1.0\n")
    with pytest.raises(Stale):
        replay(plan)
    assert sorted(p.name for p in site.iterdir() if p.name != ".pinset") == [other.name]


def test_a_commit_pinned_git_requirement_is_replayed_without_git(
    index: IndexServer, venv: Path, tmp_path: Path
) -> None:
    from tests.helpers.vcs_repos import git_repo, head
    from tests.helpers.wheelhouse import WHEELHOUSE

    index.add(next(WHEELHOUSE.glob("flit_core-*.whl")))
    pyproject = (
        '[build-system]\nrequires = ["flit_core>=3.4"]\nbuild-backend = "flit_core.buildapi"\n'
        '[project]\nname = "gitreplay"\nversion = "1.0"\ndescription = "x"\n'
    )
    origin = git_repo(
        tmp_path / "origin", {"pyproject.toml": pyproject, "gitreplay.py": "VALUE = 1\n"}
    )
    (tmp_path / "pinned.txt").write_text(f"gitreplay @ git+{origin.as_uri()}@{head(origin)}\n")
    cache = tmp_path / "cache"
    first = install_into(index, venv, cache, "-r", str(tmp_path / "pinned.txt"), "-v")
    assert first.returncode == 0, first.stderr
    url = (dist_info(site_packages(venv), "gitreplay") / "direct_url.json").read_text()

    recreate(venv)
    shutil.rmtree(origin)  # nothing asks the repository (nor git) again
    again = install_into(index, venv, cache, "-r", str(tmp_path / "pinned.txt"), "-v")
    assert again.returncode == 0, again.stderr
    assert REPLAYED in again.stderr
    assert (dist_info(site_packages(venv), "gitreplay") / "direct_url.json").read_text() == url
    assert installed(site_packages(venv)) == {"gitreplay": "1.0"}


def test_a_run_that_found_one_of_its_projects_installed_is_not_remembered(
    index: IndexServer, catalog: Path, venv: Path, tmp_path: Path
) -> None:
    """What an installed copy of a pinned project holds (its origin, its files) decides the
    full run, and a plan keeps only directory names: such a run is not remembered."""
    lock, cache = hashed_lock(catalog, tmp_path), tmp_path / "cache"
    assert install_into(index, venv, cache, "lib==1.0").returncode == 0
    done = install_into(index, venv, cache, "-r", str(lock), "-v")
    assert done.returncode == 0, done.stderr
    assert " + app==1.0" in done.stderr
    assert plans(cache) == []
