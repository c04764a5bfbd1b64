"""A cached archive that another thread or run drops (once it has unpacked the wheel) between
the moment this run finds it and the moment it reads it is fetched again, not an error."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

from pinset.cache import Cache
from pinset.distribution import fetch
from pinset.distribution.archives import archive_key, ensure_archive, index_sha256
from pinset.dists import Candidate
from pinset.errors import HashMismatchError
from pinset.http.client import HttpClient
from pinset.index.finder import Finder, IndexConfig
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
