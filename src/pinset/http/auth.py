"""Credentials for HTTP requests, and the redaction that keeps them out of every message.

Where credentials come from, in order (the first that gives a password wins):

1. the URL's own userinfo (``https://user:secret@host/...``);
2. credentials remembered earlier in the run for the same origin (host and port): a URL with
   credentials for host X lets later credential-less URLs on host X use them, as pip does;
3. ``.netrc`` (path from ``NETRC`` in the environment, else ``~/.netrc``);
4. ``keyring``, only when it is importable and enabled, and only after the server said 401.

Credentials are bound to an *origin* ``(host, port)``; the client sends them to that origin only.

Redaction of URLs and text is :mod:`pinset.redaction`'s; :meth:`CredentialStore.scrub` adds
every secret value seen in the run to it.
"""

from __future__ import annotations

import base64
import importlib
import netrc
import os
import threading
import urllib.parse
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from pinset._dataclass import dataclass
from pinset.redaction import REDACTED, redact_text

_DEFAULT_PORTS: Mapping[str, int] = MappingProxyType({"http": 80, "https": 443})


@dataclass(frozen=True, slots=True)
class Credentials:
    """A user name and password (either may be empty: a token is a user name alone)."""

    username: str
    password: str

    def authorization(self) -> str:
        """The value of a Basic ``Authorization`` header for these credentials."""
        raw = f"{self.username}:{self.password}".encode()
        return "Basic " + base64.b64encode(raw).decode("ascii")

    def __repr__(self) -> str:  # never show a secret, even in a debugger or a log
        return f"Credentials(username={self.username!r}, password={REDACTED!r})"


Origin = tuple[str, int | None]


def split_credentials(url: str) -> tuple[str, Credentials | None]:
    """``url`` without its userinfo, and the credentials that were in it (percent-decoded)."""
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url, None
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    creds = Credentials(urllib.parse.unquote(user), urllib.parse.unquote(password))
    return urllib.parse.urlunsplit(parts._replace(netloc=hostport)), creds


def origin_of(url: str) -> Origin:
    """The ``(host, port)`` credentials are bound to; the port is explicit or the default."""
    parts = urllib.parse.urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return host, port if port is not None else _DEFAULT_PORTS.get(parts.scheme.lower())


def netrc_path(environ: Mapping[str, str]) -> Path:
    """Where ``.netrc`` is looked for: ``$NETRC``, else ``~/.netrc`` (HOME from ``environ``)."""
    explicit = environ.get("NETRC")
    if explicit:
        return Path(explicit)
    home = environ.get("HOME") or os.path.expanduser("~")
    return Path(home) / ".netrc"


def netrc_credentials(path: Path, host: str) -> Credentials | None:
    """The ``.netrc`` entry for ``host`` (or ``default``); None when absent or unreadable.

    A malformed file is treated as absent: it must never stop an install that does not need it.
    """
    try:
        parsed = netrc.netrc(str(path))
    except (OSError, netrc.NetrcParseError):
        return None
    entry = parsed.authenticators(host)
    if entry is None:
        return None
    login, account, password = entry
    user = login or account or ""
    if not user and not password:
        return None
    return Credentials(user, password or "")


def keyring_credentials(url: str, username: str | None) -> Credentials | None:
    """Credentials from the ``keyring`` package when it is installed; None otherwise.

    Tried for the full URL first, then for the bare host, like pip.
    """
    try:
        keyring = importlib.import_module("keyring")
    except ImportError:
        return None
    host = urllib.parse.urlsplit(url).hostname or ""
    for service in (url, host):
        try:
            if username:
                password = keyring.get_password(service, username)
                if password is not None:
                    return Credentials(username, str(password))
                continue
            found = keyring.get_credential(service, None)
        except Exception:  # a broken keyring backend must not break the install
            return None
        if found is not None:
            return Credentials(str(found.username), str(found.password))
    return None


class CredentialStore:
    """Credentials known during one run, per origin; thread-safe.

    Also remembers every secret it has seen so error texts can be scrubbed of them.
    """

    def __init__(self, environ: Mapping[str, str], *, use_keyring: bool) -> None:
        self._environ = environ
        self._use_keyring = use_keyring
        self._lock = threading.Lock()
        self._by_origin: dict[Origin, Credentials] = {}
        self._secrets: set[str] = set()
        self._netrc: dict[str, Credentials | None] = {}

    def remember(self, origin: Origin, creds: Credentials) -> None:
        with self._lock:
            if creds.password or origin not in self._by_origin:
                self._by_origin[origin] = creds
            self._note_secret(creds)

    def _note_secret(self, creds: Credentials) -> None:
        for secret in (creds.password, creds.username if not creds.password else ""):
            if len(secret) >= 3:
                self._secrets.add(secret)

    def known(self, origin: Origin) -> Credentials | None:
        with self._lock:
            return self._by_origin.get(origin)

    def for_request(self, url: str, given: Credentials | None) -> Credentials | None:
        """Credentials to send to ``url`` before any challenge: given, remembered, or netrc."""
        origin = origin_of(url)
        if given is not None:
            self.remember(origin, given)
            return given
        remembered = self.known(origin)
        if remembered is not None:
            return remembered
        return self._from_netrc(origin)

    def _from_netrc(self, origin: Origin) -> Credentials | None:
        """The .netrc entry for ``origin``'s host, read at most once per host and run."""
        host = origin[0]
        with self._lock:
            known = host in self._netrc
            found = self._netrc.get(host)
        if not known:
            found = netrc_credentials(netrc_path(self._environ), host)
            with self._lock:
                self._netrc[host] = found
        if found is not None:
            self.remember(origin, found)
        return found

    def after_challenge(self, url: str, sent: Credentials | None) -> Credentials | None:
        """New credentials to retry with after a 401, or None (then the 401 stands)."""
        origin = origin_of(url)
        if sent is None:
            found = self._from_netrc(origin)
            if found is not None:
                return found
        if not self._use_keyring or (sent is not None and sent.password):
            return None
        found = keyring_credentials(url, sent.username if sent else None)
        if found is not None:
            self.remember(origin, found)
        return found

    def scrub(self, text: str) -> str:
        """``text`` redacted: URLs' userinfo and every secret value seen so far."""
        text = redact_text(text)
        with self._lock:
            secrets = sorted(self._secrets, key=len, reverse=True)
        for secret in secrets:
            text = text.replace(secret, REDACTED)
            quoted = urllib.parse.quote(secret, safe="")
            if quoted != secret:
                text = text.replace(quoted, REDACTED)
        return text
