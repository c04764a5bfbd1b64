"""Install schemes other than the interpreter's own: ``--target``, ``--prefix``, ``--user``,
``--root``, as pip lays them out. Each returns a copy of the :class:`Interpreter` whose ``paths``
and ``prefix`` (the directory nothing may be written outside of) are redirected; the executable
stays the target interpreter (shebangs, byte-compiling).

- ``--target DIR``: modules in DIR, scripts in DIR/bin, data in DIR, headers in DIR/include.
- ``--prefix DIR``: the interpreter's ``prefix`` scheme rooted at DIR.
- ``--user``: the interpreter's ``user`` scheme rooted at the user base (``PYTHONUSERBASE``, else
  ``~/.local`` on POSIX, ``%APPDATA%\\Python`` on Windows); refused inside a virtual environment
  that hides user site-packages, like pip.
- ``--root DIR``: every path of the scheme re-rooted under DIR (for packaging/staging).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from pathlib import Path

from pinset.environment.interpreter import Interpreter
from pinset.environment.probe import BASE_MARK
from pinset.errors import TargetEnvironmentError

_KEYS = ("purelib", "platlib", "scripts", "data", "include")


def _redirect(interp: Interpreter, paths: Mapping[str, str], prefix: Path) -> Interpreter:
    new = {key: paths[key] for key in _KEYS if key in paths}
    new["headers"] = paths.get("include", str(prefix / "include"))
    if "stdlib" in interp.paths:
        new["stdlib"] = interp.paths["stdlib"]
    return dataclasses.replace(interp, paths=new, prefix=prefix, externally_managed=False)


def _template(interp: Interpreter, kind: str, base: Path) -> dict[str, str]:
    scheme = interp.scheme_templates.get(kind)
    if not scheme:
        raise TargetEnvironmentError(
            f"{interp.executable} did not report its {kind} install scheme",
            hint="remove pinset's interpreter cache and retry",
        )
    return {key: value.replace(BASE_MARK, str(base)) for key, value in scheme.items()}


def target_scheme(interp: Interpreter, target: Path) -> Interpreter:
    target = Path(os.path.abspath(target))
    bindir = "Scripts" if interp.markers.get("os_name") == "nt" else "bin"
    paths = {
        "purelib": str(target),
        "platlib": str(target),
        "scripts": str(target / bindir),
        "data": str(target),
        "include": str(target / "include"),
    }
    return _redirect(interp, paths, target)


def prefix_scheme(interp: Interpreter, prefix: Path) -> Interpreter:
    prefix = Path(os.path.abspath(prefix))
    return _redirect(interp, _template(interp, "prefix", prefix), prefix)


def user_base(interp: Interpreter, environ: Mapping[str, str]) -> Path:
    explicit = environ.get("PYTHONUSERBASE")
    if explicit:
        return Path(explicit)
    if interp.markers.get("os_name") == "nt":
        return Path(environ.get("APPDATA") or Path.home()) / "Python"
    home = environ.get("HOME")
    return (Path(home) if home else Path.home()) / ".local"


def user_scheme(interp: Interpreter, environ: Mapping[str, str]) -> Interpreter:
    if interp.is_venv and not _venv_sees_user_site(interp.prefix):
        raise TargetEnvironmentError(
            "cannot install with --user: user site-packages are not visible in this virtual "
            "environment",
            hint="install into the environment itself (drop --user)",
        )
    base = user_base(interp, environ)
    user = _redirect(interp, _template(interp, "user", base), base)
    return dataclasses.replace(user, externally_managed=interp.externally_managed)


def _venv_sees_user_site(prefix: Path) -> bool:
    try:
        text = (prefix / "pyvenv.cfg").read_text(encoding="utf-8")
    except OSError:
        return False
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip().lower() == "include-system-site-packages":
            return value.strip().lower() == "true"
    return False


def root_scheme(interp: Interpreter, root: Path) -> Interpreter:
    root = Path(os.path.abspath(root))
    paths = {key: str(_reroot(root, value)) for key, value in interp.paths.items()}
    return dataclasses.replace(
        interp, paths=paths, prefix=_reroot(root, str(interp.prefix)), externally_managed=False
    )


def _reroot(root: Path, path: str) -> Path:
    _drive, rest = os.path.splitdrive(os.path.abspath(path))
    return root / rest.lstrip("\\/")
