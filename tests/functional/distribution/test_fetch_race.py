"""A cached archive that another thread or run drops (once it has unpacked the wheel) between
the moment this run finds it and the moment it reads it is fetched again, or its tree is used,
not an error."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

from pinset.cache import Cache
from pinset.distribution import fetch
from pinset.distribution.archives import archive_key, ensure_archive, index_sha256
from pinset.dists import Candidate, LocalWheel
from pinset.errors import HashMismatchError
from pinset.http.client import HttpClient
from pinset.index.finder import Finder, IndexConfig
from pinset.session.unpack import fetch_unpacked
from tests.helpers.dists import make_wheel
from tests.helpers.index_server import IndexServer
from tests.helpers.interpreters import interpreter


def _candidate(client: HttpClient, server: IndexServer, tmp_path: Path) -> Candidate:
    server.add(make_wheel(tmp_path, "demo", "1.0"))
    found = Finder(client, IndexConfig(index_url=server.simple_url), interpreter((3, 11, 0)))
    cand = found.best("demo", SpecifierSet("==1.0"))
    assert cand is not None
    return cand


def test_an_archive_dropped_before_its_hashes_are_checked_is_fetched_again(
    index_server: IndexServer, tmp_path: Path, client: HttpClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The user's hashes name another file: the answer is the hash mismatch, whether the
    archive stored for the wheel's metadata is still there or was dropped meanwhile."""
    cand = _candidate(client, index_server, tmp_path)
    sha = index_sha256(cand.link)
    assert sha is not None
    cache = Cache(tmp_path / "cache")
    ensure_archive(client, cache, cand, sha)  # stored whole, for its metadata
    found: list[Path] = []

    def then_dropped(*args: object, **kwargs: object) -> tuple[Path, str]:
        path, digest = ensure_archive(*args, **kwargs)  # type: ignore[arg-type]
        found.append(path)
        if len(found) == 1:  # unpacked by another thread, which drops the archive
            cache.remove("archives", archive_key(cand.link, sha))
        return path, digest

    monkeypatch.setattr(fetch, "ensure_archive", then_dropped)
    with pytest.raises(HashMismatchError, match="hash mismatch"):
        fetch.fetch_wheel(
            client, cache, cand, tmp_path / "scratch", required={"sha256": ["ab" * 32]}
        )
    assert len(found) == 1  # the second fetch downloads, and the download's check refuses it
    assert not (cache.path_for("archives", archive_key(cand.link, sha))).exists()


def test_an_archive_unpacked_and_dropped_after_the_user_s_sha512_check_is_installed_from_the_tree(
    index_server: IndexServer, tmp_path: Path, client: HttpClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The user's hashes are sha512 only, so the archive kept for the wheel's metadata is read
    and checked; the unpack-ahead thread then unpacks it and drops it before this fetch unpacks
    it. The fetch takes the tree that thread made (under the entry's lock, so it never reads an
    archive being dropped), and does not fetch the file again."""
    cand = _candidate(client, index_server, tmp_path)
    sha = index_sha256(cand.link)
    assert sha is not None
    cache = Cache(tmp_path / "cache")
    path, _ = ensure_archive(client, cache, cand, sha)  # stored whole, for its metadata
    sha512 = hashlib.sha512(path.read_bytes()).hexdigest()
    real = fetch.fetch_wheel
    checked: list[Path] = []

    def then_unpacked_elsewhere(*args: object, **kwargs: object) -> LocalWheel:
        wheel = real(*args, **kwargs)  # type: ignore[arg-type]
        checked.append(wheel.path)
        if len(checked) == 1:  # what UnpackAhead does meanwhile: unpack, drop the archive
            monkeypatch.setattr(fetch, "fetch_wheel", real)
            fetch_unpacked(client, cache, cand, tmp_path / "scratch")
            monkeypatch.setattr(fetch, "fetch_wheel", then_unpacked_elsewhere)
        return wheel

    monkeypatch.setattr(fetch, "fetch_wheel", then_unpacked_elsewhere)
    got = fetch_unpacked(client, cache, cand, tmp_path / "scratch", required={"sha512": [sha512]})
    assert checked == [path]  # checked once, not fetched again
    assert not path.exists()  # the other thread dropped it: the cache keeps one copy
    assert got.wheel.sha256 == sha
    assert not got.reused
    assert (got.unpacked.root / got.unpacked.dist_info / "METADATA").is_file()


def test_a_wheel_checked_against_sha512_is_unpacked_and_its_archive_dropped(
    index_server: IndexServer, tmp_path: Path, client: HttpClient
) -> None:
    """The cache keeps one copy of a wheel, whatever hashes the user gave (it kept the archive
    beside the tree when they were not sha256)."""
    cand = _candidate(client, index_server, tmp_path)
    sha = index_sha256(cand.link)
    assert sha is not None
    cache = Cache(tmp_path / "cache")
    path, _ = ensure_archive(client, cache, cand, sha)
    sha512 = hashlib.sha512(path.read_bytes()).hexdigest()
    got = fetch_unpacked(client, cache, cand, tmp_path / "scratch", required={"sha512": [sha512]})
    assert not path.exists()
    assert (got.unpacked.root / got.unpacked.dist_info / "METADATA").is_file()
    with pytest.raises(HashMismatchError):  # the user's hashes still decide: the file is read
        fetch_unpacked(client, cache, cand, tmp_path / "scratch", required={"sha512": ["0" * 128]})
    assert not path.exists()
