"""``pinset check`` reads requirement files by URL with the network settings: ``--cert``,
``--trusted-host`` and ``--proxy`` (real TLS server with a throw-away CA, real proxy)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.functional.http.conftest import CertAuthority
from tests.helpers.http_server import HttpServer, Reply

BODY = Reply(200, b"six==1.16.0\nattrs==23.2.0\n", {"Content-Type": "text/plain"})


def _check(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pinset", "check", "--retries", "0", *args],
        cwd=cwd,
        env=dict(os.environ, NO_COLOR="1"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_an_unknown_certificate_is_refused_and_cert_accepts_it(
    tls_server: HttpServer, test_ca: CertAuthority, tmp_path: Path
) -> None:
    tls_server.route("/req.txt", BODY)
    url = f"{tls_server.url}/req.txt"
    refused = _check(tmp_path, url)
    assert refused.returncode == 1
    assert refused.stderr.startswith(f"error: cannot read requirements file {url}: ")
    assert "Traceback" not in refused.stderr
    accepted = _check(tmp_path, url, "--cert", str(test_ca.ca))
    assert (accepted.returncode, accepted.stderr) == (0, "1 file, 2 requirements: no problems\n")


def test_a_trusted_host_is_read_without_verification(
    tls_server: HttpServer, tmp_path: Path
) -> None:
    tls_server.route("/req.txt", BODY)
    result = _check(
        tmp_path, f"{tls_server.url}/req.txt", "--trusted-host", f"127.0.0.1:{tls_server.port}"
    )
    assert (result.returncode, result.stderr) == (0, "1 file, 2 requirements: no problems\n")


def test_a_proxy_is_used(server: HttpServer, tmp_path: Path) -> None:
    server.route("http://pinset-test.invalid/req.txt", BODY)
    result = _check(tmp_path, "http://pinset-test.invalid/req.txt", "--proxy", server.url)
    assert (result.returncode, result.stderr) == (0, "1 file, 2 requirements: no problems\n")
    assert [r.path for r in server.requests] == ["http://pinset-test.invalid/req.txt"]
