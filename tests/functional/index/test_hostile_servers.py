"""``pinset install`` against hostile index servers: a page beyond what pinset reads stops the
run with a clear error (never a page cut short, which would become a wrong "no version
satisfies", and nothing cached); a wheel that trickles in ends at ``--download-timeout``."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.functional.http.test_limits import gzip_bomb
from tests.helpers.fixtures_install import venv  # noqa: F401
from tests.helpers.http_server import HttpServer, Reply
from tests.helpers.install_world import run_pinset

MiB = 1024 * 1024


def _install(
    server: HttpServer, venv: Path, tmp_path: Path, *, cacheable: bool = False
) -> tuple[int, str]:
    result = run_pinset(
        "install",
        "--python",
        str(venv),
        "-i",
        server.url + "/simple",
        "--cache-dir",
        str(tmp_path / "cache"),
        "demo",
        cwd=tmp_path,
    )
    assert "Traceback" not in result.stderr
    assert "satisf" not in result.stderr
    cached = [p for p in (tmp_path / "cache").rglob("*") if p.is_file() and "http" in str(p)]
    assert cacheable or cached == []
    return result.returncode, result.stderr


def _json_page(count: int) -> bytes:
    files = [{"filename": f"demo-{i}.tar.gz", "url": f"demo-{i}.tar.gz"} for i in range(count)]
    return json.dumps({"meta": {"api-version": "1.0"}, "files": files}).encode()


def test_a_gzip_bomb_page_is_a_clear_error(venv: Path, tmp_path: Path) -> None:
    headers = {"Content-Encoding": "gzip", "Content-Type": "text/html"}
    with HttpServer() as server:
        server.route("/simple/demo/", Reply(200, gzip_bomb(128 * MiB), headers))
        code, stderr = _install(server, venv, tmp_path)
    assert code == 1
    assert f"error: GET {server.url}/simple/demo/: the response is larger than 64 MiB" in stderr


@pytest.mark.parametrize("count", [200_001])
def test_a_page_listing_too_many_files_is_a_clear_error(
    venv: Path, tmp_path: Path, count: int
) -> None:
    headers = {"Content-Type": "application/vnd.pypi.simple.v1+json"}
    with HttpServer() as server:
        server.route("/simple/demo/", Reply(200, _json_page(count), headers))
        code, stderr = _install(server, venv, tmp_path, cacheable=True)  # under 64 MiB
    assert code == 1
    assert "the index page lists more than 200,000 files" in stderr


def test_a_trickling_wheel_ends_at_the_download_timeout(venv: Path, tmp_path: Path) -> None:
    from tests.helpers.dists import make_wheel
    from tests.helpers.envs import diff, snapshot

    wheel = make_wheel(tmp_path / "dists", "demo", "1.0")
    page = f'<a href="/files/{wheel.name}">{wheel.name}</a>'.encode()
    before = snapshot(venv)
    with HttpServer() as server:
        server.route("/simple/demo/", Reply(200, page, {"Content-Type": "text/html"}))
        server.route(f"/files/{wheel.name}", Reply(200, wheel.read_bytes(), trickle=0.02))
        result = run_pinset(
            "install",
            "--python",
            str(venv),
            "-i",
            server.url + "/simple",
            "--cache-dir",
            str(tmp_path / "cache"),
            "--download-timeout",
            "1",
            "demo==1.0",
            cwd=tmp_path,
            timeout=120,
        )
    assert result.returncode == 1, result.stderr
    assert f"files/{wheel.name}: took longer than 1 s in all" in result.stderr
    assert "--download-timeout" in result.stderr
    assert "Traceback" not in result.stderr
    assert diff(before, snapshot(venv)) == {"added": [], "removed": [], "changed": []}
