"""Limits that hold against hostile or broken servers: timeouts, body sizes, deadlines."""

from __future__ import annotations

import threading
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from pinset.errors import NetworkError
from pinset.http.client import HttpClient
from tests.functional.http.conftest import fast_config
from tests.helpers.http_server import HttpServer, Reply

MiB = 1024 * 1024


def test_a_zero_timeout_means_no_timeout(server: HttpServer) -> None:
    # pip's --timeout 0 sets no socket timeout at all; it must not crash inside urllib3
    server.route("/page", Reply(200, b"hello", delay=0.2))
    with HttpClient(fast_config(timeout=0.0)) as client:
        assert client.get(server.url + "/page").body == b"hello"


def gzip_bomb(expanded: int) -> bytes:
    """A small gzip body that expands to ``expanded`` bytes of zeros."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(MiB)
    parts = [packer.compress(zeros) for _ in range(expanded // MiB)]
    return b"".join(parts) + packer.flush()


def cache_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_a_gzip_bomb_page_stops_at_the_cap_and_is_not_cached(
    server: HttpServer, tmp_path: Path
) -> None:
    bomb = gzip_bomb(256 * MiB)  # about 256 KiB on the wire
    assert len(bomb) < MiB
    headers = {
        "Content-Encoding": "gzip",
        "Content-Type": "text/html",
        "Cache-Control": "max-age=600",
    }
    server.route("/simple/bomb/", Reply(200, bomb, headers))
    config = fast_config(cache_dir=tmp_path / "cache")
    with HttpClient(config) as client:
        tracemalloc.start()
        try:
            with pytest.raises(NetworkError) as info:
                client.get(server.url + "/simple/bomb/", cache=True)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert "larger than 64 MiB" in info.value.message
    assert "/simple/bomb/" in info.value.message
    assert peak < 100 * MiB
    assert cache_files(tmp_path / "cache") == []
    assert len(server.hits("/simple/bomb/")) == 1  # not retried


def zeros(total: int) -> Iterator[bytes]:
    piece = bytes(MiB)
    for _ in range(total // MiB):
        yield piece


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "until-close"])
def test_a_huge_plain_page_stops_at_the_cap_and_is_not_cached(
    server: HttpServer, tmp_path: Path, declared: bool
) -> None:
    size = 80 * MiB
    server.route(
        "/simple/huge/",
        Reply(
            200,
            headers={"Content-Type": "text/html"},
            stream=lambda: zeros(size),
            stream_length=size if declared else None,
        ),
    )
    with HttpClient(fast_config(cache_dir=tmp_path / "cache")) as client:
        tracemalloc.start()
        try:
            with pytest.raises(NetworkError) as info:
                client.get(server.url + "/simple/huge/", cache=True)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert "larger than 64 MiB" in info.value.message
    assert peak < 100 * MiB
    assert cache_files(tmp_path / "cache") == []


def test_the_cap_is_a_setting_of_the_client(server: HttpServer) -> None:
    server.route("/meta", Reply(200, bytes(2 * MiB)))
    with HttpClient(fast_config(max_body=MiB)) as client:
        with pytest.raises(NetworkError) as info:
            client.get(server.url + "/meta")
        assert "larger than 1 MiB" in info.value.message
        server.route("/small", Reply(200, bytes(MiB)))
        assert len(client.get(server.url + "/small").body) == MiB


def test_a_page_at_the_cap_is_read_whole_and_decoded(server: HttpServer) -> None:
    body = b"<a href='x-1.0.tar.gz'>x</a>\n" * 1000
    packed = zlib.compress(body)
    server.route("/gz", Reply(200, gzip_bomb(MiB), {"Content-Encoding": "gzip"}))
    server.route("/deflate", Reply(200, packed, {"Content-Encoding": "deflate"}))
    raw = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    server.route(
        "/raw", Reply(200, raw.compress(body) + raw.flush(), {"Content-Encoding": "deflate"})
    )
    with HttpClient(fast_config(max_body=MiB)) as client:
        assert client.get(server.url + "/gz").body == bytes(MiB)
        assert client.get(server.url + "/deflate").body == body
        assert client.get(server.url + "/raw").body == body


def test_a_trickling_download_ends_at_its_deadline(server: HttpServer, tmp_path: Path) -> None:
    server.route("/slow.whl", Reply(200, b"x" * 200, trickle=0.05))  # 10 s in all
    dest = tmp_path / "slow.whl"
    with HttpClient(fast_config(download_timeout=1.0)) as client:
        started = time.monotonic()
        with pytest.raises(NetworkError) as info:
            client.download(server.url + "/slow.whl", dest)
        elapsed = time.monotonic() - started
    assert "took longer than 1 s" in info.value.message
    assert "--download-timeout" in (info.value.hint or "")
    assert elapsed < 4
    assert not dest.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_trickling_page_ends_at_its_deadline(server: HttpServer) -> None:
    server.route("/simple/slow/", Reply(200, b"x" * 200, trickle=0.05))
    with HttpClient(fast_config(download_timeout=1.0)) as client:
        started = time.monotonic()
        with pytest.raises(NetworkError) as info:
            client.get(server.url + "/simple/slow/")
        assert time.monotonic() - started < 4
    assert "took longer than 1 s" in info.value.message


def test_a_local_file_larger_than_the_cap_is_not_read(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_bytes(bytes(2 * MiB))
    with HttpClient(fast_config(max_body=MiB)) as client:
        with pytest.raises(NetworkError) as info:
            client.get(page.as_uri())
        assert "larger than 1 MiB" in info.value.message
        # a range of it is fine, and only that range is read
        part = client.get_range(page.as_uri(), -100, None)
        assert (part.status, len(part.body)) == (206, 100)
        assert part.headers["content-range"] == f"bytes {2 * MiB - 100}-{2 * MiB - 1}/{2 * MiB}"
        with pytest.raises(NetworkError):
            client.get_range(page.as_uri(), 0, None)


def endless() -> Iterator[bytes]:
    piece = bytes(64 * 1024)
    while True:
        yield piece


def test_an_endless_body_on_a_redirect_is_not_read(server: HttpServer) -> None:
    # the body of a redirect (or a 401, or a 503 about to be retried) is never needed
    location = {"Location": "/target"}
    server.route("/start", Reply(302, headers=location, stream=endless))
    server.route("/target", Reply(200, b"arrived"))
    done: list[bytes] = []
    with HttpClient(fast_config()) as client:
        worker = threading.Thread(
            target=lambda: done.append(client.get(server.url + "/start").body), daemon=True
        )
        worker.start()
        worker.join(10)
    assert done == [b"arrived"]


def test_a_small_redirect_body_keeps_the_connection(server: HttpServer) -> None:
    server.route("/start", Reply(302, b"moved", {"Location": "/target"}))
    server.route("/target", Reply(200, b"arrived"))
    with HttpClient(fast_config()) as client:
        assert client.get(server.url + "/start").body == b"arrived"
    assert server.hits("/start")[0].peer == server.hits("/target")[0].peer


def test_a_large_page_is_read_into_one_buffer_and_keeps_the_connection(
    server: HttpServer,
) -> None:
    """A body of known length is read as it arrives into one buffer of its size: no second
    copy of a large page is ever held, and the connection serves the next request."""
    body = bytes(range(256)) * (8 * MiB // 256)
    server.route("/simple/big/", Reply(200, body))
    server.route("/simple/small/", Reply(200, b"small"))
    with HttpClient(fast_config()) as client:
        client.get(server.url + "/simple/small/")  # the connection, made before measuring
        tracemalloc.start()
        try:
            assert client.get(server.url + "/simple/big/").body == body
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert client.get(server.url + "/simple/small/").body == b"small"
    assert peak < 1.5 * len(body)
    peers = {hit.peer for path in ("/simple/small/", "/simple/big/") for hit in server.hits(path)}
    assert len(peers) == 1
