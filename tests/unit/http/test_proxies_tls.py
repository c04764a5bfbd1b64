"""Proxy selection, trusted hosts, secure origins and TLS contexts."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from pinset.errors import ConfigurationError
from pinset.http.proxies import proxy_for
from pinset.http.tls import (
    EarlyContext,
    TrustedHost,
    is_secure_origin,
    is_trusted,
    parse_trusted_host,
    parse_trusted_hosts,
    unverified_context,
    verified_context,
)


def test_proxy_from_environment_by_scheme() -> None:
    env = {"http_proxy": "http://p1:3128", "HTTPS_PROXY": "p2:8080"}
    assert proxy_for("http://pypi.org/simple/", proxy=None, environ=env) == "http://p1:3128"
    assert proxy_for("https://pypi.org/simple/", proxy=None, environ=env) == "http://p2:8080"
    assert proxy_for("file:///x", proxy=None, environ=env) is None
    assert proxy_for("https://pypi.org/", proxy=None, environ={}) is None
    assert proxy_for("https://x.org/", proxy=None, environ={"ALL_PROXY": "http://a:1"}) == (
        "http://a:1"
    )


def test_lower_case_wins_and_option_overrides() -> None:
    env = {"https_proxy": "http://lower:1", "HTTPS_PROXY": "http://upper:1"}
    assert proxy_for("https://x.org/", proxy=None, environ=env) == "http://lower:1"
    assert proxy_for("https://x.org/", proxy="http://opt:9", environ=env) == "http://opt:9"


@pytest.mark.parametrize(
    ("no_proxy", "url", "bypass"),
    [
        ("*", "https://anything.example/", True),
        ("example.com", "https://example.com/", True),
        ("example.com", "https://pypi.example.com/", True),
        ("example.com", "https://notexample.com/", False),
        (".example.com", "https://a.example.com/", True),
        ("*.example.com", "https://a.example.com/", True),
        ("10.0.0.0/8", "http://10.1.2.3/", True),
        ("10.0.0.0/8", "http://11.1.2.3/", False),
        ("127.0.0.1", "http://127.0.0.1:8080/", True),
        ("idx.example:8080", "http://idx.example:8080/", True),
        ("idx.example:8080", "http://idx.example:9090/", False),
        (" , ,other.example", "http://idx.example/", False),
    ],
)
def test_no_proxy(no_proxy: str, url: str, bypass: bool) -> None:
    env = {"HTTP_PROXY": "http://p:1", "HTTPS_PROXY": "http://p:1", "NO_PROXY": no_proxy}
    assert (proxy_for(url, proxy="http://p:1", environ=env) is None) == bypass
    assert (proxy_for(url, proxy=None, environ=env) is None) == bypass


def test_parse_trusted_hosts() -> None:
    assert parse_trusted_host("Pypi.Example") == TrustedHost("pypi.example", None)
    assert parse_trusted_host("pypi.example:8443") == TrustedHost("pypi.example", 8443)
    assert parse_trusted_host("[::1]:8080") == TrustedHost("::1", 8080)
    assert parse_trusted_host("https://h.example:1/") == TrustedHost("h.example", 1)
    assert parse_trusted_hosts(["a", " ", "b:2"]) == (TrustedHost("a"), TrustedHost("b", 2))
    with pytest.raises(ConfigurationError):
        parse_trusted_host("host:notaport")
    with pytest.raises(ConfigurationError):
        parse_trusted_host(":8080")


def test_is_trusted_matches_host_and_port_exactly() -> None:
    trusted = parse_trusted_hosts(["any-port.example", "one-port.example:8443"])
    assert is_trusted(trusted, "https://any-port.example:1/x")
    assert is_trusted(trusted, "https://one-port.example:8443/x")
    assert not is_trusted(trusted, "https://one-port.example/x")
    assert not is_trusted(trusted, "https://sub.any-port.example/x")
    assert is_trusted(parse_trusted_hosts(["h:443"]), "https://h/x")


def test_secure_origins() -> None:
    trusted = parse_trusted_hosts(["plain.example"])
    assert is_secure_origin("https://x.example/", ())
    assert is_secure_origin("file:///srv/", ())
    assert is_secure_origin("http://localhost:8080/", ())
    assert is_secure_origin("http://127.0.0.2/", ())
    assert is_secure_origin("http://[::1]/", ())
    assert is_secure_origin("http://plain.example/", trusted)
    assert not is_secure_origin("http://x.example/", trusted)


def test_contexts(tmp_path: Path) -> None:
    system = verified_context(None, None)
    assert (system.verify_mode, system.check_hostname) == (ssl.CERT_REQUIRED, True)
    loose = unverified_context(None)
    assert (loose.verify_mode, loose.check_hostname) == (ssl.CERT_NONE, False)
    with pytest.raises(ConfigurationError, match="does not exist") as info:
        verified_context(str(tmp_path / "missing.pem"), None)
    assert info.value.hint
    assert "--cert" in info.value.hint
    with pytest.raises(ConfigurationError, match="client certificate"):
        unverified_context(str(tmp_path / "missing-client.pem"))


def test_a_context_made_early_is_the_verifying_one_and_its_errors_come_when_asked(
    tmp_path: Path,
) -> None:
    early = EarlyContext(None, None).get()
    assert (early.verify_mode, early.check_hostname) == (ssl.CERT_REQUIRED, True)
    assert early.cert_store_stats() == verified_context(None, None).cert_store_stats()
    missing = EarlyContext(str(tmp_path / "missing.pem"), None)  # no error yet
    with pytest.raises(ConfigurationError, match="does not exist") as info:
        missing.get()
    assert info.value.hint
    assert "--cert" in info.value.hint
