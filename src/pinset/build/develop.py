"""The ``setup.py develop`` kind of editable install, made by pinset for a backend that has no
PEP 660 ``build_editable`` hook (an old setuptools in the target under
``--no-build-isolation``, a backend that never had editables).

:func:`develop_wheel` writes a small wheel from the project's prepared ``.dist-info``
(``prepare_metadata_for_build_wheel``, or a built wheel's): its metadata files (so entry points
become launchers), a ``__editable__.NAME-VERSION.pth`` that puts the project's import root
(:func:`import_root`) on ``sys.path``, ``WHEEL`` and ``RECORD``. It is then installed like any
wheel: ``RECORD`` lists the ``.pth``, so uninstalling removes it; ``INSTALLER`` and
``direct_url.json`` (``dir_info.editable``) are written as for every editable.

Unlike ``setup.py develop``, nothing is written into the tree (no ``.egg-info``, no
``.egg-link``), and compiled extensions are not built in place.

In a relocatable environment (:class:`MovableSite`), a tree that moves with the environment (it
lies inside the directory holding it: an application and its ``.venv``) is always installed
this way, its ``.pth`` line *relative* to ``site-packages`` (Python's ``site`` joins such a line
to the directory of the ``.pth``): a PEP 660 backend's editable wheel names the tree by its
absolute path (in a ``.pth``, or in a generated finder module as setuptools writes for a flat
layout), which breaks once both are moved.
"""

from __future__ import annotations

import base64
import configparser
import hashlib
import os
import re
import zipfile
from pathlib import Path

from pinset._dataclass import dataclass
from pinset.core_metadata import CoreMetadata
from pinset.errors import BuildError

_GENERATED = frozenset({"RECORD", "WHEEL", "INSTALLER", "REQUESTED", "direct_url.json"})
WHEEL_FILE = b"Wheel-Version: 1.0\nGenerator: pinset (develop)\nRoot-Is-Purelib: true\n"
WHEEL_FILE += b"Tag: py3-none-any\n"


@dataclass(frozen=True)
class MovableSite:
    """A relocatable environment's ``site-packages`` and the directory that moves with it
    (the one holding the environment)."""

    site_packages: Path
    root: Path

    def holds(self, tree: Path) -> bool:
        """Whether ``tree`` moves with the environment (is inside :attr:`root`)."""
        tree, root = Path(os.path.abspath(tree)), Path(os.path.abspath(self.root))
        return tree == root or root in tree.parents


def import_root(tree: Path, dist_info: Path) -> Path:
    """The directory to put on ``sys.path`` so that the tree's modules import as installed:
    the ``package_dir`` root that ``setup.cfg`` names; else ``src/`` when every top-level
    name of the metadata (``top_level.txt``) is there and not at the tree's root; else the
    tree itself."""
    configured = _setup_cfg_root(tree)
    if configured is not None:
        return configured
    try:
        names = (dist_info / "top_level.txt").read_text(encoding="utf-8").split()
    except (OSError, UnicodeDecodeError):
        names = []
    src = tree / "src"
    if names and all(_has_module(src, n) and not _has_module(tree, n) for n in names):
        return src
    return tree


def _has_module(directory: Path, name: str) -> bool:
    return (directory / name).is_dir() or (directory / f"{name}.py").is_file()


def _setup_cfg_root(tree: Path) -> Path | None:
    """``[options] package_dir`` of ``setup.cfg``: its root entry (``= src``), if any, when it
    stays inside the tree."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(tree / "setup.cfg", encoding="utf-8")
        value = parser.get("options", "package_dir", fallback="")
    except (configparser.Error, UnicodeDecodeError):
        return None
    for line in value.replace(";", "\n").splitlines():
        key, sep, directory = line.partition("=")
        if sep and not key.strip() and directory.strip():
            root = (tree / directory.strip()).resolve()
            if root.is_dir() and (root == tree.resolve() or tree.resolve() in root.parents):
                return root
    return None


def develop_wheel(
    dist_info: Path, tree: Path, out_dir: Path, *, relative_to: Path | None = None
) -> Path:
    """A wheel in ``out_dir`` that installs the project in ``tree`` in develop mode; its
    ``.pth`` names the import root by absolute path, or relative to ``relative_to`` (the
    ``site-packages`` it will be installed into)."""
    meta = _metadata(dist_info)
    name, version = meta.get("Name") or "", meta.get("Version") or ""
    stem = f"{re.sub(r'[-_.]+', '_', name)}-{version}"
    info = f"{stem}.dist-info"
    root = import_root(tree, dist_info).resolve()
    line = str(root)
    if relative_to is not None:
        line = os.path.relpath(root, Path(os.path.abspath(relative_to)).resolve())
    files: dict[str, bytes] = {
        f"__editable__.{stem}.pth": f"{line}\n".encode(),
    }
    for path in sorted(p for p in dist_info.rglob("*") if p.is_file()):
        rel = path.relative_to(dist_info).as_posix()
        if rel not in _GENERATED:
            files[f"{info}/{rel}"] = path.read_bytes()
    files[f"{info}/WHEEL"] = WHEEL_FILE
    out_dir.mkdir(parents=True, exist_ok=True)
    wheel = out_dir / f"{stem}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as zf:
        rows = []
        for member, data in files.items():
            zf.writestr(member, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            rows.append(f"{member},sha256={digest.decode()},{len(data)}")
        rows.append(f"{info}/RECORD,,")
        zf.writestr(f"{info}/RECORD", "\n".join(rows) + "\n")
    return wheel


def _metadata(dist_info: Path) -> CoreMetadata:
    try:
        meta = CoreMetadata.from_bytes((dist_info / "METADATA").read_bytes())
    except OSError as exc:
        raise BuildError(f"the prepared metadata in {dist_info} cannot be read: {exc}") from None
    if not meta.get("Name") or not meta.get("Version"):
        raise BuildError(f"the prepared metadata in {dist_info} has no Name or Version")
    return meta
