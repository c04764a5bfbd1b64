"""The buildpack end to end: detect, compile with private-index credentials from ENV_DIR, the
slug moved, its web process answering on $PORT; rebuilds reusing the cache (an edit to the
nested requirements file rebuilds; an unchanged one does nothing, with the index down)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from pinset.app.key import STAMP
from tests.functional.app.conftest import (
    BUILDPACK,
    app_env,
    buildpack,
    free_port,
    get,
    pick_versions,
    serve_with_backends,
    write_app,
    write_project_app,
)
from tests.helpers.fixtures_index import IndexServerFactory
from tests.helpers.install_world import installed, serve, site_packages

USER, TOKEN = "deploy", "s3cr3t-t0ken-value"
INDEX_LINE = "-i http://${INDEX_USER}:${INDEX_TOKEN}@127.0.0.1:%d/simple"


def _env_dir(path: Path) -> Path:
    path.mkdir()
    (path / "INDEX_USER").write_text(USER)
    (path / "INDEX_TOKEN").write_text(TOKEN)
    (path / "PATH").write_text("/nonexistent")  # never exported
    return path


def _source(root: Path, port: int, python: str, nested: str) -> Path:
    return write_app(root, INDEX_LINE % port, python, nested)


def _start_web(slug: Path, started: list[subprocess.Popen[bytes]]) -> int:
    """The dyno's way: HOME is the slug, .profile.d sourced, the Procfile's web command run."""
    port = free_port()
    command = next(
        line.partition(":")[2].strip()
        for line in (slug / "Procfile").read_text().splitlines()
        if line.startswith("web:")
    )
    script = 'for f in .profile.d/*.sh; do . "$f"; done; exec sh -c "$WEB"'
    env = dict(os.environ, HOME=str(slug), PORT=str(port), WEB=command, PATH="/usr/bin:/bin")
    started.append(
        subprocess.Popen(["/bin/sh", "-c", script], cwd=slug, env=env, start_new_session=True)
    )
    return port


def test_compile_move_run_rebuild(
    tmp_path: Path,
    index_server_factory: IndexServerFactory,
    app_catalog: Path,
    started: list[subprocess.Popen[bytes]],
) -> None:
    _older, python = pick_versions()
    index = serve(index_server_factory(auth=(USER, TOKEN)), app_catalog)
    build, cache, env_dir = tmp_path / "build", tmp_path / "cache", _env_dir(tmp_path / "env")
    _source(build, index.port, python, "tinyweb==1.0\nextra==1.0\n")
    env = app_env()

    detected = buildpack("detect", build, env=env)
    assert detected.returncode == 0
    assert "Python (pinset)" in detected.stdout
    assert buildpack("detect", tmp_path / "env", env=env).returncode == 1

    first = buildpack("compile", build, cache, env_dir, env=env)
    output = first.stdout + first.stderr
    assert first.returncode == 0, output
    assert "-----> Building the Python environment with pinset" in first.stdout
    assert f"       Built {build / '.venv'}" in first.stdout
    assert TOKEN not in output
    assert (build / ".profile.d" / "pinset.sh").is_file()

    slug = tmp_path / "slug" / "app"  # the platform runs it elsewhere
    slug.parent.mkdir()
    os.rename(build, slug)
    port = _start_web(slug, started)
    status, body = get(f"http://127.0.0.1:{port}/")
    assert status == 200
    assert f"in {slug / '.venv'}" in body

    # A new push: a fresh checkout with the nested file edited, the same cache.
    second_build = _source(tmp_path / "build2", index.port, python, "tinyweb==1.0\nlib==1.0\n")
    second = buildpack("compile", second_build, cache, env_dir, env=env)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Restoring the environment from the cache" in second.stdout
    assert "a file it reads changed" in second.stdout
    assert TOKEN not in second.stdout + second.stderr
    have = installed(site_packages(second_build / ".venv"))
    assert have == {"tinyweb": "1.0", "helper": "1.0", "lib": "1.0"}
    assert "Caching the environment" in second.stdout  # a changed build goes back to the cache
    assert installed(site_packages(cache / "venv")) == have

    # The same push again with the index unreachable: nothing to do, from the cache alone.
    index.stop()
    third_build = _source(tmp_path / "build3", index.port, python, "tinyweb==1.0\nlib==1.0\n")
    third = buildpack("compile", third_build, cache, env_dir, env=env)
    assert third.returncode == 0, third.stdout + third.stderr
    assert "Nothing to do" in third.stdout
    assert installed(site_packages(third_build / ".venv")) == have
    # nothing changed: the cached environment is this one, not copied back
    assert "The cached environment is unchanged" in third.stdout
    assert "Caching the environment" not in third.stdout
    assert installed(site_packages(cache / "venv")) == have


def test_the_buildpack_compares_the_stamp_app_build_writes() -> None:
    """``bin/compile`` skips re-caching an unchanged environment by comparing the stamp file
    ``pinset app build`` writes: the two must name the same file."""
    script = (BUILDPACK / "compile").read_text()
    assert f"STAMP={STAMP}\n" in script


def test_release_names_the_procfile_processes(tmp_path: Path) -> None:
    app = write_app(tmp_path / "app", "", "3.12", "")
    released = buildpack("release", app, env=app_env())
    assert released.returncode == 0, released.stderr
    assert released.stdout.splitlines() == [
        "---",
        "default_process_types:",
        '  web: "tinyweb"',
        "  worker: \"python -c 'print(1)'\"",
    ]
    (app / "Procfile").unlink()
    default = buildpack("release", app, env=app_env())
    assert default.stdout.splitlines()[-1] == '  web: "python app.py"'


def test_compile_without_pinset_says_how_to_find_it(tmp_path: Path) -> None:
    app = write_app(tmp_path / "app", "", "3.12", "")
    env = {k: v for k, v in app_env().items() if k != "PINSET"}
    env["PATH"] = "/usr/bin:/bin"
    result = buildpack("compile", app, tmp_path / "cache", tmp_path / "none", env=env)
    assert result.returncode == 1
    assert "set PINSET" in result.stderr


def test_refused_credentials_fail_clearly_and_never_leak(
    tmp_path: Path, index_server_factory: IndexServerFactory, app_catalog: Path
) -> None:
    index = serve(index_server_factory(auth=(USER, "the-real-one")), app_catalog)
    app = _source(tmp_path / "app", index.port, pick_versions()[1], "tinyweb==1.0\n")
    result = buildpack(
        "compile", app, tmp_path / "cache", _env_dir(tmp_path / "env"), env=app_env()
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Build failed" in result.stderr
    assert TOKEN not in output
    assert not (tmp_path / "cache" / "venv").exists()
    shutil.rmtree(app)


def test_compile_a_setup_py_only_app_and_run_the_moved_slug(
    tmp_path: Path,
    index_server_factory: IndexServerFactory,
    app_catalog: Path,
    started: list[subprocess.Popen[bytes]],
) -> None:
    """No requirements.txt: compile installs the project as ``-e .`` (the index from ENV_DIR);
    the slug moved, its Procfile's web process (the app's own console script, importing its
    module through the relative ``.pth``) answers; a new checkout with the same cache has
    nothing to do and its environment imports the app from the new checkout."""
    index = serve_with_backends(index_server_factory(), app_catalog)
    python = pick_versions()[1]
    env_dir = tmp_path / "env"
    env_dir.mkdir()
    (env_dir / "PIP_INDEX_URL").write_text(index.simple_url)
    build, cache = tmp_path / "build", tmp_path / "cache"
    write_project_app(build, python, "'tinyweb==1.0'", "one")
    assert buildpack("detect", build, env=app_env()).returncode == 0

    first = buildpack("compile", build, cache, env_dir, env=app_env())
    assert first.returncode == 0, first.stdout + first.stderr
    assert "+ app==1" in first.stdout
    slug = tmp_path / "slug" / "app"
    slug.parent.mkdir()
    os.rename(build, slug)
    port = _start_web(slug, started)
    status, body = get(f"http://127.0.0.1:{port}/")
    assert status == 200
    assert f"in {slug / '.venv'}" in body

    second_build = write_project_app(tmp_path / "build2", python, "'tinyweb==1.0'", "two")
    second = buildpack("compile", second_build, cache, env_dir, env=app_env())
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Nothing to do" in second.stdout
    said = subprocess.run(
        [str(second_build / ".venv" / "bin" / "appcmd")], capture_output=True, text=True,
        cwd=tmp_path, check=False,
    )  # fmt: skip
    assert said.stdout == "two\n", said.stderr
