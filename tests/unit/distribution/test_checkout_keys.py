"""What a VCS requirement's revision allows without a checkout: the built-wheel cache key and
hash-checking mode's pin (a full commit id), and the PEP 610 record of a checkout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pinset.distribution.checkout import (
    VcsTree,
    pinned_commit,
    same_checkout,
    vcs_direct_url,
    wheel_cache_key,
)
from pinset.errors import PinsetError

GIT = "a1" * 20
GIT256 = "b2" * 32
HG = "c3" * 20


@pytest.mark.parametrize(
    ("url", "pinned"),
    [
        (f"git+https://h/r.git@{GIT}#egg=p", GIT),
        (f"git+https://h/r.git@{GIT256}", GIT256),
        (f"hg+https://h/r@{HG}", HG),
        ("git+https://h/r.git@main", None),
        ("git+https://h/r.git@v1.0", None),
        (f"git+https://h/r.git@{GIT[:12]}", None),
        ("git+https://h/r.git", None),
        (f"git+https://h/r.git@{GIT.upper()}", None),
        (f"hg+https://h/r@{GIT256}", None),
        ("hg+https://h/r@12", None),
        ("svn+https://h/r@275", None),
        ("bzr+https://h/r@tag:v1", None),
    ],
)
def test_only_a_full_commit_id_is_pinned(url: str, pinned: str | None) -> None:
    assert pinned_commit(url) == pinned
    assert (wheel_cache_key(url) is not None) == (pinned is not None)


def test_the_key_is_url_commit_and_subdirectory_without_credentials() -> None:
    key = wheel_cache_key(f"git+https://h/r.git@{GIT}#egg=p")
    assert key == wheel_cache_key(f"git+https://user:token@h/r.git@{GIT}#egg=other")
    assert key != wheel_cache_key(f"git+https://h/r.git@{GIT}#egg=p&subdirectory=sub")
    assert key != wheel_cache_key(f"git+https://h/other.git@{GIT}#egg=p")
    assert key != wheel_cache_key(f"git+https://h/r.git@{'d4' * 20}#egg=p")
    assert wheel_cache_key(f"git+https://h/r.git@{GIT}#subdirectory=./sub/") == wheel_cache_key(
        f"git+https://h/r.git@{GIT}#subdirectory=sub"
    )


def test_a_subdirectory_outside_the_repository_has_no_key() -> None:
    with pytest.raises(PinsetError, match="leaves the repository"):
        wheel_cache_key(f"git+https://h/r.git@{GIT}#subdirectory=../x")


def test_direct_url_of_a_checkout_is_pips() -> None:
    tree = VcsTree(Path("/tmp/t"), "hg", "https://h/r", HG, "tip", subdirectory="py")
    assert json.loads(tree.direct_url().to_json()) == {
        "url": "https://h/r",
        "vcs_info": {"vcs": "hg", "commit_id": HG, "requested_revision": "tip"},
        "subdirectory": "py",
    }
    tree = VcsTree(Path("/src/p"), "git", "https://h/r.git", GIT, None, editable=True)
    assert json.loads(tree.direct_url().to_json()) == {
        "url": "file:///src/p",
        "dir_info": {"editable": True},
    }


@pytest.mark.parametrize(
    ("vcs", "url", "commit", "line"),
    [
        ("git", "https://h/r.git", GIT, f"My_Proj @ git+https://h/r.git@{GIT}#subdirectory=py"),
        ("hg", "https://h/r", HG, f"My_Proj @ hg+https://h/r@{HG}#subdirectory=py"),
        ("svn", "svn://h/r/trunk", "275", "My_Proj @ svn+svn://h/r/trunk@275#subdirectory=py"),
        ("bzr", "http://h/b", "a@b-1", "My_Proj @ bzr+http://h/b@a@b-1#subdirectory=py"),
    ],
)
def test_a_checkout_freezes_as_pip_writes_it(vcs: str, url: str, commit: str, line: str) -> None:
    from packaging.version import Version

    from pinset.direct_url import read_direct_url
    from pinset.environment.installed import ListedDist
    from pinset.freeze.entries import freeze_dist

    tree = VcsTree(Path("/tmp/t"), vcs, url, commit, "main", subdirectory="py")
    direct = read_direct_url(tree.direct_url().to_json())
    listed = ListedDist("My_Proj", "1", Version("1"), Path("/x"), direct)
    assert freeze_dist(listed).lines() == [line]


COMMIT = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize(
    ("url", "recorded"),
    [
        (f"git+https://me:tok@host/r.git@{COMMIT}#egg=x", "https://host/r.git"),
        ("git+https://${USER}:${TOKEN}@host/r.git@main", "https://${USER}:${TOKEN}@host/r.git"),
        ("git+ssh://git@host/r.git@v1", "ssh://git@host/r.git"),
        ("hg+https://tok@host/repo@tip", "https://host/repo"),
        ("git+file:///srv/r.git", "file:///srv/r.git"),
    ],
)
def test_the_recorded_url_has_no_credentials_as_pip(url: str, recorded: str) -> None:
    assert vcs_direct_url(url, COMMIT).url == recorded


def test_an_installed_checkout_is_the_same_only_at_that_commit_url_and_subdirectory() -> None:
    url = f"git+https://me:tok@host/r.git@{COMMIT}#egg=x&subdirectory=py"
    record = vcs_direct_url(url, COMMIT)
    assert json.loads(record.to_json())["subdirectory"] == "py"
    assert same_checkout(record, url, COMMIT)
    assert same_checkout(record, url.replace("me:tok@", ""), COMMIT)
    assert not same_checkout(record, url, "f" * 40)
    assert not same_checkout(record, url.replace("=py", "=other"), COMMIT)
    assert not same_checkout(record, url.replace("host/r", "host/s"), COMMIT)
    assert not same_checkout(None, url, COMMIT)
