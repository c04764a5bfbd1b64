"""Splitting a requirement's VCS URL: tool, clean URL, revision, credentials."""

from __future__ import annotations

import pytest

from pinset.vcs.base import VcsError
from pinset.vcs.url import parse_vcs_url


def test_https_with_revision_and_fragment() -> None:
    got = parse_vcs_url("git+https://example.org/org/repo.git@v1.0#egg=pkg&subdirectory=sub")
    assert (got.vcs, got.url, got.revision) == ("git", "https://example.org/org/repo.git", "v1.0")
    assert got.username is None
    assert got.password is None


def test_no_revision_is_the_default_branch() -> None:
    assert parse_vcs_url("git+file:///srv/repo#egg=pkg").revision is None
    assert parse_vcs_url("git+file:///srv/repo").url == "file:///srv/repo"


def test_credentials_leave_the_url() -> None:
    got = parse_vcs_url("git+https://me:s%40cret@example.org:8443/repo.git@main")
    assert got.url == "https://example.org:8443/repo.git"
    assert (got.username, got.password, got.host) == ("me", "s@cret", "example.org:8443")
    assert "s@cret" not in got.display
    assert "s%40cret" not in got.display


def test_a_token_is_a_user_name_without_password() -> None:
    got = parse_vcs_url("git+https://ghp_token@example.org/repo.git")
    assert (got.username, got.password, got.url) == (
        "ghp_token",
        None,
        "https://example.org/repo.git",
    )


def test_ssh_user_stays_in_the_address() -> None:
    got = parse_vcs_url("git+ssh://git@example.org/org/repo.git@abc123")
    assert (got.url, got.revision, got.username) == (
        "ssh://git@example.org/org/repo.git",
        "abc123",
        None,
    )


@pytest.mark.parametrize(
    ("url", "revision"),
    [
        ("git+https://h/r.git@refs/pull/1/head", "refs/pull/1/head"),
        ("git+https://h/r.git@feature%2Fx", "feature/x"),
        ("git+https://h/r.git@release%40v2", "release@v2"),
        ("hg+https://h/r@1a2b3c", "1a2b3c"),
        ("svn+https://h/r/trunk@%7B2024-01-02%7D", "{2024-01-02}"),
        ("bzr+https://h/r@tag:v1", "tag:v1"),
    ],
)
def test_revisions_are_percent_decoded(url: str, revision: str) -> None:
    assert parse_vcs_url(url).revision == revision


@pytest.mark.parametrize(
    "url",
    [
        "git+https://h/r.git@--upload-pack=touch%20/tmp/x",
        "hg+https://h/r@--config=alias.id=!touch%20/tmp/x",
        "hg+https://h/r@%2D%2Dconfig=x",
        "git+https://h/r.git@main%0Aevil",
    ],
)
def test_a_revision_can_never_be_an_option(url: str) -> None:
    with pytest.raises(VcsError) as caught:
        parse_vcs_url(url)
    assert "revision" in caught.value.message


def test_an_empty_revision_is_refused() -> None:
    with pytest.raises(VcsError, match="empty revision"):
        parse_vcs_url("git+https://h/r.git@#egg=x")


@pytest.mark.parametrize("url", ["https://h/r.git", "ext::sh -c touch% /tmp/x", "git+ext::sh"])
def test_only_vcs_schemes(url: str) -> None:
    with pytest.raises(VcsError, match="not a version-control URL"):
        parse_vcs_url(url)


def test_errors_redact_credentials() -> None:
    with pytest.raises(VcsError) as caught:
        parse_vcs_url("git+https://me:hunter2@h/r.git@-x")
    assert "hunter2" not in caught.value.message


@pytest.mark.parametrize(
    ("url", "what"),
    [
        ("hg+ssh://-oProxyCommand=touch%20x/r", "host"),
        ("git+https://me:a%0A%5Bhooks%5D@h/r.git", "password"),
        ("git+https://a%0Db@h/r.git", "user name"),
    ],
)
def test_hosts_and_credentials_are_data_only(url: str, what: str) -> None:
    with pytest.raises(VcsError) as caught:
        parse_vcs_url(url)
    assert what in caught.value.message


def test_a_password_may_start_with_a_dash_and_is_never_shown() -> None:
    assert parse_vcs_url("git+https://me:-pw@h/r.git").password == "-pw"
    with pytest.raises(VcsError) as caught:
        parse_vcs_url("git+https://me:-pw%0A@h/r.git")
    assert "-pw" not in caught.value.message


def test_with_revision_replaces_or_adds_the_revision() -> None:
    from pinset.vcs.url import with_revision

    sha = "a" * 40
    assert with_revision("git+file:///r/x@main#egg=p", sha) == f"git+file:///r/x@{sha}#egg=p"
    assert with_revision("git+https://u:p@h/r.git", sha) == f"git+https://u:p@h/r.git@{sha}"
    assert with_revision("hg+https://h/r@tip#egg=p&subdirectory=s", "1") == (
        "hg+https://h/r@1#egg=p&subdirectory=s"
    )
    assert with_revision("bzr+http://h/b@2", "revid:a@b") == "bzr+http://h/b@revid:a%40b"
