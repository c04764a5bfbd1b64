"""Fixtures for ``pinset install`` tests (import them into a test module).

``catalog``: the wheels of :func:`~tests.helpers.install_world.build_catalog`, built once.
``index``: a started local index serving the catalog. ``venv``: a fresh environment of the
newest available Python. ``pinset``: run the CLI against ``index`` (``-i`` added), in ``tmp_path``.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers.envs import available_versions
from tests.helpers.fixtures_index import IndexServerFactory
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import build_catalog, new_venv, run_pinset, serve

VERSIONS = available_versions()
NEWEST = VERSIONS[-1] if VERSIONS else "3"

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="session")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_catalog(tmp_path_factory.mktemp("catalog"))


@pytest.fixture
def index(index_server_factory: IndexServerFactory, catalog: Path) -> IndexServer:
    return serve(index_server_factory(), catalog)


@pytest.fixture
def venv(tmp_path: Path) -> Path:
    if not VERSIONS:
        pytest.skip("no pyenv interpreters on this machine")
    return new_venv(tmp_path / "venv", NEWEST)


@pytest.fixture
def pinset(index: IndexServer, venv: Path, tmp_path: Path) -> Run:
    """``pinset("install", "app")`` → ``pinset install --python VENV -i INDEX app`` (``-i`` for
    sync, download and wheel too)."""

    def run(command: str, *args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
        extra = ["--python", str(venv)]
        if command in ("install", "sync", "download", "wheel"):
            extra += ["-i", index.simple_url]
        cwd = kwargs.pop("cwd", tmp_path)
        return run_pinset(command, *extra, *args, cwd=cwd, **kwargs)  # type: ignore[arg-type]

    return run
