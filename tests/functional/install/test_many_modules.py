"""A package of thousands of modules uninstalls and upgrades exactly: every file it placed and
all their bytecode go, nothing of a neighbour sharing its directory does. (Speed is measured by
``benchmarks/uninstall_many.py``, not here.)"""

from __future__ import annotations

from pathlib import Path

from pinset.environment.installed import scan
from pinset.environment.schemes import environment_scheme
from pinset.install.plan import Plan, make_plan
from pinset.install.transaction import apply
from tests.functional.install.conftest import VenvFactory, local_wheel
from tests.helpers.dists import make_wheel
from tests.helpers.envs import snapshot

MODULES = 5000


def _many(dest: Path, version: str, modules: range) -> Path:
    files = {f"many/m{i}.py": f"X = {i}\n" for i in modules}
    files["many/__init__.py"] = f"V = {version!r}\n"
    return make_wheel(dest, "many", version, files=files)


def test_thousands_of_modules_uninstall_and_upgrade_exactly(
    tmp_path: Path, make_env: VenvFactory
) -> None:
    interp = make_env()
    scheme = environment_scheme(interp)
    neighbour = local_wheel(
        make_wheel(
            tmp_path / "w",
            "neighbour",
            "1",
            files={"many/m1.b.py": "N = 1\n", "many/plugin.py": "P = 1\n", "nb/__init__.py": ""},
        )
    )
    apply(make_plan({neighbour.name: neighbour}, {}), interp, compile=True)
    before = snapshot(interp.prefix)

    old = local_wheel(_many(tmp_path / "w1", "1", range(MODULES)))
    apply(make_plan({old.name: old}, scan(scheme)), interp, compile=True)
    cache = scheme.purelib / "many" / "__pycache__"
    assert len(list(cache.glob("m*.pyc"))) == MODULES + 1  # and the neighbour's m1.b

    new = local_wheel(_many(tmp_path / "w2", "2", range(MODULES // 2, MODULES + 10)))
    apply(make_plan({new.name: new}, scan(scheme)), interp, compile=True)
    modules = {p.name for p in (scheme.purelib / "many").glob("m*.py")}
    wanted = {f"m{i}.py" for i in range(MODULES // 2, MODULES + 10)} | {"m1.b.py"}
    assert modules == wanted
    tag = interp.cache_tag
    pycs = {p.name for p in cache.glob("m*.pyc")}
    assert pycs == {f"{name[:-3]}.{tag}.pyc" for name in wanted}

    apply(Plan((), (scan(scheme)[new.name],), frozenset()), interp, compile=False)
    assert snapshot(interp.prefix) == before
