"""Which proxy, if any, a request goes through.

``--proxy`` (``HttpConfig.proxy``) applies to http and https; otherwise ``http_proxy`` /
``https_proxy`` (lower case first, then upper case, then ``all_proxy``) from the environment.
``no_proxy`` / ``NO_PROXY`` always applies: a comma-separated list of host names (a leading
``.`` or ``*.`` matches subdomains; a bare name matches itself and its subdomains), IP
addresses or networks (``10.0.0.0/8``), optionally ``:port``; ``*`` disables proxies.
"""

from __future__ import annotations

import ipaddress
import urllib.parse
from collections.abc import Mapping


def _env(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name.lower()) or environ.get(name.upper())
    return value.strip() if value and value.strip() else None


def _host_matches(host: str, pattern: str) -> bool:
    pattern = pattern.lstrip("*").lower()
    if not pattern:
        return False
    if "/" in pattern:
        try:
            return ipaddress.ip_address(host) in ipaddress.ip_network(pattern, strict=False)
        except ValueError:
            return False
    if pattern.startswith("."):
        return host.endswith(pattern) or host == pattern[1:]
    return host == pattern or host.endswith("." + pattern)


def _bypass(no_proxy: str | None, host: str, port: int | None) -> bool:
    if not no_proxy:
        return False
    for raw in no_proxy.split(","):
        entry = raw.strip().lower()
        if entry == "*":
            return True
        if not entry:
            continue
        want_port: int | None = None
        if entry.count(":") == 1 and not entry.startswith("["):
            entry, _, port_text = entry.partition(":")
            want_port = int(port_text) if port_text.isdigit() else None
        entry = entry.strip("[]")
        if _host_matches(host, entry) and (want_port is None or want_port == port):
            return True
    return False


def proxy_for(url: str, *, proxy: str | None, environ: Mapping[str, str]) -> str | None:
    """The proxy URL for ``url`` or None for a direct connection."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    if _bypass(_env(environ, "no_proxy"), host, port):
        return None
    chosen = proxy or _env(environ, f"{scheme}_proxy") or _env(environ, "all_proxy")
    if chosen and "://" not in chosen:
        chosen = "http://" + chosen
    return chosen
