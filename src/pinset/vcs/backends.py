"""Every version-control backend, by the name a requirement's URL uses (``git+https`` ->
``git``). Explicit: a backend exists because it is listed here, not because it was imported."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from pinset.vcs.base import Backend
from pinset.vcs.bzr import Bzr
from pinset.vcs.git import Git
from pinset.vcs.hg import Hg
from pinset.vcs.svn import Svn

BACKENDS: Mapping[str, Backend] = MappingProxyType(
    {"git": Git(), "hg": Hg(), "svn": Svn(), "bzr": Bzr()}
)
