"""A directory the pinset under test really cannot write, also when the tests run as root.

``chmod 0555`` does not stop root (CAP_DAC_OVERRIDE), and the suite runs as root here and may
run as an ordinary user in CI. So the command is run by ``unshare --map-root-user --mount``
in its own user and mount namespaces, where the directory is bind-mounted read-only onto
itself: every write under it fails with EROFS ("Read-only file system"), as on a read-only
volume, for root and for an ordinary user alike, and nothing changes outside that one
process tree (the mount disappears with it). Where unprivileged user namespaces are not
allowed, an ordinary user gets ``chmod 0555`` instead (EACCES), and root skips the test.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

_MOUNT_THEN_RUN = 'mount --bind -o ro "$0" "$0" && exec "$@"'


def _unshare_works() -> bool:
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return False
    with tempfile.TemporaryDirectory() as tmp:
        probe = ["sh", "-c", '! touch "$0/x" 2>/dev/null', tmp]
        command = ["unshare", "--map-root-user", "--mount", "sh", "-c", _MOUNT_THEN_RUN, tmp]
        done = subprocess.run([*command, *probe], capture_output=True, check=False, timeout=30)
        return done.returncode == 0 and not Path(tmp, "x").exists()


@contextlib.contextmanager
def read_only(directory: Path) -> Iterator[list[str]]:
    """A wrapper command under which ``directory`` cannot be written (for ``run_pinset``)."""
    if _unshare_works():
        yield ["unshare", "--map-root-user", "--mount", "sh", "-c", _MOUNT_THEN_RUN, str(directory)]
        return
    if os.geteuid() == 0:
        pytest.skip("no user namespaces here, and chmod does not stop root")
    modes = {p: p.stat().st_mode for p in [directory, *directory.rglob("*")] if p.is_dir()}
    for path in modes:
        path.chmod(0o555)
    try:
        yield []
    finally:
        for path, mode in modes.items():
            path.chmod(mode)
