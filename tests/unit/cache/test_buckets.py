"""The bucket registry: names, versions, directory names, and docs/cache.md agreeing with it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pinset.buckets import BUCKETS, HOLDS, PIP_DIRS, bucket_dir_name, parse_dir_name
from pinset.environment.probe import PROBE_VERSION

DOCS = Path(__file__).resolve().parents[3] / "docs" / "cache.md"
_LAYOUT_LINE = re.compile(r"^  (?P<dir>[a-z][a-z-]*-v[0-9]+)/\s+# (?P<holds>.+)$")


def test_every_bucket_has_a_version_in_its_directory_name() -> None:
    assert set(BUCKETS) == {
        "http",
        "pages",
        "metadata",
        "archives",
        "wheels-unpacked",
        "wheels-built",
        "vcs",
        "interpreters",
        "noop",
        "plans",
        "locks",
    }
    assert set(HOLDS) == set(BUCKETS)
    for name in BUCKETS:
        assert parse_dir_name(bucket_dir_name(name)) == (name, BUCKETS[name])
    assert bucket_dir_name("wheels-built") == "wheels-built-v1"
    assert parse_dir_name("wheels-built-v0") == ("wheels-built", 0)
    assert parse_dir_name("wheels") is None
    assert parse_dir_name("selfcheck-v1") is None
    assert parse_dir_name("http-vx") is None
    assert parse_dir_name("http-v") is None
    with pytest.raises(ValueError, match="unknown cache bucket"):
        bucket_dir_name("nope")


def test_pips_directories_are_never_taken_for_ours() -> None:
    """A cache directory shared with pip (``cache-dir`` in pip.conf) holds pip's ``http-v2``:
    neither a bucket we write nor an old version of ours that prune may remove."""
    assert not {bucket_dir_name(name) for name in BUCKETS} & PIP_DIRS
    assert all(parse_dir_name(name) is None for name in PIP_DIRS)


def test_interpreter_bucket_follows_the_probe_version() -> None:
    assert BUCKETS["interpreters"] == PROBE_VERSION


def test_docs_list_every_bucket_with_its_version_and_contents() -> None:
    documented = {}
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        match = _LAYOUT_LINE.match(line)
        if match:
            documented[match["dir"]] = match["holds"]
    assert documented == {bucket_dir_name(name): HOLDS[name] for name in BUCKETS}
