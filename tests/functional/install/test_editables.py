"""``pinset install -e``: local trees installed in editable mode, end to end.

The local test index serves the wheelhouse's build backends (setuptools, hatchling and
``editables``, flit_core) and ``attrs``; builds run with isolation, their requirements
installed by pinset's nested install. The develop-mode fallback uses the setuptools 56 wheel
that CPython 3.8's ``ensurepip`` bundles (no ``build_editable`` hook).
"""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

import pytest

from tests.helpers.dists import make_wheel
from tests.helpers.envs import available_versions
from tests.helpers.fixtures_index import IndexServerFactory
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import dist_info, installed, new_venv, run_pinset, site_packages
from tests.helpers.source_trees import (
    flit_project,
    hatchling_project,
    setuptools_pyproject,
)
from tests.helpers.wheelhouse import WHEELHOUSE

VERSIONS = available_versions()
NEWEST = VERSIONS[-1] if VERSIONS else "3"
TARGETS = [v for v in ("3.8", "3.12") if v in VERSIONS] or VERSIONS[-1:]


@pytest.fixture
def index(index_server_factory: IndexServerFactory, tmp_path: Path) -> IndexServer:
    server = index_server_factory()
    for backend in sorted(WHEELHOUSE.glob("*.whl")):
        server.add(backend)
    files = tmp_path / "served"
    server.add(make_wheel(files, "attrs", "23.1.0"))
    server.add(make_wheel(files, "six", "1.16.0"))
    server.add(make_wheel(files, "extra-dep", "1.0"))
    return server


def pinset(
    index: IndexServer, venv: Path, *args: str, cwd: Path
) -> subprocess.CompletedProcess[str]:
    return run_pinset("install", "--python", str(venv), "-i", index.simple_url, *args, cwd=cwd)


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_pinset(*args, cwd=cwd)


def python(venv: Path, code: str) -> str:
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def direct_url(venv: Path, name: str) -> dict[str, object]:
    found: dict[str, object] = json.loads(
        (dist_info(site_packages(venv), name) / "direct_url.json").read_text()
    )
    return found


@pytest.mark.parametrize("version", TARGETS)
def test_a_setuptools_project_is_installed_editable_and_follows_its_tree(
    index: IndexServer, tmp_path: Path, version: str
) -> None:
    tree = setuptools_pyproject(tmp_path / "proj")
    venv = new_venv(tmp_path / "venv", version)
    done = pinset(index, venv, "-e", "./proj", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "+ st-proj==3.0" in done.stderr
    assert installed(site_packages(venv)) == {"st-proj": "3.0", "attrs": "23.1.0"}
    assert direct_url(venv, "st_proj") == {
        "url": tree.resolve().as_uri(),
        "dir_info": {"editable": True},
    }
    assert (dist_info(site_packages(venv), "st_proj") / "INSTALLER").read_text() == "pinset\n"
    assert not (site_packages(venv) / "st_proj.py").exists()  # the tree's module is imported
    (tree / "st_proj.py").write_text('GREETING = "edited in place"\n')
    assert python(venv, "import st_proj; print(st_proj.GREETING)") == "edited in place"
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("make", [hatchling_project, flit_project], ids=["hatchling", "flit"])
def test_hatchling_and_flit_projects_install_editable(
    index: IndexServer, tmp_path: Path, make: object
) -> None:
    assert callable(make)
    tree: Path = make(tmp_path / "proj")
    name = tree.joinpath("pyproject.toml").read_text().split('name = "')[1].split('"')[0]
    venv = new_venv(tmp_path / "venv", NEWEST)
    done = pinset(index, venv, "-e", "./proj", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert installed(site_packages(venv))[name.replace("_", "-")] == "3.0"
    assert direct_url(venv, name)["dir_info"] == {"editable": True}
    (tree / f"{name}.py").write_text('GREETING = "edited"\n')
    assert python(venv, f"import {name}; print({name}.GREETING)") == "edited"


def test_a_rerun_is_a_no_op_until_the_metadata_inputs_change(
    index: IndexServer, tmp_path: Path
) -> None:
    tree = setuptools_pyproject(tmp_path / "proj")
    (tmp_path / "requirements.txt").write_text("-e ./proj\n")
    venv = new_venv(tmp_path / "venv", NEWEST)
    assert pinset(index, venv, "-r", "requirements.txt", cwd=tmp_path).returncode == 0
    (tree / "st_proj.py").write_text('GREETING = "a module edit needs no reinstall"\n')
    index.clear_requests()
    again = pinset(index, venv, "-r", "requirements.txt", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "Already satisfied" in again.stderr
    assert index.paths_requested() == []
    pyproject = tree / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('["attrs>=20"]', '["attrs>=20", "six"]'))
    rebuilt = pinset(index, venv, "-r", "requirements.txt", cwd=tmp_path)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "+ six==1.16.0" in rebuilt.stderr
    assert "+ st-proj==3.0" in rebuilt.stderr
    assert "Already satisfied" in pinset(index, venv, "-r", "requirements.txt", cwd=tmp_path).stderr
    for flag in ("-U", "--force-reinstall"):
        forced = pinset(index, venv, flag, "-r", "requirements.txt", cwd=tmp_path)
        assert forced.returncode == 0, forced.stderr
        assert "- st-proj==3.0" in forced.stderr
        assert "+ st-proj==3.0" in forced.stderr


def test_extras_report_uninstall_freeze_and_list(index: IndexServer, tmp_path: Path) -> None:
    tree = setuptools_pyproject(tmp_path / "proj")
    pyproject = tree / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text() + '\n[project.optional-dependencies]\nfast = ["extra-dep"]\n'
    )
    venv = new_venv(tmp_path / "venv", NEWEST)
    report = tmp_path / "report.json"
    done = pinset(index, venv, "--report", str(report), "-e", "./proj[fast]", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert installed(site_packages(venv)) == {
        "st-proj": "3.0",
        "attrs": "23.1.0",
        "extra-dep": "1.0",
    }
    item = next(
        i for i in json.loads(report.read_text())["install"] if i["metadata"]["name"] == "st_proj"
    )
    assert item["download_info"] == {"url": tree.resolve().as_uri(), "dir_info": {"editable": True}}
    assert item["is_direct"] is True
    assert item["requested_extras"] == ["fast"]

    freeze = cli("freeze", "--python", str(venv), cwd=tmp_path)
    assert f"-e {tree.resolve()}\n" in freeze.stdout
    listed = cli("list", "--python", str(venv), "-e", "--format", "json", cwd=tmp_path)
    assert json.loads(listed.stdout) == [
        {
            "name": "st_proj",
            "version": "3.0",
            "editable_project_location": str(tree.resolve()),
        }
    ]
    others = cli("list", "--python", str(venv), "--exclude-editable", cwd=tmp_path)
    assert "st_proj" not in others.stdout
    assert "attrs" in others.stdout

    gone = cli("uninstall", "--python", str(venv), "-y", "st-proj", cwd=tmp_path)
    assert gone.returncode == 0, gone.stderr
    site = site_packages(venv)
    assert installed(site) == {"attrs": "23.1.0", "extra-dep": "1.0"}
    assert [p.name for p in site.iterdir() if "st_proj" in p.name.lower()] == []


def test_the_seeds_setup_py_app_with_dash_e_dot(index: IndexServer, tmp_path: Path) -> None:
    app = tmp_path / "app"
    (app / "webapp").mkdir(parents=True)
    (app / "setup.py").write_text(
        textwrap.dedent(
            """
            from setuptools import setup
            setup(name="webapp", version="0.3", packages=["webapp"], install_requires=["six"],
                  entry_points={"console_scripts": ["webapp-serve=webapp:serve"]})
            """
        )
    )
    (app / "webapp" / "__init__.py").write_text("def serve():\n    print('serving')\n")
    (app / "requirements.txt").write_text("-e .\n")
    venv = new_venv(tmp_path / "venv", NEWEST)
    done = pinset(index, venv, "-r", "requirements.txt", cwd=app)
    assert done.returncode == 0, done.stderr
    assert installed(site_packages(venv)) == {"webapp": "0.3", "six": "1.16.0"}
    (app / "webapp" / "__init__.py").write_text("def serve():\n    print('edited')\n")
    served = subprocess.run(
        [str(venv / "bin" / "webapp-serve")], capture_output=True, text=True, check=False
    )
    assert served.stdout == "edited\n"
    assert "Already satisfied" in pinset(index, venv, "-r", "requirements.txt", cwd=app).stderr


def test_a_failing_editable_build_names_the_line(index: IndexServer, tmp_path: Path) -> None:
    tree = tmp_path / "broken"
    tree.mkdir()
    (tree / "setup.py").write_text("raise SystemExit('this setup.py is broken')\n")
    (tmp_path / "requirements.txt").write_text("six\n-e ./broken\n")
    venv = new_venv(tmp_path / "venv", NEWEST)
    done = pinset(index, venv, "-r", "requirements.txt", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith("requirements.txt:2:4: error: building ")
    assert "this setup.py is broken" in done.stderr
    assert "Traceback (most recent call last)" not in done.stderr.split("\n")[0]
    assert installed(site_packages(venv)) == {}


def _setuptools_56() -> Path | None:
    bundled = (
        Path.home()
        .joinpath(".pyenv", "versions")
        .glob("3.8*/lib/python3.8/ensurepip/_bundled/setuptools-56*.whl")
    )
    return next(iter(sorted(bundled)), None)


SETUPTOOLS_56 = _setuptools_56()


@pytest.mark.skipif(SETUPTOOLS_56 is None or "3.8" not in VERSIONS, reason="needs pyenv 3.8")
def test_without_build_editable_the_tree_goes_on_the_path_in_develop_mode(
    index: IndexServer, tmp_path: Path
) -> None:
    assert SETUPTOOLS_56 is not None
    app = tmp_path / "legacy"
    (app / "src" / "legacy_app").mkdir(parents=True)
    (app / "setup.py").write_text(
        'from setuptools import setup\nsetup(name="legacy-app", version="1.0", '
        'packages=["legacy_app"], package_dir={"": "src"}, install_requires=["six"], '
        'entry_points={"console_scripts": ["lapp=legacy_app:main"]})\n'
    )
    (app / "src" / "legacy_app" / "__init__.py").write_text("def main():\n    print('v1')\n")
    venv = new_venv(tmp_path / "venv", "3.8")
    wheel = next(WHEELHOUSE.glob("wheel-*.whl"))
    seeded = pinset(index, venv, str(SETUPTOOLS_56), str(wheel), cwd=tmp_path)
    assert seeded.returncode == 0, seeded.stderr
    done = pinset(index, venv, "--no-build-isolation", "-e", "./legacy", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "legacy-app was installed in develop mode" in done.stderr
    site = site_packages(venv)
    pth = site / "__editable__.legacy_app-1.0.pth"
    assert pth.read_text() == f"{(app / 'src').resolve()}\n"
    assert direct_url(venv, "legacy_app") == {
        "url": app.resolve().as_uri(),
        "dir_info": {"editable": True},
    }
    (app / "src" / "legacy_app" / "__init__.py").write_text("def main():\n    print('v2')\n")
    ran = subprocess.run([str(venv / "bin" / "lapp")], capture_output=True, text=True, check=False)
    assert ran.stdout == "v2\n"
    assert installed(site)["six"] == "1.16.0"
    gone = cli("uninstall", "--python", str(venv), "-y", "legacy-app", cwd=tmp_path)
    assert gone.returncode == 0, gone.stderr
    assert not pth.exists()
    assert not (venv / "bin" / "lapp").exists()
    assert "legacy-app" not in installed(site)


def test_a_legacy_egg_link_editable_is_listed_frozen_and_uninstalled(tmp_path: Path) -> None:
    project = tmp_path / "old" / "src"
    (project / "old_thing.egg-info").mkdir(parents=True)
    (project / "old_thing.egg-info" / "PKG-INFO").write_text(
        "Metadata-Version: 1.1\nName: old-thing\nVersion: 0.9\n"
    )
    (project / "old_thing").mkdir()
    (project / "old_thing" / "__init__.py").write_text("X = 1\n")
    venv = new_venv(tmp_path / "venv", NEWEST)
    site = site_packages(venv)
    (site / "old-thing.egg-link").write_text(f"{project}\n../\n")
    (site / "easy-install.pth").write_text(f"/elsewhere/other\n{project}\n")
    assert python(venv, "import old_thing; print(old_thing.X)") == "1"
    listed = cli("list", "--python", str(venv), "-e", "--format", "json", cwd=tmp_path)
    assert json.loads(listed.stdout) == [
        {"name": "old-thing", "version": "0.9", "editable_project_location": str(project)}
    ]
    frozen = cli("freeze", "--python", str(venv), cwd=tmp_path).stdout
    assert f"-e {project}\n" in frozen
    gone = cli("uninstall", "--python", str(venv), "-y", "old-thing", cwd=tmp_path)
    assert gone.returncode == 0, gone.stderr
    assert "- old-thing==0.9" in gone.stderr
    assert not (site / "old-thing.egg-link").exists()
    assert (site / "easy-install.pth").read_text() == "/elsewhere/other\n"
    assert (project / "old_thing" / "__init__.py").exists()  # the tree stays
    assert "old-thing" not in installed(site)


def test_a_relocatable_environment_moves_with_the_editable_trees_beside_it(
    index: IndexServer, tmp_path: Path
) -> None:
    """In a relocatable environment, a tree inside the directory holding it is installed with
    a ``.pth`` relative to site-packages (whatever hooks its backend has), so moving the pair
    keeps it importable; a tree elsewhere keeps its absolute path (PEP 660), so it is still
    found after the move."""
    work = tmp_path / "work"
    beside = hatchling_project(work / "proj")
    apart = setuptools_pyproject(tmp_path / "apart")
    made = cli("venv", str(work / ".venv"), "--python", NEWEST, "--relocatable", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    done = pinset(index, work / ".venv", "-e", str(beside), "-e", str(apart), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "develop mode" not in done.stderr  # pinset's choice, not a backend's lack
    site = site_packages(work / ".venv")
    assert (site / "__editable__.hatch_proj-3.0.pth").read_text() == "../../../../proj\n"
    apart_files = [p for p in site.iterdir() if "st_proj" in p.name and p.is_file()]
    assert any(str(apart.resolve()) in p.read_text() for p in apart_files), apart_files

    moved = tmp_path / "moved"
    work.rename(moved)
    code = "import hatch_proj, st_proj; print(hatch_proj.__file__); print(st_proj.__file__)"
    found = python(moved / ".venv", code).splitlines()
    assert found == [str(moved / "proj" / "hatch_proj.py"), str(apart / "st_proj.py")]
