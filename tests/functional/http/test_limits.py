"""Limits that hold against hostile or broken servers: timeouts, body sizes, deadlines."""

from __future__ import annotations

from pinset.http.client import HttpClient
from tests.functional.http.conftest import fast_config
from tests.helpers.http_server import HttpServer, Reply


def test_a_zero_timeout_means_no_timeout(server: HttpServer) -> None:
    # pip's --timeout 0 sets no socket timeout at all; it must not crash inside urllib3
    server.route("/page", Reply(200, b"hello", delay=0.2))
    with HttpClient(fast_config(timeout=0.0)) as client:
        assert client.get(server.url + "/page").body == b"hello"
