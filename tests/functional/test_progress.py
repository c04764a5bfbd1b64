"""What a person sees while ``pinset install`` runs: bars on a terminal, nothing on a pipe.

The CLI runs for real under a pseudo-terminal (stderr is the pty, so it is a terminal) against
the local index; the bytes the terminal received are checked for the download bar (bytes), the
install bar (counts) and the summary. With a pipe, no escape code at all is written.
"""

from __future__ import annotations

import os
import pty
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers.dists import make_sdist, make_wheel
from tests.helpers.fixtures_index import IndexServerFactory
from tests.helpers.fixtures_install import NEWEST, VERSIONS
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import installed, new_venv, site_packages
from tests.helpers.wheelhouse import WHEELHOUSE

COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-9]|9[0-7]|38;[0-9;]+)m")
ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
BAR = "━"


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("progress-wheels")
    noise = random.Random(4).randbytes(3_000_000)  # incompressible: a real multi-chunk download
    make_wheel(dest, "bulky", "1.0", requires=["tiny"], files={"bulky/blob.bin": noise})
    make_wheel(dest, "tiny", "2.0")
    return dest


@pytest.fixture
def index(index_server_factory: IndexServerFactory, wheels: Path) -> IndexServer:
    server = index_server_factory()
    for path in sorted(wheels.iterdir()):
        server.add(path)
    return server


@pytest.fixture
def venv(tmp_path: Path) -> Path:
    if not VERSIONS:
        pytest.skip("no pyenv interpreters on this machine")
    return new_venv(tmp_path / "venv", NEWEST)


def _argv(venv: Path, index: IndexServer) -> list[str]:
    return [
        sys.executable, "-m", "pinset", "install", "--python", str(venv),
        "-i", index.simple_url, "--no-cache-dir", "bulky",
    ]  # fmt: skip


def _run_in_terminal(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str, str]:
    """Run with stderr on a pseudo-terminal; (exit code, what the terminal got, stdout)."""
    master, slave = pty.openpty()
    full = {**env, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    with subprocess.Popen(
        argv, cwd=cwd, env=full, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave
    ) as process:
        os.close(slave)
        received = bytearray()
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            received += chunk
        os.close(master)
        stdout = process.stdout.read() if process.stdout else b""
        code = process.wait(timeout=60)
    return code, received.decode("utf-8", errors="replace"), stdout.decode()


def _environ(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(extra)
    return env


def test_a_terminal_sees_download_and_install_bars_then_the_summary(
    index: IndexServer, venv: Path, tmp_path: Path
) -> None:
    code, screen, stdout = _run_in_terminal(_argv(venv, index), tmp_path, _environ())
    assert code == 0, screen
    assert stdout == ""
    assert "Downloading 2 files" in screen
    assert "bulky-1.0-py3-none-any.whl" in screen
    assert " MB" in screen  # the download bar counts bytes
    text = ESCAPE.sub("", screen)
    assert re.search(r"Downloading 2 files ━+ 2/2", text)  # files counted as they arrive
    assert re.search(r"Installing 2 packages ━+ 2/2", text)  # packages counted as installed
    assert BAR in screen
    assert re.search(r"Installed 2 packages into .* in \d+\.\d\ds", screen)
    assert "+ bulky==1.0" in screen
    assert "+ tiny==2.0" in screen
    assert COLOUR.search(screen)  # colour on a terminal ...
    assert installed(site_packages(venv)) == {"bulky": "1.0", "tiny": "2.0"}


def test_no_color_keeps_the_bars_without_colour(
    index: IndexServer, venv: Path, tmp_path: Path
) -> None:
    code, screen, _ = _run_in_terminal(_argv(venv, index), tmp_path, _environ(NO_COLOR="1"))
    assert code == 0, screen
    assert BAR in screen
    assert "+ bulky==1.0" in screen
    assert not COLOUR.search(screen), repr(COLOUR.search(screen))


def test_a_pipe_gets_the_summary_and_no_escape_codes(
    index: IndexServer, venv: Path, tmp_path: Path
) -> None:
    result = subprocess.run(
        _argv(venv, index), cwd=tmp_path, env=_environ(), capture_output=True, text=True,
        timeout=180, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stderr
    assert BAR not in result.stderr
    assert "Downloading" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == "Resolved 2 packages"
    assert re.fullmatch(r"Installed 2 packages into .* in \d+\.\d\ds", lines[1])
    assert lines[2:] == [" + bulky==1.0", " + tiny==2.0"]


def test_quiet_draws_nothing_even_on_a_terminal(
    index: IndexServer, venv: Path, tmp_path: Path
) -> None:
    code, screen, _ = _run_in_terminal([*_argv(venv, index), "-q"], tmp_path, _environ())
    assert code == 0, screen
    assert BAR not in screen
    assert "Downloading" not in screen


def test_files_found_in_the_cache_are_counted_and_compiling_is_a_phase(
    index: IndexServer, tmp_path: Path
) -> None:
    """A second environment gets its wheels from the cache (no bytes move): the download
    count still reaches every file the run fetched, and bytecode compilation is shown as a
    phase of its own, not under a finished install bar."""
    if not VERSIONS:
        pytest.skip("no pyenv interpreters on this machine")
    argv = [sys.executable, "-m", "pinset", "install", "-i", index.simple_url]
    argv += ["--cache-dir", str(tmp_path / "cache"), "bulky"]
    first = new_venv(tmp_path / "first", NEWEST)
    code, screen, _ = _run_in_terminal([*argv, "--python", str(first)], tmp_path, _environ())
    assert code == 0, screen
    second = new_venv(tmp_path / "second", NEWEST)
    code, screen, _ = _run_in_terminal([*argv, "--python", str(second)], tmp_path, _environ())
    assert code == 0, screen
    text = ESCAPE.sub("", screen)
    assert re.search(r"Downloading 2 files ━+ 2/2", text), text
    assert "Compiling bytecode" in text
    assert installed(site_packages(second)) == {"bulky": "1.0", "tiny": "2.0"}


def test_a_long_file_name_is_shortened_in_the_middle(
    index_server_factory: IndexServerFactory, venv: Path, tmp_path: Path
) -> None:
    name = "a-project-with-a-remarkably-long-name-for-a-test"
    noise = random.Random(5).randbytes(3_000_000)
    wheel = make_wheel(tmp_path / "w", name, "1.0", files={"long_name/blob.bin": noise})
    server = index_server_factory()
    server.add(wheel)
    argv = [sys.executable, "-m", "pinset", "install", "--python", str(venv)]
    argv += ["-i", server.simple_url, "--no-cache-dir", name]
    code, screen, _ = _run_in_terminal(argv, tmp_path, _environ())
    assert code == 0, screen
    assert wheel.name not in screen
    assert "a_project_with_…est-1.0-py3-none-any.whl" in screen


@pytest.fixture
def sdist_index(index_server_factory: IndexServerFactory, tmp_path: Path) -> IndexServer:
    """An sdist-only project beside a wheel, and the wheelhouse's build backends."""
    server = index_server_factory()
    for backend in sorted(WHEELHOUSE.glob("*.whl")):
        server.add(backend)
    server.add(make_sdist(tmp_path / "served", "srconly", "1.0", requires=["tiny"]))
    server.add(make_wheel(tmp_path / "served", "tiny", "2.0"))
    return server


def test_a_build_is_a_phase_of_its_own_on_a_terminal_and_absent_from_a_pipe(
    sdist_index: IndexServer, venv: Path, tmp_path: Path
) -> None:
    """The sdist's build gets its own row while it runs; the download phase around it keeps
    its name and its count (a build used to replace it, and the count stopped)."""
    argv = [sys.executable, "-m", "pinset", "install", "--python", str(venv)]
    argv += ["-i", sdist_index.simple_url, "--cache-dir", str(tmp_path / "cache"), "srconly"]
    code, screen, _ = _run_in_terminal(argv, tmp_path, _environ())
    assert code == 0, screen
    text = ESCAPE.sub("", screen)
    assert "Building srconly 1.0 (sdist)" in text, text
    assert re.search(r"Downloading 2 files ━+ 2/2", text), text
    assert "Building srconly==" not in text
    assert installed(site_packages(venv)) == {"srconly": "1.0", "tiny": "2.0"}

    other = new_venv(tmp_path / "other", NEWEST)
    argv[argv.index(str(venv))] = str(other)
    argv[argv.index(str(tmp_path / "cache"))] = str(tmp_path / "cache2")
    piped = subprocess.run(
        argv, cwd=tmp_path, env=_environ(), capture_output=True, text=True, timeout=180,
        check=False,
    )  # fmt: skip
    assert piped.returncode == 0, piped.stderr
    assert "Building" not in piped.stderr
    assert "\x1b" not in piped.stderr
    assert installed(site_packages(other)) == {"srconly": "1.0", "tiny": "2.0"}
