"""Differential: the file pinset's finder picks is the file ``pip download`` picks.

Same index, same interpreter (pip judges against the Python running it, so the finder gets
``running_interpreter()``), wheels only so pip never needs to build anything.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from pinset.binary import BinaryPolicy
from pinset.http.client import HttpClient
from pinset.index.finder import Finder, IndexConfig
from tests.helpers.dists import make_wheel
from tests.helpers.fixtures_index import IndexServerFactory
from tests.helpers.index_server import IndexServer
from tests.helpers.interpreters import running_interpreter

HERE = sys.version_info


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("parity")
    make_wheel(out, "demo", "1.0")
    make_wheel(out, "demo", "1.1")
    make_wheel(out, "demo", "1.2")
    make_wheel(out, "demo", "1.3")
    make_wheel(out, "demo", "2.0rc1")
    make_wheel(out, "demo", "3.0", tag="cp27-cp27m-win32")
    make_wheel(out, "onlypre", "1.0b1")
    return out


@pytest.fixture
def server(index_server_factory: IndexServerFactory, wheels: Path) -> IndexServer:
    srv = index_server_factory(json=False)  # pip 26 reads JSON too; HTML keeps it honest
    for path in sorted(wheels.iterdir()):
        yanked = "bad" if path.name.startswith("demo-1.1-") else None
        too_new = path.name.startswith("demo-1.3-")
        srv.add(path, yanked=yanked, requires_python=">=3.99" if too_new else None)
    return srv


def _pip_choice(server: IndexServer, req: str, dest: Path, *flags: str) -> str | None:
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "--no-cache-dir",
        "-q",
        "-d",
        str(dest),
        "--index-url",
        server.simple_url,
        *flags,
        req,
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ), check=False)
    files = sorted(p.name for p in dest.iterdir()) if dest.exists() else []
    assert len(files) <= 1, files
    if proc.returncode != 0:
        return None
    return files[0]


@pytest.mark.parametrize(
    ("req", "pre"),
    [
        ("demo", False),  # 1.3 needs a newer Python, 3.0 is for another platform
        ("demo==1.1", False),  # yanked, but pinned exactly
        ("demo>=1.1,<1.2", False),  # yanked and not pinned: nothing
        ("demo", True),
        ("demo>=1.4", False),  # only a pre-release matches: allowed
        ("demo>=2.0rc1", False),
        ("onlypre", False),
        ("demo==3.0", False),
    ],
)
def test_finder_picks_what_pip_picks(
    server: IndexServer, client: HttpClient, tmp_path: Path, req: str, pre: bool
) -> None:
    expected = _pip_choice(server, req, tmp_path / "pip", *(["--pre"] if pre else []))
    config = IndexConfig(
        index_url=server.simple_url, pre=pre, policy=BinaryPolicy().with_only_binary(":all:")
    )
    parsed = Requirement(req)
    best = Finder(client, config, running_interpreter()).best(parsed.name, parsed.specifier)
    assert (best.link.filename if best else None) == expected
