"""Real sdist-only projects from PyPI (run with PINSET_ONLINE=1): pinset builds and installs each
one, and the seed's network forms of source requirements, into a fresh environment, and pip
(26.3, from pinset's own .venv, configuration disabled) does the same into another; both
environments must then hold the same files with the same contents.

Left out of the comparison: what differs by design between two installers (``INSTALLER``,
``RECORD``, ``REQUESTED``, ``direct_url.json``, bytecode, pinset's own ``.pinset`` state
directory) and the contents of ``bin/`` (the
scripts' ``#!`` lines name their own environment)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.envs import available_versions
from tests.helpers.install_world import new_venv, run_pinset

pytestmark = pytest.mark.online

_FILES = "https://files.pythonhosted.org/packages"
_DOCOPT = (
    f"{_FILES}/a2/55/8f8cab2afd404cf578136ef2cc5dfb50baa1761b68c9da1fb1e4eed343c9/"
    "docopt-0.6.2.tar.gz"
)
_DOCOPT_SHA256 = "49b3a825280bd66b3aa83585ef59c4a8c82f2c8a522dbe754a8bc8d08c85c491"
_WGET = f"{_FILES}/47/6a/62e288da7bcda82b935ff0c6cfe542970f04e29c756b0e147251b2fb251f/wget-3.2.zip"
_SQLITEDICT = (
    f"{_FILES}/12/9a/7620d1e9dcb02839ed6d4b14064e609cdd7a8ae1e47289aa0456796dd9ca/"
    "sqlitedict-2.1.0.tar.gz#sha256=03d9cfb96d602996f1d4c2db2856f1224b96a9c431bdd16e78032a72940f9e8c"
)

SDIST_ONLY = (
    # The latest release of each has only an sdist on PyPI (checked 2026-12 with the JSON API).
    "docopt==0.6.2",
    "wget==3.2",  # a .zip
    "sqlitedict==2.1.0",
    "htmlmin==0.1.12",  # a console script
    "jsmin==3.0.1",
    "cssmin==0.2.0",  # a console script
    "progressbar==2.5",
    "sgmllib3k==1.0.0",
    "pathtools==0.1.2",
    "timeout-decorator==0.5.0",
    "mock-open==1.4.0",
    "simplegeneric==0.8.1",  # a .zip
)

SEED_FORMS = {
    "url-sha256": f"{_DOCOPT}#sha256={_DOCOPT_SHA256}\n",
    "url-egg": f"{_DOCOPT}#egg=docopt\n",
    "bare-zip-url": f"{_WGET}\n",
    "name-at-url": f"sqlitedict @ {_SQLITEDICT}\n",
    "find-links-page": "-f https://pypi.org/simple/docopt/\ndocopt==0.6.2\n",
}

_NOT_COMPARED = frozenset({"INSTALLER", "RECORD", "REQUESTED", "direct_url.json"})


def _python_version() -> str:
    versions = available_versions()
    if not versions:
        pytest.skip("no pyenv interpreters on this machine")
    return "3.11" if "3.11" in versions else versions[-1]


def _installed_files(env: Path) -> dict[str, str]:
    """Every file an installer put in ``env``: its path and its sha256 (``bin/``: path only)."""
    found: dict[str, str] = {}
    for path in sorted(env.rglob("*")):
        relative = path.relative_to(env).as_posix()
        if path.is_dir() or {"__pycache__", ".pinset"} & set(path.parts) or path.suffix == ".pyc":
            continue
        if path.name in _NOT_COMPARED or relative == "pyvenv.cfg":
            continue
        if relative.startswith("bin/"):
            found[relative] = "script"
        else:
            found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _pip_install(requirements: Path, python: Path, cwd: Path) -> None:
    env = dict(os.environ, PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1")
    argv = [sys.executable, "-m", "pip", "--isolated", "--python", str(python), "install"]
    argv += ["--no-compile", "--cache-dir", str(cwd / "pip-cache"), "-r", str(requirements)]
    proc = subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    assert proc.returncode == 0, proc.stderr


def _compare_with_pip(text: str, tmp_path: Path) -> None:
    version = _python_version()
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(text)
    ours = new_venv(tmp_path / "pinset-env", version)
    theirs = new_venv(tmp_path / "pip-env", version)
    before = _installed_files(ours)
    result = run_pinset(
        "install",
        "--python",
        str(ours),
        "--no-compile",
        "-r",
        "requirements.txt",
        cwd=tmp_path,
        env={"PIP_CONFIG_FILE": os.devnull},
        timeout=900,
    )
    assert result.returncode == 0, result.stderr
    _pip_install(requirements, theirs / "bin" / "python", tmp_path)
    got, expected = _installed_files(ours), _installed_files(theirs)
    assert set(got) - set(before), "pinset installed nothing"
    assert sorted(set(got) ^ set(expected)) == []
    assert {p for p in got if got[p] != expected[p]} == set()


@pytest.mark.parametrize("requirement", SDIST_ONLY)
def test_sdist_only_project_installs_as_pip_does(requirement: str, tmp_path: Path) -> None:
    _compare_with_pip(f"{requirement}\n", tmp_path)


@pytest.mark.parametrize("form", sorted(SEED_FORMS))
def test_seed_form_installs_as_pip_does(form: str, tmp_path: Path) -> None:
    _compare_with_pip(SEED_FORMS[form], tmp_path)
