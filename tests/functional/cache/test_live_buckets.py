"""A cache filled by real installs: every directory it holds is a live bucket of the registry,
``pinset cache prune`` keeps all of them (and the entries in them), ``cache info`` lists them."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)

from __future__ import annotations

import json
from pathlib import Path

from pinset.buckets import BUCKETS, bucket_dir_name
from tests.helpers.fixtures_install import catalog, index, venv  # noqa: F401
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import install_into, run_pinset


def _files(root: Path) -> set[Path]:
    return {p.relative_to(root) for p in root.rglob("*") if p.is_file()}


def _filled_cache(index: IndexServer, venv: Path, cache: Path) -> None:
    requirements = cache.parent / "requirements.txt"
    requirements.write_text("app[fast]\n", encoding="utf-8")
    first = install_into(index, venv, cache, "-r", str(requirements))
    assert first.returncode == 0, first.stderr
    again = install_into(index, venv, cache, "-r", str(requirements))  # writes a no-op verdict
    assert again.returncode == 0, again.stderr
    assert "Already satisfied" in again.stderr


def test_a_real_cache_holds_only_live_buckets_and_prune_keeps_them(
    index: IndexServer, venv: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    _filled_cache(index, venv, cache)
    live = {bucket_dir_name(name) for name in BUCKETS}
    dirs = {p.name for p in cache.iterdir() if p.is_dir()}
    assert dirs <= live, dirs - live
    assert {"interpreters", "http", "archives", "metadata", "wheels-unpacked", "noop"} <= {
        name for name in BUCKETS if bucket_dir_name(name) in dirs
    }
    (cache / "metadata-v0" / "aa" / "bb").mkdir(parents=True)  # an old version: removed
    before = _files(cache)
    pruned = run_pinset("cache", "--cache-dir", str(cache), "prune")
    assert pruned.returncode == 0, pruned.stderr
    assert "removed 1 item" in pruned.stderr
    assert not (cache / "metadata-v0").exists()
    assert _files(cache) == before


def test_index_pages_and_their_forms_lie_directly_in_their_buckets(
    index: IndexServer, venv: Path, tmp_path: Path
) -> None:
    # a cold resolve writes a page (and a form) per project: no directory is made for one
    cache = tmp_path / "cache"
    result = install_into(index, venv, cache, "lib")
    assert result.returncode == 0, result.stderr
    for name in ("http", "pages"):
        bucket = cache / bucket_dir_name(name)
        kept = list(bucket.rglob("*"))
        assert kept, name
        assert all(p.is_file() and p.parent == bucket for p in kept), kept


def test_info_lists_every_live_bucket_with_its_size(
    index: IndexServer, venv: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    _filled_cache(index, venv, cache)
    result = run_pinset("cache", "--cache-dir", str(cache), "info", "--json")
    assert result.returncode == 0, result.stderr
    listed = {b["name"]: b for b in json.loads(result.stdout)["buckets"]}
    on_disk = {name for name in BUCKETS if (cache / bucket_dir_name(name)).is_dir()}
    assert set(listed) == on_disk
    for name in on_disk - {"archives"}:
        assert listed[name]["current"] is True
        assert listed[name]["size"] > 0
        assert listed[name]["entries"] > 0, name
    assert listed["archives"]["entries"] == 0  # installed wheels are kept unpacked only
