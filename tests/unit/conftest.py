"""Unit tests run no subprocess and open no socket: this guard makes any attempt fail loudly."""

from __future__ import annotations

import socket
import subprocess
from typing import NoReturn

import pytest


def _refuse(what: str) -> NoReturn:
    raise AssertionError(f"unit tests must not {what}; move this test to tests/functional")


@pytest.fixture(autouse=True)
def _no_processes_or_sockets(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_popen(*args: object, **kwargs: object) -> NoReturn:
        _refuse("start a subprocess")

    def no_connect(*args: object, **kwargs: object) -> NoReturn:
        _refuse("open a network connection")

    monkeypatch.setattr(subprocess.Popen, "__init__", no_popen)
    monkeypatch.setattr(socket.socket, "connect", no_connect)
    monkeypatch.setattr(socket.socket, "bind", no_connect)
