"""Requirements files read from URLs (a real HTTP server on 127.0.0.1, and file: URLs).

pip reads a URL file through its session and joins ``-r``/``-c`` targets to the file's URL;
local paths in such a file stay relative to the working directory. pinset gets the same
files through the ``fetch`` callable its caller passes in; both readings must match.
"""

from __future__ import annotations

import functools
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pinset.errors import NetworkError
from tests.differential.parity import parity_problems
from tests.helpers.pip_oracle import read_with_pip
from tests.helpers.requirements_parity import OPTION_FIELDS, PinsetReading, read_with_pinset

FILES = {
    "reqs/top.txt": (
        "-r base.txt\n-c ../constraints.txt\n--find-links wheels\npkg==1.0\n./proj\n-e ./proj\n"
        "-r sub/more.txt\n-r https-less.txt\n"
    ),
    "reqs/base.txt": "--index-url https://i.example.com/simple\nbase>=1\n-r ../shared.txt\n",
    "reqs/sub/more.txt": "more[extra]==2 ; python_version > '3'\n-c ../../constraints.txt\n",
    "reqs/https-less.txt": "# only a comment\n",
    "shared.txt": "shared\n",
    "constraints.txt": "pkg<2\nbase<3\n",
    "reqs/broken.txt": "ok\n-r missing.txt\nalso-ok\n",
    "reqs/loop.txt": "-r loop.txt\n",
}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("served")
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    handler = functools.partial(_Quiet, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            data: bytes = response.read()
    except (urllib.error.URLError, OSError) as exc:
        raise NetworkError(f"cannot fetch {url}: {exc}") from exc
    return data.decode("utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "proj").mkdir()
    (tmp_path / "proj" / "setup.py").write_text("")
    return tmp_path


@pytest.mark.parametrize("name", ["top.txt", "base.txt", "broken.txt", "loop.txt"])
@pytest.mark.parametrize("scheme", ["http", "file"])
def test_url_files_read_like_pip(
    name: str, scheme: str, served: tuple[str, Path], project: Path
) -> None:
    base, root = served
    url = f"{base}/reqs/{name}" if scheme == "http" else (root / "reqs" / name).as_uri()
    pip = read_with_pip(url, cwd=project, redact=False)
    assert pip["requirements"], "the oracle read nothing"

    def read(at: Path) -> PinsetReading:
        return read_with_pinset(url, cwd=at, environ={}, fetch=_fetch)

    problems = parity_problems(
        pip,
        project,
        read,
        writable_root=lambda: project,  # refused lines are in served files: never blanked
        redact_urls=False,
        option_fields=(*OPTION_FIELDS, "use_features"),
    )
    assert pip["ok"] is (name not in ("broken.txt", "loop.txt"))
    assert not problems, "pinset reads differently from pip:\n" + "\n".join(problems)
