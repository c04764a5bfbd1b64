"""Credential parsing, .netrc, and the per-origin credential store."""

from __future__ import annotations

import base64
from pathlib import Path

from pinset.http.auth import (
    Credentials,
    CredentialStore,
    netrc_credentials,
    netrc_path,
    origin_of,
    split_credentials,
)


def test_split_credentials_decodes_and_strips() -> None:
    bare, creds = split_credentials("https://al%40ice:p%3Ass@host:8080/simple/?q=1")
    assert bare == "https://host:8080/simple/?q=1"
    assert creds == Credentials("al@ice", "p:ss")
    assert split_credentials("https://host/x") == ("https://host/x", None)


def test_credentials_header_and_repr() -> None:
    creds = Credentials("alice", "secret")
    assert creds.authorization() == "Basic " + base64.b64encode(b"alice:secret").decode()
    assert "secret" not in repr(creds)


def test_origin_uses_default_ports() -> None:
    assert origin_of("https://Host.Example/x") == ("host.example", 443)
    assert origin_of("http://host.example/x") == ("host.example", 80)
    assert origin_of("https://host.example:8443/x") == ("host.example", 8443)


def test_netrc_path(tmp_path: Path) -> None:
    assert netrc_path({"NETRC": "/etc/x"}) == Path("/etc/x")
    assert netrc_path({"HOME": str(tmp_path)}) == tmp_path / ".netrc"


def test_netrc_entries(tmp_path: Path) -> None:
    path = tmp_path / "netrc"
    path.write_text(
        "machine index.example login alice password s3cret\n"
        "machine token.example password only-password\n"
        "default login anon password anon-pw\n"
    )
    assert netrc_credentials(path, "index.example") == Credentials("alice", "s3cret")
    assert netrc_credentials(path, "token.example") == Credentials("", "only-password")
    assert netrc_credentials(path, "other.example") == Credentials("anon", "anon-pw")


def test_netrc_missing_or_malformed_is_ignored(tmp_path: Path) -> None:
    assert netrc_credentials(tmp_path / "absent", "h") is None
    bad = tmp_path / "bad"
    bad.write_text("machine h login\n  password\n macdef")
    assert netrc_credentials(bad, "h") is None


def test_store_remembers_per_origin_and_scrubs(tmp_path: Path) -> None:
    store = CredentialStore({"NETRC": str(tmp_path / "none")}, use_keyring=False)
    given_creds = Credentials("alice", "pa ss/word")
    assert store.for_request("https://idx.example/simple/", given_creds) == given_creds
    assert store.for_request("https://idx.example/other/", None) == given_creds
    assert store.for_request("https://idx.example:8443/simple/", None) is None
    assert store.for_request("http://idx.example/simple/", None) is None
    text = "GET https://alice:pa%20ss%2Fword@idx.example/ said pa ss/word"
    assert store.scrub(text) == "GET https://alice:****@idx.example/ said ****"


def test_store_uses_netrc_after_401_and_not_keyring_when_disabled(tmp_path: Path) -> None:
    path = tmp_path / "netrc"
    path.write_text("machine idx.example login bob password netrc-pw\n")
    store = CredentialStore({"NETRC": str(path)}, use_keyring=False)
    assert store.after_challenge("https://idx.example/x", None) == Credentials("bob", "netrc-pw")
    assert store.after_challenge("https://idx.example/x", Credentials("bob", "bad")) is None
    assert store.after_challenge("https://other.example/x", None) is None
