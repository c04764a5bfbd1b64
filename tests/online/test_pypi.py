"""Real projects from PyPI (run with PINSET_ONLINE=1): pinset installs into a fresh environment
exactly the set that pip (26.3, from pinset's own .venv, configuration disabled) resolves for
the same requirements file with ``pip install --dry-run --report``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from tests.helpers.envs import available_versions
from tests.helpers.install_world import installed, new_venv, run_pinset, site_packages

pytestmark = pytest.mark.online

PROJECTS = {
    "flask-app": "flask>=3\nflask-sqlalchemy\npython-dotenv\ngunicorn ; sys_platform != 'win32'\n",
    "django-app": "django>=4.2,<6\ndjangorestframework\ndjango-environ\npsycopg[binary]\n",
    "data-stack": "numpy\npandas\npython-dateutil>=2.8\n",
}


def _pip_resolution(requirements: Path, python: Path, cwd: Path) -> dict[str, str]:
    env = dict(os.environ, PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--isolated",
            "--python",
            str(python),
            "install",
            "--dry-run",
            "--quiet",
            "--report",
            "-",
            "--only-binary",
            ":all:",
            "-r",
            str(requirements),
        ],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    report = json.loads(proc.stdout)
    return {
        canonicalize_name(item["metadata"]["name"]): item["metadata"]["version"]
        for item in report["install"]
    }


@pytest.mark.parametrize("project", sorted(PROJECTS))
def test_installs_what_pip_resolves(project: str, tmp_path: Path) -> None:
    versions = available_versions()
    if not versions:
        pytest.skip("no pyenv interpreters on this machine")
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(PROJECTS[project])
    env = new_venv(tmp_path / "venv", versions[-1])
    expected = _pip_resolution(requirements, env / "bin" / "python", tmp_path)
    result = run_pinset(
        "install",
        "--python",
        str(env),
        "--only-binary",
        ":all:",
        "-r",
        "requirements.txt",
        cwd=tmp_path,
        env={"PIP_CONFIG_FILE": os.devnull},
        timeout=900,
    )
    assert result.returncode == 0, result.stderr
    got = {canonicalize_name(k): v for k, v in installed(site_packages(env)).items()}
    assert got == expected
    again = run_pinset(
        "install",
        "--python",
        str(env),
        "-r",
        "requirements.txt",
        cwd=tmp_path,
        env={"PIP_CONFIG_FILE": os.devnull},
    )
    assert again.stderr.startswith("Already satisfied")
