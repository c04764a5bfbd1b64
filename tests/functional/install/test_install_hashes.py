"""Hash-checking mode: every problem at once with lines to paste; a mismatch changes nothing."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)
from __future__ import annotations

import hashlib
from pathlib import Path

from tests.helpers.dists import make_wheel
from tests.helpers.envs import diff, snapshot
from tests.helpers.fixtures_index import IndexServerFactory
from tests.helpers.fixtures_install import Run, catalog, index, pinset, venv  # noqa: F401
from tests.helpers.install_world import install_into, installed, site_packages


def _sha(catalog: Path, filename: str) -> str:
    return hashlib.sha256((catalog / filename).read_bytes()).hexdigest()


def test_hashed_pins_install(pinset: Run, venv: Path, catalog: Path, tmp_path: Path) -> None:
    app, lib = _sha(catalog, "app-1.0-py3-none-any.whl"), _sha(catalog, "lib-1.0-py3-none-any.whl")
    (tmp_path / "requirements.txt").write_text(
        f"app==1.0 --hash=sha256:{app}\nlib==1.0 \\\n    --hash=sha256:{lib}\n"
    )
    result = pinset("install", "-r", "requirements.txt")
    assert result.returncode == 0, result.stderr
    assert installed(site_packages(venv)) == {"app": "1.0", "lib": "1.0"}


def test_every_unpinned_or_unhashed_requirement_is_reported_at_once(
    pinset: Run, venv: Path, tmp_path: Path
) -> None:
    (tmp_path / "requirements.txt").write_text("--require-hashes\napp==1.0\nlib>=1\n")
    before = snapshot(venv)
    result = pinset("install", "-r", "requirements.txt")
    assert result.returncode == 1
    assert "requirements.txt:2:1: error: app==1.0 has no --hash" in result.stderr
    assert "requirements.txt:3:1: error: lib>=1 is not pinned with ==" in result.stderr
    assert diff(before, snapshot(venv)) == {"added": [], "removed": [], "changed": []}


def test_a_dependency_without_a_hash_gets_a_line_to_paste(
    pinset: Run, catalog: Path, tmp_path: Path
) -> None:
    app = _sha(catalog, "app-1.0-py3-none-any.whl")
    (tmp_path / "requirements.txt").write_text(f"app[fast]==1.0 --hash=sha256:{app}\n")
    result = pinset("install", "-r", "requirements.txt")
    assert result.returncode == 1
    lib = _sha(catalog, "lib-2.0-py3-none-any.whl")
    speedy = _sha(catalog, "speedy-0.1-py3-none-any.whl")
    assert f"lib 2.0 has no hash; add: lib==2.0 --hash=sha256:{lib}" in result.stderr
    assert f"speedy 0.1 has no hash; add: speedy==0.1 --hash=sha256:{speedy}" in result.stderr


def test_a_mismatching_hash_is_refused_and_nothing_changes(
    pinset: Run, venv: Path, tmp_path: Path
) -> None:
    assert pinset("install", "lib==2.0").returncode == 0
    before = snapshot(venv)
    (tmp_path / "requirements.txt").write_text(f"lib==1.0 --hash=sha256:{'ab' * 32}\n")
    result = pinset("install", "-r", "requirements.txt")
    assert result.returncode == 1
    assert result.stderr.startswith("requirements.txt:1:1: error: hash mismatch for ")
    assert "ab" * 32 in result.stderr
    assert diff(before, snapshot(venv)) == {"added": [], "removed": [], "changed": []}
    assert installed(site_packages(venv)) == {"lib": "2.0"}


def test_a_mismatching_hash_leaves_no_wheel_in_the_cache(pinset: Run, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (tmp_path / "requirements.txt").write_text(f"lib==1.0 --hash=sha256:{'ab' * 32}\n")
    result = pinset("install", "--cache-dir", str(cache), "-r", "requirements.txt")
    assert result.returncode == 1
    assert "hash mismatch" in result.stderr
    assert sorted(p.name for p in cache.rglob("*.whl*")) == []


def test_a_wheel_that_fails_verification_is_not_kept_in_the_cache(
    index_server_factory: IndexServerFactory, venv: Path, tmp_path: Path
) -> None:
    index = index_server_factory()
    index.add(make_wheel(tmp_path / "wheels", "bad", "1.0", tamper=True))
    cache = tmp_path / "cache"
    result = install_into(index, venv, cache, "bad==1.0")
    assert result.returncode == 1
    assert "RECORD" in result.stderr
    assert sorted(p.name for p in cache.rglob("*.whl*")) == []


def test_a_mismatch_names_the_line_that_gave_the_hash(
    pinset: Run, catalog: Path, tmp_path: Path
) -> None:
    app = hashlib.sha256((catalog / "app-1.0-py3-none-any.whl").read_bytes()).hexdigest()
    (tmp_path / "requirements.txt").write_text(f"app==1.0 --hash=sha256:{app}\n")
    (tmp_path / "constraints.txt").write_text(f"# pins\n\nlib==2.0 --hash=sha256:{'ab' * 32}\n")
    result = pinset("install", "-r", "requirements.txt", "-c", "constraints.txt")
    assert result.returncode == 1
    assert result.stderr.startswith("constraints.txt:3:1: error: hash mismatch for "), result.stderr
