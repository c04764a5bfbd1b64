"""PEP 610 ``direct_url.json`` as freeze reads it: what pip 26.3 accepts, written as pip does."""

from __future__ import annotations

import json

import pytest

from pinset.freeze.direct import as_reference, read_direct_url

A, B = "a" * 64, "b" * 64


@pytest.mark.parametrize(
    ("data", "line"),
    [
        ({"url": "https://h/x.whl", "archive_info": {}}, "x @ https://h/x.whl"),
        (
            {"url": "https://h/x.whl", "archive_info": {"hash": f"sha256={A}"}},
            f"x @ https://h/x.whl#sha256={A}",
        ),
        (
            {"url": "https://h/x.whl", "archive_info": {"hashes": {"sha512": B, "sha256": A}}},
            f"x @ https://h/x.whl#sha512={B}",
        ),
        (
            {
                "url": "https://h/r.git",
                "vcs_info": {"vcs": "git", "commit_id": "c1"},
                "subdirectory": "s",
            },
            "x @ git+https://h/r.git@c1#subdirectory=s",
        ),
        ({"url": "file:///srv/x", "dir_info": {}}, "x @ file:///srv/x"),
    ],
)
def test_reference_as_pip_writes_it(data: object, line: str) -> None:
    direct = read_direct_url(json.dumps(data))
    assert direct is not None
    assert as_reference(direct, "x") == line


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{bad",
        "[]",
        json.dumps({"archive_info": {}}),
        json.dumps({"url": "https://h/x", "archive_info": {}, "dir_info": {}}),
        json.dumps({"url": "https://h/x", "archive_info": {"hash": "nohash"}}),
        json.dumps(
            {"url": "https://h/x", "archive_info": {"hash": f"sha256={A}", "hashes": {"sha256": B}}}
        ),
        json.dumps({"url": "https://h/x", "archive_info": {"hashes": {"sha256": 1}}}),
        json.dumps({"url": "https://h/x", "dir_info": {}}),
        json.dumps({"url": "file:rel", "dir_info": {}}),
        json.dumps({"url": "https://h/r", "vcs_info": {"vcs": "git"}}),
        json.dumps({"url": "https://h/x", "archive_info": {}, "subdirectory": 3}),
    ],
)
def test_what_pip_rejects_is_ignored(text: str) -> None:
    assert read_direct_url(text) is None


def test_editable_dir() -> None:
    direct = read_direct_url(json.dumps({"url": "file:///t", "dir_info": {"editable": True}}))
    assert direct is not None
    assert direct.editable
