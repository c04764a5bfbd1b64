"""A warm cache installs from the unpacked-wheel cache: nothing downloaded, archives not read;
the cache keeps one copy of each wheel (the unpacked tree, named by the archive's sha256); a
damaged unpacked entry is noticed and rebuilt; bytecode is compiled for every module."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

from tests.helpers.fixtures_index import IndexServerFactory
from tests.helpers.fixtures_install import NEWEST, catalog, index  # noqa: F401
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import install_into, installed, new_venv, serve, site_packages


def _bucket(cache: Path, prefix: str) -> Path:
    found = [p for p in cache.iterdir() if p.name.startswith(prefix)]
    assert len(found) == 1, sorted(p.name for p in cache.iterdir())
    return found[0]


def _wheel_requests(index: IndexServer) -> list[str]:
    return [r[1] for r in index.requests if r[1].endswith(".whl")]


def test_warm_cache_needs_no_download_and_no_archive(index: IndexServer, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = install_into(
        index, new_venv(tmp_path / "one", NEWEST), cache, "app[fast]", "--no-compile"
    )
    assert first.returncode == 0, first.stderr
    shutil.rmtree(_bucket(cache, "archives"))  # only the unpacked copies are left (as now)
    index.clear_requests()
    venv = new_venv(tmp_path / "two", NEWEST)
    second = install_into(index, venv, cache, "app[fast]", "--no-compile")
    assert second.returncode == 0, second.stderr
    assert _wheel_requests(index) == []
    assert installed(site_packages(venv)) == {"app": "1.0", "lib": "2.0", "speedy": "0.1"}
    ran = subprocess.run([str(venv / "bin" / "speedy")], check=True, capture_output=True, text=True)
    assert ran.stdout == "fast\n"


def test_the_cache_keeps_one_copy_of_each_wheel(
    index: IndexServer, catalog: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    result = install_into(index, new_venv(tmp_path / "env", NEWEST), cache, "app[fast]")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in _bucket(cache, "archives").rglob("*.whl")) == []
    wheels = [next(catalog.glob(f"{n}-*.whl")) for n in ("app-1.0", "lib-2.0", "speedy-0.1")]
    served = {hashlib.sha256(w.read_bytes()).hexdigest() for w in wheels}
    unpacked = _bucket(cache, "wheels-unpacked")
    assert {p.name for p in unpacked.iterdir() if p.is_dir()} == served


def test_damaged_unpacked_entry_is_unpacked_again(index: IndexServer, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = install_into(index, new_venv(tmp_path / "one", NEWEST), cache, "speedy", "--no-compile")
    assert first.returncode == 0, first.stderr
    unpacked = _bucket(cache, "wheels-unpacked")
    (member,) = unpacked.rglob("speedy/__init__.py")
    member.unlink()
    member.write_text("broken\n")  # a different size: the entry is no longer trusted
    venv = new_venv(tmp_path / "two", NEWEST)
    index.clear_requests()
    # the planner only sees that the entry is there; the fetch step checks its files
    second = install_into(index, venv, cache, "speedy", "--no-compile")
    assert second.returncode == 0, second.stderr
    source = site_packages(venv) / "speedy" / "__init__.py"
    assert source.read_text() == "def main():\n    print('fast')\n"
    assert [Path(r).name for r in _wheel_requests(index)] == ["speedy-0.1-py3-none-any.whl"]
    assert member.read_text() == "def main():\n    print('fast')\n"  # the entry mended


def test_a_damaged_entry_among_intact_ones_is_the_one_downloaded(
    index: IndexServer, tmp_path: Path
) -> None:
    """The fetch step checks the entries the planner found (in the run's thread) and sends
    only a damaged one to the download pool: each wheel still gets its own files."""
    cache = tmp_path / "cache"
    first = install_into(
        index, new_venv(tmp_path / "one", NEWEST), cache, "app[fast]", "--no-compile"
    )
    assert first.returncode == 0, first.stderr
    (member,) = _bucket(cache, "wheels-unpacked").rglob("lib/__init__.py")
    original = member.read_text()
    member.unlink()
    member.write_text("broken\n")
    venv = new_venv(tmp_path / "two", NEWEST)
    index.clear_requests()
    second = install_into(index, venv, cache, "app[fast]", "--no-compile")
    assert second.returncode == 0, second.stderr
    assert [Path(r).name for r in _wheel_requests(index)] == ["lib-2.0-py3-none-any.whl"]
    site = site_packages(venv)
    assert installed(site) == {"app": "1.0", "lib": "2.0", "speedy": "0.1"}
    assert (site / "lib" / "__init__.py").read_text() == original
    assert (site / "speedy" / "__init__.py").read_text() == "def main():\n    print('fast')\n"
    assert member.read_text() == original


def test_compiles_every_module_with_the_target(index: IndexServer, tmp_path: Path) -> None:
    venv = new_venv(tmp_path / "env", NEWEST)
    result = install_into(index, venv, tmp_path / "cache", "app[fast]")
    assert result.returncode == 0, result.stderr
    site = site_packages(venv)
    sources = sorted(site.glob("*/__init__.py"))
    assert sources
    for source in sources:
        pycs = list((source.parent / "__pycache__").glob("__init__.*.pyc"))
        assert len(pycs) == 1, source
        record = next(site.glob(f"{source.parent.name}-*.dist-info")) / "RECORD"
        rel = pycs[0].relative_to(site).as_posix()
        assert f"\n{rel},sha256=" in "\n" + record.read_text()


def test_metadata_of_a_wheel_kept_unpacked_is_read_from_it(
    index_server_factory: IndexServerFactory, catalog: Path, tmp_path: Path
) -> None:
    """From an index without PEP 658 files, with the metadata bucket gone (cleaned, or a newer
    format) but the wheels kept unpacked, no wheel is downloaded again to learn its metadata,
    and no second copy is left."""
    index = serve(index_server_factory(metadata=False), catalog)
    cache = tmp_path / "cache"
    first = install_into(index, new_venv(tmp_path / "one", NEWEST), cache, "app[fast]")
    assert first.returncode == 0, first.stderr
    shutil.rmtree(_bucket(cache, "metadata"))
    index.clear_requests()
    venv = new_venv(tmp_path / "two", NEWEST)
    second = install_into(index, venv, cache, "app[fast]")
    assert second.returncode == 0, second.stderr
    assert _wheel_requests(index) == []
    kept = {p.name for p in _bucket(cache, "archives").rglob("*.whl")}
    assert kept <= {"lib-4.0b1-py3-none-any.whl"}  # read for metadata only, never installed
    assert installed(site_packages(venv)) == {"app": "1.0", "lib": "2.0", "speedy": "0.1"}


def test_a_cold_resolve_leaves_every_entry_it_read_for_an_offline_run(
    index: IndexServer, tmp_path: Path
) -> None:
    """Pages, page forms and metadata are written behind the fetching, by another thread:
    all of them are on disk when the process has ended, however it ends."""
    cache = tmp_path / "cache"
    venv = new_venv(tmp_path / "env", NEWEST)
    first = install_into(index, venv, cache, "app[fast]", "--dry-run", "--report", "one.json")
    assert first.returncode == 0, first.stderr
    assert any(_bucket(cache, "metadata").iterdir())
    index.clear_requests()
    second = install_into(
        index, venv, cache, "app[fast]", "--dry-run", "--offline", "--report", "two.json"
    )
    assert second.returncode == 0, second.stderr
    assert index.requests == []
    assert (tmp_path / "one.json").read_text() == (tmp_path / "two.json").read_text()
