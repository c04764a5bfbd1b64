"""A wheel that overwrites another distribution's files is installed with a warning that names
both and the files; uninstalling it afterwards leaves those files to the other, which keeps
working; uninstalling the last of the two removes them."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.helpers.dists import make_wheel
from tests.helpers.envs import available_versions, snapshot
from tests.helpers.fixtures_index import IndexServerFactory
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import install_into, new_venv, run_pinset, site_packages

VERSIONS = available_versions()
pytestmark = pytest.mark.skipif(not VERSIONS, reason="no pyenv interpreters")


def _uninstall(venv: Path, name: str) -> None:
    result = run_pinset("uninstall", "-y", "--python", str(venv), name)
    assert result.returncode == 0, result.stderr


def _wheels(index: IndexServer, wheels: Path) -> None:
    index.add(
        make_wheel(
            wheels,
            "victim",
            "1.0",
            files={"shared/__init__.py": "WHO = 'victim'\n", "shared/core.py": "X = 1\n"},
        )
    )
    index.add(
        make_wheel(
            wheels,
            "intruder",
            "2.0",
            files={
                "shared/__init__.py": "WHO = 'intruder'\n",
                "shared/core.py": "X = 2\n",
                "intruder_only.py": "",
            },
        )
    )


def _imports(venv: Path) -> list[str]:
    check = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import shared.core as c, shared as s; print(s.WHO)"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stderr
    return check.stdout.split()


def test_overwriting_warns_and_uninstalling_the_intruder_keeps_the_victim_working(
    index_server_factory: IndexServerFactory, tmp_path: Path
) -> None:
    index = index_server_factory()
    _wheels(index, tmp_path / "wheels")
    venv = new_venv(tmp_path / "env", VERSIONS[-1])
    empty = snapshot(venv)
    first = install_into(index, venv, tmp_path / "cache", "victim")
    assert first.returncode == 0, first.stderr
    assert "overwrote" not in first.stderr

    second = install_into(index, venv, tmp_path / "cache", "intruder")
    assert second.returncode == 0, second.stderr
    assert (
        "intruder 2.0 overwrote 2 files of victim 1.0: shared/__init__.py, shared/core.py"
        in " ".join(second.stderr.split())
    ), second.stderr

    _uninstall(venv, "intruder")
    assert not (site_packages(venv) / "intruder_only.py").exists()
    assert _imports(venv) == ["intruder"]  # the files as the intruder left them

    _uninstall(venv, "victim")
    assert snapshot(venv) == empty


def test_two_wheels_of_one_run_sharing_files_warn_and_uninstall_apart(
    index_server_factory: IndexServerFactory, tmp_path: Path
) -> None:
    index = index_server_factory()
    _wheels(index, tmp_path / "wheels")
    venv = new_venv(tmp_path / "env", VERSIONS[-1])
    empty = snapshot(venv)
    result = install_into(index, venv, tmp_path / "cache", "victim", "intruder")
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stderr.split())
    assert re.search(
        r"(intruder 2\.0|victim 1\.0) overwrote 2 files of (victim 1\.0|intruder 2\.0): "
        r"shared/__init__\.py, shared/core\.py",
        text,
    ), text

    _uninstall(venv, "intruder")
    assert len(_imports(venv)) == 1
    _uninstall(venv, "victim")
    assert snapshot(venv) == empty
