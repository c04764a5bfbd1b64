"""A real private index for tests: ``pypi-server`` (pypiserver) with HTTP Basic authentication.

    with PypiServer(packages_dir, users={"alice": "s3cret"}) as server:
        server.simple_url          # http://127.0.0.1:PORT/simple/ (no credentials)
        server.authed_url("alice") # http://alice:s3cret@127.0.0.1:PORT/simple/

The server runs as a subprocess of this Python (``-m pypiserver run``) on 127.0.0.1 with
``-P htpasswd -a download,list,update`` (every action needs a password), an htpasswd file
written here with passlib (bcrypt-free ``apr1`` entries, which pypiserver's passlib checks), and
``--disable-fallback`` so a missing project is a 404 rather than a redirect to pypi.org.
"""

from __future__ import annotations

import base64
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

READY_TIMEOUT = 30.0


def write_htpasswd(path: Path, users: Mapping[str, str]) -> Path:
    """An htpasswd file with an ``apr1`` (Apache MD5) entry per user."""
    with warnings.catch_warnings():  # passlib imports the deprecated crypt module
        warnings.simplefilter("ignore", DeprecationWarning)
        from passlib.apache import HtpasswdFile  # type: ignore[import-untyped]

    htpasswd = HtpasswdFile(str(path), new=True, default_scheme="apr_md5_crypt")
    for user, password in users.items():
        htpasswd.set_password(user, password)
    htpasswd.save()
    return path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PypiServer:
    """``pypi-server run`` serving ``packages`` (every file there) with Basic auth on all."""

    def __init__(self, packages: Path, users: Mapping[str, str]) -> None:
        self.packages = packages
        self.users = dict(users)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.simple_url = f"{self.url}/simple/"
        self._workdir = tempfile.TemporaryDirectory(prefix="pypiserver-")
        self.htpasswd = write_htpasswd(Path(self._workdir.name) / "htpasswd", self.users)
        self.log = Path(self._workdir.name) / "server.log"
        self._process: subprocess.Popen[bytes] | None = None

    def authed_url(self, user: str, password: str | None = None) -> str:
        secret = self.users[user] if password is None else password
        return self.simple_url.replace("http://", f"http://{user}:{secret}@", 1)

    def start(self) -> None:
        argv = [
            sys.executable, "-m", "pypiserver", "run",
            "-p", str(self.port), "-i", "127.0.0.1",
            "-P", str(self.htpasswd), "-a", "download,list,update",
            "--disable-fallback", "--server", "wsgiref",
            str(self.packages),
        ]  # fmt: skip
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PINSET_"))}
        with self.log.open("wb") as log:
            self._process = subprocess.Popen(
                argv, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
            )
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        user, password = next(iter(self.users.items()))
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        headers = {"Authorization": f"Basic {token}"}
        request = urllib.request.Request(self.simple_url, headers=headers)
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise RuntimeError(f"pypi-server exited: {self.log.read_text(errors='replace')}")
            with (
                contextlib.suppress(OSError, urllib.error.URLError),
                urllib.request.urlopen(request, timeout=2) as response,
            ):
                if response.status == 200:
                    return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"pypi-server not ready in {READY_TIMEOUT}s: {self.log.read_text()}")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        self._workdir.cleanup()

    def __enter__(self) -> PypiServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
