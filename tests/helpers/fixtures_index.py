"""Pytest fixtures for a real package index on 127.0.0.1 (register as a pytest plugin).

``index_server``: a started :class:`~tests.helpers.index_server.IndexServer` over an empty
temporary directory, stopped after the test. ``index_server_factory``: call it to start more
(``index_server_factory(auth=("u", "p"), json=False)``), all stopped after the test.
``client``: an :class:`~pinset.http.client.HttpClient` with a short timeout and one retry
(a module that needs another overrides it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pinset.http.client import HttpClient, HttpConfig
from tests.helpers.index_server import IndexServer

IndexServerFactory = Callable[..., IndexServer]


@pytest.fixture
def index_server_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IndexServerFactory]:
    started: list[IndexServer] = []

    def make(root: Path | None = None, **options: Any) -> IndexServer:
        server = IndexServer(root or tmp_path_factory.mktemp("index"), **options).start()
        started.append(server)
        return server

    try:
        yield make
    finally:
        for server in started:
            server.stop()


@pytest.fixture
def index_server(index_server_factory: IndexServerFactory) -> IndexServer:
    return index_server_factory()


@pytest.fixture
def client() -> Iterator[HttpClient]:
    with HttpClient(HttpConfig(timeout=5, retries=1, backoff=0.01)) as http:
        yield http
