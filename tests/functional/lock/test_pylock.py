"""PEP 751: ``lock -o pylock.toml`` writes a lock that ``packaging.pylock`` validates, and
``install -r pylock.toml`` installs exactly its packages, hashes checked, nothing resolved."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from packaging.pylock import Pylock

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

from tests.helpers.fixtures_install import NEWEST, Run, catalog, index, pinset, venv  # noqa: F401
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import installed, new_venv, run_pinset, site_packages


def test_a_pylock_is_valid_and_installs_exactly_its_packages(
    index: IndexServer, catalog: Path, tmp_path: Path
) -> None:
    (tmp_path / "requirements.in").write_text("app[fast]\n")
    done = run_pinset(
        "lock", "--python", sys.executable, "requirements.in", "-i", index.simple_url,
        "-o", "pylock.toml", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lock = Pylock.from_dict(tomllib.loads((tmp_path / "pylock.toml").read_text()))
    lock.validate()
    assert lock.created_by == "pinset"
    assert {(p.name, str(p.version)) for p in lock.packages} == {
        ("app", "1.0"),
        ("lib", "2.0"),
        ("speedy", "0.1"),
    }
    lib = next(p for p in lock.packages if p.name == "lib")
    assert lib.wheels is not None
    wheel = lib.wheels[0]
    digest = hashlib.sha256((catalog / "lib-2.0-py3-none-any.whl").read_bytes()).hexdigest()
    assert (wheel.name, dict(wheel.hashes)) == ("lib-2.0-py3-none-any.whl", {"sha256": digest})

    index.clear_requests()
    fresh = new_venv(tmp_path / "fresh", NEWEST)
    put = run_pinset("install", "--python", str(fresh), "-r", "pylock.toml", cwd=tmp_path)
    assert put.returncode == 0, put.stderr
    assert installed(site_packages(fresh)) == {"app": "1.0", "lib": "2.0", "speedy": "0.1"}
    assert not [r for r in index.paths_requested() if "/simple/" in r]  # no index page read
    again = run_pinset("install", "--python", str(fresh), "-r", "pylock.toml", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "Already satisfied" in again.stderr


def test_a_pylock_whose_file_changed_is_refused(index: IndexServer, tmp_path: Path) -> None:
    (tmp_path / "requirements.in").write_text("lib==1.0\n")
    done = run_pinset(
        "lock", "--python", sys.executable, "requirements.in", "-i", index.simple_url,
        "--format", "pylock", "-o", "pylock.dev.toml", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    path = tmp_path / "pylock.dev.toml"
    text = path.read_text()
    digest = tomllib.loads(text)["packages"][0]["wheels"][0]["hashes"]["sha256"]
    path.write_text(text.replace(digest, "0" * 64))
    fresh = new_venv(tmp_path / "fresh", NEWEST)
    refused = run_pinset("install", "--python", str(fresh), "-r", "pylock.dev.toml", cwd=tmp_path)
    assert refused.returncode == 1
    assert "hash" in refused.stderr.lower()
    assert "Traceback" not in refused.stderr
    assert installed(site_packages(fresh)) == {}
    mixed = run_pinset(
        "install", "--python", str(fresh), "-r", "pylock.dev.toml", "lib", cwd=tmp_path
    )
    assert mixed.returncode == 2
    assert "installed alone" in mixed.stderr


def test_an_invalid_pylock_is_a_user_error(tmp_path: Path) -> None:
    (tmp_path / "pylock.toml").write_text('lock-version = "1.0"\n')
    fresh = new_venv(tmp_path / "fresh", NEWEST)
    done = run_pinset("install", "--python", str(fresh), "-r", "pylock.toml", cwd=tmp_path)
    assert done.returncode == 1
    assert "not a valid pylock.toml" in done.stderr
    assert "Traceback" not in done.stderr


def _freeze(venv: Path, cwd: Path) -> str:
    done = run_pinset("freeze", "--python", str(venv), cwd=cwd)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_lock_sync_freeze_twice_is_identical_the_second_time_offline(
    index: IndexServer, tmp_path: Path
) -> None:
    (tmp_path / "requirements.in").write_text("app[fast]\n")
    done = run_pinset(
        "lock", "--python", sys.executable, "requirements.in", "-i", index.simple_url,
        "-o", "pylock.toml", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    # a package the lock names only for another target is not installed, nor missed
    path = tmp_path / "pylock.toml"
    path.write_text(
        path.read_text().replace(
            'name = "speedy"', 'name = "speedy"\nmarker = "python_version < \'3\'"', 1
        )
    )
    first = new_venv(tmp_path / "first", NEWEST)
    run_pinset("install", "--python", str(first), "-i", index.simple_url, "old", cwd=tmp_path)
    synced = run_pinset("sync", "--python", str(first), "pylock.toml", cwd=tmp_path)
    assert synced.returncode == 0, synced.stderr
    assert installed(site_packages(first)) == {"app": "1.0", "lib": "2.0"}
    again = run_pinset("sync", "--python", str(first), "-r", "pylock.toml", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "Already in sync" in again.stderr
    (tmp_path / "more.txt").write_text("old==1.0\n")
    mixed = run_pinset("sync", "--python", str(first), "pylock.toml", "more.txt", cwd=tmp_path)
    assert mixed.returncode == 2
    assert "installed alone" in mixed.stderr

    index.stop()
    second = new_venv(tmp_path / "second", NEWEST)
    offline = run_pinset(
        "sync", "--python", str(second), "--offline", "-r", "pylock.toml", cwd=tmp_path
    )
    assert offline.returncode == 0, offline.stderr
    assert _freeze(first, tmp_path) == _freeze(second, tmp_path) == "app==1.0\nlib==2.0\n"
