"""Hostile wheels and file lists are refused and the environment is left exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.version import Version

from pinset.dists import InstalledDist
from pinset.environment.installed import scan
from pinset.environment.schemes import environment_scheme
from pinset.errors import InstallError, IntegrityError, PinsetError
from pinset.install.plan import Plan, make_plan
from pinset.install.transaction import apply
from tests.functional.install.conftest import VenvFactory, local_wheel
from tests.helpers.dists import make_wheel
from tests.helpers.envs import snapshot

HOSTILE = {
    "tampered": ({"tamper": True}, IntegrityError, "RECORD hash"),
    "traversal": ({"raw_entries": {"../../../../evil.py": "x"}}, IntegrityError, "unsafe path"),
    "absolute": ({"raw_entries": {"/tmp/pinset-evil.py": "x"}}, IntegrityError, "unsafe path"),
    "data-escape": ({"raw_entries": {"p-1.data/data/../../x": "x"}}, IntegrityError, "unsafe"),
    "symlink": ({"symlinks": {"p/link": "/etc/passwd"}}, IntegrityError, "symbolic link"),
    "python-script": (
        {"entry_points": {"console_scripts": {"python": "p:main"}}},
        InstallError,
        "refuses",
    ),
    "script-path": (
        {"entry_points": {"console_scripts": {"../../lib/evil": "p:main"}}},
        InstallError,
        "refuses",
    ),
    "data-python": ({"data": {"scripts": {"python3": "#!python\n"}}}, InstallError, "refuses"),
    "unknown-data": ({"data": {"elsewhere": {"x": "y"}}}, InstallError, "unknown data"),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_wheel_is_refused_and_env_unchanged(
    tmp_path: Path, make_env: VenvFactory, kind: str
) -> None:
    interp = make_env()
    good = local_wheel(make_wheel(tmp_path / "w", "good", "1"))
    apply(make_plan({good.name: good}, {}), interp, compile=False)  # a non-empty environment
    before = snapshot(interp.prefix)
    options, error, message = HOSTILE[kind]
    bad = local_wheel(make_wheel(tmp_path / "w", "p", "1", **options))  # type: ignore[arg-type]
    other = local_wheel(make_wheel(tmp_path / "w", "other", "1"))
    with pytest.raises(error, match=message):
        apply(
            make_plan({other.name: other, bad.name: bad}, scan(environment_scheme(interp))),
            interp,
            compile=True,
        )
    assert snapshot(interp.prefix) == before
    assert not (tmp_path / "evil.py").exists()


def test_uninstall_refuses_a_record_pointing_outside(tmp_path: Path, make_env: VenvFactory) -> None:
    interp = make_env()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    info = environment_scheme(interp).purelib / "rogue-1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Name: rogue\nVersion: 1\n")
    rel = (
        Path("../" * len(environment_scheme(interp).purelib.relative_to(tmp_path).parts))
        / "victim.txt"
    )
    (info / "RECORD").write_text(f"{rel},,\nrogue-1.dist-info/RECORD,,\n")
    before = snapshot(interp.prefix)
    dist = InstalledDist("rogue", Version("1"), info)  # type: ignore[arg-type]
    with pytest.raises(InstallError, match="outside the environment"):
        apply(Plan((), (dist,), frozenset()), interp, compile=False)
    assert victim.read_text() == "precious"
    assert snapshot(interp.prefix) == before


def test_wheel_contents_not_matching_the_plan(tmp_path: Path, make_env: VenvFactory) -> None:
    interp = make_env()
    wheel = local_wheel(make_wheel(tmp_path / "w", "p", "1"))
    liar = type(wheel)(wheel.name, Version("2"), wheel.path, wheel.sha256)
    with pytest.raises(PinsetError, match="expected p 2"):
        apply(Plan((liar,), (), frozenset()), interp, compile=False)
