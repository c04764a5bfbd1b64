"""``pinset app build`` and ``pinset app run`` on a real index: the Python chosen from
.python-version (a change rebuilds from scratch), a failed build keeps the old environment,
errors point at the line, the environment moved keeps its console scripts working."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.functional.app.conftest import (
    app_env,
    free_port,
    get,
    pick_versions,
    pinset,
    serve_with_backends,
    stop_group,
    write_app,
    write_module,
    write_project_app,
)
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import installed, serve, site_packages


def _app(tmp_path: Path, index: IndexServer, python: str, nested: str) -> Path:
    return write_app(tmp_path / "app", f"-i {index.simple_url}", python, nested)


def _build(app: Path, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return pinset("app", "build", str(app), "--cache-dir", str(cache), *args, env=app_env())


def test_python_change_rebuilds_and_failed_build_keeps_the_old(
    tmp_path: Path, index_server: IndexServer, app_catalog: Path
) -> None:
    older, newer = pick_versions()
    app = _app(tmp_path, serve(index_server, app_catalog), older, "tinyweb==1.0\nextra==1.0\n")
    cache = tmp_path / "cache"
    first = _build(app, cache)
    assert first.returncode == 0, first.stderr
    assert f"Python {older}." in first.stderr
    assert "(from " in first.stderr
    assert "first build" in first.stderr
    assert " + tinyweb==1.0" in first.stderr
    again = _build(app, cache)
    assert "Nothing to do" in again.stderr, again.stderr

    (app / ".python-version").write_text(newer + "\n")
    rebuilt = _build(app, cache)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert f"the Python changed ({older}." in rebuilt.stderr
    assert f"version = {newer}." in (app / ".venv" / "pyvenv.cfg").read_text()
    before = installed(site_packages(app / ".venv"))
    assert before == {"tinyweb": "1.0", "helper": "1.0", "extra": "1.0"}

    (app / "requirements" / "base.txt").write_text("tinyweb==1.0\nnosuch==9.9\n")
    failed = _build(app, cache)
    assert failed.returncode == 1
    assert "nosuch" in failed.stderr
    assert installed(site_packages(app / ".venv")) == before
    assert sorted(p.name for p in app.iterdir() if p.name.startswith(".venv")) == [".venv"]
    fine = subprocess.run(
        [str(app / ".venv" / "bin" / "python"), "-c", "import tinyweb"], check=False
    )
    assert fine.returncode == 0


def test_moved_environment_runs_its_console_script(
    tmp_path: Path, index_server: IndexServer, app_catalog: Path
) -> None:
    app = _app(tmp_path, serve(index_server, app_catalog), pick_versions()[1], "tinyweb==1.0\n")
    assert _build(app, tmp_path / "cache").returncode == 0
    moved = tmp_path / "elsewhere"
    os.rename(app, moved)
    port = free_port()
    env = app_env(PORT=str(port))
    proc = subprocess.Popen(
        [str(moved / ".venv" / "bin" / "tinyweb")], env=env, start_new_session=True
    )
    try:
        status, _body = get(f"http://127.0.0.1:{port}/")
        assert status == 200
    finally:
        stop_group(proc)
        proc.wait(timeout=10)
    activated = subprocess.run(
        ["bash", "-c", ". .venv/bin/activate && echo $VIRTUAL_ENV && command -v tinyweb"],
        cwd=moved,
        capture_output=True,
        text=True,
        check=False,
    )
    assert activated.stdout.split() == [str(moved / ".venv"), str(moved / ".venv/bin/tinyweb")]


def test_app_run_starts_the_procfile_process(
    tmp_path: Path, index_server: IndexServer, app_catalog: Path
) -> None:
    app = _app(tmp_path, serve(index_server, app_catalog), pick_versions()[1], "tinyweb==1.0\n")
    assert _build(app, tmp_path / "cache").returncode == 0
    port = free_port()
    env = dict(app_env(PORT=str(port)), PATH="/usr/bin:/bin")
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "pinset", "app", "run", "web"],
        cwd=app,
        env=env,
        start_new_session=True,
    )
    try:
        status, body = get(f"http://127.0.0.1:{port}/")
        assert status == 200
        assert str(app / ".venv") in body
    finally:
        stop_group(proc)
    unknown = pinset("app", "run", "nosuch", cwd=app, env=app_env())
    assert unknown.returncode == 1
    assert "no process type 'nosuch'" in unknown.stderr
    assert "web, worker" in unknown.stderr


def test_errors_point_at_the_line(tmp_path: Path, index_server: IndexServer) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    missing = pinset("app", "build", str(empty), env=app_env())
    assert missing.returncode == 1
    assert "looked for requirements.txt, setup.py and pyproject.toml" in missing.stderr

    app = _app(tmp_path, index_server, "3.99", "tinyweb==1.0\n")
    unavailable = pinset("app", "build", str(app), env=app_env())
    assert unavailable.returncode == 1
    assert "Python 3.99 is not available" in unavailable.stderr
    assert f"{app / '.python-version'}:1:1" in unavailable.stderr
    assert "available: " in unavailable.stderr

    (app / ".python-version").write_text(pick_versions()[1] + "\n")
    (app / "requirements" / "base.txt").write_text("tinyweb==1.0\nnot a requirement!\n")
    invalid = pinset("app", "build", str(app), env=app_env())
    assert invalid.returncode == 1
    assert f"{app / 'requirements' / 'base.txt'}:2:" in invalid.stderr
    assert not (app / ".venv").exists()

    (app / ".python-version").write_text("latest please\n")
    bad = pinset("app", "build", str(app), env=app_env())
    assert bad.returncode == 1
    assert ".python-version:1:1" in bad.stderr


def test_setup_py_only_app_builds_as_editable(
    tmp_path: Path, index_server: IndexServer, app_catalog: Path
) -> None:
    """No requirements.txt: the project is installed as ``-e .`` (develop mode, as the
    platform's ``setup.py develop``). A module edit needs no build and is live; an edit to
    setup.py's dependencies rebuilds; the moved application still imports its module."""
    index = serve_with_backends(index_server, app_catalog)
    app = write_project_app(tmp_path / "app", pick_versions()[1], "'helper==1.0'", "one")
    env = app_env(PIP_INDEX_URL=index.simple_url)
    cache = str(tmp_path / "cache")
    first = pinset("app", "build", str(app), "--cache-dir", cache, env=env)
    assert first.returncode == 0, first.stderr
    assert "first build" in first.stderr
    assert " + app==1" in first.stderr
    assert "  read setup.py" in first.stderr
    site = site_packages(app / ".venv")
    assert installed(site) == {"app": "1", "helper": "1.0"}
    assert (site / "__editable__.app-1.pth").read_text() == "../../../..\n"  # moves with it

    write_module(app, "two")
    again = pinset("app", "build", str(app), "--cache-dir", cache, env=env)
    assert again.returncode == 0, again.stderr
    assert "Nothing to do" in again.stderr, again.stderr
    shown = subprocess.run(
        [str(app / ".venv/bin/appcmd")], capture_output=True, text=True, check=False
    )
    assert shown.stdout == "two\n", shown.stderr

    (app / "setup.py").write_text(
        (app / "setup.py").read_text().replace("'helper==1.0'", "'helper==1.0', 'extra==1.0'")
    )
    rebuilt = pinset("app", "build", str(app), "--cache-dir", cache, env=env)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "a file it reads changed" in rebuilt.stderr
    assert " + extra==1.0" in rebuilt.stderr
    assert installed(site_packages(app / ".venv")) == {"app": "1", "helper": "1.0", "extra": "1.0"}

    moved = tmp_path / "elsewhere" / "app"
    moved.parent.mkdir()
    os.rename(app, moved)
    ran = subprocess.run(
        [str(moved / ".venv/bin/appcmd")], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert ran.stdout == "two\n", ran.stderr


def test_pyproject_only_app_builds_as_editable_and_moves(
    tmp_path: Path, index_server: IndexServer, app_catalog: Path
) -> None:
    """Only a pyproject.toml (hatchling): the same ``-e .``, keyed on pyproject.toml."""
    index = serve_with_backends(index_server, app_catalog)
    app = tmp_path / "app"
    app.mkdir()
    (app / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
        '[project]\nname = "papp"\nversion = "2"\ndependencies = ["helper==1.0"]\n'
    )
    (app / "papp.py").write_text("WHERE = __file__\n")
    env = app_env(PIP_INDEX_URL=index.simple_url)
    built = pinset("app", "build", str(app), "--python", pick_versions()[1], env=env)
    assert built.returncode == 0, built.stderr
    assert "  read pyproject.toml" in built.stderr
    assert installed(site_packages(app / ".venv")) == {"papp": "2", "helper": "1.0"}
    moved = tmp_path / "moved"
    os.rename(app, moved)
    where = subprocess.run(
        [str(moved / ".venv/bin/python"), "-c", "import papp; print(papp.WHERE)"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert where.stdout == f"{moved / 'papp.py'}\n", where.stderr
