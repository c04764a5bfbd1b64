"""Every version-control system the requirements parser accepts has a backend."""

from __future__ import annotations

from pinset.requirements.locations import VCS_SCHEMES
from pinset.vcs.backends import BACKENDS


def test_one_backend_per_vcs_the_parser_knows() -> None:
    assert sorted(BACKENDS) == sorted(VCS_SCHEMES)
    assert all(backend.name == name for name, backend in BACKENDS.items())


def test_fixed_ids_are_revisions_that_never_name_another_tree() -> None:
    sha = "0123456789abcdef0123456789abcdef01234567"
    fixed = {
        ("git", sha): sha,
        ("git", sha[:12]): None,
        ("git", "main"): None,
        ("hg", sha): sha,
        ("hg", "12"): None,  # a local revision number: another clone numbers differently
        ("svn", "275"): "275",
        ("svn", "0275"): "275",
        ("svn", "{2024-01-31}"): None,
        ("svn", "HEAD"): None,
        ("bzr", "revid:me@e.org-20260101-abc"): "me@e.org-20260101-abc",
        ("bzr", "12"): None,  # a revno: uncommit then commit reuses it
        ("bzr", "tag:v1"): None,
        ("bzr", "revid:"): None,
    }
    assert {key: BACKENDS[key[0]].fixed_id(key[1]) for key in fixed} == fixed
