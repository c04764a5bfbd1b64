"""A run that waited for the environment lock plans against what it then finds; when another run
changed a distribution this run's resolution kept, it stops and changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.utils import canonicalize_name
from packaging.version import Version

from pinset.dists import InstalledDist, LocalWheel
from pinset.errors import InstallError
from pinset.ops.pipeline import _check_kept

NAME = canonicalize_name("lib")


def _dist(version: str) -> InstalledDist:
    return InstalledDist(NAME, Version(version), Path(f"/env/lib-{version}.dist-info"))


def test_a_kept_distribution_still_there_is_fine() -> None:
    _check_kept({NAME: _dist("1")}, {NAME: _dist("1")})


def test_a_wheel_to_install_does_not_care_what_is_there() -> None:
    wheel = LocalWheel(NAME, Version("2"), Path("/w/lib-2-py3-none-any.whl"), "0" * 64)
    _check_kept({NAME: wheel}, {})


@pytest.mark.parametrize(("now", "said"), [({NAME: _dist("2")}, "is now 2"), ({}, "was removed")])
def test_a_kept_distribution_changed_by_another_run_stops_this_one(
    now: dict[str, InstalledDist], said: str
) -> None:
    with pytest.raises(InstallError, match=f"lib 1 {said}: another run changed") as caught:
        _check_kept({NAME: _dist("1")}, now)  # type: ignore[arg-type]
    assert caught.value.note == "this run changed nothing"
