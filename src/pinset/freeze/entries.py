"""One installed distribution → its ``pip freeze`` line(s).

``name==version`` (``===`` when the version is not PEP 440), the name as its metadata writes
it; ``name @ url`` from PEP 610 ``direct_url.json`` (``vcs+url@commit`` for VCS, the archive's
``#hash`` fragment, ``subdirectory=``); an editable install as ``-e git+URL@COMMIT#egg=name``
(``hg+URL@NODE``, ``svn+URL@REV``, ``bzr+URL@REVNO``) when its tree is a checkout with a
remote, else ``-e /path`` after a ``#`` comment that says why, as pip writes it. git and
Mercurial checkouts are read from their files; Subversion and Bazaar ask the tool, as pip.
"""

from __future__ import annotations

import os
import urllib.parse
from pathlib import Path

from packaging.utils import NormalizedName

from pinset._dataclass import dataclass
from pinset.direct_url import ArchiveInfo, DirectUrl, VcsInfo
from pinset.environment.installed import ListedDist
from pinset.errors import PinsetError
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


_VCS_NAMES = {"git": "Git", "hg": "Mercurial", "svn": "Subversion", "bzr": "Bazaar"}
"""The names pip's comments give each tool (its backends' class names)."""


def _editable(dist: ListedDist, direct: DirectUrl, location: Path) -> Frozen:
    display = name_version(dist)

    def local(*comments: str) -> Frozen:
        return Frozen(dist, str(location), True, comments, direct)

    asked = next((v for v in ("svn", "bzr") if (location / f".{v}").is_dir()), None)
    if asked is not None:  # as pip: only the project's own directory, asking the tool
        return _asked(dist, direct, location, asked)
    from pinset.vcs.on_disk import find_checkout, project_subdirectory  # editables only

    checkout = find_checkout(location)
    if checkout is None:
        return local(f"# Editable install with no version control ({display})")
    tool = _VCS_NAMES[checkout.vcs]
    if checkout.remote_error is not None:
        return local(
            f"# Editable {tool} install ({display}) with either a deleted local remote or "
            "invalid URI:",
            f"# '{checkout.remote_error}'",
        )
    if checkout.remote is None and checkout.vcs == "git":
        return local(f"# Editable Git install with no remote ({display})")
    if checkout.remote is None or checkout.commit is None:
        return local("## !! Could not determine repository location")
    subdirectory = project_subdirectory(location, checkout.root)
    requirement = src_requirement(checkout.vcs, checkout.remote, checkout.commit, dist.name)
    if subdirectory:
        requirement += f"&subdirectory={subdirectory}"
    return Frozen(dist, requirement, True, (), direct)


def _asked(dist: ListedDist, direct: DirectUrl, location: Path, vcs: str) -> Frozen:
    """A Subversion or Bazaar checkout's line, its remote and revision asked of the tool (a
    missing tool: the directory, as pip writes it)."""
    from pinset.vcs.backends import BACKENDS  # the tools: only for these checkouts
    from pinset.vcs.base import ToolMissing, VcsError

    backend = BACKENDS[vcs]
    try:
        remote = backend.remote_url(location)
        revision = backend.freeze_revision(location) if remote else ""
    except ToolMissing:
        return Frozen(dist, str(location), True, (), direct)
    except VcsError:
        return Frozen(
            dist, str(location), True, ("## !! Could not determine repository location",), direct
        )
    if not remote:
        comment = f"# Editable {_VCS_NAMES[vcs]} install with no remote ({name_version(dist)})"
        return Frozen(dist, str(location), True, (comment,), direct)
    if os.path.isabs(remote) and os.path.exists(remote):
        remote = Path(remote).as_uri()
    return Frozen(dist, src_requirement(vcs, remote, revision, dist.name), True, (), direct)


def src_requirement(vcs: str, remote: str, revision: str, name: str) -> str:
    """``vcs+URL@REV#egg=name`` as pip writes it (no ``vcs+`` before a URL whose scheme is
    the tool's own, ``git://``; the revision quoted; ``-`` in the name as ``_``)."""
    url = remote if remote.lower().startswith(f"{vcs}:") else f"{vcs}+{remote}"
    return f"{url}@{urllib.parse.quote(revision, '/')}#egg={name.replace('-', '_')}"
