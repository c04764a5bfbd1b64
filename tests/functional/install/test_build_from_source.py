"""``pinset install`` builds from source: registry sdists, direct archives, local directories.

A local index serves the generated sdists and wheels plus the build backends of the
wheelhouse (setuptools, wheel, hatchling and its dependencies, flit_core), so builds run
offline with build isolation, their requirements installed by pinset's own nested install.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.helpers.dists import make_sdist, make_wheel
from tests.helpers.envs import available_versions
from tests.helpers.fixtures_index import IndexServerFactory
from tests.helpers.http_server import HttpServer, Reply
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import dist_info, installed, new_venv, run_pinset, site_packages
from tests.helpers.source_trees import (
    IN_TREE_BACKEND,
    flit_project,
    hatchling_project,
    in_tree,
    setuptools_pyproject,
    setuptools_setup_cfg,
    setuptools_setup_py,
)
from tests.helpers.wheelhouse import WHEELHOUSE

VERSIONS = available_versions()
NEWEST = VERSIONS[-1] if VERSIONS else "3"
TARGETS = [v for v in ("3.8", "3.12") if v in VERSIONS] or VERSIONS[-1:]


@pytest.fixture
def build_index(index_server_factory: IndexServerFactory, tmp_path: Path) -> IndexServer:
    server = index_server_factory()
    for backend in sorted(WHEELHOUSE.glob("*.whl")):
        server.add(backend)
    files = tmp_path / "served"
    server.add(make_wheel(files, "attrs", "23.1.0"))
    server.add(make_sdist(files, "srconly", "1.0", requires=["attrs>=20"]))
    server.add(make_sdist(files, "both", "2.0"))
    server.add(make_wheel(files, "both", "2.0", files={"both/__init__.py": "FROM = 'wheel'\n"}))
    return server


def pinset(
    index: IndexServer, venv: Path, *args: str, cwd: Path
) -> subprocess.CompletedProcess[str]:
    return run_pinset("install", "--python", str(venv), "-i", index.simple_url, *args, cwd=cwd)


def python(venv: Path, code: str) -> str:
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def generator(venv: Path, name: str) -> str:
    wheel = (dist_info(site_packages(venv), name) / "WHEEL").read_text()
    return next(line for line in wheel.splitlines() if line.startswith("Generator:"))


@pytest.mark.parametrize("version", TARGETS)
def test_an_sdist_only_project_from_the_index_is_built(
    build_index: IndexServer, tmp_path: Path, version: str
) -> None:
    venv = new_venv(tmp_path / "venv", version)
    done = pinset(build_index, venv, "srconly==1.0", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert installed(site_packages(venv)) == {"srconly": "1.0", "attrs": "23.1.0"}
    assert python(venv, "import srconly; print(srconly.__version__)") == "1.0"
    assert not (dist_info(site_packages(venv), "srconly") / "direct_url.json").exists()
    assert "Traceback" not in done.stderr


def test_a_wheel_is_preferred_to_the_sdist_of_the_same_version_unless_no_binary(
    build_index: IndexServer, tmp_path: Path
) -> None:
    venv = new_venv(tmp_path / "venv", NEWEST)
    assert pinset(build_index, venv, "both", cwd=tmp_path).returncode == 0
    assert python(venv, "import both; print(both.FROM)") == "wheel"
    other = new_venv(tmp_path / "other", NEWEST)
    done = pinset(build_index, other, "--no-binary", "both", "both", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert python(other, "import both; print(both.__version__)") == "2.0"
    assert "setuptools" in generator(other, "both")


def test_the_built_wheel_cache_is_reused_by_a_second_install(
    build_index: IndexServer, tmp_path: Path
) -> None:
    first = new_venv(tmp_path / "first", NEWEST)
    assert pinset(build_index, first, "srconly", cwd=tmp_path).returncode == 0
    build_index.clear_requests()
    second = new_venv(tmp_path / "second", NEWEST)
    done = pinset(build_index, second, "srconly", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert installed(site_packages(second)) == {"srconly": "1.0", "attrs": "23.1.0"}
    asked = build_index.paths_requested()
    assert not any("setuptools" in path for path in asked), asked  # no build, no backend


def test_a_dry_run_report_describes_sdists_like_pip(
    build_index: IndexServer, tmp_path: Path
) -> None:
    venv = new_venv(tmp_path / "venv", NEWEST)
    archive = make_sdist(tmp_path / "files", "direct-one", "0.5")
    done = pinset(
        build_index,
        venv,
        "--dry-run",
        "--report",
        "-",
        "srconly",
        f"{archive.as_uri()}#egg=direct-one",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    report = {i["metadata"]["name"]: i for i in json.loads(done.stdout)["install"]}
    sdist = report["srconly"]
    assert sdist["is_direct"] is False
    assert sdist["download_info"]["url"].endswith("/srconly-1.0.tar.gz")
    assert len(sdist["download_info"]["archive_info"]["hashes"]["sha256"]) == 64
    assert [r.replace(" ", "") for r in sdist["metadata"]["requires_dist"]] == ["attrs>=20"]
    direct = report["direct-one"]
    assert direct["is_direct"] is True
    assert direct["download_info"]["url"] == archive.as_uri()
    assert direct["download_info"]["archive_info"]["hash"].startswith("sha256=")
    assert installed(site_packages(venv)) == {}


def test_an_archive_url_with_sha256_and_egg(build_index: IndexServer, tmp_path: Path) -> None:
    archive = make_sdist(tmp_path / "files", "fromurl", "3.1")
    url = build_index.add(archive)
    import hashlib

    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    venv = new_venv(tmp_path / "venv", NEWEST)
    done = pinset(build_index, venv, f"{url}#egg=fromurl&sha256={digest}", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    recorded = json.loads(
        (dist_info(site_packages(venv), "fromurl") / "direct_url.json").read_text()
    )
    assert recorded == {
        "url": url,
        "archive_info": {"hash": f"sha256={digest}", "hashes": {"sha256": digest}},
    }
    bad = new_venv(tmp_path / "bad", NEWEST)
    wrong = pinset(build_index, bad, f"fromurl @ {url}#sha256={'0' * 64}", cwd=tmp_path)
    assert wrong.returncode == 1
    assert "hash" in wrong.stderr
    assert "Traceback" not in wrong.stderr
    assert installed(site_packages(bad)) == {}


def test_a_nameless_archive_url_gets_its_name_from_the_metadata(
    build_index: IndexServer, tmp_path: Path
) -> None:
    archive = make_sdist(tmp_path / "files", "tarballed", "0.9")
    with HttpServer() as server:
        server.route("/repo/tarball/master", Reply(200, archive.read_bytes()))
        venv = new_venv(tmp_path / "venv", NEWEST)
        done = pinset(build_index, venv, f"{server.url}/repo/tarball/master", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert installed(site_packages(venv)) == {"tarballed": "0.9"}


@pytest.mark.parametrize(
    "make",
    [
        setuptools_setup_py,
        setuptools_setup_cfg,
        setuptools_pyproject,
        hatchling_project,
        flit_project,
    ],
)
def test_local_directories_of_every_backend(
    build_index: IndexServer, tmp_path: Path, make: object
) -> None:
    tree = make(tmp_path / "proj")  # type: ignore[operator]
    venv = new_venv(tmp_path / "venv", NEWEST)
    done = pinset(build_index, venv, "./proj", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    names = set(installed(site_packages(venv))) - {"attrs"}
    assert len(names) == 1
    name = names.pop().replace("-", "_")
    recorded = json.loads((dist_info(site_packages(venv), name) / "direct_url.json").read_text())
    assert recorded == {"url": tree.resolve().as_uri(), "dir_info": {}}


def test_a_directory_with_an_extra_and_a_subdirectory(
    build_index: IndexServer, tmp_path: Path
) -> None:
    sdist = make_sdist(tmp_path / "files", "withextra", "1.0", extras={"fast": ["attrs"]})
    with tarfile.open(sdist) as tar:
        tar.extractall(tmp_path / "repo")
    shutil.move(str(tmp_path / "repo" / "withextra-1.0"), tmp_path / "repo" / "python")
    venv = new_venv(tmp_path / "venv", NEWEST)
    done = pinset(build_index, venv, "./repo/python[fast]", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert installed(site_packages(venv)) == {"withextra": "1.0", "attrs": "23.1.0"}
    other = new_venv(tmp_path / "other", NEWEST)
    url = (tmp_path / "repo").as_uri()
    done = pinset(build_index, other, f"withextra @ {url}#subdirectory=python", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    recorded = json.loads(
        (dist_info(site_packages(other), "withextra") / "direct_url.json").read_text()
    )
    assert recorded == {"url": url, "dir_info": {}, "subdirectory": "python"}


def test_a_local_tree_rerun_is_a_no_op_until_a_file_changes(
    build_index: IndexServer, tmp_path: Path
) -> None:
    tree = setuptools_setup_py(tmp_path / "proj")
    (tmp_path / "requirements.txt").write_text("./proj\n")
    venv = new_venv(tmp_path / "venv", NEWEST)
    assert pinset(build_index, venv, "-r", "requirements.txt", cwd=tmp_path).returncode == 0
    again = pinset(build_index, venv, "-r", "requirements.txt", cwd=tmp_path)
    assert again.returncode == 0
    assert "Already satisfied" in again.stderr
    (tree / "legacy_proj.py").write_text('GREETING = "edited"\n')
    edited = pinset(build_index, venv, "-r", "requirements.txt", cwd=tmp_path)
    assert edited.returncode == 0, edited.stderr
    assert "+ legacy-proj==1.0" in edited.stderr
    assert python(venv, "import legacy_proj; print(legacy_proj.GREETING)") == "edited"
    assert (
        "Already satisfied"
        in pinset(build_index, venv, "-r", "requirements.txt", cwd=tmp_path).stderr
    )


def _seen(venv: Path) -> dict[str, object]:
    seen: dict[str, object] = json.loads((site_packages(venv) / "intree_seen.json").read_text())
    return seen


def test_config_settings_reach_the_backend_and_isolation_can_be_off(
    build_index: IndexServer, tmp_path: Path
) -> None:
    in_tree(tmp_path / "proj")
    venv = new_venv(tmp_path / "venv", NEWEST)
    done = pinset(
        build_index, venv, "-C", "mode=fast", "-C", "tag=a", "-C", "tag=b", "./proj", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    seen = _seen(venv)
    assert seen["config_settings"] == {"mode": "fast", "tag": ["a", "b"]}
    assert Path(str(seen["prefix"])).resolve() != venv.resolve()  # a build environment
    plain = new_venv(tmp_path / "plain", NEWEST)
    done = pinset(build_index, plain, "--no-build-isolation", "./proj", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert Path(str(_seen(plain)["prefix"])).resolve() == plain.resolve()


def test_a_failing_build_names_the_line_the_output_and_the_log(
    build_index: IndexServer, tmp_path: Path
) -> None:
    in_tree(tmp_path / "proj")
    (tmp_path / "requirements.txt").write_text("# app\n./proj --config-settings fail=1\n")
    venv = new_venv(tmp_path / "venv", NEWEST)
    done = pinset(build_index, venv, "-r", "requirements.txt", cwd=tmp_path)
    assert done.returncode == 1
    first = done.stderr.splitlines()[0]
    assert first.startswith("requirements.txt:2:1: error: building ")
    assert "failed: the backend's build_wheel exited with code 3" in first
    assert "error: the in-tree backend was told to fail" in done.stderr
    log = done.stderr.split("the backend's whole output is in ")[1].split()[0]
    assert "compiling step 0" in Path(log).read_text()
    assert "Traceback" not in done.stderr
    assert installed(site_packages(venv)) == {}


def test_what_was_built_uninstalls(build_index: IndexServer, tmp_path: Path) -> None:
    setuptools_setup_cfg(tmp_path / "proj")
    venv = new_venv(tmp_path / "venv", NEWEST)
    assert pinset(build_index, venv, "./proj", cwd=tmp_path).returncode == 0
    site = site_packages(venv)
    assert (site / "cfg_proj.py").exists()
    done = run_pinset("uninstall", "--python", str(venv), "-y", "cfg-proj", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert installed(site) == {}
    assert not (site / "cfg_proj.py").exists()


def test_pinset_wheel_builds_sdists(build_index: IndexServer, tmp_path: Path) -> None:
    venv = new_venv(tmp_path / "venv", NEWEST)
    done = run_pinset(
        "wheel",
        "--python",
        str(venv),
        "-i",
        build_index.simple_url,
        "-w",
        "out",
        "srconly",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["attrs-23.1.0-py3-none-any.whl", "srconly-1.0-py3-none-any.whl"]
    with zipfile.ZipFile(tmp_path / "out" / names[1]) as zf:
        assert "srconly/__init__.py" in zf.namelist()


def test_pinset_download_resolves_the_dependencies_of_sdists(
    build_index: IndexServer, tmp_path: Path
) -> None:
    venv = new_venv(tmp_path / "venv", NEWEST)
    done = run_pinset(
        "download",
        "--python",
        str(venv),
        "-i",
        build_index.simple_url,
        "-d",
        "out",
        "srconly",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["attrs-23.1.0-py3-none-any.whl", "srconly-1.0.tar.gz"]


def test_a_cycle_in_build_requirements_is_named(build_index: IndexServer, tmp_path: Path) -> None:
    files = tmp_path / "cycle"
    build_index.add(make_sdist(files, "cyca", "1.0", build_requires=["setuptools>=61", "cycb"]))
    build_index.add(make_sdist(files, "cycb", "1.0", build_requires=["setuptools>=61", "cyca"]))
    venv = new_venv(tmp_path / "venv", NEWEST)
    done = pinset(build_index, venv, "cyca", cwd=tmp_path)
    assert done.returncode == 1
    assert "cyclic build requirements: cyca -> cycb -> cyca" in done.stderr
    assert done.stderr.startswith("<command line>:1:1: error: ")
    assert "Traceback" not in done.stderr


def test_build_constraints_bound_the_build_requirements(
    build_index: IndexServer, tmp_path: Path
) -> None:
    (tmp_path / "build-constraints.txt").write_text("setuptools<60\n")
    venv = new_venv(tmp_path / "venv", NEWEST)
    done = pinset(
        build_index, venv, "--build-constraint", "build-constraints.txt", "srconly", cwd=tmp_path
    )
    assert done.returncode == 1
    assert "setuptools" in done.stderr
    assert "build-constraints.txt:1" in done.stderr
    assert installed(site_packages(venv)) == {}


def test_config_settings_on_a_line_reach_the_build_of_an_index_sdist(
    build_index: IndexServer, tmp_path: Path
) -> None:
    """``foo -C k=v`` (pip 23.1+) for an sdist chosen from an index: the settings reach its
    backend and are part of the built-wheel cache key."""
    build_index.add(
        make_sdist(
            tmp_path / "sdists",
            "intree",
            "0.1",
            pyproject=(in_tree(tmp_path / "tree") / "pyproject.toml").read_text(),
            files={"_backend/intree_backend.py": IN_TREE_BACKEND},
        )
    )
    seen = {}
    for venv_name, line in (
        ("fast", "intree==0.1 -C mode=fast --config-settings=tag=a --config-settings tag=b"),
        ("slow", "intree==0.1 --config-settings=mode=slow"),
        ("again", "intree==0.1 -C mode=fast --config-settings=tag=a --config-settings tag=b"),
    ):
        (tmp_path / f"{venv_name}.txt").write_text(line + "\n")
        venv = new_venv(tmp_path / venv_name, NEWEST)
        done = pinset(build_index, venv, "-r", f"{venv_name}.txt", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        seen[venv_name] = _seen(venv)
    assert seen["fast"]["config_settings"] == {"mode": "fast", "tag": ["a", "b"]}
    assert seen["slow"]["config_settings"] == {"mode": "slow"}
    # the same settings again: the wheel built for "fast" (its build environment recorded)
    assert seen["again"] == seen["fast"]
    assert seen["slow"]["prefix"] != seen["fast"]["prefix"]
