"""No code of an installed wheel runs before the user imports it: not its ``.pth`` files, not a
``sitecustomize``/``usercustomize`` it ships, in any process pinset starts on the target
(byte-compiling, probing the interpreter) while installing, upgrading or uninstalling."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.helpers.dists import make_wheel
from tests.helpers.envs import available_versions
from tests.helpers.fixtures_index import IndexServerFactory
from tests.helpers.install_world import install_into, new_venv, run_pinset

VERSIONS = available_versions()


def _hook(marks: Path, kind: str) -> str:
    """One line of Python that leaves a file in ``marks`` saying that ``kind`` ran."""
    return f"import os; open(os.path.join({str(marks)!r}, {kind!r} + str(os.getpid())), 'w')"


def _hooked_wheel(dest: Path, marks: Path, version: str) -> Path:
    return make_wheel(
        dest,
        "hooked",
        version,
        files={
            "hooked.pth": _hook(marks, "pth-") + "\n",
            "sitecustomize.py": _hook(marks, "sitecustomize-") + "\n",
            "usercustomize.py": _hook(marks, "usercustomize-") + "\n",
            "hooked/__init__.py": _hook(marks, "import-") + "\n",
        },
    )


@pytest.mark.parametrize("version", [VERSIONS[0], VERSIONS[-1]] if VERSIONS else [])
def test_installing_upgrading_and_uninstalling_run_no_code_of_the_wheels(
    index_server_factory: IndexServerFactory, tmp_path: Path, version: str
) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()
    index = index_server_factory()
    for wheel_version in ("1.0", "2.0"):
        index.add(_hooked_wheel(tmp_path / "wheels", marks, wheel_version))
    index.add(make_wheel(tmp_path / "wheels", "plain", "1.0"))
    venv = new_venv(tmp_path / "env", version)

    steps = [
        ("hooked==1.0",),  # the .pth lands, then the target compiles
        ("plain",),  # a new cache: the target is probed with the .pth in place
        ("hooked==2.0",),  # an upgrade over it
    ]
    for number, args in enumerate(steps):
        result = install_into(index, venv, tmp_path / f"cache{number}", *args)
        assert result.returncode == 0, result.stderr
        assert sorted(p.name for p in marks.iterdir()) == [], args
    result = run_pinset("uninstall", "-y", "--python", str(venv), "hooked")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in marks.iterdir()) == []

    # the hooks are real: the environment's Python runs them as soon as it starts
    run_pinset("install", "--python", str(venv), "-i", index.simple_url, "hooked==2.0")
    subprocess.run([str(venv / "bin" / "python"), "-c", "pass"], check=True)
    assert any(p.name.startswith("pth-") for p in marks.iterdir())


@pytest.mark.skipif(not VERSIONS, reason="no pyenv interpreters")
def test_a_venv_made_from_an_environment_runs_none_of_its_code(
    index_server_factory: IndexServerFactory, tmp_path: Path
) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()
    index = index_server_factory()
    index.add(_hooked_wheel(tmp_path / "wheels", marks, "1.0"))
    venv = new_venv(tmp_path / "env", VERSIONS[-1])
    assert install_into(index, venv, tmp_path / "cache", "hooked").returncode == 0
    made = tmp_path / "made"
    result = run_pinset("venv", "--python", str(venv / "bin" / "python"), str(made))
    assert result.returncode == 0, result.stderr
    assert (made / "pyvenv.cfg").is_file()
    assert sorted(p.name for p in marks.iterdir()) == []
