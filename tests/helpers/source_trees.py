"""Source trees for the build tests, one per kind of backend, written by the tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

MODULE = 'GREETING = "hello from {name}"\n'


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def setuptools_setup_py(root: Path, name: str = "legacy_proj") -> Path:
    """No pyproject.toml at all: pip's legacy setuptools build."""
    return _write(
        root,
        {
            "setup.py": f"""
            from setuptools import setup
            setup(name="{name}", version="1.0", py_modules=["{name}"])
            """,
            f"{name}.py": MODULE.format(name=name),
        },
    )


def setuptools_setup_cfg(root: Path, name: str = "cfg_proj") -> Path:
    """[build-system] in pyproject.toml, metadata in setup.cfg, no setup.py."""
    return _write(
        root,
        {
            "pyproject.toml": """
            [build-system]
            requires = ["setuptools>=61"]
            build-backend = "setuptools.build_meta"
            """,
            "setup.cfg": f"""
            [metadata]
            name = {name}
            version = 2.0

            [options]
            py_modules = {name}
            """,
            f"{name}.py": MODULE.format(name=name),
        },
    )


def pep621(root: Path, backend: str, requires: str, name: str, module: str | None = None) -> Path:
    """A [project] table built by ``backend``; one module ``name``."""
    module = module or name
    return _write(
        root,
        {
            "pyproject.toml": f"""
            [build-system]
            requires = [{requires}]
            build-backend = "{backend}"

            [project]
            name = "{name}"
            version = "3.0"
            description = "a test project"
            dependencies = ["attrs>=20"]
            """,
            f"{module}.py": MODULE.format(name=name),
        },
    )


def setuptools_pyproject(root: Path, name: str = "st_proj") -> Path:
    return pep621(root, "setuptools.build_meta", '"setuptools>=61"', name)


def hatchling_project(root: Path, name: str = "hatch_proj") -> Path:
    return pep621(root, "hatchling.build", '"hatchling"', name)


def flit_project(root: Path, name: str = "flit_proj") -> Path:
    return pep621(root, "flit_core.buildapi", '"flit_core>=3.4"', name)


IN_TREE_BACKEND = '''
"""An in-tree PEP 517 backend: writes a wheel by hand; records what it was given."""
import base64, hashlib, json, os, sys, zipfile

NAME, VERSION = "intree", "0.1"
DIST = NAME + "-" + VERSION + ".dist-info"
METADATA = "Metadata-Version: 2.1\\nName: intree\\nVersion: 0.1\\n"


def _record(zf, files):
    lines = []
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
        lines.append("%s,sha256=%s,%d" % (path, digest.decode(), len(data)))
        zf.writestr(path, data)
    lines.append(DIST + "/RECORD,,")
    zf.writestr(DIST + "/RECORD", "\\n".join(lines) + "\\n")


def _seen(config_settings):
    return json.dumps({
        "config_settings": config_settings,
        "environ": dict(os.environ),
        "executable": sys.executable,
        "prefix": sys.prefix,
        "path": sys.path,
    }).encode()


def _wheel(wheel_directory, config_settings, extra):
    if os.environ.get("INTREE_FAIL") or (config_settings or {}).get("fail"):
        for i in range(40):
            print("compiling step %d" % i)
        print("error: the in-tree backend was told to fail", file=sys.stderr)
        sys.exit(3)
    name = NAME + "-" + VERSION + "-py3-none-any.whl"
    files = {
        "intree.py": b"VALUE = 1\\n",
        "intree_seen.json": _seen(config_settings),
        DIST + "/METADATA": METADATA.encode(),
        DIST + "/WHEEL": (
            b"Wheel-Version: 1.0\\nGenerator: intree\\nRoot-Is-Purelib: true\\n"
            b"Tag: py3-none-any\\n"
        ),
    }
    files.update(extra)
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as zf:
        _record(zf, files)
    return name


def get_requires_for_build_wheel(config_settings=None):
    return list(json.loads(os.environ.get("INTREE_REQUIRES", "[]")))


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _wheel(wheel_directory, config_settings, {})


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return _wheel(wheel_directory, config_settings, {"intree.pth": (here + "\\n").encode()})
'''


def in_tree(root: Path, requires: str = "") -> Path:
    """A tree whose backend lives in it (``backend-path``)."""
    return _write(
        root,
        {
            "pyproject.toml": f"""
            [build-system]
            requires = [{requires}]
            build-backend = "intree_backend"
            backend-path = ["_backend"]
            """,
            "_backend/intree_backend.py": IN_TREE_BACKEND,
        },
    )
