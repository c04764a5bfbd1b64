"""A lock file's ``name==version --hash=…`` pins: once a run has installed them, the next run
finds each pin's wheel in the cache by its hash and reads no index page at all; the hash still
decides (a cached copy that changed, or a file the hashes do not name, goes back to the index)
and the dependencies still come from the wheel's METADATA."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from pinset.buckets import bucket_dir_name
from tests.helpers.fixtures_install import NEWEST, catalog, index, venv  # noqa: F401
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import install_into, installed, new_venv, site_packages


def sha(catalog: Path, filename: str) -> str:
    return hashlib.sha256((catalog / filename).read_bytes()).hexdigest()


def lock_file(catalog: Path, tmp_path: Path) -> Path:
    """app 1.0 and its dependency lib 1.0, hashed (lib also with another file's hash)."""
    app = sha(catalog, "app-1.0-py3-none-any.whl")
    lib, other = sha(catalog, "lib-1.0-py3-none-any.whl"), sha(catalog, "lib-2.0-py3-none-any.whl")
    path = tmp_path / "requirements.lock"
    path.write_text(
        f"app==1.0 --hash=sha256:{app}\nlib==1.0 --hash=sha256:{other} --hash=sha256:{lib}\n"
    )
    return path


def pages(index: IndexServer) -> list[str]:
    return [p for p in index.paths_requested() if p.startswith("/simple/")]


def forget_pages(cache: Path) -> None:
    """Drop the cached index pages: a page the run reads is then a request the index sees."""
    shutil.rmtree(cache / bucket_dir_name("http"))


def fresh(tmp_path: Path, name: str) -> Path:
    return new_venv(tmp_path / name, NEWEST)


def test_a_warm_lock_install_reads_no_index_page(
    index: IndexServer, catalog: Path, venv: Path, tmp_path: Path
) -> None:
    lock, cache = lock_file(catalog, tmp_path), tmp_path / "cache"
    first = install_into(index, venv, cache, "-r", str(lock))
    assert first.returncode == 0, first.stderr
    assert sorted(pages(index)) == ["/simple/app/", "/simple/lib/"]

    index.clear_requests()
    forget_pages(cache)  # not even a cached page is read
    other = fresh(tmp_path, "other")
    warm = install_into(index, other, cache, "-r", str(lock), "--report", "-", "-v")
    assert warm.returncode == 0, warm.stderr
    assert index.requests == []  # no page, no metadata, no file: everything from the cache
    assert installed(site_packages(other)) == {"app": "1.0", "lib": "1.0"}
    assert '"url": "' + index.url in warm.stdout  # the report names the index's file


def test_the_dependencies_of_a_cached_pin_still_come_from_its_metadata(
    index: IndexServer, catalog: Path, venv: Path, tmp_path: Path
) -> None:
    lock, cache = lock_file(catalog, tmp_path), tmp_path / "cache"
    assert install_into(index, venv, cache, "-r", str(lock)).returncode == 0
    # a lock that forgot app's dependency: hash-checking mode still asks for lib's hash
    app = sha(catalog, "app-1.0-py3-none-any.whl")
    (tmp_path / "partial.lock").write_text(f"app==1.0 --hash=sha256:{app}\n")
    other = fresh(tmp_path, "other")
    done = install_into(index, other, cache, "-r", str(tmp_path / "partial.lock"))
    assert done.returncode == 1
    assert "lib 2.0 has no hash; add: lib==2.0 --hash=sha256:" in done.stderr
    assert installed(site_packages(other)) == {}


def test_a_changed_cache_entry_is_not_used(
    index: IndexServer, catalog: Path, venv: Path, tmp_path: Path
) -> None:
    lock, cache = lock_file(catalog, tmp_path), tmp_path / "cache"
    assert install_into(index, venv, cache, "-r", str(lock)).returncode == 0
    forget_pages(cache)
    entry = cache / bucket_dir_name("wheels-unpacked") / sha(catalog, "lib-1.0-py3-none-any.whl")
    module = next((entry / "files").rglob("lib/__init__.py"))
    original = module.read_bytes()
    module.unlink()  # a new file (new inode): the same bytes would be unpacked again
    module.write_bytes(original + b"TAMPERED = True\n")

    index.clear_requests()
    other = fresh(tmp_path, "other")
    done = install_into(index, other, cache, "-r", str(lock))
    assert done.returncode == 0, done.stderr
    assert "/simple/lib/" in pages(index)  # not found intact: asked of the index again
    assert "/simple/app/" not in pages(index)
    installed_module = next(site_packages(other).rglob("lib/__init__.py"))
    assert installed_module.read_bytes() == original


def test_hashes_that_do_not_name_the_cached_file_go_to_the_index(
    index: IndexServer, catalog: Path, venv: Path, tmp_path: Path
) -> None:
    lock, cache = lock_file(catalog, tmp_path), tmp_path / "cache"
    assert install_into(index, venv, cache, "-r", str(lock)).returncode == 0
    index.clear_requests()
    forget_pages(cache)
    (tmp_path / "wrong.lock").write_text(f"lib==1.0 --hash=sha256:{'ab' * 32}\n")
    other = fresh(tmp_path, "other")
    done = install_into(index, other, cache, "-r", str(tmp_path / "wrong.lock"))
    assert done.returncode == 1
    assert "hash mismatch" in done.stderr
    assert pages(index) == ["/simple/lib/"]
    assert installed(site_packages(other)) == {}


def test_without_a_cache_every_run_asks_the_index(
    index: IndexServer, catalog: Path, venv: Path, tmp_path: Path
) -> None:
    lock = lock_file(catalog, tmp_path)
    for name in ("a", "b"):
        index.clear_requests()
        target = fresh(tmp_path, name)
        done = install_into(index, target, tmp_path / "cache", "--no-cache-dir", "-r", str(lock))
        assert done.returncode == 0, done.stderr
        assert sorted(pages(index)) == ["/simple/app/", "/simple/lib/"]
