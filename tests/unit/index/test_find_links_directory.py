"""A ``--find-links`` directory is read whole or refused clearly: no file is dropped silently
(a dropped file would become a wrong "no version satisfies")."""

from __future__ import annotations

from pathlib import Path

import pytest

from pinset.errors import ConfigurationError
from pinset.index import find_links
from pinset.index.find_links import collect


class _NoNetwork:
    """find-links directories never reach the client."""

    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"the client was used ({name})")


def _fill(directory: Path, count: int) -> None:
    for i in range(count):
        (directory / f"demo-{i}.0.tar.gz").write_bytes(b"")


def test_every_entry_up_to_the_limit_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(find_links, "MAX_DIR_ENTRIES", 5)
    _fill(tmp_path, 5)
    found = collect(_NoNetwork(), str(tmp_path))  # type: ignore[arg-type]
    assert sorted(link.filename for link in found.links) == [f"demo-{i}.0.tar.gz" for i in range(5)]
    assert found.warning is None


def test_a_directory_past_the_limit_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(find_links, "MAX_DIR_ENTRIES", 5)
    _fill(tmp_path, 6)
    with pytest.raises(ConfigurationError) as info:
        collect(_NoNetwork(), str(tmp_path))  # type: ignore[arg-type]
    assert info.value.message == (
        f"find-links directory {tmp_path} holds more than 5 entries, the most pinset reads"
    )
    assert info.value.hint
