"""A small world for ``pinset install`` tests: a catalog of real wheels (and an sdist) served by
the real local index, fresh virtual environments, and the real CLI run as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from tests.helpers.dists import make_sdist, make_wheel
from tests.helpers.envs import make_venv
from tests.helpers.index_server import IndexServer

YANKED = {"lib-3.0-py3-none-any.whl": "broken build"}


def build_catalog(dest: Path) -> Path:
    """Write the catalog's files into ``dest`` (once per session)."""
    make_wheel(
        dest,
        "app",
        "1.0",
        requires=["lib>=1", "legacy ; python_version < '3'"],
        extras={"fast": ["speedy"]},
    )
    for version in ("1.0", "2.0", "3.0", "4.0b1"):
        make_wheel(dest, "lib", version)
    make_wheel(
        dest,
        "speedy",
        "0.1",
        entry_points={"console_scripts": {"speedy": "speedy:main"}},
        files={"speedy/__init__.py": "def main():\n    print('fast')\n"},
    )
    make_wheel(dest, "old", "1.0", requires=["lib<2"])
    make_wheel(dest, "chain-a", "1.0", requires=["chain-b"])
    make_wheel(dest, "chain-b", "1.0", requires=["lib==1.0"])
    make_wheel(dest, "modern", "1.0", requires_python=">=3.99")
    make_sdist(dest, "srconly", "1.0")
    return dest


def serve(server: IndexServer, catalog: Path, *, skip: Sequence[str] = ()) -> IndexServer:
    for path in sorted(catalog.iterdir()):
        if path.name in skip:
            continue
        server.add(path, yanked=YANKED.get(path.name))
    return server


def new_venv(dest: Path, version: str) -> Path:
    """A fresh environment (no pip) made by that Python's venv; returns its directory."""
    make_venv(dest, version)
    return dest


def run_pinset(
    *args: str,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 180,
    wrapper: Sequence[str] = (),
    python_flags: Sequence[str] = (),
) -> subprocess.CompletedProcess[str]:
    """The CLI as a subprocess (``wrapper``: a command that runs it, e.g.
    :func:`tests.helpers.read_only.read_only_wrapper`; ``python_flags``: the interpreter's own
    options, e.g. ``("-X", "importtime")``, read by :func:`tests.helpers.imports.imported`)."""
    full = dict(os.environ, NO_COLOR="1")
    full.update(env or {})
    return subprocess.run(
        [*wrapper, sys.executable, *python_flags, "-m", "pinset", *args],
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def install_into(
    index: IndexServer, venv: Path, cache: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    """``pinset install`` into ``venv`` from ``index`` with its own ``cache`` directory."""
    return run_pinset(
        "install",
        "--python",
        str(venv),
        "-i",
        index.simple_url,
        "--cache-dir",
        str(cache),
        *args,
        cwd=venv.parent,
    )


def site_packages(venv: Path) -> Path:
    found = sorted(venv.glob("lib/python3*/site-packages"))
    assert found, f"no site-packages in {venv}"
    return found[0]


def installed(location: Path) -> dict[str, str]:
    """``{name: version}`` from the ``.dist-info`` directories in a site or target directory."""
    out: dict[str, str] = {}
    for entry in location.glob("*.dist-info"):
        name, _, version = entry.name[: -len(".dist-info")].partition("-")
        out[name.lower().replace("_", "-")] = version
    return out


def dist_info(location: Path, name: str) -> Path:
    matches = [p for p in location.glob("*.dist-info") if p.name.lower().startswith(f"{name}-")]
    assert len(matches) == 1, matches
    return matches[0]
