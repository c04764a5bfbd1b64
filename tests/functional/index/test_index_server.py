"""The test index itself behaves like a real simple index (other tests rely on it)."""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.helpers.dists import make_sdist, make_wheel
from tests.helpers.index_server import JSON_TYPE, IndexServer


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


@pytest.fixture
def served(index_server: IndexServer, tmp_path: Path) -> IndexServer:
    index_server.add(make_wheel(tmp_path, "Demo.Pkg", "1.0", requires=["dep>=2"]))
    index_server.add(
        make_wheel(tmp_path, "demo-pkg", "2.0"), yanked="broken", requires_python=">=3.99"
    )
    index_server.add(make_sdist(tmp_path, "demo-pkg", "2.0"))
    return index_server


def test_html_page_has_pep503_658_attributes(served: IndexServer) -> None:
    status, headers, body = _get(served.simple_url + "/demo-pkg/")
    text = body.decode()
    assert status == 200
    assert headers["content-type"] == "text/html"
    assert 'href="../../files/demo_pkg-1.0-py3-none-any.whl#sha256=' in text
    assert 'data-yanked="broken"' in text
    assert 'data-requires-python="&gt;=3.99"' in text
    assert text.count("data-core-metadata=") == 2  # wheels only, not the sdist


def test_json_page_by_accept(served: IndexServer) -> None:
    status, headers, body = _get(
        served.simple_url + "/demo-pkg/", {"Accept": f"{JSON_TYPE}, text/html;q=0.1"}
    )
    doc = json.loads(body)
    assert status == 200
    assert headers["content-type"] == JSON_TYPE
    assert doc["versions"] == ["1.0", "2.0"]
    yanked = [f for f in doc["files"] if f.get("yanked")]
    assert [f["filename"] for f in yanked] == ["demo_pkg-2.0-py3-none-any.whl"]
    assert "core-metadata" in doc["files"][0]


def test_metadata_file_and_range(served: IndexServer) -> None:
    base = served.url + "/files/demo_pkg-1.0-py3-none-any.whl"
    status, _, meta = _get(base + ".metadata")
    assert status == 200
    assert b"Requires-Dist: dep>=2" in meta
    full = _get(base)[2]
    status, headers, part = _get(base, {"Range": "bytes=-100"})
    assert status == 206
    assert part == full[-100:]
    assert headers["content-range"] == f"bytes {len(full) - 100}-{len(full) - 1}/{len(full)}"
    assert ("GET", "/files/demo_pkg-1.0-py3-none-any.whl", {}) not in served.requests
    assert served.requests[-1][2]["range"] == "bytes=-100"


def test_auth_and_faults(index_server_factory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server = index_server_factory(auth=("user", "pw"))
    server.add(make_wheel(tmp_path, "a", "1"))
    assert _get(server.simple_url + "/a/")[0] == 401
    token = "Basic dXNlcjpwdw=="  # user:pw
    assert _get(server.simple_url + "/a/", {"Authorization": token})[0] == 200
    server.fault("500", 2, path="/simple/a/")
    assert _get(server.simple_url + "/a/", {"Authorization": token})[0] == 500
    assert _get(server.simple_url + "/a/", {"Authorization": token})[0] == 500
    assert _get(server.simple_url + "/a/", {"Authorization": token})[0] == 200
    server.fault("redirect", 1)
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.request("GET", "/simple/a/")
    resp = conn.getresponse()
    assert resp.status == 302
    assert resp.getheader("Location") == f"http://localhost:{server.port}/simple/a/"
    server.fault("reset", 1)
    with pytest.raises((ConnectionError, urllib.error.URLError, http.client.HTTPException)):
        _get(server.simple_url + "/a/", {"Authorization": token})
    server.fault("truncate", 1)
    with pytest.raises(http.client.IncompleteRead):
        _get(server.url + "/files/a-1-py3-none-any.whl", {"Authorization": token})


def test_no_ranges_and_no_json(index_server_factory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server = index_server_factory(ranges=False, json=False, metadata=False)
    server.add(make_wheel(tmp_path, "a", "1"))
    status, headers, _ = _get(server.url + "/files/a-1-py3-none-any.whl", {"Range": "bytes=0-9"})
    assert status == 200
    assert "content-range" not in headers
    status, headers, body = _get(server.simple_url + "/a/", {"Accept": JSON_TYPE})
    assert status == 406
    status, headers, body = _get(server.simple_url + "/a/", {"Accept": f"{JSON_TYPE}, */*;q=0.1"})
    assert headers["content-type"] == "text/html"
    assert b"data-core-metadata" not in body
