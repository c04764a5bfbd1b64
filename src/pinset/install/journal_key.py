"""The key that authenticates pinset's install journals, kept outside every environment.

Anything inside an environment may have been written by a wheel (pip installs a wheel's
``.pinset/`` files as readily as any others), so a journal found there proves it is pinset's by
an HMAC-SHA256 on each line (:mod:`pinset.install.journal`) under a random key that only the
user's own pinset runs read: ``journal.key`` in pinset's user configuration directory (not the
cache, which ``--cache-dir`` moves and ``cache purge`` empties). It is made once, mode 0600;
a key that others could read or write, or that another user owns, is refused (an install with
``--prefix ~`` could otherwise let a wheel, or pip, replace it: pinset refuses such a wheel,
pip would write the file with the usual 0644).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from pinset.errors import InstallError

KEY_FILE = "journal.key"
KEY_BYTES = 32


def key_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("pinset", appauthor=False)) / KEY_FILE


def journal_key(path: Path | None = None) -> bytes:
    """The key in ``path`` (default :func:`key_path`), made on first use."""
    path = path or key_path()
    try:
        return _read(path) or _create(path)
    except OSError as exc:
        raise InstallError(
            f"cannot keep the key that protects pinset's install journal at {path}: "
            f"{exc.strerror or exc}",
            hint="make that directory writable, or point XDG_CONFIG_HOME at one that is",
            note="the environment was not changed",
        ) from exc


def _read(path: Path) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        data = fh.read(4096)
    if hasattr(os, "geteuid") and (st.st_mode & 0o077 or st.st_uid != os.geteuid()):
        raise InstallError(
            f"the journal key at {path} is open to other users (or not yours)",
            hint="remove it; the next run makes a new one, readable by you only",
            note="the environment was not changed",
        )
    if len(data) < KEY_BYTES:
        raise InstallError(
            f"the journal key at {path} is damaged (too short)",
            hint="remove it; the next run makes a new one (journals of interrupted runs "
            "written with the old key are then ignored)",
        )
    return data


def _create(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(KEY_BYTES)
    tmp = path.with_name(f".{KEY_FILE}.{secrets.token_hex(8)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
            fh.flush()
            os.fsync(fh.fileno())
        os.link(tmp, path)  # fails when another run made the key first: theirs wins
    except FileExistsError:
        return _read(path) or key
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    return key
