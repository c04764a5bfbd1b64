"""One installed distribution → its ``pip freeze`` line(s).

``name==version`` (``===`` when the version is not PEP 440), the name as its metadata writes
it; ``name @ url`` from PEP 610 ``direct_url.json`` (``vcs+url@commit`` for VCS, the archive's
``#hash`` fragment, ``subdirectory=``); an editable install as ``-e git+URL@COMMIT#egg=name``
when its tree is a git checkout with a remote, else ``-e /path`` after a ``#`` comment that says
why, as pip writes it.
"""

from __future__ import annotations

import os
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import NormalizedName

from pinset.environment.installed import ListedDist
from pinset.freeze.checkout import find_checkout, project_subdirectory
from pinset.freeze.direct import DirectUrl, as_reference, read_direct_url


@dataclass(frozen=True)
class Frozen:
    """One installed distribution as a requirement: ``requirement`` without the ``-e``."""

    dist: ListedDist
    requirement: str
    editable: bool = False
    comments: tuple[str, ...] = ()
    direct: DirectUrl | None = None

    @property
    def key(self) -> NormalizedName:
        return self.dist.key

    def lines(self, suffix: str = "") -> list[str]:
        """The comments, then the requirement (``-e`` first when editable) with ``suffix``."""
        line = f"-e {self.requirement}" if self.editable else self.requirement
        return [*self.comments, line + suffix]


def name_version(dist: ListedDist) -> str:
    if dist.parsed is None:
        return f"{dist.name}==={dist.version}"
    return f"{dist.name}=={dist.parsed}"


def freeze_dist(dist: ListedDist) -> Frozen:
    direct = read_direct_url(dist.direct_url)
    if direct is None:
        return Frozen(dist, name_version(dist))
    if direct.editable:
        return _editable(dist, direct)
    return Frozen(dist, as_reference(direct, dist.name), direct=direct)


def _file_path(url: str) -> Path:
    from urllib.request import url2pathname  # ~20 ms to import (http.client): only here

    parts = urllib.parse.urlsplit(url)
    netloc = f"//{parts.netloc}" if parts.netloc not in ("", "localhost") else ""
    return Path(os.path.normcase(os.path.abspath(url2pathname(netloc + parts.path))))


def _editable(dist: ListedDist, direct: DirectUrl) -> Frozen:
    location = _file_path(direct.url)
    display = name_version(dist)
    checkout = find_checkout(location)

    def local(*comments: str) -> Frozen:
        return Frozen(dist, str(location), True, comments, direct)

    if checkout is None:
        return local(f"# Editable install with no version control ({display})")
    if checkout.remote_error is not None:
        return local(
            f"# Editable Git install ({display}) with either a deleted local remote or "
            "invalid URI:",
            f"# '{checkout.remote_error}'",
        )
    if checkout.remote is None:
        return local(f"# Editable Git install with no remote ({display})")
    if checkout.commit is None:
        return local("## !! Could not determine repository location")
    remote = checkout.remote
    url = remote if remote.lower().startswith("git:") else f"git+{remote}"
    requirement = (
        f"{url}@{urllib.parse.quote(checkout.commit, '/')}#egg={dist.name.replace('-', '_')}"
    )
    subdirectory = project_subdirectory(location, checkout.root)
    if subdirectory:
        requirement += f"&subdirectory={subdirectory}"
    return Frozen(dist, requirement, True, (), direct)
