"""Wheels the resolver downloads whole (for their metadata) are unpacked as each one lands,
while the resolver goes on: each is downloaded once, installed from that unpacked copy, and a
download that is cut short, or a wheel that fails verification, is never installed."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)
from __future__ import annotations

from pathlib import Path

from tests.helpers.dists import make_wheel
from tests.helpers.envs import diff, snapshot
from tests.helpers.fixtures_index import IndexServerFactory
from tests.helpers.fixtures_install import venv  # noqa: F401
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import install_into, installed, site_packages


def _no_metadata_files(factory: IndexServerFactory, tmp_path: Path) -> IndexServer:
    """An index like PyPI as seen from here: no PEP 658 files, so small wheels a run will
    install are downloaded whole while resolving."""
    index = factory(metadata=False)
    wheels = tmp_path / "wheels"
    index.add(make_wheel(wheels, "app", "1.0", requires=["lib>=1"], files={"app.py": "A = 1\n"}))
    index.add(make_wheel(wheels, "lib", "1.0", files={"lib.py": "L = 1\n"}))
    return index


def test_each_wheel_is_downloaded_once_and_installed_from_its_unpacked_copy(
    index_server_factory: IndexServerFactory, venv: Path, tmp_path: Path
) -> None:
    index = _no_metadata_files(index_server_factory, tmp_path)
    cache = tmp_path / "cache"
    result = install_into(index, venv, cache, "app")
    assert result.returncode == 0, result.stderr
    site = site_packages(venv)
    assert installed(site) == {"app": "1.0", "lib": "1.0"}
    assert (site / "app.py").read_text() == "A = 1\n"
    assert (site / "lib.py").read_text() == "L = 1\n"
    downloads = sorted(p for p in index.paths_requested() if p.startswith("/files/"))
    assert downloads == ["/files/app-1.0-py3-none-any.whl", "/files/lib-1.0-py3-none-any.whl"]
    assert sorted(p.name for p in cache.rglob("*.whl")) == []  # one copy kept: the unpacked one
    assert len(list(cache.rglob("lib.py"))) == 1


def test_a_download_cut_short_is_never_installed(
    index_server_factory: IndexServerFactory, venv: Path, tmp_path: Path
) -> None:
    index = _no_metadata_files(index_server_factory, tmp_path)
    index.fault("truncate", 50, path="/files/lib-")  # every attempt, retries included
    cache = tmp_path / "cache"
    before = snapshot(venv)
    result = install_into(index, venv, cache, "app")
    assert result.returncode == 1
    assert "lib-1.0-py3-none-any.whl" in result.stderr
    assert "Traceback" not in result.stderr
    assert diff(before, snapshot(venv)) == {"added": [], "removed": [], "changed": []}
    assert list(cache.rglob("lib.py")) == []
    assert sorted(p.name for p in cache.rglob("lib-*.whl*")) == []


def test_a_wheel_failing_verification_after_download_is_never_installed(
    index_server_factory: IndexServerFactory, venv: Path, tmp_path: Path
) -> None:
    # the archive matches the index's sha256, but a member does not match its RECORD: the
    # background unpack refuses it quietly, and the install's own fetch says why
    index = index_server_factory(metadata=False)
    index.add(make_wheel(tmp_path / "wheels", "bad", "1.0", tamper=True))
    cache = tmp_path / "cache"
    before = snapshot(venv)
    result = install_into(index, venv, cache, "bad")
    assert result.returncode == 1
    assert "RECORD" in result.stderr
    assert diff(before, snapshot(venv)) == {"added": [], "removed": [], "changed": []}
    assert sorted(p.name for p in cache.rglob("*.whl*")) == []
