"""TLS against a real https server with a throw-away CA: --cert, fail-closed, trusted hosts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pinset.errors import ConfigurationError, NetworkError
from pinset.http import tls
from pinset.http.client import HttpClient
from tests.functional.http.conftest import CertAuthority, fast_config
from tests.helpers.http_server import HttpServer, Reply


@pytest.fixture
def mtls_server(test_ca: CertAuthority) -> Iterator[HttpServer]:
    with HttpServer(tls=test_ca.server_context(require_client_cert=True)) as srv:
        yield srv


def test_unknown_ca_is_refused_by_default(tls_server: HttpServer) -> None:
    tls_server.route("/simple/", Reply(200, b"index"))
    with HttpClient(fast_config()) as client, pytest.raises(NetworkError) as info:
        client.get(f"https://alice:pw-secret@127.0.0.1:{tls_server.port}/simple/")
    assert "TLS error" in str(info.value)
    assert info.value.hint
    assert "--cert" in info.value.hint
    assert "pw-secret" not in str(info.value)
    assert tls_server.requests == []


def test_cert_bundle_replaces_the_trust_store(
    tls_server: HttpServer, test_ca: CertAuthority
) -> None:
    tls_server.route("/simple/", Reply(200, b"index"))
    with HttpClient(fast_config(cert=str(test_ca.ca))) as client:
        assert client.get(tls_server.url + "/simple/").body == b"index"
        assert client.get(f"https://localhost:{tls_server.port}/simple/").status == 200


def test_missing_cert_bundle_fails_closed(tls_server: HttpServer, tmp_path: Path) -> None:
    tls_server.route("/simple/", Reply(200))
    missing = tmp_path / "nope.pem"
    with (
        HttpClient(fast_config(cert=str(missing))) as client,
        pytest.raises(ConfigurationError) as info,
    ):
        client.get(tls_server.url + "/simple/")
    assert str(missing) in str(info.value)
    assert info.value.hint
    assert "--cert" in info.value.hint
    assert tls_server.requests == []


def test_garbage_cert_bundle_fails_closed(tls_server: HttpServer, tmp_path: Path) -> None:
    bad = tmp_path / "bad.pem"
    bad.write_text("not a certificate")
    with (
        HttpClient(fast_config(cert=str(bad))) as client,
        pytest.raises(ConfigurationError, match="cannot load CA bundle"),
    ):
        client.get(tls_server.url + "/")


def test_trusted_host_with_port_skips_verification(tls_server: HttpServer) -> None:
    tls_server.route("/simple/", Reply(200, b"trusted"))
    with HttpClient(fast_config(trusted_hosts=(f"127.0.0.1:{tls_server.port}",))) as client:
        assert client.get(tls_server.url + "/simple/").body == b"trusted"
    with HttpClient(fast_config(trusted_hosts=("127.0.0.1",))) as client:
        assert client.get(tls_server.url + "/simple/").body == b"trusted"


def test_trusted_host_is_exact(tls_server: HttpServer) -> None:
    tls_server.route("/simple/", Reply(200))
    for entry in ("127.0.0.1:1", "localhost", "127.0.0.2"):
        with (
            HttpClient(fast_config(trusted_hosts=(entry,), retries=0)) as client,
            pytest.raises(NetworkError, match="TLS error"),
        ):
            client.get(tls_server.url + "/simple/")


def test_client_certificate(mtls_server: HttpServer, test_ca: CertAuthority) -> None:
    mtls_server.route("/simple/", Reply(200, b"mutual"))
    with (
        HttpClient(fast_config(cert=str(test_ca.ca), retries=0)) as client,
        pytest.raises(NetworkError),
    ):
        client.get(mtls_server.url + "/simple/")
    config = fast_config(cert=str(test_ca.ca), client_cert=str(test_ca.client_pem))
    with HttpClient(config) as client:
        assert client.get(mtls_server.url + "/simple/").body == b"mutual"


def test_missing_client_certificate_fails_closed(tls_server: HttpServer, tmp_path: Path) -> None:
    config = fast_config(trusted_hosts=("127.0.0.1",), client_cert=str(tmp_path / "none.pem"))
    with HttpClient(config) as client, pytest.raises(ConfigurationError, match="client"):
        client.get(tls_server.url + "/")


def _trust_only(monkeypatch: pytest.MonkeyPatch, bundle: Path, empty_dir: Path) -> None:
    """The machine's trust store as OpenSSL finds it: ``bundle`` alone (no hashed directory)."""
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    monkeypatch.setenv("SSL_CERT_DIR", str(empty_dir))


def test_system_trust_store_verifies_every_parallel_connection(
    tls_server: HttpServer, test_ca: CertAuthority, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the default trust store honours SSL_CERT_FILE, and the context loaded once serves every
    # connection of the pool: slow replies force several connections at once, all verified
    tls_server.route("/simple/", Reply(200, b"trusted", delay=0.3))
    _trust_only(monkeypatch, test_ca.ca, tmp_path)
    with HttpClient(fast_config(retries=0)) as client:
        bodies = client.map_parallel(
            lambda _: client.get(tls_server.url + "/simple/").body, range(4)
        )
    assert bodies == [b"trusted"] * 4
    assert len({r.peer for r in tls_server.requests}) >= 2  # several connections, each verified


def test_system_trust_store_without_the_ca_refuses(
    tls_server: HttpServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # OpenSSL's default file does not exist and its directory is empty: the distribution's
    # bundle is used, which does not hold the test CA; never an unverified connection
    tls_server.route("/simple/", Reply(200, b"secret"))
    _trust_only(monkeypatch, tmp_path / "missing.pem", tmp_path)
    for _ in range(2):  # a second connection is refused too
        with HttpClient(fast_config(retries=0)) as client, pytest.raises(NetworkError) as info:
            client.get(tls_server.url + "/simple/")
        assert "TLS error" in str(info.value)
    assert tls_server.requests == []


def test_system_bundle_used_when_openssl_defaults_hold_nothing(
    tls_server: HttpServer, test_ca: CertAuthority, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # an OpenSSL built for another layout finds nothing: the first distribution bundle that
    # exists is loaded (here, only the test CA's file exists among them)
    tls_server.route("/simple/", Reply(200, b"found"))
    _trust_only(monkeypatch, tmp_path / "missing.pem", tmp_path)
    monkeypatch.setattr(tls, "SYSTEM_BUNDLES", (str(tmp_path / "absent.pem"), str(test_ca.ca)))
    with HttpClient(fast_config(retries=0)) as client:
        assert client.get(tls_server.url + "/simple/").body == b"found"
