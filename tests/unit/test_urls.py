"""file: URLs <-> local paths: percent-encoding, hosts, NUL bytes, round trips."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pinset.errors import NetworkError
from pinset.urls import is_file_url, path_to_url, url_to_path

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX paths")


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("/tmp/a b/c#d?e%f.whl", "file:///tmp/a%20b/c%23d%3Fe%25f.whl"),
        ("/srv/wheels/ünï.whl", "file:///srv/wheels/%C3%BCn%C3%AF.whl"),
        ("/x/./y/../z", "file:///x/z"),
        ("//server/share", "file:////server/share"),
        ("/a~b_c-d.e", "file:///a~b_c-d.e"),
    ],
)
def test_paths_become_percent_encoded_file_urls(path: str, url: str) -> None:
    assert path_to_url(path) == url
    assert url_to_path(url) == Path(os.path.normpath(path))


def test_a_relative_path_is_made_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert path_to_url("sub/x.whl") == tmp_path.as_uri() + "/sub/x.whl"


def test_a_name_that_is_not_utf8_keeps_its_bytes() -> None:
    path = os.fsdecode(b"/tmp/caf\xe9.whl")
    url = path_to_url(path)
    assert url == "file:///tmp/caf%E9.whl"
    assert url_to_path(url) == Path(path)


def test_same_result_as_pathlib_for_ordinary_paths(tmp_path: Path) -> None:
    path = tmp_path / "dir with space" / "p-1.0-py3-none-any.whl"
    assert path_to_url(path) == path.as_uri()


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("file:///tmp/x.whl", "/tmp/x.whl"),
        ("file://localhost/tmp/x.whl", "/tmp/x.whl"),
        ("FILE://LOCALHOST/tmp/x.whl", "/tmp/x.whl"),
        ("file:/tmp/x.whl", "/tmp/x.whl"),
        ("file:///tmp/x.whl#sha256=ab", "/tmp/x.whl"),
        ("file:///tmp/x.whl?q=1", "/tmp/x.whl"),
        ("file:///tmp/a%2Fb", "/tmp/a/b"),
        # a drive letter is a drive on Windows only, as pip reads it
        ("file:///C:/wheels/x.whl", "/C:/wheels/x.whl"),
        ("file:///C|/wheels/x.whl", "/C|/wheels/x.whl"),
    ],
)
def test_urls_become_paths(url: str, path: str) -> None:
    assert url_to_path(url) == Path(path)


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("file://server/share/x.whl", "remote host 'server'"),
        ("file://user:secret@server/x.whl", "remote host 'server'"),
        ("file:///tmp/x%00.whl", "NUL byte"),
    ],
)
def test_other_hosts_and_nul_bytes_are_refused(url: str, words: str) -> None:
    with pytest.raises(NetworkError) as caught:
        url_to_path(url)
    assert words in caught.value.message
    assert "secret" not in caught.value.message
    assert caught.value.hint is not None


def test_is_file_url_ignores_case() -> None:
    assert is_file_url("FILE:///x")
    assert is_file_url("file:x")
    assert not is_file_url("https://h/x")
    assert not is_file_url("/file:x")
