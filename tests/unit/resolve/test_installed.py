"""What is installed is kept unless it must change or the user asks for upgrades (pip's rules)."""

from __future__ import annotations

from packaging.utils import NormalizedName

from pinset.dists import Candidate, InstalledDist
from pinset.resolve import Resolution
from tests.helpers.repository import Repository
from tests.unit.resolve.test_resolve import run, versions


def kinds(resolution: Resolution) -> dict[str, str]:
    """``installed`` or ``index`` per pin."""
    return {
        name: "installed" if isinstance(pin, InstalledDist) else "index"
        for name, pin in resolution.pins.items()
    }


def repo_and_installed() -> tuple[Repository, dict[NormalizedName, InstalledDist]]:
    repo = Repository(
        {
            "app": {"1.0": ["lib>=1"], "2.0": ["lib>=1"]},
            "lib": {"1.0": [], "1.5": [], "2.0": []},
        }
    )
    installed = {
        NormalizedName("app"): repo.install("app", "1.0"),
        NormalizedName("lib"): repo.install("lib", "1.5"),
    }
    return repo, installed


def test_installed_distributions_that_satisfy_everything_are_kept_without_the_index() -> None:
    repo, installed = repo_and_installed()
    result = run(repo, "app\n", installed=installed)
    assert versions(result) == {"lib": "1.5", "app": "1.0"}
    assert kinds(result) == {"lib": "installed", "app": "installed"}
    assert repo.asked == []
    assert repo.prefetched == []


def test_installed_dependencies_come_from_the_installed_metadata() -> None:
    repo, installed = repo_and_installed()
    installed[NormalizedName("app")] = repo.install("app", "1.0", requires=["lib<1.5"])
    result = run(repo, "app\n", installed=installed)
    assert versions(result) == {"lib": "1.0", "app": "1.0"}
    assert kinds(result) == {"lib": "index", "app": "installed"}


def test_a_requirement_the_installed_version_does_not_meet_is_fetched() -> None:
    repo, installed = repo_and_installed()
    result = run(repo, "app\nlib>=2\n", installed=installed)
    assert versions(result) == {"lib": "2.0", "app": "1.0"}
    assert kinds(result) == {"lib": "index", "app": "installed"}


def test_a_downgrade_happens_when_a_line_asks_for_it() -> None:
    repo, installed = repo_and_installed()
    result = run(repo, "app\nlib<1.5\n", installed=installed)
    assert versions(result) == {"lib": "1.0", "app": "1.0"}


def test_upgrade_only_if_needed_upgrades_the_users_projects_not_their_dependencies() -> None:
    repo, installed = repo_and_installed()
    result = run(repo, "app\n", installed=installed, upgrade=True)
    assert versions(result) == {"lib": "1.5", "app": "2.0"}
    assert kinds(result) == {"lib": "installed", "app": "index"}


def test_upgrade_eager_upgrades_dependencies_too() -> None:
    repo, installed = repo_and_installed()
    result = run(repo, "app\n", installed=installed, upgrade=True, strategy="eager")
    assert versions(result) == {"lib": "2.0", "app": "2.0"}


def test_upgrade_of_named_projects_only() -> None:
    repo, installed = repo_and_installed()
    result = run(repo, "app\n", installed=installed, upgrade=frozenset({NormalizedName("lib")}))
    assert versions(result) == {"lib": "2.0", "app": "1.0"}
    assert kinds(result) == {"lib": "index", "app": "installed"}


def test_when_upgrading_the_installed_copy_wins_over_the_same_version_on_the_index() -> None:
    repo, installed = repo_and_installed()
    installed[NormalizedName("app")] = repo.install("app", "2.0")
    result = run(repo, "app\n", installed=installed, upgrade=True)
    assert kinds(result)["app"] == "installed"


def test_an_installed_pre_release_that_satisfies_is_kept() -> None:
    repo = Repository({"lib": {"1.0": [], "2.0b1": []}})
    installed = {NormalizedName("lib"): repo.install("lib", "2.0b1")}
    result = run(repo, "lib>=1\n", installed=installed)
    assert versions(result) == {"lib": "2.0b1"}


def test_an_installed_version_excluded_by_a_constraint_is_replaced() -> None:
    repo, installed = repo_and_installed()
    result = run(repo, "app\n", installed=installed, constraints="lib==2.0\n")
    assert versions(result) == {"lib": "2.0", "app": "1.0"}
    assert isinstance(result.pins[NormalizedName("lib")], Candidate)


def test_eager_upgrade_of_named_projects_reaches_their_dependencies() -> None:
    repo = Repository(
        {
            "app": {"1.0": ["lib>=1"], "2.0": ["lib>=1"]},
            "lib": {"1.0": ["base"], "2.0": ["base"]},
            "base": {"1.0": [], "2.0": []},
            "other": {"1.0": ["base"]},
        }
    )
    installed = {NormalizedName(n): repo.install(n, "1.0") for n in ("app", "lib", "base", "other")}
    only_lib = frozenset({NormalizedName("lib")})
    result = run(repo, "app\nother\n", installed=installed, upgrade=only_lib, strategy="eager")
    assert versions(result) == {"base": "2.0", "lib": "2.0", "app": "1.0", "other": "1.0"}
    kept = run(repo, "app\nother\n", installed=installed, upgrade=only_lib)
    assert versions(kept) == {"base": "1.0", "lib": "2.0", "app": "1.0", "other": "1.0"}


def test_an_installed_project_with_an_extra_keeps_the_installed_base() -> None:
    repo = Repository({"app": {"1.0": ["fast; extra == 'speed'"], "2.0": []}, "fast": {"1.0": []}})
    installed = {NormalizedName("app"): repo.install("app", "1.0")}
    result = run(repo, "app[speed]\n", installed=installed)
    assert versions(result) == {"fast": "1.0", "app": "1.0"}
    assert kinds(result) == {"fast": "index", "app": "installed"}
    assert result.extras == {"app": frozenset({"speed"})}


def test_only_names_that_may_change_are_prefetched() -> None:
    repo, installed = repo_and_installed()
    run(repo, "app\n", installed=installed, upgrade=True)
    assert repo.prefetched == ["app"]
