"""Each host's addresses, asked of the name server once per run (and again after a minute).

urllib3 looks a host's name up for every connection it opens, and a run opens one per worker
thread and host: about fifteen lookups of the same two names for a cold resolve, each a pair
of queries (IPv4 and IPv6) sent together. Every query is a chance for a lost reply, which the
C library waits out for 5 s before asking again (a lossy name server, a NAT's connection
tracking racing the two queries: the "5 second DNS delay" of containers). Here the first
connection to a host looks it up, the connections opened meanwhile wait for that answer, and
later ones reuse it; a lookup that failed is not kept (the next connection asks again, so a
"try again" is retried as before). Connections try the addresses in the order the lookup gave
them, as urllib3 does; an answer is kept for a minute at most.
"""

from __future__ import annotations

import socket
import sys
import time
from typing import TYPE_CHECKING, Any

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import (
    ConnectTimeoutError,
    LocationParseError,
    NameResolutionError,
    NewConnectionError,
)
from urllib3.util.connection import allowed_gai_family, create_connection

from pinset._once import OncePerKey

if TYPE_CHECKING:
    from collections.abc import Sequence

KEEP_SECONDS = 60.0
"""How long an answer is reused: long enough for a run's burst of connections, short enough
that a long build meets a moved host at its next connection."""


class HostAddresses:
    """``(host, port)`` → the addresses to connect to, looked up once per minute; thread-safe."""

    def __init__(self) -> None:
        self._answers: OncePerKey[tuple[str, int, int, int], tuple[str, ...]] = OncePerKey()

    def lookup(self, host: str, port: int) -> tuple[str, ...]:
        """The addresses of ``host`` (numeric, as strings), in the name server's order;
        ``socket.gaierror`` as ``getaddrinfo`` raises it."""
        family = allowed_gai_family()
        minute = int(time.monotonic() // KEEP_SECONDS)
        key = (host, port, int(family), minute)
        return self._answers.get(key, lambda: _numeric(host, port, family))


def _numeric(host: str, port: int, family: int) -> tuple[str, ...]:
    found: list[str] = []
    for _family, _type, _proto, _name, address in socket.getaddrinfo(
        host, port, family, socket.SOCK_STREAM
    ):
        ip = str(address[0])
        if len(address) >= 4 and address[3]:  # an IPv6 scope (link-local): kept with it
            ip = f"{ip}%{address[3]}"
        if ip not in found:
            found.append(ip)
    if not found:
        raise socket.gaierror(socket.EAI_NONAME, "getaddrinfo returned no address")
    return tuple(found)


def _connect_any(
    addresses: Sequence[str],
    port: int,
    timeout: Any,
    source_address: tuple[str, int] | None,
    socket_options: Any,
) -> socket.socket:
    """A socket connected to the first of ``addresses`` that answers (urllib3's own
    ``create_connection`` for each: its socket options, timeout and source address); the last
    failure when none does."""
    error: OSError | None = None
    for ip in addresses:
        try:
            return create_connection(
                (ip, port), timeout, source_address=source_address, socket_options=socket_options
            )
        except OSError as exc:
            error = exc
    if error is None:  # lookup never answers no address
        raise OSError("no address to connect to")
    raise error


def _new_conn(conn: HTTPConnection, addresses: HostAddresses) -> socket.socket:
    """``HTTPConnection._new_conn`` through ``addresses``: the same errors as urllib3's."""
    host = conn._dns_host  # the name urllib3 would dial
    try:
        host.encode("idna")
    except UnicodeError:
        raise LocationParseError(f"'{host}', label empty or too long") from None
    try:
        found = addresses.lookup(host, conn.port)
    except socket.gaierror as exc:
        raise NameResolutionError(conn.host, conn, exc) from exc
    try:
        sock = _connect_any(
            found, conn.port, conn.timeout, conn.source_address, conn.socket_options
        )
    except TimeoutError as exc:
        raise ConnectTimeoutError(
            conn, f"Connection to {conn.host} timed out. (connect timeout={conn.timeout})"
        ) from exc
    except OSError as exc:
        raise NewConnectionError(conn, f"Failed to establish a new connection: {exc}") from exc
    sys.audit("http.client.connect", conn, conn.host, conn.port)
    return sock


def connection_classes(
    addresses: HostAddresses,
) -> tuple[type[HTTPConnection], type[HTTPSConnection]]:
    """urllib3's plain and TLS connection classes, dialing through ``addresses`` (classes of
    their own for each :class:`HostAddresses`: urllib3 makes connections from a class and
    keyword arguments it knows)."""

    class Plain(HTTPConnection):
        def _new_conn(self) -> socket.socket:
            return _new_conn(self, addresses)

    class Tls(HTTPSConnection):
        def _new_conn(self) -> socket.socket:
            return _new_conn(self, addresses)

    return Plain, Tls
