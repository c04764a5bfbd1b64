"""TLS settings: which certificates are trusted, and which hosts are exempt from verification.

Rules (pip's):

* By default every https connection is verified against the operating system's trust store,
  hostname included: ``truststore`` on macOS and Windows (the platform's verifier); elsewhere
  OpenSSL's default locations (``SSL_CERT_FILE``/``SSL_CERT_DIR`` honoured) or, when those hold
  nothing, the first well-known distribution bundle (:func:`system_trust_context`). That is the
  trust ``truststore`` gives on Linux too, but ``truststore`` reloads the bundle on every new
  connection (about 50 ms of CPU for 144 certificates here) and holds one lock across every
  handshake, which serialises parallel downloads; pinset loads it once per run, lazily.
* ``cert`` (``--cert``) *replaces* the trust store with a CA bundle file. A missing or unreadable
  bundle fails closed with :class:`ConfigurationError`; pinset never falls back to no checking.
* ``client_cert`` (``--client-cert``) is a PEM file holding the client certificate and its key.
* ``trusted_hosts`` (``--trusted-host``) entries are ``host`` or ``host:port``. A request to a
  trusted host (and port, when given) is made without certificate verification. Plain http is
  allowed by the HTTP layer for every host; :func:`is_secure_origin` tells the index layer
  whether a location is secure (https, file, loopback or trusted), so it can refuse insecure
  indexes the way pip does.
"""

from __future__ import annotations

import ipaddress
import os
import sys
import urllib.parse
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from pinset._dataclass import dataclass
from pinset.errors import ConfigurationError

if TYPE_CHECKING:  # ssl is imported where a context is made: trusted hosts and origins need none
    import ssl

_DEFAULT_PORTS: Mapping[str, int] = MappingProxyType({"http": 80, "https": 443})

SYSTEM_BUNDLES = (
    "/etc/ssl/certs/ca-certificates.crt",  # Debian, Ubuntu, Gentoo, Arch (p11-kit)
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  # Fedora, RHEL
    "/etc/pki/tls/cert.pem",  # older Fedora, RHEL, CentOS
    "/etc/ssl/cert.pem",  # Alpine, the BSDs
    "/etc/ssl/ca-bundle.pem",  # openSUSE, SLES
)
"""Where distributions keep their CA bundle, tried in order when OpenSSL's default locations
hold no certificate (an OpenSSL built for another layout, as in some standalone Pythons)."""

PLATFORM_VERIFIER = ("darwin", "win32")
"""Platforms where the trust store is the operating system's verifier (``truststore``)."""


@dataclass(frozen=True, slots=True)
class TrustedHost:
    host: str
    port: int | None = None

    def matches(self, host: str, port: int | None) -> bool:
        return self.host == host.lower() and (self.port is None or self.port == port)


def parse_trusted_host(entry: str) -> TrustedHost:
    """``"host"``, ``"host:port"``, ``"[v6]:port"`` (a scheme, if given, is ignored)."""
    text = entry.strip()
    if "://" in text:
        text = urllib.parse.urlsplit(text).netloc
    parts = urllib.parse.urlsplit("//" + text)
    try:
        port = parts.port
    except ValueError as exc:
        raise ConfigurationError(
            f"invalid trusted host {entry!r}: bad port",
            hint="use HOST or HOST:PORT, e.g. --trusted-host pypi.example.com:8443",
        ) from exc
    host = (parts.hostname or "").lower()
    if not host:
        raise ConfigurationError(f"invalid trusted host {entry!r}", hint="use HOST or HOST:PORT")
    return TrustedHost(host, port)


def parse_trusted_hosts(entries: Iterable[str]) -> tuple[TrustedHost, ...]:
    return tuple(parse_trusted_host(e) for e in entries if e.strip())


def host_port(url: str) -> tuple[str, int | None]:
    """Lower-case host and the explicit or default port of ``url``."""
    parts = urllib.parse.urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is None:
        port = _DEFAULT_PORTS.get(parts.scheme.lower())
    return (parts.hostname or "").lower(), port


def is_trusted(trusted: Iterable[TrustedHost], url: str) -> bool:
    host, port = host_port(url)
    return any(t.matches(host, port) for t in trusted)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_secure_origin(url: str, trusted: Iterable[TrustedHost]) -> bool:
    """True for https and file URLs, loopback hosts and trusted hosts (pip's secure origins)."""
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme in ("https", "file"):
        return True
    host, _port = host_port(url)
    return _is_loopback(host) or is_trusted(trusted, url)


def _require_file(path: str, what: str, option: str) -> None:
    if not os.path.isfile(path):
        raise ConfigurationError(
            f"{what} {path!r} does not exist or is not a file",
            hint=f"fix {option}; pinset does not fall back to unverified connections",
        )


def _load_client_cert(context: ssl.SSLContext, client_cert: str | None) -> None:
    import ssl

    if client_cert is None:
        return
    _require_file(client_cert, "client certificate", "--client-cert")
    try:
        context.load_cert_chain(client_cert)
    except (ssl.SSLError, OSError) as exc:
        raise ConfigurationError(
            f"cannot load client certificate {client_cert!r}: {exc}",
            hint="--client-cert needs one PEM file holding the certificate and its private key",
        ) from exc


def _holds_hashed_certs(directory: str) -> bool:
    """True when ``directory`` has OpenSSL's hashed certificate names (``1a2b3c4d.0``)."""
    try:
        names = os.listdir(directory)
    except OSError:
        return False
    return any(len(n) >= 10 and n[8] == "." and n[9:].isdigit() for n in names)


def system_trust_context() -> ssl.SSLContext:
    """A client context trusting this machine's CA certificates, loaded once: OpenSSL's
    default file or directory when they exist (``SSL_CERT_FILE``/``SSL_CERT_DIR`` first),
    else the first of :data:`SYSTEM_BUNDLES` that is a file. Nothing found: a context that
    trusts nothing, so every verified connection fails (never an unverified one)."""
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    defaults = ssl.get_default_verify_paths()
    if defaults.cafile or (defaults.capath and _holds_hashed_certs(defaults.capath)):
        context.set_default_verify_paths()
        return context
    for bundle in SYSTEM_BUNDLES:
        if os.path.isfile(bundle):
            context.load_verify_locations(cafile=bundle)
            break
    return context


class EarlyContext:
    """:func:`verified_context` made in a thread of its own, started now: loading the trusted
    certificates (tens of milliseconds) releases the interpreter lock, so it overlaps what
    the caller does meanwhile (importing the HTTP stack, before a run's first request).
    :meth:`get` waits for it, and raises what making it raised, where the caller asks."""

    def __init__(self, cert: str | None, client_cert: str | None) -> None:
        import threading

        self._args = (cert, client_cert)
        self._made: ssl.SSLContext | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._make, name="pinset-tls", daemon=True)
        self._thread.start()

    def _make(self) -> None:
        try:
            self._made = verified_context(*self._args)
        except BaseException as exc:  # raised again by get(), in the caller's thread
            self._error = exc

    def get(self) -> ssl.SSLContext:
        self._thread.join()
        if self._error is not None:
            raise self._error
        if self._made is None:  # pragma: no cover - _make sets one of the two
            raise RuntimeError("the TLS context was not made")
        return self._made


def verified_context(cert: str | None, client_cert: str | None) -> ssl.SSLContext:
    """A verifying context: the system trust store, or only the ``cert`` bundle when given."""
    import ssl

    if cert is None and sys.platform in PLATFORM_VERIFIER:
        import truststore

        context: ssl.SSLContext = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    elif cert is None:
        context = system_trust_context()
    else:
        _require_file(cert, "CA bundle", "--cert")
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        try:
            context.load_verify_locations(cafile=cert)
        except (ssl.SSLError, OSError) as exc:
            raise ConfigurationError(
                f"cannot load CA bundle {cert!r}: {exc}",
                hint="--cert needs a PEM file of CA certificates",
            ) from exc
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    _load_client_cert(context, client_cert)
    return context


def unverified_context(client_cert: str | None) -> ssl.SSLContext:
    """A context for trusted hosts: encrypted, but no certificate or hostname check."""
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    _load_client_cert(context, client_cert)
    return context
