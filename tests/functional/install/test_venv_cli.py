"""``pinset venv``: real environments from the machine's pyenv interpreters, via the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.functional.install.conftest import NEWEST, VERSIONS
from tests.helpers.envs import pyenv_root

pytestmark = pytest.mark.skipif(not VERSIONS, reason="no pyenv interpreters")


def pinset(cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYENV_ROOT=str(pyenv_root()))
    return subprocess.run(
        [sys.executable, "-m", "pinset", "venv", *argv],
        check=False,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _version(python: Path) -> str:
    return subprocess.run(
        [str(python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


@pytest.mark.parametrize("version", [VERSIONS[0], NEWEST] if VERSIONS else [])
def test_creates_dot_venv_with_the_requested_version(tmp_path: Path, version: str) -> None:
    proc = pinset(tmp_path, "--python", version)
    assert proc.returncode == 0, proc.stderr
    assert "Created virtual environment at .venv" in proc.stderr
    python = tmp_path / ".venv" / "bin" / "python"
    assert _version(python) == version
    assert not list((tmp_path / ".venv").rglob("pip"))  # fast: no pip unless --seed


def test_existing_environment_needs_clear_and_seed_adds_pip(tmp_path: Path) -> None:
    assert pinset(tmp_path, "env", "--python", NEWEST).returncode == 0
    again = pinset(tmp_path, "env", "--python", NEWEST)
    assert again.returncode == 1
    assert "already exists" in again.stderr
    assert "--clear" in again.stderr
    seeded = pinset(tmp_path, "env", "--python", NEWEST, "--clear", "--seed")
    assert seeded.returncode == 0, seeded.stderr
    assert "Replaced virtual environment at env with pip" in seeded.stderr
    pip = subprocess.run(
        [str(tmp_path / "env" / "bin" / "python"), "-m", "pip", "--version"],
        check=False,
        capture_output=True,
        text=True,
    )
    assert pip.returncode == 0


def test_refusals_are_clear_errors_without_tracebacks(tmp_path: Path) -> None:
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "main.py").write_text("print('keep me')\n")
    occupied = pinset(tmp_path, "project", "--python", NEWEST)
    assert occupied.returncode == 1
    assert "is not empty and is not a virtual environment" in occupied.stderr
    assert (tmp_path / "project" / "main.py").read_text() == "print('keep me')\n"
    missing = pinset(tmp_path, "--python", "3.99")
    assert missing.returncode == 1
    assert "no Python interpreter found for --python 3.99" in missing.stderr
    old = pinset(tmp_path, "--python", str(pyenv_root() / "versions" / "2.7.18" / "bin" / "python"))
    if (pyenv_root() / "versions" / "2.7.18").exists():
        assert old.returncode == 1
    for proc in (occupied, missing, old):
        assert "Traceback" not in proc.stderr


def test_a_broken_link_is_named_not_a_missing_venv_module(tmp_path: Path) -> None:
    (tmp_path / ".venv").symlink_to(tmp_path / "gone")
    proc = pinset(tmp_path, "--python", NEWEST)
    assert proc.returncode == 1
    assert proc.stderr == (
        f"error: {tmp_path / '.venv'} is a broken symbolic link to {tmp_path / 'gone'}\n"
        "  hint: remove the link, or create the environment where it points\n"
    )


def test_an_environment_whose_interpreter_is_gone_is_mended_with_clear(tmp_path: Path) -> None:
    assert pinset(tmp_path, "--python", NEWEST).returncode == 0
    python = tmp_path / ".venv" / "bin" / "python"
    python.unlink()
    python.symlink_to(tmp_path / "removed-python")
    broken = subprocess.run(
        [sys.executable, "-m", "pinset", "install", "--dry-run", "--no-index", "x"],
        cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert broken.returncode == 1
    assert "hint: recreate it (pinset venv --clear .venv)" in broken.stderr
    assert pinset(tmp_path, "--python", NEWEST, "--clear").returncode == 0
    assert python.exists()
