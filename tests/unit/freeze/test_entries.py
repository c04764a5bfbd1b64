"""One installed distribution → its freeze line, as pip 26.3 writes it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from packaging.version import Version

from pinset.direct_url import read_direct_url
from pinset.environment.installed import ListedDist
from pinset.freeze.entries import freeze_dist

A = "a" * 64


def dist(version: str, direct: object = None) -> ListedDist:
    try:
        parsed: Version | None = Version(version)
    except ValueError:
        parsed = None
    text = json.dumps(direct) if direct is not None else None
    return ListedDist("My_Proj", version, parsed, Path("/x"), read_direct_url(text))


@pytest.mark.parametrize(
    ("version", "direct", "line"),
    [
        ("1.0.0-RC1", None, "My_Proj==1.0.0rc1"),
        ("2013b custom", None, "My_Proj===2013b custom"),
        ("1", {"url": "https://h/x.whl", "archive_info": {}}, "My_Proj @ https://h/x.whl"),
        (
            "1",
            {"url": "https://h/x.whl", "archive_info": {"hash": f"sha256={A}"}},
            f"My_Proj @ https://h/x.whl#sha256={A}",
        ),
        (
            "1",
            {
                "url": "https://h/r.git",
                "vcs_info": {"vcs": "git", "commit_id": "c1"},
                "subdirectory": "s",
            },
            "My_Proj @ git+https://h/r.git@c1#subdirectory=s",
        ),
        ("1", {"url": "file:///srv/x", "dir_info": {}}, "My_Proj @ file:///srv/x"),
        ("1", {"url": "file:rel", "dir_info": {}}, "My_Proj==1"),  # invalid: as pip, ignored
    ],
)
def test_line_as_pip_writes_it(version: str, direct: object, line: str) -> None:
    assert freeze_dist(dist(version, direct)).lines() == [line]


def test_editable_tree_without_version_control(tmp_path: Path) -> None:
    frozen = freeze_dist(dist("0.1", {"url": tmp_path.as_uri(), "dir_info": {"editable": True}}))
    assert frozen.lines() == [
        "# Editable install with no version control (My_Proj==0.1)",
        f"-e {tmp_path}",
    ]
