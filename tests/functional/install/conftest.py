"""Real virtual environments made from ~/.pyenv/versions/3.8 … 3.13 (without pip: fast)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from pinset.dists import LocalWheel
from pinset.environment.interpreter import query
from pinset.interpreter import Interpreter
from tests.helpers.envs import available_versions, make_venv

VERSIONS = available_versions()
NEWEST = VERSIONS[-1] if VERSIONS else "3"

VenvFactory = Callable[..., Interpreter]


@pytest.fixture(scope="session")
def interp_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("interp-cache")


@pytest.fixture
def make_env(tmp_path: Path, interp_cache: Path) -> VenvFactory:
    """``make_env(version="3.12", name="env")``: a fresh venv's :class:`Interpreter`."""
    if not VERSIONS:
        pytest.skip("no pyenv interpreters on this machine")

    def factory(version: str = NEWEST, name: str = "env") -> Interpreter:
        python = make_venv(tmp_path / name, version)
        return query(python, cache_dir=interp_cache)

    return factory


def local_wheel(path: Path) -> LocalWheel:
    from packaging.utils import parse_wheel_filename

    name, version, _build, _tags = parse_wheel_filename(path.name)
    return LocalWheel(name, version, path, hashlib.sha256(path.read_bytes()).hexdigest())
