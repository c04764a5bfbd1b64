"""``pinset check`` reading files and ``-r`` includes over HTTP from a real local server:
includes relative to the URL, credentials (URL, index URL, ``.netrc``) sent and never shown,
and an unreadable include reported at the line that includes it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.http_server import HttpServer, Reply, basic_auth, static

SECRET = "s3cr3t-Pa55"


def _check(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pinset", "check", *args],
        cwd=cwd,
        env=dict(os.environ, NO_COLOR="1"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _text(body: str) -> Reply:
    return Reply(200, body.encode(), {"Content-Type": "text/plain"})


@pytest.fixture(scope="module")
def server() -> Iterator[HttpServer]:
    with HttpServer() as srv:
        srv.route("/reqs/main.txt", _text("flask==3.0.3\n-r more/extra.txt\n"))
        srv.route("/reqs/more/extra.txt", _text("six==1.16.0\n"))
        srv.route("/reqs/broken.txt", _text("six==1.16.0\n-r gone.txt\nattrs==23.2.0\n"))
        srv.route("/reqs/bad.txt", _text("six==1.16.0\nfoo=1.0\n"))
        private = basic_auth("alice", SECRET, _text("requests==2.32.3\n-r inner.txt\n"))
        srv.route("/private/req.txt", private)
        srv.route("/private/inner.txt", basic_auth("alice", SECRET, _text("idna==3.7\n")))
        srv.route("/private/bad.txt", basic_auth("alice", SECRET, _text("six\nfoo=1.0\n")))
        srv.route("/page", static(b"x"))
        yield srv


def test_url_with_relative_include_is_read(server: HttpServer, tmp_path: Path) -> None:
    result = _check(tmp_path, f"{server.url}/reqs/main.txt", "--json")
    assert (result.returncode, result.stderr) == (0, "2 files, 2 requirements: no problems\n")
    payload = json.loads(result.stdout)
    names = [r["name"] for r in payload["files"][0]["requirements"]]
    assert names == ["flask", "six"]


def test_local_file_including_a_url(server: HttpServer, tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text(f"attrs==23.2.0\n-r {server.url}/reqs/main.txt\n")
    result = _check(tmp_path, "requirements.txt", "--json")
    assert (result.returncode, result.stderr) == (0, "3 files, 3 requirements: no problems\n")
    reqs = json.loads(result.stdout)["files"][0]["requirements"]
    assert [r["name"] for r in reqs] == ["attrs", "flask", "six"]


def test_404_include_is_reported_at_the_including_line(server: HttpServer, tmp_path: Path) -> None:
    result = _check(tmp_path, f"{server.url}/reqs/broken.txt")
    assert result.returncode == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{server.url}/reqs/broken.txt:2:4: error: cannot read ")
    assert f"{server.url}/reqs/gone.txt" in first
    assert "HTTP 404" in first
    assert "    2 | -r gone.txt" in result.stderr
    assert "Traceback" not in result.stderr


def test_problems_in_a_remote_file_point_into_it(server: HttpServer, tmp_path: Path) -> None:
    result = _check(tmp_path, f"{server.url}/reqs/bad.txt")
    assert result.returncode == 1
    assert result.stderr.startswith(f"{server.url}/reqs/bad.txt:2:4: error: invalid requirement")


def test_missing_remote_file_is_one_clear_error(server: HttpServer, tmp_path: Path) -> None:
    result = _check(tmp_path, f"{server.url}/reqs/nothing.txt")
    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot read requirements file ")
    assert "HTTP 404" in result.stderr


def _assert_no_secret(result: subprocess.CompletedProcess[str]) -> None:
    assert SECRET not in result.stdout
    assert SECRET not in result.stderr


def test_credentials_in_the_url_are_sent_and_never_printed(
    server: HttpServer, tmp_path: Path
) -> None:
    host = server.url.split("://", 1)[1]
    url = f"http://alice:{SECRET}@{host}/private/req.txt"
    result = _check(tmp_path, url, "--json")
    _assert_no_secret(result)
    assert (result.returncode, result.stderr) == (0, "2 files, 2 requirements: no problems\n")
    payload = json.loads(result.stdout)
    assert payload["files"][0]["origin"] == f"http://alice:****@{host}/private/req.txt"
    assert [r["name"] for r in payload["files"][0]["requirements"]] == ["requests", "idna"]


def test_credentials_in_a_requirement_url_are_redacted_in_json(tmp_path: Path) -> None:
    line = f"pkg @ https://bob:{SECRET}@example.invalid/pkg-1.0-py3-none-any.whl\n"
    (tmp_path / "requirements.txt").write_text(
        f"--index-url https://bob:{SECRET}@x.invalid/\n{line}"
    )
    result = _check(tmp_path, "requirements.txt", "--json")
    _assert_no_secret(result)
    assert result.returncode == 0
    assert "https://bob:****@example.invalid/pkg-1.0-py3-none-any.whl" in result.stdout


def test_wrong_password_is_an_error_without_the_password(
    server: HttpServer, tmp_path: Path
) -> None:
    host = server.url.split("://", 1)[1]
    (tmp_path / "requirements.txt").write_text(
        f"-r http://alice:wrong-{SECRET}@{host}/private/req.txt\n"
    )
    result = _check(tmp_path, "requirements.txt")
    _assert_no_secret(result)
    assert result.returncode == 1
    assert result.stderr.startswith("requirements.txt:1:4: error: cannot read requirements file")
    assert "alice:****@" in result.stderr


def test_credentials_from_an_index_url_on_the_same_host(server: HttpServer, tmp_path: Path) -> None:
    host = server.url.split("://", 1)[1]
    index = f"http://alice:{SECRET}@{host}/simple/"
    result = _check(tmp_path, f"{server.url}/private/req.txt", "-i", index)
    _assert_no_secret(result)
    assert (result.returncode, result.stderr) == (0, "2 files, 2 requirements: no problems\n")


def test_credentials_from_netrc(server: HttpServer, tmp_path: Path) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login alice password {SECRET}\n")
    netrc.chmod(0o600)
    result = subprocess.run(
        [sys.executable, "-m", "pinset", "check", f"{server.url}/private/req.txt"],
        cwd=tmp_path,
        env=dict(os.environ, NO_COLOR="1", NETRC=str(netrc)),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    _assert_no_secret(result)
    assert (result.returncode, result.stderr) == (0, "2 files, 2 requirements: no problems\n")


def test_problems_in_a_file_read_with_credentials_never_show_them(
    server: HttpServer, tmp_path: Path
) -> None:
    host = server.url.split("://", 1)[1]
    url = f"http://alice:{SECRET}@{host}/private/bad.txt"
    for args in ((url,), (url, "--json")):
        result = _check(tmp_path, *args)
        _assert_no_secret(result)
        assert result.returncode == 1
        assert result.stderr.startswith(f"http://alice:****@{host}/private/bad.txt:2:4: error:")


def test_a_requirements_url_that_expands_past_the_cap_is_an_error(tmp_path: Path) -> None:
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    line = b"six==1.16.0\n" * (1024 * 1024 // 12)
    bomb = b"".join(packer.compress(line) for _ in range(80)) + packer.flush()  # 80 MiB
    with HttpServer() as srv:
        srv.route("/bomb.txt", Reply(200, bomb, {"Content-Encoding": "gzip"}))
        (tmp_path / "r.txt").write_text(f"-r {srv.url}/bomb.txt\n")
        result = _check(tmp_path, "r.txt")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"r.txt:1:4: error: cannot read requirements file {srv.url}/bomb.txt: GET " in (
        result.stderr
    )
    assert "the response is larger than 64 MiB" in result.stderr
