"""Isolation for every test: a temporary home, cache and config; no pip/pinset settings leak in.

This machine's own pip configuration sets a constraints file, extra indexes and find-links;
none of it may reach a test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.isolation import isolated_environ

pytest_plugins = ["tests.helpers.fixtures_index"]


@pytest.fixture(autouse=True)
def _isolate(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    home = tmp_path_factory.mktemp("home")
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(isolated_environ(saved, home))
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture
def home() -> Path:
    return Path(os.environ["HOME"])


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("PINSET_ONLINE") == "1":
        return
    skip = pytest.mark.skip(reason="online test: set PINSET_ONLINE=1 to run")
    for item in items:
        if "online" in item.keywords:
            item.add_marker(skip)
