"""--target, --prefix, --user and --root layouts, installed for real and imported."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from pinset.environment.interpreter import query
from pinset.environment.schemes import (
    environment_scheme,
    prefix_scheme,
    root_scheme,
    target_scheme,
    user_scheme,
)
from pinset.errors import TargetEnvironmentError
from pinset.install.plan import make_plan
from pinset.install.transaction import apply
from tests.functional.install.conftest import NEWEST, VenvFactory, local_wheel
from tests.helpers.dists import make_wheel
from tests.helpers.envs import python_for


def _wheel(tmp_path: Path) -> Path:
    return make_wheel(
        tmp_path / "w",
        "demo",
        "1.0",
        files={"demo/__init__.py": "def main():\n    print('demo ran')\n"},
        entry_points={"console_scripts": {"demo": "demo:main"}},
    )


def _import(python: Path, path: Path) -> str:
    env = dict(os.environ, PYTHONPATH=str(path))
    proc = subprocess.run(
        [str(python), "-c", "import demo; print(demo.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return proc.stdout.strip()


def test_target_directory(tmp_path: Path, make_env: VenvFactory) -> None:
    interp = make_env()
    scheme = target_scheme(interp, tmp_path / "target")
    wheel = local_wheel(_wheel(tmp_path))
    apply(make_plan({wheel.name: wheel}, {}), interp, scheme, compile=True)
    assert _import(interp.executable, tmp_path / "target") == str(
        tmp_path / "target/demo/__init__.py"
    )
    assert (tmp_path / "target" / "bin" / "demo").exists()
    assert not list(
        environment_scheme(interp).purelib.glob("demo*")
    )  # the environment itself is untouched


def test_prefix_directory(tmp_path: Path) -> None:
    python = python_for(NEWEST)
    assert python is not None
    base = query(python, cache_dir=None)
    scheme = prefix_scheme(base, tmp_path / "prefix")
    assert Path(scheme.paths["purelib"]).is_relative_to(tmp_path / "prefix")
    wheel = local_wheel(_wheel(tmp_path))
    apply(make_plan({wheel.name: wheel}, {}), base, scheme, compile=False)
    found = _import(python, Path(scheme.paths["purelib"]))
    assert found.startswith(str(tmp_path / "prefix" / "lib"))
    assert (tmp_path / "prefix" / "bin" / "demo").read_bytes().startswith(f"#!{python}".encode())


def test_user_scheme(tmp_path: Path, make_env: VenvFactory) -> None:
    python = python_for(NEWEST)
    assert python is not None
    base = query(python, cache_dir=None)
    scheme = user_scheme(base, {"PYTHONUSERBASE": str(tmp_path / "userbase")})
    wheel = local_wheel(_wheel(tmp_path))
    apply(make_plan({wheel.name: wheel}, {}), base, scheme, compile=False)
    env = dict(os.environ, PYTHONUSERBASE=str(tmp_path / "userbase"))
    proc = subprocess.run(
        [str(python), "-c", "import demo; print(demo.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    assert proc.stdout.startswith(str(tmp_path / "userbase"))
    with pytest.raises(TargetEnvironmentError, match="--user"):
        user_scheme(make_env(), {"PYTHONUSERBASE": str(tmp_path / "userbase")})


def test_root_reroots_every_path(tmp_path: Path, make_env: VenvFactory) -> None:
    interp = make_env()
    scheme = root_scheme(environment_scheme(interp), tmp_path / "stage")
    wheel = local_wheel(_wheel(tmp_path))
    apply(make_plan({wheel.name: wheel}, {}), interp, scheme, compile=False)
    staged = (
        tmp_path
        / "stage"
        / str(environment_scheme(interp).purelib).lstrip("/")
        / "demo"
        / "__init__.py"
    )
    assert staged.is_file()
    assert not (environment_scheme(interp).purelib / "demo").exists()
