"""How a verified file reaches an environment from the unpacked-wheel cache (``--link-mode``).

``hardlink`` (the default)
    the environment's file and the cache's are one file: fast and small, but an edit made in
    place in one environment shows in the cache and in every environment linked to it. The cache
    notices such an edit (:mod:`pinset.install.wheelfile` re-checks each file's size, mtime and
    inode before reuse) and unpacks that wheel again, so a changed file is never linked into
    another environment; ``pinset check --env`` names the files that changed.
``copy``
    every environment gets its own copy: edits stay where they are made; slower to install.
``symlink``
    symbolic links into the cache: the smallest, but every environment depends on the cache
    (cleaning it breaks them) and an edit changes the cache.

A copy keeps its source's modification time, as a link would: the cache's bytecode
(:mod:`pinset.install.compile`) records its source's mtime and size, and stays valid for a copy.

A mode the filesystem refuses (a hard link across filesystems, a symbolic link without the
privilege) falls back to copying for the rest of the batch; :func:`transfer` returns how the
next file is to be placed, so the caller can tell the user. Files of a scratch unpack (no
cache) are moved, whatever the mode: nothing else shares them.
"""

from __future__ import annotations

import errno
import os
import shutil
from typing import Literal

LinkMode = Literal["copy", "hardlink", "symlink"]
LINK_MODES: tuple[LinkMode, ...] = ("copy", "hardlink", "symlink")
DEFAULT_LINK_MODE: LinkMode = "hardlink"

How = Literal["copy", "hardlink", "symlink", "move"]
"""How files are placed: a link mode, or ``move`` out of a scratch unpack."""

_UNSUPPORTED = frozenset(
    {errno.EXDEV, errno.EPERM, errno.EACCES, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS}
)


def link_mode(text: str) -> LinkMode:
    """``text`` as a :data:`LinkMode` (settings validated it; anything else is the default)."""
    for mode in LINK_MODES:
        if mode == text:
            return mode
    return DEFAULT_LINK_MODE


def transfer(source: str, dest: str, how: How) -> How:
    """Place ``source`` at ``dest`` by ``how``; returns how to place the next file (``copy``
    once the filesystem refused a link or a rename across filesystems)."""
    try:
        if how == "hardlink":
            os.link(source, dest)
            return how
        if how == "symlink":
            os.symlink(source, dest)
            return how
        if how == "move":
            os.rename(source, dest)
            return how
    except OSError as exc:
        if exc.errno in _UNSUPPORTED:
            how = "copy"  # no later file of this batch can be linked or moved either
    copy_keeping_mtime(source, dest)
    return how


def copy_keeping_mtime(source: str, dest: str) -> None:
    """Copy ``source`` to ``dest`` with its permission bits and modification time."""
    shutil.copyfile(source, dest)
    shutil.copymode(source, dest)
    st = os.stat(source)
    os.utime(dest, ns=(st.st_atime_ns, st.st_mtime_ns))
