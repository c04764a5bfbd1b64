"""Streaming downloads and range requests against a real server."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest

from pinset.errors import IntegrityError, NetworkError
from pinset.http.client import HttpClient
from tests.helpers.http_server import HttpServer, Reply, static

DATA = bytes(range(256)) * 2000  # 512 000 bytes: several chunks
DIGEST = hashlib.sha256(DATA).hexdigest()


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_download_verifies_and_reports_progress(
    server: HttpServer, client: HttpClient, tmp_path: Path
) -> None:
    server.route("/pkg-1.0.tar.gz", static(DATA, content_type="application/gzip"))
    dest = tmp_path / "pkg-1.0.tar.gz"
    seen: list[tuple[int, int | None]] = []
    result = client.download(
        server.url + "/pkg-1.0.tar.gz",
        dest,
        hashes={"sha256": {"0" * 64, DIGEST}},
        progress=lambda done, total: seen.append((done, total)),
    )
    assert dest.read_bytes() == DATA
    assert (result.path, result.sha256, result.size) == (dest, DIGEST, len(DATA))
    assert seen[0] == (0, len(DATA))
    assert seen[-1] == (len(DATA), len(DATA))
    assert leftovers(tmp_path) == ["pkg-1.0.tar.gz"]
    assert server.hits("/pkg-1.0.tar.gz")[0].headers["accept-encoding"] == "identity"


def test_hash_mismatch_leaves_nothing_at_dest(
    server: HttpServer, client: HttpClient, tmp_path: Path
) -> None:
    server.route("/f", Reply(200, DATA))
    dest = tmp_path / "f.whl"
    with pytest.raises(IntegrityError) as info:
        client.download(server.url + "/f", dest, hashes={"sha256": ["ab" * 32]})
    assert "hash mismatch" in str(info.value)
    assert info.value.note
    assert DIGEST in info.value.note
    assert "ab" * 32 in info.value.note
    assert leftovers(tmp_path) == []


def test_hash_mismatch_keeps_an_existing_dest(
    server: HttpServer, client: HttpClient, tmp_path: Path
) -> None:
    server.route("/f", Reply(200, DATA))
    dest = tmp_path / "f.whl"
    dest.write_bytes(b"previous")
    with pytest.raises(IntegrityError):
        client.download(server.url + "/f", dest, hashes={"sha512": ["00"]})
    assert dest.read_bytes() == b"previous"
    assert leftovers(tmp_path) == ["f.whl"]


def test_truncated_download_is_retried_from_scratch(
    server: HttpServer, client: HttpClient, tmp_path: Path
) -> None:
    server.route("/f", Reply(200, DATA, truncate=1000), Reply(reset=True), Reply(200, DATA))
    result = client.download(server.url + "/f", tmp_path / "f", hashes={"sha256": [DIGEST]})
    assert result.size == len(DATA)
    assert len(server.hits("/f")) == 3
    assert leftovers(tmp_path) == ["f"]


def test_download_error_status_raises_and_leaves_nothing(
    server: HttpServer, client: HttpClient, tmp_path: Path
) -> None:
    with pytest.raises(NetworkError, match="HTTP 404"):
        client.download(server.url + "/missing.whl", tmp_path / "missing.whl")
    assert leftovers(tmp_path) == []


def test_download_from_file_url(client: HttpClient, tmp_path: Path) -> None:
    src = tmp_path / "src" / "a b.whl"
    src.parent.mkdir()
    src.write_bytes(DATA)
    result = client.download(src.as_uri(), tmp_path / "out" / "a.whl", hashes={"SHA256": [DIGEST]})
    assert result.path.read_bytes() == DATA
    with pytest.raises(NetworkError, match="no such file"):
        client.download((tmp_path / "nope.whl").as_uri(), tmp_path / "x.whl")


def test_range_requests(server: HttpServer, client: HttpClient) -> None:
    server.route("/w.whl", static(DATA, content_type="application/zip"))
    head = client.get_range(server.url + "/w.whl", 0, 9)
    assert (head.status, head.body) == (206, DATA[:10])
    assert head.headers["content-range"] == f"bytes 0-9/{len(DATA)}"
    tail = client.get_range(server.url + "/w.whl", -100, None)
    assert (tail.status, tail.body) == (206, DATA[-100:])
    middle = client.get_range(server.url + "/w.whl", 1000, None)
    assert middle.body == DATA[1000:]
    assert server.hits("/w.whl")[1].headers["range"] == "bytes=-100"


def test_server_ignoring_range_gives_200(server: HttpServer, client: HttpClient) -> None:
    server.route("/w.whl", Reply(200, DATA))
    whole = client.get_range(server.url + "/w.whl", 0, 9)
    assert (whole.status, len(whole.body)) == (200, len(DATA))


def test_content_encoding_is_not_undone_for_downloads(
    server: HttpServer, client: HttpClient, tmp_path: Path
) -> None:
    archive = gzip.compress(b"tar bytes" * 100)
    # a misconfigured server labels a .tar.gz as gzip-encoded: the file must stay as served
    server.route("/p.tar.gz", Reply(200, archive, {"Content-Encoding": "gzip"}))
    expected = {"sha256": [hashlib.sha256(archive).hexdigest()]}
    result = client.download(server.url + "/p.tar.gz", tmp_path / "p.tar.gz", hashes=expected)
    assert result.path.read_bytes() == archive
