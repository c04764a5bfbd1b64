"""An application world for ``pinset app`` and the buildpack: a tiny web server published as a
generated wheel on the real local index, an application directory that requires it through a
nested ``-r``, and helpers to run the buildpack's scripts and the server they build."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from tests.helpers.dists import make_wheel
from tests.helpers.envs import available_versions, pyenv_root
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import serve
from tests.helpers.wheelhouse import WHEELHOUSE

REPO = Path(__file__).resolve().parents[3]
BUILDPACK = REPO / "buildpack" / "bin"

TINYWEB = """\
import os
from http.server import BaseHTTPRequestHandler, HTTPServer


class Hello(BaseHTTPRequestHandler):
    def do_GET(self):
        body = ("hello from tinyweb in " + os.environ.get("VIRTUAL_ENV", "?") + "\\n").encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    HTTPServer(("127.0.0.1", int(os.environ["PORT"])), Hello).serve_forever()
"""


@pytest.fixture(scope="session")
def app_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("app-catalog")
    make_wheel(
        dest,
        "tinyweb",
        "1.0",
        requires=["helper==1.0"],
        files={"tinyweb/__init__.py": TINYWEB},
        entry_points={"console_scripts": {"tinyweb": "tinyweb:main"}},
    )
    make_wheel(dest, "helper", "1.0")
    make_wheel(dest, "extra", "1.0")
    make_wheel(dest, "lib", "1.0")
    return dest


def pick_versions() -> tuple[str, str]:
    versions = [v for v in available_versions() if tuple(map(int, v.split("."))) >= (3, 9)]
    if len(versions) < 2:
        pytest.skip("needs two Python versions under ~/.pyenv/versions")
    return versions[-2], versions[-1]


def write_app(root: Path, index_line: str, python: str, nested: str) -> Path:
    """An application: requirements.txt (the index, then ``-r requirements/base.txt``),
    the nested file, ``.python-version`` and a Procfile whose web process is tinyweb."""
    (root / "requirements").mkdir(parents=True, exist_ok=True)
    (root / "requirements.txt").write_text(f"{index_line}\n-r requirements/base.txt\n")
    (root / "requirements" / "base.txt").write_text(nested)
    (root / ".python-version").write_text(python + "\n")
    (root / "Procfile").write_text("web: tinyweb\nworker: python -c 'print(1)'\n")
    return root


PROJECT_SETUP_PY = """\
from setuptools import setup

setup(
    name="app",
    version="1",
    py_modules=["app"],
    install_requires=[{requires}],
    entry_points={{"console_scripts": ["appcmd=app:main", "appweb=app:web"]}},
)
"""


def write_project_app(root: Path, python: str, requires: str, says: str) -> Path:
    """An application with only a ``setup.py`` (no requirements.txt): module ``app`` whose
    ``appcmd`` prints ``says`` and whose ``appweb`` serves tinyweb; a Procfile running it."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "setup.py").write_text(PROJECT_SETUP_PY.format(requires=requires))
    write_module(root, says)
    (root / ".python-version").write_text(python + "\n")
    (root / "Procfile").write_text("web: appweb\n")
    return root


def write_module(root: Path, says: str) -> None:
    (root / "app.py").write_text(
        f"def main():\n    print({says!r})\n\n\n"
        "def web():\n    import tinyweb\n\n    tinyweb.main()\n"
    )


def serve_with_backends(server: IndexServer, catalog: Path) -> IndexServer:
    """The catalog and the wheelhouse's build backends (an editable is built by setuptools)."""
    for backend in sorted(WHEELHOUSE.glob("*.whl")):
        server.add(backend)
    return serve(server, catalog)


def app_env(**extra: str) -> dict[str, str]:
    """The environment for pinset and the buildpack: pyenv found, pinset named by PINSET."""
    env = dict(os.environ, NO_COLOR="1", PYENV_ROOT=str(pyenv_root()))
    env["PINSET"] = f"{sys.executable} -m pinset"
    env.update(extra)
    return env


def run(
    argv: list[str], *, env: Mapping[str, str], cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, env=dict(env), cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


def pinset(
    *args: str, env: Mapping[str, str], cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "pinset", *args], env=env, cwd=cwd)


def buildpack(script: str, *args: Path, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    return run([str(BUILDPACK / script), *map(str, args)], env=env)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str, *, within: float = 30.0) -> tuple[int, str]:
    """GET ``url``, retried while the server starts."""
    deadline = time.monotonic() + within
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.fixture
def started() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Processes a test starts, stopped after it."""
    procs: list[subprocess.Popen[bytes]] = []
    try:
        yield procs
    finally:
        for proc in procs:
            stop_group(proc)


def stop_group(proc: subprocess.Popen[bytes]) -> None:
    """Stop ``proc``, started with ``start_new_session=True``, and every process of its group:
    a shell's children (the web process) would otherwise outlive the test."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=10)
            return
        except subprocess.TimeoutExpired:
            continue
