"""pinset's own state (``<purelib>/.pinset/``) is pinset's: wheels may not write into it, and a
journal found there is acted on only when pinset wrote it, and only inside the environment."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)

from __future__ import annotations

import json
from pathlib import Path

import pytest
from packaging.utils import NormalizedName

from pinset.environment.installed import scan
from pinset.environment.schemes import environment_scheme
from pinset.errors import IntegrityError
from pinset.install.plan import Plan, make_plan
from pinset.install.transaction import apply
from tests.functional.install.conftest import VenvFactory, local_wheel
from tests.helpers.dists import make_wheel
from tests.helpers.envs import snapshot
from tests.helpers.fixtures_install import Run, catalog, index, pinset, venv  # noqa: F401
from tests.helpers.install_world import installed, site_packages

PLANTED = {
    "root": ({"files": {"p/__init__.py": "", ".pinset/0000.journal": "x"}}, ".pinset/0000.journal"),
    "purelib": ({"data": {"purelib": {".pinset/0000.journal": "x"}}}, ".pinset/0000.journal"),
    "platlib": ({"data": {"platlib": {".pinset/lock": "x"}}}, ".pinset/lock"),
    "data": ({"data": {"data": {".pinset/0000.journal": "x"}}}, ".pinset/0000.journal"),
    "file": ({"files": {"p/__init__.py": "", ".pinset": "x"}}, ".pinset"),
}


@pytest.mark.parametrize("where", sorted(PLANTED))
def test_a_wheel_may_not_write_pinsets_state(
    tmp_path: Path, make_env: VenvFactory, where: str
) -> None:
    interp = make_env()
    good = local_wheel(make_wheel(tmp_path / "w", "good", "1"))
    apply(make_plan({good.name: good}, {}), interp, compile=False)
    before = snapshot(interp.prefix, ignore=())
    options, member = PLANTED[where]
    bad = local_wheel(make_wheel(tmp_path / "w", "p", "1", **options))  # type: ignore[arg-type]
    with pytest.raises(IntegrityError, match=r"p 1 .*" + member.replace(".", r"\.")) as caught:
        apply(make_plan({bad.name: bad}, scan(environment_scheme(interp))), interp, compile=False)
    assert "pinset's own state" in caught.value.message
    assert caught.value.hint == "the wheel was not installed"
    assert snapshot(interp.prefix, ignore=()) == before


def _plant(state: Path, victim_dir: Path, victim: Path) -> Path:
    """What a wheel installed by pip can leave: a journal and a stash in pinset's state dir."""
    state.mkdir(exist_ok=True)
    stash = state / "0000.stash"
    stash.mkdir()
    (stash / "1").write_text("attacker")
    entries = [
        {"op": "begin"},
        {"op": "tree", "path": str(victim_dir)},
        {"op": "stash", "path": str(victim), "to": str(stash / "1")},
        {"op": "create", "path": str(victim)},
        {"op": "prune", "path": str(victim_dir / "empty")},
    ]
    journal = state / "0000.journal"
    journal.write_text("".join(json.dumps(e) + "\n" for e in entries))
    return journal


def test_a_planted_journal_is_not_acted_on(pinset: Run, venv: Path, tmp_path: Path) -> None:
    victim_dir = tmp_path / "victim-dir"
    (victim_dir / "empty").mkdir(parents=True)
    (victim_dir / "data.txt").write_text("precious")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    journal = _plant(site_packages(venv) / ".pinset", victim_dir, victim)

    run = pinset("install", "lib==1.0")
    assert run.returncode == 0, run.stderr
    assert (victim_dir / "data.txt").read_text() == "precious"
    assert (victim_dir / "empty").is_dir()
    assert victim.read_text() == "precious"
    assert "+ lib==1.0" in run.stderr
    assert f"warning: ignored {journal}" in run.stderr
    assert "not written by pinset" in run.stderr
    assert installed(site_packages(venv)) == {"lib": "1.0"}
    assert journal.exists()
    assert (journal.parent / "0000.stash" / "1").exists()
    noop = pinset("install", "lib==1.0")  # the no-op path warns too
    assert noop.returncode == 0, noop.stderr
    assert f"warning: ignored {journal}" in noop.stderr
    assert victim.read_text() == "precious"


def test_a_wheel_may_not_write_the_journal_key(
    tmp_path: Path, make_env: VenvFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    interp = make_env()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(interp.prefix / "cfg"))  # as with --prefix ~
    data = {"data": {"cfg/pinset/journal.key": "k" * 32}}
    bad = local_wheel(make_wheel(tmp_path / "w", "p", "1", data=data))
    with pytest.raises(IntegrityError, match=r"p 1 ships p-1\.data/data/cfg/pinset/journal\.key"):
        apply(make_plan({bad.name: bad}, {}), interp, compile=False)
    assert (interp.prefix / "cfg" / "pinset" / "journal.key").read_bytes() != b"k" * 32


def test_a_record_naming_pinsets_state_does_not_remove_it(
    tmp_path: Path, make_env: VenvFactory
) -> None:
    interp = make_env()
    good = local_wheel(make_wheel(tmp_path / "w", "good", "1"))
    apply(make_plan({good.name: good}, {}), interp, compile=False)  # makes .pinset/lock
    lock = environment_scheme(interp).purelib / ".pinset" / "lock"
    assert lock.exists()
    info = environment_scheme(interp).purelib / "rogue-1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Name: rogue\nVersion: 1\n")
    (environment_scheme(interp).purelib / "rogue.py").write_text("")
    (info / "RECORD").write_text("rogue.py,,\n.pinset/lock,,\nrogue-1.dist-info/RECORD,,\n")
    rogue = scan(environment_scheme(interp))[NormalizedName("rogue")]
    result = apply(Plan((), (rogue,), frozenset()), interp, compile=False)
    assert [d.name for d in result.removed] == ["rogue"]
    assert not (environment_scheme(interp).purelib / "rogue.py").exists()
    assert lock.exists()
