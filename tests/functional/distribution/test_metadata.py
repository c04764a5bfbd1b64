"""Metadata by the cheapest route, verified downloads: checked in the server's request log."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

from pinset.distribution.download import download_candidate
from pinset.distribution.lazy_zip import TAIL_BYTES
from pinset.distribution.metadata import fetch_metadata
from pinset.dists import Candidate
from pinset.errors import IntegrityError
from pinset.http.client import HttpClient
from pinset.index.finder import Finder, IndexConfig
from tests.helpers.dists import make_sdist, make_wheel
from tests.helpers.fixtures_index import IndexServerFactory
from tests.helpers.index_server import IndexServer
from tests.helpers.interpreters import interpreter

TARGET = interpreter((3, 11, 0))
WHEEL = "demo-1.0-py3-none-any.whl"


def _serve(server: IndexServer, tmp_path: Path, **add: object) -> None:
    noise = b"".join(hashlib.sha256(str(i).encode()).digest() for i in range(13_000))
    big = {"demo/blob.bin": noise}  # a ~400 KB wheel that does not compress
    server.add(
        make_wheel(
            tmp_path,
            "demo",
            "1.0",
            requires=["dep>=2"],
            extras={"x": ["other"]},
            requires_python=">=3.9",
            files=big,
        ),
        **add,  # type: ignore[arg-type]
    )
    server.add(make_sdist(tmp_path, "demo", "0.9"))


def _candidate(client: HttpClient, server: IndexServer, version: str = "1.0") -> Candidate:
    finder = Finder(client, IndexConfig(index_url=server.simple_url), TARGET)
    cand = finder.best("demo", SpecifierSet(f"=={version}"))
    assert cand is not None
    return cand


def _file_requests(server: IndexServer) -> list[tuple[str, str | None]]:
    return [(p, h.get("range")) for m, p, h in server.requests if p.startswith("/files/")]


def test_pep658_metadata_file_is_used_and_the_wheel_is_not_downloaded(
    index_server: IndexServer, tmp_path: Path, client: HttpClient
) -> None:
    _serve(index_server, tmp_path)
    cand = _candidate(client, index_server)
    assert cand.link.metadata is not None
    meta = fetch_metadata(client, cand)
    assert meta is not None
    assert meta.get_all("Requires-Dist") == ["dep>=2", 'other ; extra == "x"']
    assert meta.get("Requires-Python") == ">=3.9"
    assert _file_requests(index_server) == [(f"/files/{WHEEL}.metadata", None)]


def test_range_requests_read_only_the_metadata_member(
    index_server_factory: IndexServerFactory, tmp_path: Path, client: HttpClient
) -> None:
    server = index_server_factory(metadata=False)
    _serve(server, tmp_path)
    cand = _candidate(client, server)
    assert cand.link.metadata is None
    meta = fetch_metadata(client, cand)
    assert meta is not None
    assert meta.get("Name") == "demo"
    assert meta.get_all("Requires-Dist") == ["dep>=2", 'other ; extra == "x"']
    requests = _file_requests(server)
    # the tail (central directory and, at the end of a wheel, METADATA): one round trip
    assert [rng for _, rng in requests] == [f"bytes=-{TAIL_BYTES}"]
    assert all(path == f"/files/{WHEEL}" and rng for path, rng in requests)
    size = (server.root / WHEEL).stat().st_size
    fetched = 0
    for _, rng in requests:
        assert rng is not None
        first, _, last = rng.removeprefix("bytes=").partition("-")
        fetched += min(int(last), size) if first == "" else int(last) - int(first) + 1
    assert fetched < size // 2


def test_a_large_wheel_s_directory_and_metadata_come_in_one_range_request(
    index_server_factory: IndexServerFactory, tmp_path: Path, client: HttpClient
) -> None:
    """A wheel of 8 MB and 1,500 files: its central directory (over 64 KiB) and METADATA lie
    in the last 1/40 of it, the first and only range asked for."""
    server = index_server_factory(metadata=False)
    noise = b"".join(hashlib.sha256(str(i).encode()).digest() for i in range(250_000))
    files: dict[str, str | bytes] = {"demo/blob.bin": noise}
    files.update({f"demo/package/module_number_{i}.py": f"x = {i}\n" for i in range(1500)})
    server.add(make_wheel(tmp_path, "demo", "1.0", requires=["dep>=2"], files=files))
    cand = _candidate(client, server)
    size = (server.root / WHEEL).stat().st_size
    assert cand.link.size == size > 8_000_000
    meta = fetch_metadata(client, cand)
    assert meta is not None
    assert meta.get_all("Requires-Dist") == ["dep>=2"]
    assert _file_requests(server) == [(f"/files/{WHEEL}", f"bytes=-{size // 40}")]


def test_full_download_when_the_server_ignores_ranges(
    index_server_factory: IndexServerFactory, tmp_path: Path, client: HttpClient
) -> None:
    server = index_server_factory(metadata=False, ranges=False)
    _serve(server, tmp_path)
    meta = fetch_metadata(client, _candidate(client, server))
    assert meta is not None
    assert meta.get("Version") == "1.0"
    assert [p for p, _ in _file_requests(server)] == [f"/files/{WHEEL}"]


def test_full_download_when_the_zip_cannot_be_read_lazily(
    index_server_factory: IndexServerFactory, tmp_path: Path, client: HttpClient
) -> None:
    server = index_server_factory(metadata=False)
    _serve(server, tmp_path)
    server.fault("500", 2, path=f"/files/{WHEEL}")  # the range request fails (with its retry)
    keep = tmp_path / "kept"
    meta = fetch_metadata(client, _candidate(client, server), dest_dir=keep)
    assert meta is not None
    assert (keep / WHEEL).read_bytes() == (server.root / WHEEL).read_bytes()
    assert _file_requests(server)[-1] == (f"/files/{WHEEL}", None)


def test_sdist_has_no_metadata_without_a_build(
    index_server: IndexServer, tmp_path: Path, client: HttpClient
) -> None:
    _serve(index_server, tmp_path)
    assert fetch_metadata(client, _candidate(client, index_server, "0.9")) is None
    assert _file_requests(index_server) == []


def test_download_verifies_the_index_hash(
    index_server: IndexServer, tmp_path: Path, client: HttpClient
) -> None:
    _serve(index_server, tmp_path)
    good = download_candidate(client, _candidate(client, index_server), tmp_path / "good")
    assert good.path.read_bytes() == (index_server.root / WHEEL).read_bytes()
    index_server.add(index_server.root / WHEEL, sha256="0" * 64)
    with pytest.raises(IntegrityError, match="hash mismatch"):
        download_candidate(client, _candidate(client, index_server), tmp_path / "bad")
    assert not (tmp_path / "bad" / WHEEL).exists()


def test_hash_mismatch_refused_when_the_whole_file_comes_back(
    index_server_factory: IndexServerFactory, tmp_path: Path, client: HttpClient
) -> None:
    server = index_server_factory(metadata=False, ranges=False)
    _serve(server, tmp_path, sha256="0" * 64)
    with pytest.raises(IntegrityError, match="hash mismatch"):
        fetch_metadata(client, _candidate(client, server))


def test_metadata_file_with_wrong_hash_is_refused(tmp_path: Path, client: HttpClient) -> None:
    files = tmp_path / "files"
    wheel = make_wheel(files, "demo", "1.0")
    (files / f"{WHEEL}.metadata").write_text("Name: demo\nVersion: 1.0\nRequires-Dist: evil\n")
    page = tmp_path / "simple" / "demo"
    page.mkdir(parents=True)
    (page / "index.html").write_text(
        f'<a href="../../files/{wheel.name}" data-core-metadata="sha256={"1" * 64}">w</a>'
    )
    finder = Finder(client, IndexConfig(index_url=(tmp_path / "simple").as_uri()), TARGET)
    cand = finder.best("demo", SpecifierSet())
    assert cand is not None
    with pytest.raises(IntegrityError, match=r"metadata of demo==1\.0"):
        fetch_metadata(client, cand)


def test_metadata_naming_another_project_is_refused(tmp_path: Path, client: HttpClient) -> None:
    files = tmp_path / "files"
    wheel = make_wheel(files, "demo", "1.0")
    (files / f"{WHEEL}.metadata").write_text("Name: evil\nVersion: 6.6\n")
    page = tmp_path / "simple" / "demo"
    page.mkdir(parents=True)
    (page / "index.html").write_text(
        f'<a href="../../files/{wheel.name}" data-core-metadata="true">w</a>'
    )
    finder = Finder(client, IndexConfig(index_url=(tmp_path / "simple").as_uri()), TARGET)
    cand = finder.best("demo", SpecifierSet())
    assert cand is not None
    with pytest.raises(IntegrityError, match=r"is for evil 6\.6, not demo 1\.0"):
        fetch_metadata(client, cand)


def test_local_wheel_is_read_in_place(tmp_path: Path, client: HttpClient) -> None:
    make_wheel(tmp_path / "here", "demo", "1.0", requires=["dep"])
    config = IndexConfig(index_url=None, find_links=(str(tmp_path / "here"),))
    cand = Finder(client, config, TARGET).best("demo", SpecifierSet())
    assert cand is not None
    meta = fetch_metadata(client, cand)
    assert meta is not None
    assert meta.get_all("Requires-Dist") == ["dep"]


def test_user_hashes_and_index_hash_must_both_hold(
    index_server: IndexServer, tmp_path: Path, client: HttpClient
) -> None:
    _serve(index_server, tmp_path)
    real = hashlib.sha256((index_server.root / WHEEL).read_bytes()).hexdigest()
    cand = _candidate(client, index_server)
    with pytest.raises(IntegrityError, match="hash mismatch"):
        download_candidate(client, cand, tmp_path / "a", user={"sha256": ["0" * 64]})
    got = download_candidate(client, cand, tmp_path / "b", user={"sha256": [real]})
    assert got.sha256 == real
    index_server.add(index_server.root / WHEEL, sha256="1" * 64)  # the index now lies
    lying = _candidate(client, index_server)
    with pytest.raises(IntegrityError, match="not the sha256 its index announced"):
        download_candidate(client, lying, tmp_path / "c", user={"sha256": [real]})
    assert not (tmp_path / "c" / WHEEL).exists()
