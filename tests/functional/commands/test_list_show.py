"""``pinset list`` and ``pinset show`` print what ``pip list``/``pip show`` print for the same
real environment: the output of pip 26.3 (``pip --python VENV``) is the oracle."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.dists import metadata_text
from tests.helpers.fixtures_install import Run, catalog, index, pinset, venv  # noqa: F401
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import site_packages


def pip(venv: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1", NO_COLOR="1")
    return subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=180,
    )


def add_editable(venv: Path, project: Path) -> None:
    """An editable install as a PEP 660 backend leaves it: a .dist-info whose direct_url.json
    says ``dir_info.editable``."""
    info = site_packages(venv) / "Proj_Edit-0.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(metadata_text("Proj_Edit", "0.3", requires=["lib"]))
    (info / "INSTALLER").write_text("pip\n")
    (info / "direct_url.json").write_text(
        json.dumps({"url": project.as_uri(), "dir_info": {"editable": True}})
    )
    (info / "RECORD").write_text(
        "Proj_Edit-0.3.dist-info/METADATA,,\nProj_Edit-0.3.dist-info/RECORD,,\n"
    )


@pytest.fixture
def world(pinset: Run, venv: Path, tmp_path: Path) -> Path:
    result = pinset("install", "app[fast]", "old")
    assert result.returncode == 0, result.stderr
    project = tmp_path / "my project"
    project.mkdir()
    add_editable(venv, project)
    return venv


LISTS = [
    (),
    ("-v",),
    ("--format", "freeze"),
    ("--format", "freeze", "-v"),
    ("--format", "json"),
    ("--format", "json", "-v"),
    ("--not-required",),
    ("-e",),
    ("--editable", "--format", "json"),
    ("--exclude-editable",),
    ("--exclude", "LIB", "--exclude", "speedy", "--format", "freeze"),
]


@pytest.mark.parametrize("args", LISTS, ids=" ".join)
def test_list_prints_what_pip_list_prints(world: Path, pinset: Run, args: tuple[str, ...]) -> None:
    expected = pip(world, "list", *args)
    assert expected.returncode == 0, expected.stderr
    result = pinset("list", *args)
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected.stdout
    assert result.stderr == ""


def test_list_columns_show_the_editable_location(world: Path, pinset: Run, tmp_path: Path) -> None:
    lines = pinset("list").stdout.splitlines()
    assert lines[0].split() == ["Package", "Version", "Editable", "project", "location"]
    assert set(lines[1]) == {"-", " "}
    assert [line.split()[0] for line in lines[2:]] == ["app", "lib", "old", "Proj_Edit", "speedy"]
    assert lines[5].endswith(str(tmp_path / "my project"))


@pytest.mark.parametrize("flag", ["--outdated", "--uptodate"])
@pytest.mark.parametrize("form", ["columns", "json"])
def test_outdated_and_uptodate_ask_the_index_as_pip_does(
    pinset: Run, venv: Path, index: IndexServer, flag: str, form: str
) -> None:
    # lib 3.0 is yanked and 4.0b1 a pre-release: the latest lib is 2.0
    assert pinset("install", "lib==1.0", "speedy").returncode == 0
    expected = pip(venv, "list", flag, "--format", form, "-i", index.simple_url)
    assert expected.returncode == 0, expected.stderr
    result = pinset("list", flag, "--format", form, "-i", index.simple_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected.stdout
    assert ("lib" in result.stdout) is (flag == "--outdated")


def test_outdated_cannot_be_shown_as_freeze(pinset: Run) -> None:
    result = pinset("list", "--outdated", "--format", "freeze")
    assert result.returncode == 2
    assert "--format freeze cannot be used with --outdated" in result.stderr
    assert "Traceback" not in result.stderr


def test_show_prints_what_pip_show_prints(world: Path, pinset: Run) -> None:
    names = ("app", "LIB", "speedy", "proj-edit")
    for args in ((), ("-v",), ("-f",), ("-v", "--files")):
        expected = pip(world, "show", *args, *names)
        assert expected.returncode == 0, expected.stderr
        result = pinset("show", *args, *names)
        assert result.returncode == 0, result.stderr
        assert result.stdout == expected.stdout, args


def test_show_tells_which_names_are_not_installed(world: Path, pinset: Run) -> None:
    some = pinset("show", "nope", "lib", "absent")
    assert some.returncode == 0
    assert some.stdout.startswith("Name: lib\n")
    assert "package(s) not found in" in some.stderr
    assert some.stderr.rstrip().endswith(": absent, nope")
    none = pinset("show", "nope")
    assert none.returncode == 1
    assert none.stdout == ""
    assert pip(world, "show", "nope").returncode == 1


def test_list_and_show_read_a_target_directory(pinset: Run, tmp_path: Path) -> None:
    target = tmp_path / "target"
    assert pinset("install", "--target", str(target), "lib==1.0").returncode == 0
    listed = pinset("list", "--path", str(target), "--format", "freeze")
    assert listed.stdout == "lib==1.0\n"
    shown = pinset("show", "--target", str(target), "lib")
    assert f"Location: {target}\n" in shown.stdout
