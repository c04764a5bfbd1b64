"""The remembered install plan's file (``pinset.ops.replay``) without a run: its key covers
every module of pinset, and a damaged or foreign file is no plan."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest

from pinset.buckets import bucket_dir_name
from pinset.ops.noop_verdict import Verdict
from pinset.ops.replay import Recorded, find, plan_key

ENV = {"VIRTUAL_ENV": "/nonexistent/venv", "PINSET_CACHE_DIR": "c"}


def test_the_key_covers_every_module_that_decides_a_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The finder chose the files, the resolver the versions, the builder built them: an
    edited module anywhere in pinset retires every plan."""
    from pinset.ops import noop_verdict

    seen: list[str] = []

    def stat(path: str) -> list[int]:
        seen.append(Path(path).resolve().as_posix())
        return [0]

    monkeypatch.setattr(noop_verdict, "stat_facts", stat)
    plan_key(["install", "-r", "r.txt"], ENV, str(tmp_path), False)
    for module in (
        "index/finder.py",
        "resolve/resolver.py",
        "distribution/builder.py",
        "install/transaction.py",
        "http/client.py",
        "cli/commands/install.py",
        "dists.py",
    ):
        assert any(p.endswith(f"pinset/{module}") for p in seen), module


def _plan() -> Recorded:
    return Recorded(
        wheels=[("app", "1.0", "a" * 64, "/c/app-1.0-py3-none-any.whl")],
        requested=["app"],
        direct_urls={},
        dist_info_files={},
        before=[],
        compile=False,
        link_mode="hardlink",
        unpacked_dir="/c/wheels-unpacked",
        resolved=1,
        verdict=Verdict(
            files=["/w/r.txt"],
            stats=[],
            site_dirs=["/v/lib/python3.13/site-packages"],
            verbosity=0,
            audited=1,
            location="/v",
            python_version="3.13.0",
        ),
    )


def test_a_plan_survives_its_file_form() -> None:
    body = marshal.loads(marshal.dumps(_plan().body()))
    again = Recorded.from_body(body)
    assert again is not None
    assert again.body() == _plan().body()
    assert (again.files, again.site_dirs) == (("/w/r.txt",), ("/v/lib/python3.13/site-packages",))


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b.pop("wheels"),
        lambda b: b.update(wheels=[("app", "1.0")]),
        lambda b: b.update(compile=1),
        lambda b: b.update(fresh_until="soon"),
        lambda b: b.update(dist_info_files={"app": {"INSTALLER": "pinset"}}),
        lambda b: b.update(verdict=None),
    ],
)
def test_a_damaged_plan_is_no_plan(damage: object, tmp_path: Path) -> None:
    body = _plan().body()
    damage(body)  # type: ignore[operator]
    assert Recorded.from_body(body) is None
    argv = ["install", "-r", "r.txt"]
    where = tmp_path / "c" / bucket_dir_name("plans")
    where.mkdir(parents=True)
    (where / plan_key(argv, ENV, str(tmp_path), False)).write_bytes(marshal.dumps(body))
    assert find(argv, ENV, str(tmp_path)) == "the recorded plan is damaged"
