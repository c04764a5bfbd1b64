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

from pinset.direct_url import ArchiveInfo, DirectUrl, VcsInfo
from pinset.environment.installed import ListedDist
from pinset.errors import PinsetError
from pinset.freeze.checkout import find_checkout, project_subdirectory
from pinset.urls import url_to_path


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
    direct = dist.direct_url
    if direct is None:
        return Frozen(dist, name_version(dist))
    if direct.editable:
        try:
            location = Path(os.path.normcase(os.path.abspath(url_to_path(direct.url))))
        except PinsetError:  # a file: URL of another host: no tree here to look at
            return Frozen(dist, as_reference(direct, dist.name), direct=direct)
        return _editable(dist, direct, location)
    return Frozen(dist, as_reference(direct, dist.name), direct=direct)


def archive_hashes(info: ArchiveInfo) -> tuple[tuple[str, str], ...]:
    """The archive's ``(algorithm, hexdigest)`` pairs: ``hashes``, else the legacy ``hash``."""
    if info.hashes:
        return info.hashes
    algorithm, _, digest = (info.hash or "").partition("=")
    return ((algorithm, digest),) if digest else ()


def as_reference(direct: DirectUrl, name: str) -> str:
    """``name @ url`` with the fragment pip writes (``vcs+url@commit``, the archive's first
    hash, ``subdirectory=``)."""
    info = direct.info
    url = f"{info.vcs}+{direct.url}@{info.commit_id}" if isinstance(info, VcsInfo) else direct.url
    pairs = archive_hashes(info)[:1] if isinstance(info, ArchiveInfo) else ()
    fragments = [f"{algorithm}={digest}" for algorithm, digest in pairs]
    if direct.subdirectory:
        fragments.append(f"subdirectory={direct.subdirectory}")
    return f"{name} @ {url}" + ("#" + "&".join(fragments) if fragments else "")


def _editable(dist: ListedDist, direct: DirectUrl, location: Path) -> Frozen:
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
