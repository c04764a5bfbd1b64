"""Where one run writes: a :class:`Scheme`, kept apart from the interpreter's facts.

The :class:`~pinset.environment.interpreter.Interpreter` says which Python it is (version, tags,
markers, its own sysconfig paths); a scheme says where files go (``purelib``, ``platlib``,
``scripts``, ``data``, ``headers``, ``include``) and the directory nothing may be written outside
of (``prefix``). Its :class:`SchemeKind` is how it was chosen, laid out as pip does:

- ``ENVIRONMENT``: the interpreter's own scheme (its virtual environment or installation);
- ``TARGET`` (``--target DIR``): modules in DIR, scripts in DIR/bin, data in DIR, headers in
  DIR/include;
- ``PREFIX`` (``--prefix DIR``): the interpreter's ``prefix`` scheme rooted at DIR;
- ``USER`` (``--user``): the interpreter's ``user`` scheme rooted at the user base
  (``PYTHONUSERBASE``, else ``~/.local`` on POSIX, ``%APPDATA%\\Python`` on Windows); refused
  inside a virtual environment that hides user site-packages, like pip.

``--root DIR`` (:func:`root_scheme`) re-roots every path of any of them under DIR (``rooted``).
``externally_managed`` (PEP 668) is whether writing there changes an installation another tool
manages: the interpreter's own or user scheme of a marked interpreter, never a target, prefix
or root.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from enum import Enum
from pathlib import Path

from pinset._dataclass import dataclass, replace
from pinset.environment.probe import BASE_MARK
from pinset.errors import TargetEnvironmentError
from pinset.interpreter import Interpreter

_KEYS = ("purelib", "platlib", "scripts", "data", "include")


class SchemeKind(str, Enum):
    ENVIRONMENT = "environment"
    TARGET = "target"
    PREFIX = "prefix"
    USER = "user"


@dataclass(frozen=True)
class Scheme:
    """The directories one install writes to (see the module docstring)."""

    kind: SchemeKind
    paths: Mapping[str, str]
    prefix: Path
    externally_managed: bool = False
    rooted: bool = False
    relocatable: bool = False
    """A relocatable virtual environment (:mod:`pinset.environment.venv`): scripts written
    there find their interpreter beside them, not by absolute path."""

    @property
    def purelib(self) -> Path:
        return Path(self.paths["purelib"])

    @property
    def platlib(self) -> Path:
        return Path(self.paths["platlib"])

    @property
    def scripts(self) -> Path:
        return Path(self.paths["scripts"])

    def site_dirs(self) -> tuple[Path, ...]:
        """purelib and platlib, once each when they are the same directory."""
        return tuple(dict.fromkeys((self.purelib, self.platlib)))


def environment_scheme(interp: Interpreter) -> Scheme:
    """The interpreter's own scheme: its environment's directories."""
    paths = {key: interp.paths[key] for key in (*_KEYS, "headers") if key in interp.paths}
    return Scheme(
        SchemeKind.ENVIRONMENT,
        paths,
        interp.prefix,
        interp.externally_managed,
        relocatable=is_relocatable(interp.prefix),
    )


def _scheme(kind: SchemeKind, paths: Mapping[str, str], prefix: Path) -> Scheme:
    new = {key: paths[key] for key in _KEYS if key in paths}
    new["headers"] = paths.get("include", str(prefix / "include"))
    return Scheme(kind, new, prefix)


def _template(interp: Interpreter, kind: str, base: Path) -> dict[str, str]:
    scheme = interp.scheme_templates.get(kind)
    if not scheme:
        raise TargetEnvironmentError(
            f"{interp.executable} did not report its {kind} install scheme",
            hint="remove pinset's interpreter cache and retry",
        )
    return {key: value.replace(BASE_MARK, str(base)) for key, value in scheme.items()}


def target_scheme(interp: Interpreter, target: Path) -> Scheme:
    target = Path(os.path.abspath(target))
    bindir = "Scripts" if interp.markers.get("os_name") == "nt" else "bin"
    paths = {
        "purelib": str(target),
        "platlib": str(target),
        "scripts": str(target / bindir),
        "data": str(target),
        "include": str(target / "include"),
    }
    return _scheme(SchemeKind.TARGET, paths, target)


def prefix_scheme(interp: Interpreter, prefix: Path) -> Scheme:
    prefix = Path(os.path.abspath(prefix))
    return _scheme(SchemeKind.PREFIX, _template(interp, "prefix", prefix), prefix)


def user_base(interp: Interpreter, environ: Mapping[str, str]) -> Path:
    explicit = environ.get("PYTHONUSERBASE")
    if explicit:
        return Path(explicit)
    if interp.markers.get("os_name") == "nt":
        return Path(environ.get("APPDATA") or Path.home()) / "Python"
    home = environ.get("HOME")
    return (Path(home) if home else Path.home()) / ".local"


def user_scheme(interp: Interpreter, environ: Mapping[str, str]) -> Scheme:
    if interp.is_venv and not _venv_sees_user_site(interp.prefix):
        raise TargetEnvironmentError(
            "cannot install with --user: user site-packages are not visible in this virtual "
            "environment",
            hint="install into the environment itself (drop --user)",
        )
    base = user_base(interp, environ)
    user = _scheme(SchemeKind.USER, _template(interp, "user", base), base)
    return replace(user, externally_managed=interp.externally_managed)


def sees_system_site(interp: Interpreter) -> bool:
    """Whether the interpreter's ``sys.path`` holds its user site and the base interpreter's
    site-packages (always outside a virtual environment; inside, when ``pyvenv.cfg`` says
    ``include-system-site-packages = true``)."""
    return not interp.is_venv or _venv_sees_user_site(interp.prefix)


def _venv_sees_user_site(prefix: Path) -> bool:
    value = pyvenv_value(prefix, "include-system-site-packages")
    return value is not None and value.lower() == "true"


RELOCATABLE_KEY = "relocatable"
"""The ``pyvenv.cfg`` key of a relocatable environment (:mod:`pinset.environment.venv`)."""


def is_relocatable(prefix: Path) -> bool:
    """Whether the environment at ``prefix`` says ``relocatable = true`` in ``pyvenv.cfg``."""
    value = pyvenv_value(prefix, RELOCATABLE_KEY)
    return value is not None and value.lower() == "true"


def pyvenv_value(prefix: Path, name: str) -> str | None:
    """The value of key ``name`` in the ``pyvenv.cfg`` of the environment at ``prefix`` (None
    when there is no such key, or no readable file); ``uv`` is set by uv's ``venv``."""
    try:
        text = (prefix / "pyvenv.cfg").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip().lower() == name:
            return value.strip()
    return None


def root_scheme(scheme: Scheme, root: Path) -> Scheme:
    """``scheme`` with every path re-rooted under ``root`` (``--root``)."""
    root = Path(os.path.abspath(root))
    paths = {key: str(_reroot(root, value)) for key, value in scheme.paths.items()}
    prefix = _reroot(root, str(scheme.prefix))
    return Scheme(scheme.kind, paths, prefix, externally_managed=False, rooted=True)


def _reroot(root: Path, path: str) -> Path:
    _drive, rest = os.path.splitdrive(os.path.abspath(path))
    return root / rest.lstrip("\\/")
