"""Warming ahead of the resolver follows the extras asked for: a requirement's own
(``web[fast]``) and those a dependency names (``needs-web`` requires ``web[fast]``), and only
those (against a real index on 127.0.0.1)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from packaging.utils import NormalizedName, canonicalize_name

from pinset.cache import Cache
from pinset.distribution.source import IndexSource
from pinset.http.client import HttpClient
from pinset.index.finder import Finder, IndexConfig
from tests.helpers.dists import make_wheel
from tests.helpers.index_server import IndexServer
from tests.helpers.interpreters import interpreter

TARGET = interpreter((3, 11, 0))


@pytest.fixture
def served(index_server: IndexServer, tmp_path: Path) -> IndexServer:
    dists = tmp_path / "dists"
    dists.mkdir()
    for name, requires in {
        "web": ["base", "speedups ; extra == 'fast'", "docs-tool ; extra == 'docs'"],
        "needs-web": ["web[fast]>=1"],
        "base": [],
        "speedups": [],
        "docs-tool": [],
    }.items():
        index_server.add(make_wheel(dists, name, "1.0", requires=requires))
    return index_server


def _pages(server: IndexServer) -> set[str]:
    return {p.rstrip("/").rsplit("/", 1)[-1] for _, p, _ in server.requests if "/simple/" in p}


def _warmed(
    client: HttpClient,
    server: IndexServer,
    tmp_path: Path,
    names: list[str],
    *,
    extras: dict[NormalizedName, frozenset[str]],
    expected: set[str],
) -> set[str]:
    """The pages read while warming ``names``: once ``expected`` have been read (or after
    10 s), and a moment more for any page that should not be."""
    finder = Finder(client, IndexConfig(index_url=server.simple_url), TARGET)
    source = IndexSource(finder, client, Cache(tmp_path / "cache"))
    try:
        source.prefetch([canonicalize_name(n) for n in names], extras)
        deadline = time.monotonic() + 10
        while not expected <= _pages(server) and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.3)
        return _pages(server)
    finally:
        source.close()


def test_a_requirement_s_extras_are_warmed(
    client: HttpClient, served: IndexServer, tmp_path: Path
) -> None:
    web = canonicalize_name("web")
    expected = {"web", "base", "speedups"}
    assert _warmed(
        client, served, tmp_path, ["web"], extras={web: frozenset({"fast"})}, expected=expected
    ) == (expected)


def test_the_extras_a_dependency_names_are_warmed(
    client: HttpClient, served: IndexServer, tmp_path: Path
) -> None:
    expected = {"needs-web", "web", "base", "speedups"}
    assert (
        _warmed(client, served, tmp_path, ["needs-web"], extras={}, expected=expected) == expected
    )


def test_without_extras_only_the_plain_dependencies(
    client: HttpClient, served: IndexServer, tmp_path: Path
) -> None:
    expected = {"web", "base"}
    assert _warmed(client, served, tmp_path, ["web"], extras={}, expected=expected) == expected
