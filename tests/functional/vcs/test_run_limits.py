"""A tool that hangs is stopped at the timeout, with every process it started."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from pinset.vcs.base import VcsError
from pinset.vcs.git import Git
from pinset.vcs.url import parse_vcs_url
from tests.helpers.http_server import HttpServer, Reply


def _processes_naming(marker: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if marker in cmdline and "pytest" not in cmdline:
                found.append(cmdline)
    return found


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")
def test_a_hanging_server_is_given_up_on_and_nothing_is_left_running(tmp_path: Path) -> None:
    with HttpServer() as server:
        server.route("/slow.git/info/refs", Reply(200, b"", delay=8))
        marker = f"127.0.0.1:{server.port}/slow.git"
        source = parse_vcs_url(f"git+{server.url}/slow.git")
        started = time.monotonic()
        with pytest.raises(VcsError) as caught:
            Git(timeout=1.5).obtain(source, tmp_path / "m", tmp_path / "t")
        assert time.monotonic() - started < 6
        assert "took longer than 1.5 seconds" in caught.value.message
        assert _processes_naming(marker) == []
    assert [p.name for p in (tmp_path / "m").iterdir() if not p.name.endswith(".lock")] == []
    assert os.listdir(tmp_path / "m")
