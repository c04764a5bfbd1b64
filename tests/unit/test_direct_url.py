"""PEP 610 direct_url.json: every form round-trips; invalid files are refused with a clear error."""

from __future__ import annotations

import json

import pytest

from pinset.direct_url import ArchiveInfo, DirectUrl, DirInfo, VcsInfo, read_direct_url
from pinset.errors import MetadataError

SHA = "ab" * 32

FORMS = [
    (
        {"url": "https://h/p-1.tar.gz", "archive_info": {"hashes": {"sha256": SHA}}},
        DirectUrl("https://h/p-1.tar.gz", ArchiveInfo((("sha256", SHA),))),
    ),
    (
        {
            "url": "https://h/p-1-py3-none-any.whl",
            "archive_info": {"hash": f"sha256={SHA}", "hashes": {"sha256": SHA, "md5": "00"}},
        },
        DirectUrl(
            "https://h/p-1-py3-none-any.whl",
            ArchiveInfo((("md5", "00"), ("sha256", SHA)), f"sha256={SHA}"),
        ),
    ),
    (
        {"url": "file:///src/p", "dir_info": {"editable": True}},
        DirectUrl("file:///src/p", DirInfo(editable=True)),
    ),
    ({"url": "file:///src/p", "dir_info": {}}, DirectUrl("file:///src/p", DirInfo())),
    (
        {
            "url": "https://github.com/o/p.git",
            "vcs_info": {"vcs": "git", "commit_id": "c0ffee", "requested_revision": "v1"},
            "subdirectory": "pkg",
        },
        DirectUrl("https://github.com/o/p.git", VcsInfo("git", "c0ffee", "v1"), "pkg"),
    ),
    (
        {"url": "https://hg.example/p", "vcs_info": {"vcs": "hg", "commit_id": "abc"}},
        DirectUrl("https://hg.example/p", VcsInfo("hg", "abc")),
    ),
]


@pytest.mark.parametrize(("data", "model"), FORMS)
def test_every_form_round_trips(data: dict[str, object], model: DirectUrl) -> None:
    assert DirectUrl.from_json(json.dumps(data)) == model
    assert json.loads(model.to_json()) == (
        {**data, "archive_info": {"hashes": {}, **data["archive_info"]}}  # type: ignore[dict-item]
        if "archive_info" in data
        else data
    )
    assert DirectUrl.from_json(model.to_json().encode()) == model


def test_editable_only_for_an_editable_directory() -> None:
    assert DirectUrl("file:///x", DirInfo(True)).editable
    assert not DirectUrl("file:///x", DirInfo()).editable
    assert not DirectUrl("file:///x.whl", ArchiveInfo()).editable


def test_unknown_keys_are_ignored() -> None:
    text = json.dumps({"url": "file:///x", "dir_info": {"future": 1}, "extension": {}})
    assert DirectUrl.from_json(text) == DirectUrl("file:///x", DirInfo())


INVALID = [
    ("{", "not JSON"),
    ("[1, 2]", "not a JSON object"),
    ('"text"', "not a JSON object"),
    ("[" * 100_000, "not JSON"),
    ('{"archive_info": {}}', '"url" is missing'),
    ('{"url": 5, "archive_info": {}}', '"url" is not a string'),
    ('{"url": "https://h/x"}', "found: none"),
    ('{"url": "file:///x", "archive_info": {}, "dir_info": {}}', "found: archive_info, dir_info"),
    ('{"url": "file:///x", "dir_info": []}', '"dir_info" is not an object'),
    ('{"url": "file:///x", "dir_info": {"editable": "yes"}}', "editable"),
    ('{"url": "https://h/src", "dir_info": {}}', "needs a file: URL"),
    ('{"url": "https://h/x", "archive_info": {"hashes": ["sha256"]}}', "hashes"),
    ('{"url": "https://h/x", "archive_info": {"hashes": {"sha256": 1}}}', "hashes"),
    ('{"url": "https://h/x", "archive_info": {"hash": "deadbeef"}}', "algorithm=hexdigest"),
    ('{"url": "https://h/x", "vcs_info": {"vcs": "git"}}', '"vcs" and "commit_id"'),
    ('{"url": "https://h/x", "vcs_info": {"vcs": "git", "commit_id": 1}}', "commit_id"),
    ('{"url": "file:///x", "dir_info": {}, "subdirectory": ["a"]}', "subdirectory"),
    # PEP 610: a legacy hash must be one of the hashes; a directory's file: URL is absolute
    (
        '{"url": "https://h/x", "archive_info": {"hash": "sha256=aa", "hashes": {"sha256": "bb"}}}',
        "does not agree with",
    ),
    (
        '{"url": "https://h/x", "archive_info": {"hash": "sha512=aa", "hashes": {"sha256": "bb"}}}',
        "does not agree with",
    ),
    ('{"url": "file:relative/dir", "dir_info": {}}', "absolute"),
]


@pytest.mark.parametrize(("text", "words"), INVALID)
def test_invalid_files_are_refused_with_a_clear_error(text: str, words: str) -> None:
    with pytest.raises(MetadataError) as caught:
        DirectUrl.from_json(text)
    assert caught.value.message.startswith("invalid direct_url.json: ")
    assert words in caught.value.message
    assert caught.value.hint is not None
    assert read_direct_url(text) is None


def test_an_absent_file_reads_as_none() -> None:
    assert read_direct_url(None) is None
