"""Shared fixtures for requirements-parser tests: a project tree on disk to point paths at."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """``proj/`` (setup.py), ``pyproj/`` (pyproject.toml), ``empty/``, two archives."""
    (tmp_path / "proj").mkdir()
    (tmp_path / "proj" / "setup.py").write_text("")
    (tmp_path / "pyproj").mkdir()
    (tmp_path / "pyproj" / "pyproject.toml").write_text("")
    (tmp_path / "empty").mkdir()
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "Foo_Bar-1.0-py3-none-any.whl").write_bytes(b"")
    (tmp_path / "dist" / "thing-2.0.tar.gz").write_bytes(b"")
    return tmp_path
