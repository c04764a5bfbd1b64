"""The HTTP client against real servers on 127.0.0.1: retries, errors, redirects, credentials."""

from __future__ import annotations

import gzip
import socket
import threading
import time
import traceback
from pathlib import Path

import pytest

from pinset.errors import ConfigurationError, NetworkError, PinsetError
from pinset.http.client import HttpClient
from tests.functional.http.conftest import fast_config
from tests.helpers.http_server import HttpServer, Reply, Request, basic_auth, redirect

SECRET = "s3cr3t-Pa55"


def all_text(exc: BaseException) -> str:
    """Every string a user or a log could ever see from ``exc``."""
    parts = [str(exc), repr(exc), "".join(traceback.format_exception(exc))]
    if isinstance(exc, PinsetError):
        parts += [exc.message, str(exc.where), str(exc.hint), str(exc.note)]
    return "\n".join(parts)


def with_creds(server: HttpServer, path: str, user: str = "alice") -> str:
    return f"http://{user}:{SECRET}@127.0.0.1:{server.port}{path}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_get_returns_status_headers_body_and_sends_user_agent(
    server: HttpServer, client: HttpClient
) -> None:
    server.route("/page", Reply(200, b"hello", {"X-Thing": "1"}))
    response = client.get(server.url + "/page")
    assert (response.status, response.body, response.ok) == (200, b"hello", True)
    assert response.headers["x-thing"] == "1"
    assert not response.from_cache
    assert server.hits("/page")[0].headers["user-agent"].startswith("pinset/")


def test_error_status_is_returned_and_raise_for_status_redacts(
    server: HttpServer, client: HttpClient
) -> None:
    response = client.get(with_creds(server, "/missing"))
    assert response.status == 404
    assert not response.ok
    with pytest.raises(NetworkError) as info:
        response.raise_for_status()
    assert "HTTP 404" in str(info.value)
    assert "alice:****@" in str(info.value)
    assert SECRET not in all_text(info.value) + repr(response)


def test_5xx_and_429_are_retried_until_success(server: HttpServer, client: HttpClient) -> None:
    server.route("/flaky", Reply(503), Reply(500), Reply(429, headers={"Retry-After": "0"}),
                 Reply(200, b"ok"))  # fmt: skip
    response = client.get(server.url + "/flaky")
    assert (response.status, response.body) == (200, b"ok")
    assert len(server.hits("/flaky")) == 4


def test_connection_reset_and_truncated_body_are_retried(
    server: HttpServer, client: HttpClient
) -> None:
    body = b"x" * 5000
    server.route("/drop", Reply(reset=True), Reply(200, body, truncate=10), Reply(200, body))
    assert client.get(server.url + "/drop").body == body
    assert len(server.hits("/drop")) == 3


def test_retries_exhausted_is_network_error_with_redacted_url(server: HttpServer) -> None:
    server.route("/down", Reply(503))
    with HttpClient(fast_config(retries=2)) as client, pytest.raises(NetworkError) as info:
        client.get(with_creds(server, "/down"))
    assert len(server.hits("/down")) == 3
    text = all_text(info.value)
    assert "HTTP 503 after 3 attempts" in str(info.value)
    assert f"http://alice:****@127.0.0.1:{server.port}/down" in str(info.value)
    assert SECRET not in text


def test_unreachable_host_is_network_error_without_secrets() -> None:
    url = f"http://bob:{SECRET}@127.0.0.1:{free_port()}/simple/"
    with HttpClient(fast_config(retries=1)) as client, pytest.raises(NetworkError) as info:
        client.get(url)
    assert "cannot connect" in str(info.value)
    assert info.value.hint
    assert SECRET not in all_text(info.value)


def test_refused_connection_is_an_error_at_once_not_after_retries() -> None:
    """A refused connection is definitive: with the default five retries and backoff (about
    8 s of sleeping in all) the error still comes at once, with the operating system's words."""
    url = f"http://127.0.0.1:{free_port()}/simple/flask/"
    start = time.monotonic()
    with (
        HttpClient(fast_config(retries=5, backoff=0.25)) as client,
        pytest.raises(NetworkError) as info,
    ):
        client.get(url)
    assert time.monotonic() - start < 1.0
    assert str(info.value) == f"GET {url}: cannot connect (Connection refused)"


def test_unknown_host_name_is_an_error_at_once() -> None:
    start = time.monotonic()
    with (
        HttpClient(fast_config(retries=5, backoff=0.25)) as client,
        pytest.raises(NetworkError) as info,
    ):
        client.get("http://no-such-host.invalid/simple/")
    assert time.monotonic() - start < 2.0
    assert "cannot connect" in str(info.value)


def test_token_only_userinfo_is_fully_redacted(server: HttpServer) -> None:
    server.route("/down", Reply(503))
    with HttpClient(fast_config(retries=0)) as client, pytest.raises(NetworkError) as info:
        client.get(f"http://{SECRET}@127.0.0.1:{server.port}/down")
    assert "http://****@127.0.0.1" in str(info.value)
    assert SECRET not in all_text(info.value)


def test_slow_server_times_out(server: HttpServer) -> None:
    server.route("/slow", Reply(200, b"late", delay=1.5))
    started = time.monotonic()
    with (
        HttpClient(fast_config(timeout=0.3, retries=1)) as client,
        pytest.raises(NetworkError) as info,
    ):
        client.get(server.url + "/slow")
    assert "timed out after 0.3 s" in str(info.value)
    assert time.monotonic() - started < 1.4
    assert len(server.hits("/slow")) == 2


def test_credentials_from_url_are_sent_and_remembered_for_the_host(server: HttpServer) -> None:
    server.route("/private", basic_auth("alice", SECRET, Reply(200, b"secret page")))
    warnings: list[str] = []
    with HttpClient(fast_config(), on_warning=warnings.append) as client:
        assert client.get(with_creds(server, "/private")).body == b"secret page"
        # later URLs on the same host and port without credentials reuse them (like pip)
        assert client.get(server.url + "/private").status == 200
    assert all(SECRET not in w for w in warnings)


def test_wrong_credentials_give_401_to_the_caller(server: HttpServer, client: HttpClient) -> None:
    server.route("/private", basic_auth("alice", "right", Reply(200)))
    response = client.get(with_creds(server, "/private"))
    assert response.status == 401
    with pytest.raises(NetworkError) as info:
        response.raise_for_status()
    assert info.value.hint
    assert "credentials" in info.value.hint
    assert SECRET not in all_text(info.value)


def test_redirect_to_other_port_drops_authorization(
    server: HttpServer, other_server: HttpServer, client: HttpClient
) -> None:
    target = other_server.url + "/files/a.whl"
    server.route("/r", basic_auth("alice", SECRET, redirect(target)))
    other_server.route("/files/a.whl", Reply(200, b"wheel"))
    response = client.get(with_creds(server, "/r"))
    assert (response.status, response.body) == (200, b"wheel")
    assert response.url == target
    assert server.hits("/r")[0].headers.get("authorization")
    assert "authorization" not in other_server.hits("/files/a.whl")[0].headers
    # an Authorization header the caller set itself does not cross either
    client.get(server.url + "/r", headers={"Authorization": "Bearer " + SECRET})
    assert all("authorization" not in r.headers for r in other_server.requests)


def test_redirect_on_same_origin_keeps_credentials(server: HttpServer, client: HttpClient) -> None:
    server.route("/old", redirect("/new", 301))
    server.route("/new", basic_auth("alice", SECRET, Reply(200, b"moved")))
    assert client.get(with_creds(server, "/old")).body == b"moved"


def test_redirect_to_non_http_scheme_is_refused(server: HttpServer, client: HttpClient) -> None:
    server.route("/r", redirect(f"ftp://carol:{SECRET}@example.invalid/pkg.tar.gz"))
    with pytest.raises(NetworkError) as info:
        client.get(with_creds(server, "/r"))
    assert "refused redirect" in str(info.value)
    assert "ftp://carol:****@example.invalid" in str(info.value)
    assert SECRET not in all_text(info.value)


def test_redirect_loop_is_network_error(server: HttpServer, client: HttpClient) -> None:
    server.route("/loop", redirect("/loop"))
    with pytest.raises(NetworkError, match="redirects"):
        client.get(server.url + "/loop")


def test_netrc_credentials_are_used_for_their_host_only(
    server: HttpServer, other_server: HttpServer, tmp_path: Path
) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login alice password {SECRET}\n")
    netrc.chmod(0o600)
    server.route("/private", basic_auth("alice", SECRET, Reply(200, b"via netrc")))
    other_server.route("/elsewhere", Reply(200))
    with HttpClient(fast_config(environ={"NETRC": str(netrc)})) as client:
        assert client.get(server.url + "/private").body == b"via netrc"
    assert server.hits("/private")[0].headers.get("authorization", "").startswith("Basic ")


def test_netrc_from_home_directory(server: HttpServer, tmp_path: Path) -> None:
    (tmp_path / ".netrc").write_text(f"machine 127.0.0.1 login alice password {SECRET}\n")
    (tmp_path / ".netrc").chmod(0o600)
    server.route("/private", basic_auth("alice", SECRET, Reply(200)))
    with HttpClient(fast_config(environ={"HOME": str(tmp_path)})) as client:
        assert client.get(server.url + "/private").status == 200


def test_http_proxy_from_environment_and_no_proxy(
    server: HttpServer, other_server: HttpServer
) -> None:
    proxy = server  # the programmable server answers absolute-form requests like a proxy
    proxy.route("http://pypi.test.invalid/simple/", Reply(200, b"via proxy"))
    other_server.route("/direct", Reply(200, b"direct"))
    environ = {"HTTP_PROXY": proxy.url, "NO_PROXY": "localhost,127.0.0.1"}
    with HttpClient(fast_config(environ=environ)) as client:
        assert client.get("http://pypi.test.invalid/simple/").body == b"via proxy"
        assert client.get(other_server.url + "/direct").body == b"direct"
    assert [r.path for r in proxy.requests] == ["http://pypi.test.invalid/simple/"]


def test_proxy_option_overrides_environment(server: HttpServer) -> None:
    server.route("http://index.test.invalid/x", Reply(200, b"configured proxy"))
    environ = {"HTTP_PROXY": f"http://127.0.0.1:{free_port()}"}
    with HttpClient(fast_config(environ=environ, proxy=server.url)) as client:
        assert client.get("http://index.test.invalid/x").body == b"configured proxy"


def test_proxy_credentials_are_sent_to_the_proxy_and_redacted(server: HttpServer) -> None:
    server.route("http://index.test.invalid/x", Reply(503))
    proxy = f"http://puser:{SECRET}@127.0.0.1:{server.port}"
    with (
        HttpClient(fast_config(proxy=proxy, retries=0)) as client,
        pytest.raises(NetworkError) as info,
    ):
        client.get("http://index.test.invalid/x")
    assert server.requests[0].headers["proxy-authorization"].startswith("Basic ")
    assert SECRET not in all_text(info.value)


def test_map_parallel_runs_concurrently_bounded_and_in_order(server: HttpServer) -> None:
    lock = threading.Lock()
    state = {"now": 0, "max": 0}

    def slow(request: Request) -> Reply:
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        time.sleep(0.15)
        with lock:
            state["now"] -= 1
        return Reply(200, request.path.encode())

    paths = [f"/p{i}" for i in range(16)]
    for path in paths:
        server.route(path, slow)
    with HttpClient(fast_config(max_workers=4)) as client:
        bodies = client.map_parallel(lambda p: client.get(server.url + p).body, paths)
    assert bodies == [p.encode() for p in paths]
    assert 1 < state["max"] <= 4


def test_map_parallel_raises_the_first_error_and_nests(server: HttpServer) -> None:
    server.route("/ok", Reply(200, b"ok"))
    with HttpClient(fast_config()) as client:

        def fetch(path: str) -> bytes:
            if path == "/boom":
                raise NetworkError("boom")
            return b"".join(client.map_parallel(lambda p: client.get(server.url + p).body,
                                                [path, path]))  # fmt: skip

        assert client.map_parallel(fetch, ["/ok", "/ok"]) == [b"okok", b"okok"]
        with pytest.raises(NetworkError, match="boom"):
            client.map_parallel(fetch, ["/ok", "/boom", "/ok"])


def test_file_urls(tmp_path: Path, client: HttpClient) -> None:
    page = tmp_path / "index.html"
    page.write_bytes(b"<a href='x-1.0.tar.gz'>x</a>")
    response = client.get(page.as_uri())
    assert (response.status, response.body) == (200, page.read_bytes())
    assert response.headers["content-type"] == "text/html"
    assert client.get((tmp_path / "nope.html").as_uri()).status == 404
    assert client.get(tmp_path.as_uri()).status == 404
    assert client.get_range(page.as_uri(), 0, 3).body == b"<a h"
    tail = client.get_range(page.as_uri(), -4, None)
    assert (tail.status, tail.body) == (206, b"</a>")


def test_offline_refuses_network_without_a_request(server: HttpServer) -> None:
    server.route("/x", Reply(200))
    client = HttpClient(fast_config(offline=True))
    with pytest.raises(NetworkError, match="offline and not cached"):
        client.get(server.url + "/x")
    with pytest.raises(NetworkError, match="offline"):
        client.download(server.url + "/x", Path("unused"))
    client.close()
    assert server.requests == []


def test_is_secure_origin_follows_pip() -> None:
    with HttpClient(fast_config(trusted_hosts=("insecure.example:8080",))) as client:
        assert client.is_secure_origin("https://pypi.org/simple/")
        assert client.is_secure_origin("http://127.0.0.1:3141/simple/")
        assert client.is_secure_origin("http://localhost/simple/")
        assert client.is_secure_origin("file:///srv/wheels/")
        assert client.is_secure_origin("http://insecure.example:8080/simple/")
        assert not client.is_secure_origin("http://insecure.example/simple/")
        assert not client.is_secure_origin("http://pypi.example/simple/")


def test_connections_are_kept_alive_and_reused(server: HttpServer, client: HttpClient) -> None:
    server.route("/a", Reply(200, b"a"))
    for _ in range(5):
        client.get(server.url + "/a")
    assert len({r.peer for r in server.hits("/a")}) == 1


def test_gzip_encoded_pages_are_decoded(server: HttpServer, client: HttpClient) -> None:
    page = b"<html>" + b"<a href='x'>x</a>" * 100 + b"</html>"
    server.route("/simple/", Reply(200, gzip.compress(page), {"Content-Encoding": "gzip"}))
    assert client.get(server.url + "/simple/").body == page
    assert "gzip" in server.hits("/simple/")[0].headers["accept-encoding"]


def test_unsupported_scheme_and_proxy_are_clear_errors(server: HttpServer) -> None:
    with HttpClient(fast_config()) as client, pytest.raises(NetworkError) as info:
        client.get(f"ftp://u:{SECRET}@example.invalid/x")
    assert "unsupported URL ftp://u:****@example.invalid/x" in str(info.value)
    proxy = f"socks5://u:{SECRET}@127.0.0.1:1080"
    with (
        HttpClient(fast_config(proxy=proxy)) as client,
        pytest.raises(ConfigurationError) as config_info,
    ):
        client.get(server.url + "/x")
    assert "SOCKS" in str(config_info.value.hint)
    assert SECRET not in all_text(config_info.value)
