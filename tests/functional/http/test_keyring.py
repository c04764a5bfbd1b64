"""Keyring lookups after a 401.

``keyring`` is not a dependency of pinset and is not installed here, so these tests put a tiny
module named ``keyring`` with keyring's public API (``get_credential``, ``get_password``) on
``sys.path``: what pinset must do is call that API, which is what is checked.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pinset.http.client import HttpClient
from tests.functional.http.conftest import fast_config
from tests.helpers.http_server import HttpServer, Reply, basic_auth

Install = Callable[[dict[tuple[str, str], str]], None]

KEYRING_MODULE = """
import types
STORE = {STORE!r}
CALLS = []
def get_password(service, username):
    CALLS.append(("get_password", service, username))
    return STORE.get((service, username))
def get_credential(service, username):
    CALLS.append(("get_credential", service, username))
    for (svc, user), password in STORE.items():
        if svc == service:
            return types.SimpleNamespace(username=user, password=password)
    return None
"""


@pytest.fixture
def keyring_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Install]:
    def install(store: dict[tuple[str, str], str]) -> None:
        (tmp_path / "keyring.py").write_text(KEYRING_MODULE.replace("{STORE!r}", repr(store)))
        monkeypatch.syspath_prepend(str(tmp_path))
        monkeypatch.delitem(sys.modules, "keyring", raising=False)

    yield install
    sys.modules.pop("keyring", None)


def test_no_keyring_installed_leaves_the_401(server: HttpServer, client: HttpClient) -> None:
    server.route("/private", basic_auth("alice", "kr-secret", Reply(200)))
    assert client.get(server.url + "/private").status == 401
    assert len(server.hits("/private")) == 1


def test_keyring_is_asked_after_401_by_host(server: HttpServer, keyring_with: Install) -> None:
    keyring_with({("127.0.0.1", "alice"): "kr-secret"})
    server.route("/private", basic_auth("alice", "kr-secret", Reply(200, b"from keyring")))
    with HttpClient(fast_config()) as client:
        assert client.get(server.url + "/private").body == b"from keyring"
        # remembered for the rest of the run: no second challenge
        assert client.get(server.url + "/private").status == 200
    hits = server.hits("/private")
    assert ["authorization" in h.headers for h in hits] == [False, True, True]


def test_keyring_password_for_a_user_named_in_the_url(
    server: HttpServer, keyring_with: Install
) -> None:
    keyring_with({("127.0.0.1", "alice"): "kr-secret"})
    server.route("/private", basic_auth("alice", "kr-secret", Reply(200)))
    with HttpClient(fast_config()) as client:
        assert client.get(f"http://alice@127.0.0.1:{server.port}/private").status == 200
    assert sys.modules["keyring"].CALLS[-1][0] == "get_password"


def test_keyring_disabled_is_not_asked(server: HttpServer, keyring_with: Install) -> None:
    keyring_with({("127.0.0.1", "alice"): "kr-secret"})
    server.route("/private", basic_auth("alice", "kr-secret", Reply(200)))
    with HttpClient(fast_config(keyring=False)) as client:
        assert client.get(server.url + "/private").status == 401
    assert "keyring" not in sys.modules
