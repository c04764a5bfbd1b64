"""Install generated wheels into real venvs of every available Python and use them there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from pinset.direct_url import ArchiveInfo, DirectUrl
from pinset.environment.installed import scan
from pinset.environment.schemes import environment_scheme
from pinset.install.plan import Plan, make_plan
from pinset.install.record import hash_bytes, parse_record
from pinset.install.transaction import apply
from tests.functional.install.conftest import NEWEST, VERSIONS, VenvFactory, local_wheel
from tests.helpers.dists import make_wheel
from tests.helpers.envs import diff, snapshot

APP = """
import sys
import tempfile
import demo_lib


def main():
    print("app", demo_lib.greet(), sys.executable)


def gui():
    print("gui")
"""


def _wheels(dest: Path) -> list[Path]:
    lib = make_wheel(
        dest,
        "Demo-Lib",
        "2.0",
        files={
            "demo_lib/__init__.py": "def greet():\n    return 'hello from lib'\n",
            "demo_lib/sub/mod.py": "VALUE = 42\n",
        },
        data={
            "scripts": {"demo-raw": "#!python\nimport demo_lib\nprint(demo_lib.greet())\n"},
            "data": {"share/demo/readme.txt": "data file\n"},
        },
    )
    app = make_wheel(
        dest,
        "demo_app",
        "1.0",
        requires=["Demo-Lib>=2"],
        files={"demo_app/__init__.py": APP},
        entry_points={
            "console_scripts": {"demo-app": "demo_app:main"},
            "gui_scripts": {"demo-gui": "demo_app:gui"},
        },
        root_is_purelib=False,
    )
    return [lib, app]


def _run(interp_exe: Path, *argv: str) -> str:
    proc = subprocess.run(
        [str(interp_exe), *argv], capture_output=True, text=True, check=True, timeout=60
    )
    return proc.stdout


@pytest.mark.parametrize("version", VERSIONS)
def test_install_import_run_and_uninstall(
    tmp_path: Path, make_env: VenvFactory, version: str
) -> None:
    interp = make_env(version)
    before = snapshot(interp.prefix)
    wheels = [local_wheel(w) for w in _wheels(tmp_path / "wheels")]
    plan = make_plan(
        {w.name: w for w in wheels},
        scan(environment_scheme(interp)),
        requested=frozenset({wheels[1].name}),
    )
    result = apply(plan, interp, compile=True, unpacked_cache=tmp_path / "cache")
    assert sorted(d.name for d in result.installed) == ["demo-app", "demo-lib"]

    # the target Python imports them from its own site-packages
    out = _run(
        interp.executable,
        "-c",
        "import demo_lib.sub.mod as m, demo_app; print(m.VALUE, m.__file__)",
    )
    assert out.startswith("42 " + str(environment_scheme(interp).purelib))
    # launchers run under the environment's interpreter
    scripts = environment_scheme(interp).scripts
    app_out = _run(scripts / "demo-app")
    assert app_out.startswith("app hello from lib ")
    assert Path(app_out.split()[-1]).parent == scripts
    assert _run(scripts / "demo-gui") == "gui\n"
    assert _run(scripts / "demo-raw") == "hello from lib\n"
    assert (scripts / "demo-app").read_bytes().startswith(f"#!{interp.executable}\n".encode())
    assert (interp.prefix / "share" / "demo" / "readme.txt").read_text() == "data file\n"

    # every new file is in exactly one RECORD, with its true hash; bytecode for this Python
    added = {
        p for p in diff(before, snapshot(interp.prefix))["added"] if (interp.prefix / p).is_file()
    }
    recorded: set[str] = set()
    installed = scan(environment_scheme(interp))
    for dist in installed.values():
        for row in parse_record((dist.path / "RECORD").read_text()):
            path = Path(os.path.normpath(dist.path.parent / row.path))
            recorded.add(str(path.relative_to(interp.prefix)))
            if row.hash:
                assert hash_bytes(path.read_bytes()) == row.hash, row.path
    assert added == recorded
    assert any(p.endswith(f"mod.{interp.cache_tag}.pyc") for p in recorded)
    app = installed[canonicalize_name("demo-app")]
    lib = installed[canonicalize_name("demo-lib")]
    assert (app.installer, app.requested, lib.requested) == ("pinset", True, False)

    # pip (as an independent reader) sees the same installation
    listing = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "list",
            "--path",
            str(environment_scheme(interp).purelib),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert {(d["name"], d["version"]) for d in json.loads(listing.stdout)} >= {
        ("demo_app", "1.0"),
        ("Demo-Lib", "2.0"),
    }

    # uninstalling removes exactly what was installed
    removed = apply(Plan((), tuple(installed.values()), frozenset()), interp, compile=True)
    assert len(removed.removed) == 2
    assert diff(before, snapshot(interp.prefix)) == {"added": [], "removed": [], "changed": []}


def test_upgrade_replaces_the_old_version(tmp_path: Path, make_env: VenvFactory) -> None:
    interp = make_env(NEWEST)
    one = local_wheel(
        make_wheel(tmp_path / "w", "p", "1", files={"p/__init__.py": "V = 1\n", "p/old.py": ""})
    )
    two = local_wheel(make_wheel(tmp_path / "w", "p", "2", files={"p/__init__.py": "V = 2\n"}))
    apply(make_plan({one.name: one}, scan(environment_scheme(interp))), interp, compile=False)
    plan = make_plan({two.name: two}, scan(environment_scheme(interp)))
    assert [d.version.public for d in plan.remove] == ["1"]
    apply(plan, interp, compile=False)
    assert _run(interp.executable, "-c", "import p; print(p.V)") == "2\n"
    assert not (environment_scheme(interp).purelib / "p" / "old.py").exists()
    assert sorted(p.name for p in environment_scheme(interp).purelib.glob("p-*.dist-info")) == [
        "p-2.dist-info"
    ]


def test_what_apply_reports_is_what_a_scan_of_the_environment_reads(
    tmp_path: Path, make_env: VenvFactory
) -> None:
    interp = make_env(NEWEST)
    scheme = environment_scheme(interp)
    keep, old = (local_wheel(make_wheel(tmp_path / "w", n, "1")) for n in ("Keep.Me", "p"))
    apply(make_plan({keep.name: keep, old.name: old}, {}), interp, compile=False)
    new = local_wheel(make_wheel(tmp_path / "w", "p", "2"))
    extra = local_wheel(make_wheel(tmp_path / "w", "extra", "3"))
    direct = DirectUrl(extra.path.as_uri(), ArchiveInfo((("sha256", extra.sha256),)))
    plan = make_plan(
        {new.name: new, extra.name: extra},
        scan(scheme),
        requested=frozenset({new.name}),
        direct_urls={extra.name: direct},
    )
    result = apply(plan, interp, compile=False)
    after = scan(scheme)
    assert result.environment == after  # the re-check reads this instead of scanning again
    p, extra_dist = after[canonicalize_name("p")], after[canonicalize_name("extra")]
    assert sorted(result.installed, key=lambda d: d.name) == [extra_dist, p]
    assert (p.requested, p.installer, p.version.public) == (True, "pinset", "2")
    assert (extra_dist.requested, extra_dist.direct_url) == (False, direct)
    assert [d.version.public for d in result.removed] == ["1"]


def test_no_compile_and_direct_url(tmp_path: Path, make_env: VenvFactory) -> None:
    interp = make_env(NEWEST)
    wheel = local_wheel(make_wheel(tmp_path / "w", "p", "1"))
    direct = DirectUrl(wheel.path.as_uri(), ArchiveInfo((("sha256", wheel.sha256),)))
    plan = make_plan({wheel.name: wheel}, {}, direct_urls={wheel.name: direct})
    (dist,) = apply(plan, interp, compile=False).installed
    assert dist.direct_url == direct
    written = (environment_scheme(interp).purelib / "p-1.dist-info" / "direct_url.json").read_text()
    hashes = {"sha256": wheel.sha256}
    assert json.loads(written) == {"url": wheel.path.as_uri(), "archive_info": {"hashes": hashes}}
    assert not list(environment_scheme(interp).purelib.rglob("*.pyc"))


def test_hard_links_from_the_unpacked_cache_and_copies_across_filesystems(
    tmp_path: Path, make_env: VenvFactory
) -> None:
    interp = make_env(NEWEST)
    wheel = local_wheel(make_wheel(tmp_path / "w", "p", "1", files={"p/__init__.py": "V = 1\n"}))
    apply(make_plan({wheel.name: wheel}, {}), interp, compile=False, unpacked_cache=tmp_path / "c")
    placed = environment_scheme(interp).purelib / "p" / "__init__.py"
    cached = next((tmp_path / "c").rglob("files/p/__init__.py"))
    assert placed.stat().st_ino == cached.stat().st_ino  # same filesystem: a hard link

    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("no second filesystem to test the copy fallback")
    other = make_env(NEWEST, name="env2")
    with tempfile.TemporaryDirectory(dir=shm) as far:
        apply(make_plan({wheel.name: wheel}, {}), other, compile=False, unpacked_cache=Path(far))
        copied = environment_scheme(other).purelib / "p" / "__init__.py"
        assert copied.read_text() == "V = 1\n"
        assert copied.stat().st_dev != Path(far).stat().st_dev
    assert _run(other.executable, "-c", "import p; print(p.V)") == "1\n"
