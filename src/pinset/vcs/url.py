"""A requirement's version-control URL, split into what each tool needs.

``git+https://user:token@host/repo.git@v1.0#egg=name`` becomes the tool ``git``, the
credential-free URL ``https://host/repo.git`` (what the tool is given and what keys the cache),
the revision ``v1.0`` (percent-decoded) and the credentials, which a backend hands the tool
outside its command line. The scheme table is the requirements parser's
(:data:`pinset.requirements.locations.VCS_SCHEMES`); the fragment (``egg=``,
``subdirectory=``) is the parser's and the build layer's business, not read here.
"""

from __future__ import annotations

import urllib.parse

from pinset._dataclass import dataclass
from pinset.redaction import redact_url
from pinset.requirements.locations import ALL_VCS_SCHEMES, url_scheme
from pinset.vcs.base import VcsError

_KEEP_USER = frozenset({"ssh", "sftp", "lp"})
"""Transports whose user name is part of the address (``ssh://git@host``), not a secret."""


@dataclass(frozen=True, slots=True)
class VcsUrl:
    """One repository and revision, as a requirement names them."""

    vcs: str
    url: str
    """What the tool is given: the transport URL without ``vcs+``, revision, fragment or
    password (an ssh user name stays)."""
    revision: str | None
    username: str | None = None
    password: str | None = None

    @property
    def display(self) -> str:
        """The URL as pinset shows it: credentials redacted."""
        return redact_url(self.url)

    @property
    def host(self) -> str:
        """The host the credentials belong to (``host`` or ``host:port``)."""
        return urllib.parse.urlsplit(self.url).netloc.rpartition("@")[2]


def refuse_option(value: str, what: str, shown: str) -> None:
    """Raise unless ``value`` can only ever be read as data by a tool (no ``-`` first, no
    control characters)."""
    if value.startswith("-"):
        raise VcsError(
            f"the {what} {value!r} of {shown} starts with '-'",
            hint="a revision or URL may not start with '-': a tool would read it as an option",
        )
    if _has_control(value):
        raise VcsError(f"the {what} of {shown} holds a control character")


def _has_control(value: str) -> bool:
    return any(ord(c) < 32 or ord(c) == 127 for c in value)


def parse_vcs_url(url: str) -> VcsUrl:
    """Split a ``vcs+transport://…[@revision][#fragment]`` URL; :class:`VcsError` if it is not
    one or names a revision a tool could misread."""
    shown = redact_url(url)
    scheme = url_scheme(url).lower()
    if scheme not in ALL_VCS_SCHEMES:
        raise VcsError(
            f"{shown} is not a version-control URL",
            hint="write it as git+https://…, hg+https://…, svn+https://… or bzr+https://…",
        )
    vcs, _, transport = scheme.partition("+")
    parts = urllib.parse.urlsplit(url.split("+", 1)[1])
    path, revision = parts.path, None
    if "@" in path:
        path, _, raw_revision = path.rpartition("@")
        if not raw_revision:
            raise VcsError(f"{shown} names an empty revision after '@'")
        revision = urllib.parse.unquote(raw_revision)
        refuse_option(revision, "revision", shown)
    userinfo, at, hostport = parts.netloc.rpartition("@")
    username = password = None
    netloc = parts.netloc
    if at and transport not in _KEEP_USER:
        user, colon, secret = userinfo.partition(":")
        username = urllib.parse.unquote(user)
        password = urllib.parse.unquote(secret) if colon else None
        netloc = hostport
    clean = urllib.parse.urlunsplit((transport, netloc, path, parts.query, ""))
    refuse_option(clean, "URL", shown)
    refuse_option(netloc, "host", shown)
    for given, what in ((username, "user name"), (password, "password")):
        if given is not None and _has_control(given):
            raise VcsError(f"the {what} of {shown} holds a control character")
    return VcsUrl(vcs, clean, revision, username, password)


def with_revision(url: str, revision: str) -> str:
    """``url`` (``vcs+transport://…[@rev][#fragment]``) naming ``revision`` instead, the rest
    kept as written (credentials included: redact it before showing it)."""
    base, sep, fragment = url.partition("#")
    scheme, colons, rest = base.partition("://")
    netloc, slash, path = rest.partition("/")
    path = path.rpartition("@")[0] if "@" in path else path
    written = urllib.parse.quote(revision, safe="/:")
    return f"{scheme}{colons}{netloc}{slash}{path}@{written}{sep}{fragment}"
