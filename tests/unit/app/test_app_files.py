"""The files an application holds: Procfile, .python-version / runtime.txt; and the
relocatable script prologue."""

from __future__ import annotations

from pathlib import Path

import pytest

from pinset.app.procfile import DEFAULT_WEB, plan_run, read_procfile
from pinset.app.pythons import PythonRequest, read_request
from pinset.errors import AppError, Location
from pinset.install.scripts import EntryPoint, launcher, rewrite_shebang


def test_procfile_types_in_order_comments_skipped(tmp_path: Path) -> None:
    (tmp_path / "Procfile").write_text(
        "# processes\nweb: gunicorn app:app -b :$PORT\n\nworker:celery\n"
    )
    types = read_procfile(tmp_path)
    assert dict(types.commands) == {"web": "gunicorn app:app -b :$PORT", "worker": "celery"}


def test_procfile_bad_line_points_at_it(tmp_path: Path) -> None:
    (tmp_path / "Procfile").write_text("web: ok\njust words\n")
    with pytest.raises(AppError) as caught:
        read_procfile(tmp_path)
    assert caught.value.where == Location(str(tmp_path / "Procfile"), 2, 1)


def test_no_procfile_means_a_default_web(tmp_path: Path) -> None:
    assert dict(read_procfile(tmp_path).commands) == {"web": DEFAULT_WEB}


def test_run_plan_sets_path_virtual_env_and_port(tmp_path: Path) -> None:
    venv = tmp_path / ".venv"
    venv.mkdir()
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    planned = plan_run(tmp_path, venv, "web", {"PATH": "/usr/bin", "PYTHONHOME": "/x"})
    assert planned.argv == ("/bin/sh", "-c", DEFAULT_WEB)
    assert planned.environ["PATH"] == f"{venv / 'bin'}:/usr/bin"
    assert planned.environ["VIRTUAL_ENV"] == str(venv)
    assert planned.environ["PORT"] == "5000"
    assert "PYTHONHOME" not in planned.environ
    kept = plan_run(tmp_path, venv, "web", {"PORT": "8080"})
    assert kept.environ["PORT"] == "8080"


@pytest.mark.parametrize(
    ("name", "text", "version"),
    [
        (".python-version", "# pinned\n3.12\n", (3, 12)),
        (".python-version", "3.11.7\n", (3, 11, 7)),
        ("runtime.txt", "python-3.12.1\n", (3, 12, 1)),
    ],
)
def test_python_request(tmp_path: Path, name: str, text: str, version: tuple[int, ...]) -> None:
    (tmp_path / name).write_text(text)
    request, file = read_request(tmp_path)
    assert request is not None
    assert request.version == version
    assert file == tmp_path / name


def test_python_request_accepts_by_prefix() -> None:
    request = PythonRequest((3, 12), "x")
    assert request.accepts((3, 12, 4))
    assert not request.accepts((3, 11, 9))


def test_invalid_python_version_points_at_the_line(tmp_path: Path) -> None:
    (tmp_path / "runtime.txt").write_text("\n  python3.12\n")
    with pytest.raises(AppError) as caught:
        read_request(tmp_path)
    assert caught.value.where == Location(str(tmp_path / "runtime.txt"), 2, 3)


def test_relocatable_scripts_name_no_absolute_path() -> None:
    entry = EntryPoint("tool", "tool.cli", "main", gui=False)
    text = launcher(entry, "/abs/venv/bin/python", relocatable=True).decode()
    assert text.startswith("#!/bin/sh\n'''exec' ")
    assert "/abs/venv" not in text
    assert "from tool.cli import main" in text
    compile(text, "tool", "exec")  # still a Python program after the prologue
    data = rewrite_shebang(b"#!python\nprint(1)\n", "/abs/venv/bin/python", relocatable=True)
    assert data is not None
    assert b"/abs/venv" not in data
    assert data.endswith(b"print(1)\n")
