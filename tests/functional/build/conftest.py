from __future__ import annotations

from pathlib import Path

import pytest

from pinset.build.builder import Builder, BuildRequest
from tests.helpers.build_context import WheelhouseContext
from tests.helpers.envs import python_for


@pytest.fixture
def context(tmp_path: Path) -> WheelhouseContext:
    return WheelhouseContext(tmp_path / "context")


@pytest.fixture
def builder(context: WheelhouseContext) -> Builder:
    return Builder(context)


def target(version: str) -> Path:
    python = python_for(version)
    if python is None:
        pytest.skip(f"no Python {version} here")
    return python


def request_for(tmp_path: Path, tree: Path, version: str, **kwargs: object) -> BuildRequest:
    return BuildRequest(
        project=tree.name,
        tree=tree,
        python=target(version),
        out_dir=tmp_path / "out",
        log=tmp_path / "logs" / f"{tree.name}.log",
        **kwargs,  # type: ignore[arg-type]
    )
