"""``make_sdist`` output really builds: pip (the oracle) makes a wheel from it offline."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.helpers.dists import make_sdist

LOCAL_FILES = Path("/opt/pypi/files")


def test_sdist_builds_with_setuptools(tmp_path: Path) -> None:
    backends = sorted(LOCAL_FILES.glob("setuptools-*-py3-none-any.whl"))
    if not backends:
        pytest.skip("no local setuptools wheel to build with")
    links = tmp_path / "links"
    links.mkdir()
    shutil.copy(backends[-1], links)
    sdist = make_sdist(
        tmp_path, "My.Pkg", "1.0", requires=["a>=1"], extras={"x": ["b"]}, requires_python=">=3.8"
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-index",
            "--find-links",
            str(links),
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path / "out"),
            str(sdist),
        ],
        capture_output=True,
        text=True,
        check=False,
        env=dict(os.environ),
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    (wheel,) = (tmp_path / "out").glob("*.whl")
    assert wheel.name == "my_pkg-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as zf:
        meta = zf.read("my_pkg-1.0.dist-info/METADATA").decode()
        assert "my_pkg/__init__.py" in zf.namelist()
    assert "Requires-Dist: a>=1" in meta
    assert 'extra == "x"' in meta
    assert "Requires-Python: >=3.8" in meta
