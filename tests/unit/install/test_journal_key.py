"""The journal key: made once, private to the user, refused when others could read it."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from pinset.errors import InstallError
from pinset.install.journal_key import journal_key


def test_the_key_is_made_once_and_kept_private(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "journal.key"
    first = journal_key(path)
    assert len(first) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert journal_key(path) == first
    assert os.listdir(path.parent) == ["journal.key"]


def test_a_key_others_can_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "journal.key"
    path.write_bytes(b"k" * 32)
    path.chmod(0o644)  # as pip would write it
    with pytest.raises(InstallError, match="open to other users"):
        journal_key(path)


def test_a_short_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "journal.key"
    path.write_bytes(b"k")
    path.chmod(0o600)
    with pytest.raises(InstallError, match="damaged"):
        journal_key(path)
