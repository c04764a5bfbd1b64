"""What a source build costs: build environments shared within a run (sdists with the same
build requirements are built in one environment, their metadata and wheel builds too, and no
build sees what another one's ``get_requires_for_build_wheel`` added); an sdist whose PKG-INFO
says its dependencies are static (PEP 643) is resolved without running its backend.

The sdists carry an in-tree backend that writes one line per hook call to ``$HOOK_LOG``: the
project, the hook, the environment (``sys.prefix``) and whether ``setuptools`` is importable.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.helpers.dists import make_sdist, make_wheel
from tests.helpers.envs import available_versions
from tests.helpers.fixtures_index import IndexServerFactory
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import installed, new_venv, run_pinset, site_packages
from tests.helpers.wheelhouse import WHEELHOUSE

VERSIONS = available_versions()
NEWEST = VERSIONS[-1] if VERSIONS else "3"

BACKEND = """
import base64, hashlib, importlib.util, json, os, sys, zipfile

NAME = {name!r}
EXTRA = {extra!r}
DIST = NAME + "-1.0.dist-info"
METADATA = "Metadata-Version: 2.1\\nName: " + NAME + "\\nVersion: 1.0\\n" + {deps!r}


def _note(hook):
    with open(os.environ["HOOK_LOG"], "a") as out:
        out.write(json.dumps({{
            "project": NAME,
            "hook": hook,
            "prefix": sys.prefix,
            "setuptools": importlib.util.find_spec("setuptools") is not None,
        }}) + "\\n")


def get_requires_for_build_wheel(config_settings=None):
    _note("get_requires_for_build_wheel")
    return list(EXTRA)


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    _note("prepare_metadata_for_build_wheel")
    os.makedirs(os.path.join(metadata_directory, DIST))
    with open(os.path.join(metadata_directory, DIST, "METADATA"), "w") as out:
        out.write(METADATA)
    return DIST


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    _note("build_wheel")
    name = NAME + "-1.0-py3-none-any.whl"
    files = {{
        NAME + ".py": b"VALUE = 1\\n",
        DIST + "/METADATA": METADATA.encode(),
        DIST + "/WHEEL": (
            b"Wheel-Version: 1.0\\nGenerator: t\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"
        ),
    }}
    record = []
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as zf:
        for path, data in files.items():
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            record.append("%s,sha256=%s,%d" % (path, digest.decode(), len(data)))
            zf.writestr(path, data)
        zf.writestr(DIST + "/RECORD", "\\n".join(record + [DIST + "/RECORD,,"]) + "\\n")
    return name
"""


def _sdist(
    dest: Path,
    name: str,
    requires: list[str],
    extra: list[str] | None = None,
    *,
    depends: str = "",
    pkg_info: str | None = None,
) -> Path:
    """An sdist built by the hook-logging backend: ``requires`` in ``[build-system]``,
    ``extra`` from ``get_requires_for_build_wheel``, ``depends`` (Requires-Dist lines) in its
    wheel's METADATA; ``pkg_info`` replaces the sdist's PKG-INFO."""
    pyproject = (
        "[build-system]\n"
        f"requires = {json.dumps(requires)}\n"
        'build-backend = "hooklog"\n'
        'backend-path = ["_backend"]\n'
    )
    return make_sdist(
        dest,
        name,
        "1.0",
        pyproject=pyproject,
        files={"_backend/hooklog.py": BACKEND.format(name=name, extra=extra or [], deps=depends)},
        extra_members={} if pkg_info is None else {f"{name}-1.0/PKG-INFO": pkg_info},
    )


@pytest.fixture
def index(index_server_factory: IndexServerFactory, tmp_path: Path) -> IndexServer:
    server = index_server_factory()
    for backend in sorted(WHEELHOUSE.glob("*.whl")):
        server.add(backend)
    files = tmp_path / "served"
    server.add(_sdist(files, "same_a", ["flit_core"]))
    server.add(_sdist(files, "same_b", ["flit_core"]))
    # its backend asks for setuptools on top of the same [build-system] requires
    server.add(_sdist(files, "asks_more", ["flit_core"], extra=["setuptools"]))
    return server


def test_builds_share_an_environment_only_with_the_same_requirements(
    index: IndexServer, tmp_path: Path
) -> None:
    done, calls, venv = _run(index, tmp_path, "same_a", "asks_more", "same_b")
    assert done.returncode == 0, done.stderr
    assert installed(site_packages(venv)) == {"same-a": "1.0", "asks-more": "1.0", "same-b": "1.0"}
    by_project: dict[str, list[dict[str, object]]] = {}
    for call in calls:
        by_project.setdefault(str(call["project"]), []).append(call)

    # every hook once per project: the metadata build's answers serve the wheel build
    for project, seen in by_project.items():
        hooks = sorted(str(c["hook"]) for c in seen)
        assert hooks == [
            "build_wheel",
            "get_requires_for_build_wheel",
            "prepare_metadata_for_build_wheel",
        ], project
    # the same requirements: one environment for both projects' every hook
    shared = {c["prefix"] for c in by_project["same_a"] + by_project["same_b"]}
    assert len(shared) == 1
    # the one asking for more was built in another environment, which has what it asked for
    more = by_project["asks_more"]
    built_in = {c["prefix"] for c in more if c["hook"] != "get_requires_for_build_wheel"}
    assert len(built_in) == 1
    assert built_in.isdisjoint(shared)
    asked_in = {c["prefix"] for c in more if c["hook"] == "get_requires_for_build_wheel"}
    assert asked_in == shared  # asked in the environment of its [build-system] requires
    assert all(c["setuptools"] for c in more if c["hook"] != "get_requires_for_build_wheel")
    # and nothing it asked for reached the shared environment, before or after
    assert not any(c["setuptools"] for c in by_project["same_a"] + by_project["same_b"])
    # the environments are the run's: gone once it ended
    assert not any(Path(str(prefix)).exists() for prefix in shared | built_in)


def _pkg_info(name: str, *lines: str, version: str = "2.2") -> str:
    return "\n".join([f"Metadata-Version: {version}", f"Name: {name}", "Version: 1.0", *lines])


def _run(
    index: IndexServer, tmp_path: Path, *reqs: str
) -> tuple[subprocess.CompletedProcess[str], list[dict[str, object]], Path]:
    """Install ``reqs`` into a new venv: the run, the backend hook calls it logged, the venv."""
    venv = new_venv(tmp_path / "venv", NEWEST)
    log = tmp_path / "hooks.jsonl"
    argv = ["--python", str(venv), "-i", index.simple_url, *reqs]
    done = run_pinset("install", *argv, env={"HOOK_LOG": str(log)})
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    return done, calls, venv


def _install(index: IndexServer, tmp_path: Path, *reqs: str) -> tuple[int, str, list[str], Path]:
    """Install ``reqs`` into a new venv; the exit code, stderr, the hooks called, the venv."""
    done, calls, venv = _run(index, tmp_path, *reqs)
    return done.returncode, done.stderr, sorted(str(c["hook"]) for c in calls), venv


@pytest.fixture
def static_index(index_server_factory: IndexServerFactory, tmp_path: Path) -> IndexServer:
    server = index_server_factory()
    for backend in sorted(WHEELHOUSE.glob("*.whl")):
        server.add(backend)
    files = tmp_path / "served"
    server.add(make_wheel(files, "attrs", "23.1.0"))
    deps = "Requires-Dist: attrs >=20\n"
    static = _pkg_info("static_one", "Requires-Dist: attrs>=20")
    server.add(_sdist(files, "static_one", ["flit_core"], depends=deps, pkg_info=static))
    dynamic = _pkg_info("dynamic_one", "Dynamic: Requires-Dist")
    server.add(_sdist(files, "dynamic_one", ["flit_core"], depends=deps, pkg_info=dynamic))
    old = _pkg_info("old_one", version="2.1")
    server.add(_sdist(files, "old_one", ["flit_core"], depends=deps, pkg_info=old))
    server.add(
        _sdist(files, "lying_one", ["flit_core"], depends=deps, pkg_info=_pkg_info("lying_one"))
    )
    return server


def test_static_pkg_info_is_resolved_without_running_the_backend(
    static_index: IndexServer, tmp_path: Path
) -> None:
    code, stderr, hooks, venv = _install(static_index, tmp_path, "static_one")
    assert code == 0, stderr
    # the dependency the PKG-INFO names is installed; the backend only built the wheel
    assert installed(site_packages(venv)) == {"static-one": "1.0", "attrs": "23.1.0"}
    assert hooks == ["build_wheel", "get_requires_for_build_wheel"]


@pytest.mark.parametrize("project", ["dynamic_one", "old_one"])
def test_dynamic_or_older_pkg_info_asks_the_backend(
    static_index: IndexServer, tmp_path: Path, project: str
) -> None:
    code, stderr, hooks, venv = _install(static_index, tmp_path, project)
    assert code == 0, stderr
    # the dependency only the backend's metadata names is installed
    assert installed(site_packages(venv)) == {project.replace("_", "-"): "1.0", "attrs": "23.1.0"}
    assert "prepare_metadata_for_build_wheel" in hooks


def test_an_sdist_whose_static_pkg_info_lied_is_not_installed(
    static_index: IndexServer, tmp_path: Path
) -> None:
    code, stderr, _, venv = _install(static_index, tmp_path, "lying_one")
    assert code == 1
    assert "METADATA differs from the metadata pinset resolved with (Requires-Dist)" in stderr
    assert "Traceback" not in stderr
    assert installed(site_packages(venv)) == {}
