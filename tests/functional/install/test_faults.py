"""A failure at any step of a transaction leaves the environment byte-for-byte as it was."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pinset.dists import LocalWheel
from pinset.environment.installed import scan
from pinset.environment.schemes import environment_scheme
from pinset.errors import InstallError
from pinset.install import transaction
from pinset.install.linking import LinkMode
from pinset.install.plan import make_plan
from pinset.install.transaction import apply
from pinset.interpreter import Interpreter
from tests.functional.install.conftest import VenvFactory, local_wheel
from tests.helpers.dists import make_wheel
from tests.helpers.envs import snapshot


class Boom(Exception):
    pass


def _twenty(dest: Path, version: str) -> list[Path]:
    return [
        make_wheel(
            dest,
            f"pkg{i:02d}",
            version,
            files={f"pkg{i:02d}/__init__.py": f"V = {version!r}\n", "shared/README": f"{i}\n"},
            entry_points={"console_scripts": {f"tool{i:02d}": f"pkg{i:02d}:V"}},
        )
        for i in range(20)
    ]


@pytest.fixture
def populated(tmp_path: Path, make_env: VenvFactory) -> Interpreter:
    """An environment with version 1 of pkg00..pkg19 installed (so upgrades stash files)."""
    interp = make_env()
    ones = [local_wheel(w) for w in _twenty(tmp_path / "v1", "1")]
    apply(make_plan({w.name: w for w in ones}, {}), interp, compile=True)
    return interp


STEPS = [
    ("stash", 0),
    ("stash", 9),
    ("install", 0),
    ("install", 9),
    ("install", 19),
    ("compile", 0),
    ("record", 9),
    ("record", 19),
    ("commit", 0),
]


FAULTS = [(Boom, step, index) for step, index in STEPS] + [
    (KeyboardInterrupt, "stash", 9),
    (KeyboardInterrupt, "install", 9),
    (KeyboardInterrupt, "commit", 0),
]


@pytest.mark.parametrize(("error", "step", "index"), FAULTS)
def test_failure_at_each_step_rolls_back(
    tmp_path: Path, populated: Interpreter, error: type[BaseException], step: str, index: int
) -> None:
    interp = populated
    before = snapshot(interp.prefix)
    twos = [local_wheel(w) for w in _twenty(tmp_path / "v2", "2")]
    seen: list[str] = []

    def hook(name: str, detail: str) -> None:
        if name == step:
            seen.append(detail)
            if len(seen) == index + 1:
                raise error(f"injected at {step} #{index}")

    with pytest.raises(error, match="injected"):
        apply(
            make_plan({w.name: w for w in twos}, scan(environment_scheme(interp))),
            interp,
            compile=True,
            unpacked_cache=tmp_path / "cache",
            hook=hook,
        )
    assert snapshot(interp.prefix) == before
    assert sorted(p.name for p in (environment_scheme(interp).purelib / ".pinset").iterdir()) == [
        "lock"
    ]


def test_broken_tenth_wheel_restores_everything(tmp_path: Path, populated: Interpreter) -> None:
    interp = populated
    before = snapshot(interp.prefix)
    twos = _twenty(tmp_path / "v2", "2")
    # the 10th wheel wants a *file* where the environment has pkg03's package directory
    twos[9] = make_wheel(tmp_path / "bad", "pkg09", "2", files={"pkg03": "not a directory\n"})
    wheels = [local_wheel(w) for w in twos]
    with pytest.raises(InstallError, match="pkg03 is a directory") as caught:
        apply(
            make_plan({w.name: w for w in wheels}, scan(environment_scheme(interp))),
            interp,
            compile=True,
        )
    assert "restored" in (caught.value.note or "")
    assert snapshot(interp.prefix) == before
    # and the old versions still work
    out = subprocess.run(
        [str(interp.executable), "-c", "import pkg05; print(pkg05.V)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out == "1\n"


@pytest.mark.parametrize("mode", ["copy", "hardlink", "symlink"])
def test_each_link_mode_rolls_back(tmp_path: Path, populated: Interpreter, mode: LinkMode) -> None:
    interp = populated
    before = snapshot(interp.prefix)
    twos = [local_wheel(w) for w in _twenty(tmp_path / "v2", "2")]

    def hook(name: str, detail: str) -> None:
        if name == "record" and detail == "pkg19":
            raise Boom("injected after every file was placed")

    with pytest.raises(Boom, match="injected"):
        apply(
            make_plan({w.name: w for w in twos}, scan(environment_scheme(interp))),
            interp,
            compile=True,
            unpacked_cache=tmp_path / "cache",
            hook=hook,
            link_mode=mode,
        )
    assert snapshot(interp.prefix) == before
    cached = sorted((tmp_path / "cache").rglob("pkg00/__init__.py"))
    assert [p.read_text() for p in cached] == ["V = '2'\n"]  # the cache was not touched


@pytest.mark.parametrize(("step", "index"), [("stash", 15), ("install", 5), ("commit", 0)])
def test_an_exact_plan_that_fails_restores_what_it_was_removing(
    tmp_path: Path, populated: Interpreter, step: str, index: int
) -> None:
    """A sync's plan (upgrade ten, remove the other ten) fails: every removed distribution is
    back, as every replaced one."""
    interp = populated
    before = snapshot(interp.prefix)
    twos = [local_wheel(w) for w in _twenty(tmp_path / "v2", "2")][:10]
    seen: list[str] = []

    def hook(name: str, detail: str) -> None:
        if name == step:
            seen.append(detail)
            if len(seen) == index + 1:
                raise Boom(f"injected at {step} #{index}")

    current = scan(environment_scheme(interp))
    plan = make_plan({w.name: w for w in twos}, current, exact=True)
    assert len(plan.remove) == 20  # ten replaced, ten no longer wanted
    with pytest.raises(Boom, match="injected"):
        apply(plan, interp, compile=True, unpacked_cache=tmp_path / "cache", hook=hook)
    assert snapshot(interp.prefix) == before


def _nested(dest: Path) -> list[LocalWheel]:
    """Twenty wheels whose files share new directories several levels deep (``ns/deep``),
    each with a tree of its own below them: the writers make those directories side by side."""
    return [
        local_wheel(
            make_wheel(
                dest,
                f"nest{i:02d}",
                "1",
                files={
                    f"ns/deep/nest{i:02d}/a/b/__init__.py": f"V = {i}\n",
                    f"ns/deep/nest{i:02d}/__init__.py": "",
                    "ns/deep/shared.txt": f"{i}\n",
                },
            )
        )
        for i in range(20)
    ]


WRITER_COUNTS = pytest.mark.parametrize("writers", [1, 4])
"""One writer places the wheels one after another in the run's thread (a machine with one
core); more, side by side (never more than the cores)."""


@WRITER_COUNTS
def test_wheels_sharing_new_directories_install_together(
    tmp_path: Path, make_env: VenvFactory, monkeypatch: pytest.MonkeyPatch, writers: int
) -> None:
    monkeypatch.setattr(transaction, "WRITERS", writers)
    interp = make_env()
    wheels = _nested(tmp_path / "wheels")
    apply(make_plan({w.name: w for w in wheels}, {}), interp, unpacked_cache=tmp_path / "cache")
    site = environment_scheme(interp).purelib
    for i in range(20):
        assert (site / f"ns/deep/nest{i:02d}/a/b/__init__.py").read_text() == f"V = {i}\n"
        pycs = list((site / f"ns/deep/nest{i:02d}/a/b/__pycache__").glob("__init__.*.pyc"))
        assert len(pycs) == 1
    assert (site / "ns/deep/shared.txt").read_text() == "19\n"  # the last wheel's, as pip


@WRITER_COUNTS
def test_new_directories_made_side_by_side_are_rolled_back(
    tmp_path: Path, make_env: VenvFactory, monkeypatch: pytest.MonkeyPatch, writers: int
) -> None:
    monkeypatch.setattr(transaction, "WRITERS", writers)
    interp = make_env()
    before = snapshot(interp.prefix)

    def hook(name: str, detail: str) -> None:
        if name == "record" and detail == "nest19":
            raise Boom("injected after every file was placed")

    wheels = _nested(tmp_path / "wheels")
    with pytest.raises(Boom, match="injected"):
        apply(
            make_plan({w.name: w for w in wheels}, {}),
            interp,
            unpacked_cache=tmp_path / "cache",
            hook=hook,
        )
    assert snapshot(interp.prefix) == before
