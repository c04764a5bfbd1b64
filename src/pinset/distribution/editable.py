"""Editable installs for the distribution layer: a local tree built into an editable wheel.

:func:`editable_install` is the one seam: given a local tree (``-e ./path``; a VCS checkout's
directory once those are wired in), it builds the tree's editable wheel through
:meth:`pinset.build.builder.Builder.editable` (PEP 660, or pinset's develop-mode wheel for a
backend without ``build_editable``) into a directory of the run, and returns it with its
metadata and the fingerprint of the tree's metadata inputs taken *before* the build (so an
edit made during the build is seen by the next run). Editable wheels are never kept in the
built-wheel cache: they name the tree, and building one is cheap.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pinset._dataclass import dataclass
from pinset.core_metadata import CoreMetadata
from pinset.distribution.fetch import check_file
from pinset.errors import BuildError
from pinset.source_tree import inputs_fingerprint

if TYPE_CHECKING:  # the build layer is imported by the caller's first build
    from pinset.build.builder import Builder, BuildRequest

DEVELOP_NOTE = (
    "{name} was installed in develop mode: its build backend has no build_editable hook "
    "(PEP 660), so a .pth file puts {tree} (or its src/ directory) on sys.path, as "
    "`setup.py develop` did; uninstall removes it; compiled extensions are not built"
)


@dataclass(frozen=True)
class EditableBuild:
    """An editable wheel built from a tree, and what the install records about it."""

    wheel: Path
    sha256: str
    metadata: CoreMetadata
    inputs: str
    """:func:`pinset.source_tree.inputs_fingerprint` of the tree when the build started."""
    develop: bool = False
    """The backend had no ``build_editable``: a develop-mode wheel (a ``.pth``)."""


def editable_install(tree_path: Path, builder: Builder, request: BuildRequest) -> EditableBuild:
    """The editable wheel of the project in ``tree_path`` (``request`` says how to build it,
    into which directory), its metadata and inputs' fingerprint."""
    inputs = inputs_fingerprint(tree_path)
    built = builder.editable(request)
    from pinset.build.unpack import extract_dist_info

    dist_info = extract_dist_info(built.wheel, request.out_dir / "editable-metadata")
    try:
        meta = CoreMetadata.from_bytes((dist_info / "METADATA").read_bytes())
    except OSError as exc:
        raise BuildError(
            f"the editable wheel of {tree_path} has no readable METADATA: {exc}"
        ) from None
    sha256 = check_file(built.wheel, {}, built.wheel.name)
    return EditableBuild(built.wheel, sha256, meta, inputs, built.develop)
