"""Fixtures for the HTTP layer's functional tests: real servers on 127.0.0.1, a test CA."""

from __future__ import annotations

import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pinset.http.client import HttpClient, HttpConfig
from tests.helpers.http_server import HttpServer


@pytest.fixture
def server() -> Iterator[HttpServer]:
    with HttpServer() as srv:
        yield srv


@pytest.fixture
def other_server() -> Iterator[HttpServer]:
    with HttpServer() as srv:
        yield srv


def fast_config(**kw: object) -> HttpConfig:
    """A config for tests: tiny backoff, short timeout, an empty environment."""
    base: dict[str, object] = {"retries": 3, "backoff": 0.001, "timeout": 5.0, "environ": {}}
    base.update(kw)
    return HttpConfig(**base)  # type: ignore[arg-type]


@pytest.fixture
def client() -> Iterator[HttpClient]:
    with HttpClient(fast_config()) as c:
        yield c


@dataclass(frozen=True)
class CertAuthority:
    ca: Path  # CA certificate (PEM): what --cert gets
    server_cert: Path
    server_key: Path
    client_pem: Path  # client certificate and key in one PEM: what --client-cert gets

    def server_context(self, *, require_client_cert: bool = False) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.server_cert, self.server_key)
        if require_client_cert:
            ctx.verify_mode = ssl.CERT_REQUIRED
            ctx.load_verify_locations(cafile=self.ca)
        return ctx


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def _issue(d: Path, name: str, usage: str, san: str) -> None:
    key = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")
    _openssl("req", *key, "-keyout", f"{name}.key", "-out", f"{name}.csr",
             "-subj", f"/CN=pinset test {name}", cwd=d)  # fmt: skip
    ext = d / f"{name}.ext"
    ext.write_text(f"basicConstraints=CA:FALSE\nextendedKeyUsage={usage}\n{san}")
    _openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
             "-CAcreateserial", "-days", "2", "-out", f"{name}.pem", "-extfile", ext.name,
             cwd=d)  # fmt: skip


@pytest.fixture(scope="session")
def test_ca(tmp_path_factory: pytest.TempPathFactory) -> CertAuthority:
    """A throw-away CA, a server certificate for 127.0.0.1 and a client certificate."""
    d = tmp_path_factory.mktemp("tls")
    _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
             "-subj", "/CN=pinset test CA",
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=d)  # fmt: skip
    _issue(d, "server", "serverAuth", "subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    _issue(d, "client", "clientAuth", "")
    client_pem = d / "client-bundle.pem"
    client_pem.write_text((d / "client.pem").read_text() + (d / "client.key").read_text())
    return CertAuthority(d / "ca.pem", d / "server.pem", d / "server.key", client_pem)


@pytest.fixture
def tls_server(test_ca: CertAuthority) -> Iterator[HttpServer]:
    with HttpServer(tls=test_ca.server_context()) as srv:
        yield srv
