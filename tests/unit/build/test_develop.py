"""pinset's develop-mode wheel (an editable for a backend without ``build_editable``)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from pinset.build.develop import MovableSite, develop_wheel, import_root


def _dist_info(path: Path, top_level: str = "") -> Path:
    path.mkdir(parents=True)
    (path / "METADATA").write_text("Metadata-Version: 2.1\nName: Demo.App\nVersion: 1.0\n")
    (path / "entry_points.txt").write_text("[console_scripts]\ndemo = demo_app:main\n")
    (path / "RECORD").write_text("")
    if top_level:
        (path / "top_level.txt").write_text(top_level)
    return path


def test_the_import_root_is_the_tree_src_or_what_setup_cfg_says(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    (tree / "src" / "demo_app").mkdir(parents=True)
    info = _dist_info(tmp_path / "meta", "demo_app\n")
    assert import_root(tree, info) == tree / "src"
    (tree / "demo_app").mkdir()
    assert import_root(tree, info) == tree  # the name is at the root too
    (tree / "lib").mkdir()
    (tree / "setup.cfg").write_text("[options]\npackage_dir =\n    = lib\n")
    assert import_root(tree, info) == (tree / "lib").resolve()
    (tree / "setup.cfg").write_text("[options]\npackage_dir =\n    = ../../outside\n")
    assert import_root(tree, info) == tree


def test_the_develop_wheel_holds_the_metadata_a_pth_and_a_record(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    wheel = develop_wheel(_dist_info(tmp_path / "meta"), tree, tmp_path / "out")
    assert wheel.name == "Demo_App-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        assert zf.read("__editable__.Demo_App-1.0.pth").decode() == f"{tree.resolve()}\n"
        record = zf.read("Demo_App-1.0.dist-info/RECORD").decode()
    assert names == {
        "__editable__.Demo_App-1.0.pth",
        "Demo_App-1.0.dist-info/METADATA",
        "Demo_App-1.0.dist-info/entry_points.txt",
        "Demo_App-1.0.dist-info/WHEEL",
        "Demo_App-1.0.dist-info/RECORD",
    }
    assert "__editable__.Demo_App-1.0.pth,sha256=" in record


def test_a_pth_relative_to_site_packages_reaches_the_tree_from_there(tmp_path: Path) -> None:
    app = tmp_path / "app"
    site = app / ".venv" / "lib" / "python3.12" / "site-packages"
    site.mkdir(parents=True)
    wheel = develop_wheel(_dist_info(tmp_path / "meta"), app, tmp_path / "out", relative_to=site)
    with zipfile.ZipFile(wheel) as zf:
        line = zf.read("__editable__.Demo_App-1.0.pth").decode()
    assert line == "../../../..\n"
    assert (site / line.strip()).resolve() == app.resolve()  # as site.addpackage joins it


def test_a_movable_site_holds_what_lies_inside_the_directory_that_moves(tmp_path: Path) -> None:
    movable = MovableSite(tmp_path / "app/.venv/lib/site-packages", tmp_path / "app")
    assert movable.holds(tmp_path / "app")
    assert movable.holds(tmp_path / "app" / "libs" / "one")
    assert not movable.holds(tmp_path / "application")  # a prefix of the name is not inside
    assert not movable.holds(tmp_path / "other")
