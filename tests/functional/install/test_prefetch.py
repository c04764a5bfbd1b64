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


def _files(index: IndexServer) -> set[str]:
    """The wheels whose metadata (PEP 658 file, or the wheel itself) was asked for."""
    names = {path.rsplit("/", 1)[-1] for _, path, _ in index.requests}
    return {n.removesuffix(".metadata") for n in names if ".whl" in n}


def test_a_pre_release_is_not_warmed_when_the_resolver_would_not_take_it(
    pinset: Run, index: IndexServer
) -> None:
    """lib's newest file is 4.0b1: without --pre the resolver takes 2.0 (3.0 is yanked), and
    the metadata read ahead of it is 2.0's, not the pre-release's; with --pre, 4.0b1's."""
    result = pinset("install", "--dry-run", "--report", "-", "app")
    assert result.returncode == 0, result.stderr
    assert " + lib==2.0" in result.stderr
    assert "lib-2.0-py3-none-any.whl" in _files(index)
    assert "lib-4.0b1-py3-none-any.whl" not in _files(index), _files(index)
    index.clear_requests()
    result = pinset("install", "--dry-run", "--pre", "--no-cache-dir", "app")
    assert result.returncode == 0, result.stderr
    assert " + lib==4.0b1" in result.stderr
    assert "lib-4.0b1-py3-none-any.whl" in _files(index)
