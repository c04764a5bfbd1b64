"""The store: atomic entries, verified files, corrupt entries dropped and produced again."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from pinset.cache import Cache, make_key, open_cache
from pinset.cache.location import cache_root


@pytest.fixture
def cache(tmp_path: Path) -> Cache:
    return Cache(tmp_path / "cache")


def test_bytes_round_trip_in_sharded_versioned_layout(cache: Cache) -> None:
    key = make_key("https://h/simple/pkg/")
    assert cache.read_bytes("http", key) is None
    path = cache.write_bytes("http", key, b"page")
    assert path == cache.root / "http-v3" / key[:2] / key[2:4] / key
    assert cache.read_bytes("http", key) == b"page"
    assert (cache.root / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172")
    leftovers = [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_json_entries_of_a_cold_run_make_no_directory_each(cache: Cache) -> None:
    """metadata and locks entries sit in their bucket directory: a cold resolve writes dozens,
    and two shard directories per entry cost more than the entries themselves."""
    keys = [make_key("pkg", str(n)) for n in range(40)]
    for key in keys:
        cache.write_json("metadata", key, {"n": key})
        cache.write_json("locks", key, [key])
    for bucket in ("metadata-v2", "locks-v2"):
        children = list((cache.root / bucket).iterdir())
        assert sorted(p.name for p in children) == sorted(f"{k}.json" for k in keys)
        assert all(p.is_file() for p in children)
    assert [cache.read_json("metadata", k) for k in keys] == [{"n": k} for k in keys]
    assert [cache.read_json("locks", k) for k in keys] == [[k] for k in keys]


def test_json_and_corrupt_json_is_dropped_and_produced_again(cache: Cache) -> None:
    key = make_key("pkg", "1.0")
    assert cache.ensure_json("metadata", key, lambda: {"requires": ["a"]}) == {"requires": ["a"]}
    calls: list[int] = []

    def produce() -> dict[str, object]:
        calls.append(1)
        return {"requires": ["b"]}

    assert cache.ensure_json("metadata", key, produce) == {"requires": ["a"]}
    assert calls == []
    cache.path_for("metadata", key, ".json").write_bytes(b'{"requires": [')
    assert cache.ensure_json("metadata", key, produce) == {"requires": ["b"]}
    assert calls == [1]
    assert len(cache.warnings) == 1
    assert "corrupt" in cache.warnings[0]
    assert cache.read_json("metadata", key) == {"requires": ["b"]}


def test_archive_with_sidecar_and_mismatch_recovery(cache: Cache, tmp_path: Path) -> None:
    key = make_key("https://files/pkg-1.0-py3-none-any.whl")
    fetches: list[int] = []

    def fetch(dest: Path) -> None:
        fetches.append(1)
        dest.write_bytes(b"wheel bytes" * 1000)

    path = cache.ensure_file("archives", key, "pkg-1.0-py3-none-any.whl", fetch)
    assert path.read_bytes() == b"wheel bytes" * 1000
    assert (path.parent / "pkg-1.0-py3-none-any.whl.sha256").is_file()
    assert cache.ensure_file("archives", key, path.name, fetch) == path
    assert fetches == [1]

    path.write_bytes(b"tampered")
    assert cache.lookup_file("archives", key, path.name) is None
    assert "sha256" in cache.warnings[-1]
    assert not path.parent.exists()
    again = cache.ensure_file("archives", key, path.name, fetch)
    assert again.read_bytes() == b"wheel bytes" * 1000
    assert fetches == [1, 1]


def test_archive_missing_sidecar_is_corrupt(cache: Cache) -> None:
    key = make_key("a")
    path = cache.ensure_file("archives", key, "a.tar.gz", lambda d: d.write_bytes(b"x"))
    (path.parent / "a.tar.gz.sha256").unlink()
    assert cache.lookup_file("archives", key, "a.tar.gz") is None
    assert cache.warnings


def test_store_file_copies(cache: Cache, tmp_path: Path) -> None:
    src = tmp_path / "x-1.0.tar.gz"
    src.write_bytes(b"sdist")
    stored = cache.store_file("archives", make_key("x"), src)
    assert stored.name == "x-1.0.tar.gz"
    assert stored.read_bytes() == b"sdist"
    assert src.exists()
    with pytest.raises(ValueError, match="plain file name"):
        cache.ensure_file("archives", make_key("y"), "../evil", lambda d: None)


def test_directories_are_built_once_and_published_whole(cache: Cache) -> None:
    key = make_key("wheel", "sha256:abc")
    builds: list[Path] = []

    def build(tmp: Path) -> None:
        builds.append(tmp)
        (tmp / "pkg").mkdir()
        (tmp / "pkg" / "__init__.py").write_text("x = 1\n")

    assert cache.lookup_dir("wheels-unpacked", key) is None
    path = cache.ensure_dir("wheels-unpacked", key, build)
    assert (path / "pkg" / "__init__.py").read_text() == "x = 1\n"
    assert cache.ensure_dir("wheels-unpacked", key, build) == path
    assert len(builds) == 1
    assert not builds[0].exists()


def test_failed_build_leaves_nothing(cache: Cache) -> None:
    key = make_key("broken")

    def build(tmp: Path) -> None:
        (tmp / "half").write_text("x")
        raise RuntimeError("build failed")

    with pytest.raises(RuntimeError):
        cache.ensure_dir("wheels-built", key, build)
    assert cache.lookup_dir("wheels-built", key) is None
    shard = cache.path_for("wheels-built", key).parent
    assert [p.name for p in shard.iterdir() if not p.name.endswith(".lock")] == []


def test_remove(cache: Cache) -> None:
    key = make_key("gone")
    cache.ensure_dir("vcs", key, lambda tmp: (tmp / "f").write_text("x"))
    cache.remove("vcs", key)
    assert cache.lookup_dir("vcs", key) is None


def test_no_cache_dir_gives_a_temporary_cache_removed_at_exit() -> None:
    with open_cache(None, disabled=True) as cache:
        assert cache.temporary
        cache.write_bytes("http", make_key("p"), b"x")
        root = cache.root
        assert root.is_dir()
    assert not root.exists()


def test_cache_root_choice(tmp_path: Path) -> None:
    assert cache_root(str(tmp_path / "c")) == tmp_path / "c"
    default = cache_root(None)
    assert default == Path(os.environ["XDG_CACHE_HOME"]) / "pinset"
    with open_cache(str(tmp_path / "d")) as cache:
        assert cache.root == tmp_path / "d"
        assert not cache.temporary


def test_ensure_file_hashed_trusts_the_producer_digest_then_verifies_it(cache: Cache) -> None:
    data = b"wheel bytes\n"
    digest = hashlib.sha256(data).hexdigest()
    calls: list[Path] = []

    def produce(dest: Path) -> str:
        calls.append(dest)
        dest.write_bytes(data)
        return digest

    key = make_key("archive", "https://example.invalid/a.whl", digest)
    path, got = cache.ensure_file_hashed("archives", key, "a.whl", produce)
    assert (path.read_bytes(), got) == (data, digest)
    again, got_again = cache.ensure_file_hashed("archives", key, "a.whl", produce)
    assert (again, got_again, len(calls)) == (path, digest, 1)
    path.write_bytes(b"tampered\n")  # the stored digest no longer matches: produced anew
    third, got_third = cache.ensure_file_hashed("archives", key, "a.whl", produce)
    assert (third.read_bytes(), got_third, len(calls)) == (data, digest, 2)


def test_an_entry_removed_between_its_lookup_and_its_sidecar_is_produced_again(
    cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another thread drops an archive once its wheel is unpacked (``Cache.remove`` takes no
    lock): an entry found a moment before may have left when its sidecar is read."""
    data = b"wheel bytes\n"
    digest = hashlib.sha256(data).hexdigest()
    key = make_key("archive", "https://example.invalid/a.whl", digest)
    produced: list[Path] = []

    def produce(dest: Path) -> str:
        produced.append(dest)
        dest.write_bytes(data)
        return digest

    cache.ensure_file_hashed("archives", key, "a.whl", produce)
    found = Cache.lookup_file

    def then_removed(self: Cache, bucket: str, key_: str, filename: str) -> Path | None:
        path = found(self, bucket, key_, filename)
        self.remove(bucket, key_)  # the concurrent removal, right after the lookup
        return path

    monkeypatch.setattr(Cache, "lookup_file", then_removed)
    path, got = cache.ensure_file_hashed("archives", key, "a.whl", produce)
    assert (path.read_bytes(), got, len(produced)) == (data, digest, 2)
