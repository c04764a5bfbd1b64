"""A host's name is looked up once per run, however many connections are opened to it.

The client runs in a child process whose audit hook counts the ``socket.getaddrinfo`` calls
(the interpreter reports each one), against a real server on 127.0.0.1 reached by the name
``localhost`` (from ``/etc/hosts``: no name server is asked).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time

from pinset.http.addresses import HostAddresses
from tests.helpers.http_server import HttpServer, Reply, Request

CHILD = textwrap.dedent(
    """
    import collections, json, sys, threading
    asked = collections.Counter()
    lock = threading.Lock()

    def hook(event, args):
        if event == "socket.getaddrinfo":
            with lock:
                asked[str(args[0])] += 1

    sys.addaudithook(hook)
    from pinset.errors import NetworkError
    from pinset.http.client import HttpClient, HttpConfig

    urls = json.loads(sys.argv[1])
    config = HttpConfig(retries=0, timeout=5.0, max_workers=4, environ={})
    outcome = []
    with HttpClient(config) as client:
        def get(url):
            try:
                return client.get(url).body.decode()
            except NetworkError as exc:
                return "error: " + str(exc)
        if sys.argv[2] == "parallel":
            outcome = client.map_parallel(get, urls)
        else:
            outcome = [get(url) for url in urls]
    print(json.dumps({"asked": asked, "outcome": outcome}))
    """
)


def _run(urls: list[str], *, parallel: bool = True) -> dict[str, object]:
    mode = "parallel" if parallel else "one after another"
    done = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(urls), mode],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)),
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_parallel_connections_to_one_host_look_its_name_up_once(server: HttpServer) -> None:
    def slow(request: Request) -> Reply:
        time.sleep(0.1)  # every worker opens a connection of its own meanwhile
        return Reply(200, request.path.encode())

    paths = [f"/p{i}" for i in range(12)]
    for path in paths:
        server.route(path, slow)
    result = _run([f"http://localhost:{server.port}{p}" for p in paths])
    assert result["outcome"] == paths
    assert len({r.peer for p in paths for r in server.hits(p)}) > 1  # several connections
    asked = result["asked"]
    assert isinstance(asked, dict)
    # each connection then dials an address (a numeric lookup, which asks no name server)
    assert {name: n for name, n in asked.items() if not name[0].isdigit()} == {"localhost": 1}


def test_a_failed_lookup_is_not_remembered() -> None:
    # a name that does not resolve is an error for its connection, and the next connection
    # asks again (a name server's "try again" must be retried by a later request)
    urls = ["http://no-such-host.invalid/a", "http://no-such-host.invalid/b"]
    result = _run(urls, parallel=False)
    outcome = result["outcome"]
    assert isinstance(outcome, list)
    assert all("cannot connect" in text for text in outcome)
    assert result["asked"] == {"no-such-host.invalid": 2}


def test_an_answer_lists_each_address_once_and_is_reused() -> None:
    addresses = HostAddresses()
    found = addresses.lookup("localhost", 80)
    assert found
    assert set(found) <= {"127.0.0.1", "::1"}
    assert len(found) == len(set(found))
    assert addresses.lookup("localhost", 80) is found  # the same answer, not asked again


def test_a_host_name_that_cannot_be_encoded_is_an_invalid_url() -> None:
    # as urllib3 says it, before any lookup: a label longer than 63 characters
    result = _run([f"http://{'a' * 64}.example/"], parallel=False)
    assert result["outcome"] == [f"error: GET http://{'a' * 64}.example/: invalid URL"]
    assert result["asked"] == {}
