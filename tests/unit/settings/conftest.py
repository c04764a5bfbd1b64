"""The ``layout`` fixture: a temporary tree of pip configuration file locations."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.config_files import Layout, make_layout


@pytest.fixture
def layout(tmp_path: Path) -> Layout:
    return make_layout(tmp_path)
