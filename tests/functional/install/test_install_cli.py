"""``pinset install``: the real CLI, a real local index, real wheels, real virtual environments."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.helpers.fixtures_install import Run, catalog, index, pinset, venv  # noqa: F401
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import dist_info, installed, run_pinset, site_packages


def test_installs_requirements_with_dependencies_and_reports_changes(
    pinset: Run, venv: Path
) -> None:
    result = pinset("install", "app")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert " + app==1.0\n + lib==3.0" not in result.stderr  # yanked 3.0 is not chosen
    assert " + app==1.0\n + lib==2.0\n" in result.stderr
    assert "Installed 2 packages into" in result.stderr
    site = site_packages(venv)
    assert installed(site) == {"app": "1.0", "lib": "2.0"}
    imported = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import app, lib; print(lib.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert imported.stdout.strip() == "2.0"
    assert (dist_info(site, "app") / "INSTALLER").read_text() == "pinset\n"
    assert (dist_info(site, "app") / "REQUESTED").exists()
    assert not (dist_info(site, "lib") / "REQUESTED").exists()
    assert not (dist_info(site, "app") / "direct_url.json").exists()


def test_second_run_is_already_satisfied_without_any_request(
    pinset: Run, index: IndexServer
) -> None:
    assert pinset("install", "app[fast]").returncode == 0
    index.clear_requests()
    again = pinset("install", "app[fast]")
    assert again.returncode == 0, again.stderr
    assert again.stderr.startswith("Already satisfied: checked 3 packages in ")
    assert index.requests == []


def test_an_unsatisfied_dependency_of_an_installed_package_is_noticed(
    pinset: Run, venv: Path
) -> None:
    assert pinset("install", "app").returncode == 0
    assert pinset("uninstall", "lib").returncode == 0
    result = pinset("install", "app")
    assert result.returncode == 0, result.stderr
    assert " + lib==2.0" in result.stderr
    assert installed(site_packages(venv)) == {"app": "1.0", "lib": "2.0"}


def test_extras_bring_their_dependencies_and_scripts(pinset: Run, venv: Path) -> None:
    result = pinset("install", "app[fast]")
    assert result.returncode == 0, result.stderr
    assert installed(site_packages(venv)) == {"app": "1.0", "lib": "2.0", "speedy": "0.1"}
    script = subprocess.run(
        [str(venv / "bin" / "speedy")], capture_output=True, text=True, check=True
    )
    assert script.stdout == "fast\n"


def test_markers_are_evaluated_for_the_target(pinset: Run, venv: Path, tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text(
        "app  # its dependency 'legacy' is for Python 2 only\nspeedy ; python_version < '3'\n"
    )
    result = pinset("install", "-r", "requirements.txt")
    assert result.returncode == 0, result.stderr
    assert installed(site_packages(venv)) == {"app": "1.0", "lib": "2.0"}


def test_constraints_limit_dependencies(pinset: Run, venv: Path, tmp_path: Path) -> None:
    (tmp_path / "constraints.txt").write_text("lib<2\n")
    result = pinset("install", "app", "-c", "constraints.txt")
    assert result.returncode == 0, result.stderr
    assert installed(site_packages(venv)) == {"app": "1.0", "lib": "1.0"}


def test_upgrade_and_downgrade(pinset: Run, venv: Path) -> None:
    assert pinset("install", "lib==1.0").returncode == 0
    kept = pinset("install", "lib")
    assert kept.stderr.startswith("Already satisfied")
    upgraded = pinset("install", "-U", "lib")
    assert upgraded.returncode == 0, upgraded.stderr
    assert " - lib==1.0\n + lib==2.0\n" in upgraded.stderr
    downgraded = pinset("install", "lib==1.0")
    assert " - lib==2.0\n + lib==1.0\n" in downgraded.stderr
    assert installed(site_packages(venv)) == {"lib": "1.0"}
    assert len(list(site_packages(venv).glob("lib-*.dist-info"))) == 1


def test_yanked_version_only_by_exact_pin_with_a_warning(pinset: Run, venv: Path) -> None:
    result = pinset("install", "lib==3.0")
    assert result.returncode == 0, result.stderr
    assert "warning:" in result.stderr
    assert "yanked" in result.stderr
    assert "broken build" in result.stderr
    assert installed(site_packages(venv)) == {"lib": "3.0"}


def test_pre_releases_need_pre_or_a_pre_release_specifier(pinset: Run, venv: Path) -> None:
    assert " + lib==2.0" in pinset("install", "lib").stderr
    result = pinset("install", "--pre", "-U", "lib")
    assert " + lib==4.0b1" in result.stderr, result.stderr
    assert installed(site_packages(venv)) == {"lib": "4.0b1"}


def test_no_deps_installs_only_what_was_named(pinset: Run, venv: Path) -> None:
    result = pinset("install", "--no-deps", "chain-a")
    assert result.returncode == 0, result.stderr
    assert installed(site_packages(venv)) == {"chain-a": "1.0"}


def test_force_reinstall_reinstalls_the_same_version(pinset: Run, venv: Path) -> None:
    assert pinset("install", "lib==1.0").returncode == 0
    module = site_packages(venv) / "lib" / "__init__.py"
    module.write_text("broken = True\n")
    result = pinset("install", "--force-reinstall", "lib==1.0")
    assert result.returncode == 0, result.stderr
    assert " - lib==1.0\n + lib==1.0\n" in result.stderr
    assert module.read_text() == '__version__ = "1.0"\n'


def test_dry_run_report_has_pips_shape_and_changes_nothing(
    pinset: Run, venv: Path, tmp_path: Path
) -> None:
    before = sorted(p.name for p in site_packages(venv).iterdir())
    result = pinset("install", "--dry-run", "--report", "-", "app[fast]")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in site_packages(venv).iterdir()) == before
    report = json.loads(result.stdout)
    assert report["version"] == "1"
    assert isinstance(report["pip_version"], str)
    assert report["environment"]["python_version"].startswith("3.")
    items = {item["metadata"]["name"]: item for item in report["install"]}
    assert sorted(items) == ["app", "lib", "speedy"]
    app = items["app"]
    assert app["requested"] is True
    assert app["requested_extras"] == ["fast"]
    assert app["is_direct"] is False
    assert app["is_yanked"] is False
    assert app["download_info"]["url"].endswith("/files/app-1.0-py3-none-any.whl")
    digest = app["download_info"]["archive_info"]["hashes"]["sha256"]
    assert len(digest) == 64
    assert app["download_info"]["archive_info"]["hash"] == f"sha256={digest}"
    assert app["metadata"]["version"] == "1.0"
    assert "lib>=1" in app["metadata"]["requires_dist"]
    assert items["lib"]["requested"] is False
    assert "Would install 3 packages" in result.stderr


def test_report_to_a_file(pinset: Run, tmp_path: Path) -> None:
    result = pinset("install", "--report", "report.json", "lib==1.0")
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "report.json").read_text())
    assert [i["metadata"]["version"] for i in report["install"]] == ["1.0"]


def test_upgrade_strategies(pinset: Run, venv: Path) -> None:
    assert pinset("install", "lib==1.0", "app").returncode == 0
    needed = pinset("install", "-U", "app")
    assert needed.returncode == 0, needed.stderr
    assert installed(site_packages(venv)) == {"app": "1.0", "lib": "1.0"}
    eager = pinset("install", "-U", "--upgrade-strategy", "eager", "app")
    assert eager.returncode == 0, eager.stderr
    assert " - lib==1.0\n + lib==2.0\n" in eager.stderr
    assert installed(site_packages(venv)) == {"app": "1.0", "lib": "2.0"}


def test_index_options_in_a_requirements_file_are_used(
    index: IndexServer, venv: Path, tmp_path: Path
) -> None:
    (tmp_path / "requirements.txt").write_text(f"--index-url {index.simple_url}\napp\n")
    result = run_pinset(
        "install",
        "--python",
        str(venv),
        "-r",
        "requirements.txt",
        "-i",
        "http://127.0.0.1:9/x",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert installed(site_packages(venv)) == {"app": "1.0", "lib": "2.0"}


def test_find_links_without_an_index(venv: Path, catalog: Path, tmp_path: Path) -> None:
    result = run_pinset(
        "install", "--python", str(venv), "--no-index", "-f", str(catalog), "app", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    # a find-links directory knows nothing of yanking: 3.0 is just the newest
    assert installed(site_packages(venv)) == {"app": "1.0", "lib": "3.0"}
