"""Every version-control system the requirements parser accepts has a backend."""

from __future__ import annotations

from pinset.requirements.locations import VCS_SCHEMES
from pinset.vcs.backends import BACKENDS


def test_one_backend_per_vcs_the_parser_knows() -> None:
    assert sorted(BACKENDS) == sorted(VCS_SCHEMES)
    assert all(backend.name == name for name, backend in BACKENDS.items())
