"""PEP 610 ``direct_url.json`` as freeze needs it: which kind, the URL, and what pins it.

A file pip would find invalid is ignored (the distribution is then listed as
``name==version``), as pip does: not JSON, no ``url``, not exactly one of ``vcs_info``,
``archive_info``, ``dir_info``, a value of the wrong type, a legacy ``hash`` that disagrees with
``hashes``, or ``dir_info`` on anything but an absolute ``file:`` URL.
"""

from __future__ import annotations

import dataclasses
import json
import urllib.parse
from dataclasses import dataclass
from typing import Literal

Kind = Literal["vcs", "archive", "dir"]


@dataclass(frozen=True)
class DirectUrl:
    url: str
    kind: Kind
    editable: bool = False
    vcs: str = ""
    commit: str = ""
    hashes: tuple[tuple[str, str], ...] = ()
    """Every ``algo, hex`` the archive is known by (``hashes``, else the legacy ``hash``), in
    the file's order: the first is the URL's fragment, as pip writes it."""
    subdirectory: str = ""


class _Invalid(Exception):
    pass


def _get(data: dict[str, object], key: str, kind: type) -> object:
    value = data.get(key)
    if value is not None and not isinstance(value, kind):
        raise _Invalid(key)
    return value


def read_direct_url(text: str | None) -> DirectUrl | None:
    """The reference ``text`` describes, or None when it is missing or invalid."""
    if not text:
        return None
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            return None
        return _read(data)
    except (ValueError, _Invalid):
        return None


def _read(data: dict[str, object]) -> DirectUrl | None:
    url, subdirectory = _get(data, "url", str), _get(data, "subdirectory", str)
    infos = [k for k in ("vcs_info", "archive_info", "dir_info") if _get(data, k, dict) is not None]
    if not isinstance(url, str) or len(infos) != 1:
        return None
    info = data[infos[0]]
    assert isinstance(info, dict)
    base = DirectUrl(url, "dir", subdirectory=subdirectory if isinstance(subdirectory, str) else "")
    if infos[0] == "vcs_info":
        return _vcs(base, info)
    if infos[0] == "archive_info":
        return _archive(base, info)
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "file" or not parts.path.startswith("/"):
        return None
    editable = _get(info, "editable", bool) is True
    return dataclasses.replace(base, editable=editable)


def _vcs(base: DirectUrl, info: dict[str, object]) -> DirectUrl | None:
    vcs, commit = _get(info, "vcs", str), _get(info, "commit_id", str)
    _get(info, "requested_revision", str)
    if not isinstance(vcs, str) or not isinstance(commit, str):
        return None
    return dataclasses.replace(base, kind="vcs", vcs=vcs, commit=commit)


def _archive(base: DirectUrl, info: dict[str, object]) -> DirectUrl | None:
    raw, legacy = _get(info, "hashes", dict), _get(info, "hash", str)
    hashes = dict(raw) if isinstance(raw, dict) else None
    if hashes is not None and not all(isinstance(v, str) for v in hashes.values()):
        return None
    if isinstance(legacy, str):
        algo, sep, digest = legacy.partition("=")
        if not sep:
            return None
        if hashes is None:
            hashes = {algo: digest}
        elif hashes.get(algo) != digest:
            return None
    pairs = tuple((str(k), str(v)) for k, v in (hashes or {}).items())
    return dataclasses.replace(base, kind="archive", hashes=pairs)


def as_reference(direct: DirectUrl, name: str) -> str:
    """``name @ url`` with the fragment pip writes (``vcs+url@commit``, ``#hash``,
    ``subdirectory=``)."""
    url = f"{direct.vcs}+{direct.url}@{direct.commit}" if direct.kind == "vcs" else direct.url
    fragments = [f"{a}={h}" for a, h in direct.hashes[:1]] if direct.kind == "archive" else []
    if direct.subdirectory:
        fragments.append(f"subdirectory={direct.subdirectory}")
    return f"{name} @ {url}" + ("#" + "&".join(fragments) if fragments else "")
