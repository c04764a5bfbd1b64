"""PEP 610 ``direct_url.json``: where a distribution installed from a direct reference came from.

One typed model, read and written here only. The file is a JSON object with ``url`` and
exactly one of:

- ``archive_info``: ``hashes`` (``{"sha256": "…"}``) and the older ``hash`` (``"sha256=…"``),
  both optional; when both are given, ``hash`` must be one of ``hashes`` (PEP 610, and pip);
- ``dir_info``: ``editable`` (a boolean, default false); the URL must be a ``file:`` URL of an
  absolute path;
- ``vcs_info``: ``vcs`` and ``commit_id`` (required), ``requested_revision`` (optional).

``subdirectory`` (optional) is where the project sits inside the archive, tree or repository.
Unknown keys are ignored, so that a later version of the format still reads. Anything else —
not JSON, not an object, a missing ``url``, none or several of the three kinds, a field of the
wrong type — is refused with a :class:`~pinset.errors.MetadataError` that names the problem.
Credentials never belong in the file: :meth:`DirectUrl.to_json` writes the URL as given, and
the caller passes a URL without them.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Mapping
from typing import TypeAlias

from pinset._dataclass import dataclass
from pinset.errors import MetadataError

FILENAME = "direct_url.json"


_ENV_VAR = re.compile(r"\$\{[A-Za-z0-9_-]+\}(?::\$\{[A-Za-z0-9_-]+\})?")
"""User information written as environment variables (``${USER}:${TOKEN}``): no secret, kept."""


def public_url(url: str, *, vcs: str | None = None) -> str:
    """``url`` without user information (PEP 610: credentials are never recorded), except, as
    pip keeps them, user information written as ``${VAR}`` references and git's ``git@`` user
    (``vcs="git"``)."""
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    userinfo, _, host = parts.netloc.rpartition("@")
    if _ENV_VAR.fullmatch(userinfo) or (vcs == "git" and userinfo == "git"):
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=host))


_KINDS = ("archive_info", "dir_info", "vcs_info")


@dataclass(frozen=True, slots=True)
class ArchiveInfo:
    """A wheel or source archive; ``hashes`` are ``(algorithm, hexdigest)`` pairs, kept sorted
    by algorithm (a JSON object has no order)."""

    hashes: tuple[tuple[str, str], ...] = ()
    hash: str | None = None
    """The older single ``"algorithm=hexdigest"`` form, kept as it was read or written."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "hashes", tuple(sorted(dict(self.hashes).items())))

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"hashes": dict(self.hashes)}
        if self.hash is not None:
            out["hash"] = self.hash
        return out


@dataclass(frozen=True, slots=True)
class DirInfo:
    """A local directory; ``editable`` when it was installed in editable mode (PEP 660)."""

    editable: bool = False

    def to_dict(self) -> dict[str, object]:
        return {"editable": True} if self.editable else {}


@dataclass(frozen=True, slots=True)
class VcsInfo:
    """A version-control checkout: the tool, the commit installed and the revision asked for."""

    vcs: str
    commit_id: str
    requested_revision: str | None = None

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"vcs": self.vcs, "commit_id": self.commit_id}
        if self.requested_revision is not None:
            out["requested_revision"] = self.requested_revision
        return out


Info: TypeAlias = ArchiveInfo | DirInfo | VcsInfo


@dataclass(frozen=True, slots=True)
class DirectUrl:
    """The contents of one ``direct_url.json``."""

    url: str
    info: Info
    subdirectory: str | None = None

    @property
    def editable(self) -> bool:
        return isinstance(self.info, DirInfo) and self.info.editable

    def to_dict(self) -> dict[str, object]:
        key = {ArchiveInfo: "archive_info", DirInfo: "dir_info", VcsInfo: "vcs_info"}
        out: dict[str, object] = {"url": self.url, key[type(self.info)]: self.info.to_dict()}
        if self.subdirectory is not None:
            out["subdirectory"] = self.subdirectory
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_json(cls, text: str | bytes) -> DirectUrl:
        """Read a ``direct_url.json``; raises MetadataError when it is not a valid one."""
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise _invalid(f"not JSON ({exc})") from None
        if not isinstance(data, dict):
            raise _invalid("not a JSON object")
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> DirectUrl:
        url = _text(data, "url", "")
        if not url:
            raise _invalid('"url" is missing')
        kinds = [k for k in _KINDS if k in data]
        if len(kinds) != 1:
            found = ", ".join(kinds) or "none"
            raise _invalid(f"needs exactly one of {', '.join(_KINDS)} (found: {found})")
        raw = data[kinds[0]]
        if not isinstance(raw, dict):
            raise _invalid(f'"{kinds[0]}" is not an object')
        info: Info
        if kinds[0] == "archive_info":
            info = _archive_info(raw)
        elif kinds[0] == "dir_info":
            info = _dir_info(raw, url)
        else:
            info = _vcs_info(raw)
        return cls(url, info, _optional_text(data, "subdirectory", ""))


def read_direct_url(text: str | bytes | None) -> DirectUrl | None:
    """The model of an installed ``direct_url.json``; None when absent or not valid (a damaged
    file makes the distribution look installed from an index, as with pip)."""
    if text is None:
        return None
    try:
        return DirectUrl.from_json(text)
    except MetadataError:
        return None


def _archive_info(raw: Mapping[str, object]) -> ArchiveInfo:
    hashes = raw.get("hashes", {})
    if not isinstance(hashes, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in hashes.items()
    ):
        raise _invalid('"archive_info.hashes" is not an object of strings')
    legacy = _optional_text(raw, "hash", "archive_info.")
    if legacy is not None:
        algorithm, sep, digest = legacy.partition("=")
        if not (sep and algorithm and digest):
            raise _invalid('"archive_info.hash" is not of the form "algorithm=hexdigest"')
        if hashes and hashes.get(algorithm) != digest:
            raise _invalid('"archive_info.hash" does not agree with "archive_info.hashes"')
    return ArchiveInfo(tuple(hashes.items()), legacy)


def _dir_info(raw: Mapping[str, object], url: str) -> DirInfo:
    editable = raw.get("editable", False)
    if not isinstance(editable, bool):
        raise _invalid('"dir_info.editable" is not true or false')
    if not url.lower().startswith("file:"):
        raise _invalid('"dir_info" needs a file: URL')
    if not url[len("file:") :].startswith("/"):
        raise _invalid('"dir_info" needs a file: URL of an absolute path')
    return DirInfo(editable)


def _vcs_info(raw: Mapping[str, object]) -> VcsInfo:
    vcs = _text(raw, "vcs", "vcs_info.")
    commit = _text(raw, "commit_id", "vcs_info.")
    if not vcs or not commit:
        raise _invalid('"vcs_info" needs "vcs" and "commit_id"')
    return VcsInfo(vcs, commit, _optional_text(raw, "requested_revision", "vcs_info."))


def _text(data: Mapping[str, object], key: str, where: str) -> str:
    value = _optional_text(data, key, where)
    return value if value is not None else ""


def _optional_text(data: Mapping[str, object], key: str, where: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise _invalid(f'"{where}{key}" is not a string')
    return value


def _invalid(problem: str) -> MetadataError:
    return MetadataError(
        f"invalid {FILENAME}: {problem}",
        hint="PEP 610 describes the format; reinstall the distribution to write it again",
    )
