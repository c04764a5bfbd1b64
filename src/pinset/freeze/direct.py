"""PEP 610 ``direct_url.json`` as freeze needs it: which kind, the URL, and what pins it.

A file that is not valid JSON, has no ``url`` or not exactly one of ``vcs_info``,
``archive_info``, ``dir_info`` is ignored (the distribution is then listed as
``name==version``), as pip does.
"""

from __future__ import annotations

import json
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
    hash: str | None = None
    """The legacy ``archive_info.hash`` (``algo=hex``), shown in the URL fragment as pip does."""
    hashes: tuple[tuple[str, str], ...] = ()
    """Every ``algo, hex`` the archive is known by (``hashes`` and ``hash``)."""
    subdirectory: str = ""


def read_direct_url(text: str | None) -> DirectUrl | None:
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("url"), str):
        return None
    infos = [k for k in ("vcs_info", "archive_info", "dir_info") if k in data]
    if len(infos) != 1 or not isinstance(data[infos[0]], dict):
        return None
    info: dict[str, object] = data[infos[0]]
    subdirectory = data.get("subdirectory")
    base = DirectUrl(
        url=data["url"],
        kind="dir",
        subdirectory=subdirectory if isinstance(subdirectory, str) else "",
    )
    if infos[0] == "vcs_info":
        return _vcs(base, info)
    if infos[0] == "archive_info":
        return _archive(base, info)
    return DirectUrl(
        base.url, "dir", editable=info.get("editable") is True, subdirectory=base.subdirectory
    )


def _vcs(base: DirectUrl, info: dict[str, object]) -> DirectUrl | None:
    vcs, commit = info.get("vcs"), info.get("commit_id")
    if not isinstance(vcs, str) or not isinstance(commit, str):
        return None
    return DirectUrl(base.url, "vcs", vcs=vcs, commit=commit, subdirectory=base.subdirectory)


def _archive(base: DirectUrl, info: dict[str, object]) -> DirectUrl:
    legacy = info.get("hash")
    pairs: dict[str, str] = {}
    raw = info.get("hashes")
    if isinstance(raw, dict):
        pairs.update((k, v) for k, v in raw.items() if isinstance(k, str) and isinstance(v, str))
    if isinstance(legacy, str) and "=" in legacy:
        algo, _, digest = legacy.partition("=")
        pairs.setdefault(algo, digest)
    return DirectUrl(
        base.url,
        "archive",
        hash=legacy if isinstance(legacy, str) else None,
        hashes=tuple(sorted(pairs.items())),
        subdirectory=base.subdirectory,
    )


def as_reference(direct: DirectUrl, name: str) -> str:
    """``name @ url`` with the fragment pip writes (``vcs+url@commit``, ``#hash``,
    ``subdirectory=``)."""
    url = f"{direct.vcs}+{direct.url}@{direct.commit}" if direct.kind == "vcs" else direct.url
    fragments = [direct.hash] if direct.kind == "archive" and direct.hash else []
    if direct.subdirectory:
        fragments.append(f"subdirectory={direct.subdirectory}")
    return f"{name} @ {url}" + ("#" + "&".join(fragments) if fragments else "")
