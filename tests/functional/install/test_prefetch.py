"""Fetching ahead of the resolver: the likely graph, but never what is installed and kept."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)

from __future__ import annotations

from tests.helpers.fixtures_install import Run, catalog, index, pinset, venv  # noqa: F401
from tests.helpers.index_server import IndexServer


def _pages(index: IndexServer) -> set[str]:
    return {path for _, path, _ in index.requests if "/simple/" in path}


def test_the_dependency_chain_is_resolved_and_fetched(pinset: Run, index: IndexServer) -> None:
    result = pinset("install", "--dry-run", "chain-a")
    assert result.returncode == 0, result.stderr
    assert " + chain-b==1.0" in result.stderr
    assert " + lib==1.0" in result.stderr
    assert {p.rstrip("/").rsplit("/", 1)[-1] for p in _pages(index)} >= {
        "chain-a",
        "chain-b",
        "lib",
    }


def test_installed_dependencies_are_not_fetched_ahead(pinset: Run, index: IndexServer) -> None:
    """lib is installed and satisfies app: neither the resolver nor the prefetch asks the
    index about it."""
    assert pinset("install", "lib==2.0", "--no-compile").returncode == 0
    index.clear_requests()
    result = pinset("install", "app", "--no-compile")
    assert result.returncode == 0, result.stderr
    assert " + app==1.0" in result.stderr
    assert not any(p.rstrip("/").endswith("/lib") for p in _pages(index)), _pages(index)


def test_no_deps_fetches_no_dependency_pages(pinset: Run, index: IndexServer) -> None:
    result = pinset("install", "--dry-run", "--no-deps", "chain-a")
    assert result.returncode == 0, result.stderr
    names = {p.rstrip("/").rsplit("/", 1)[-1] for p in _pages(index)}
    assert "chain-b" not in names
    assert "lib" not in names
