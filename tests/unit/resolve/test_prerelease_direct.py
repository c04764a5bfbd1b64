"""Pre-releases (packaging's rules, as pip applies them) and direct URL requirements."""

from __future__ import annotations

import pytest
from packaging.utils import NormalizedName

from pinset.dists import Candidate
from pinset.kinds import DirectWheel
from pinset.resolve import ResolutionFailure
from tests.helpers.repository import Repository
from tests.unit.resolve.test_resolve import run, versions

PRE: dict[str, dict[str, list[str]]] = {"lib": {"1.0": [], "1.1": [], "2.0rc1": [], "2.0b2": []}}


def test_pre_releases_are_skipped_by_default() -> None:
    assert versions(run(Repository(PRE), "lib\n")) == {"lib": "1.1"}


def test_pre_releases_are_allowed_with_pre() -> None:
    assert versions(run(Repository(PRE), "lib\n", pre=True)) == {"lib": "2.0rc1"}


def test_a_specifier_naming_a_pre_release_allows_pre_releases() -> None:
    assert versions(run(Repository(PRE), "lib>=2.0b1\n")) == {"lib": "2.0rc1"}


def test_pre_releases_are_used_when_nothing_else_matches() -> None:
    repo = Repository({"lib": {"1.0": [], "2.0a1": []}})
    assert versions(run(repo, "lib>1.0\n")) == {"lib": "2.0a1"}


def test_a_dependency_on_a_project_with_only_pre_releases_gets_one() -> None:
    repo = Repository({"app": {"1.0": ["beta-only"]}, "beta-only": {"0.1b1": [], "0.1b2": []}})
    assert versions(run(repo, "app\n")) == {"beta-only": "0.1b2", "app": "1.0"}


URL = "https://example.org/files/lib-3.0.dev0-py3-none-any.whl"


def direct_repo() -> Repository:
    return Repository(
        {"app": {"1.0": ["lib>=2"]}, "lib": {"1.0": [], "2.0": ["six"]}, "six": {"1.16": []}},
        urls={URL: ("lib", "3.0.dev0", ["six"]), "https://example.org/tiny.whl": ("tiny", "1", [])},
    )


def test_a_direct_url_pins_that_file_and_its_metadata_counts() -> None:
    repo = direct_repo()
    result = run(repo, f"app\nlib @ {URL}\n")
    assert versions(result) == {"six": "1.16", "lib": "3.0.dev0", "app": "1.0"}
    lib = result.pins[NormalizedName("lib")]
    assert isinstance(lib, Candidate)
    assert lib.kind == DirectWheel()
    assert lib.link.url == URL
    assert NormalizedName("lib") not in repo.asked


def test_a_direct_url_must_satisfy_the_other_requirements_on_its_project() -> None:
    repo = direct_repo()
    with pytest.raises(ResolutionFailure) as caught:
        run(repo, f"lib<3\nlib @ {URL}\n")
    assert caught.value.kind == "conflict"


def test_a_url_line_without_a_name_learns_it_from_the_source() -> None:
    repo = direct_repo()
    result = run(repo, "tiny @ https://example.org/tiny.whl\n")
    assert list(result.pins) == ["tiny"]
    assert result.requested == {"tiny"}


def test_a_url_constraint_makes_a_named_requirement_use_that_file() -> None:
    repo = direct_repo()
    result = run(repo, "lib\n", constraints=f"lib @ {URL}\n")
    lib = result.pins[NormalizedName("lib")]
    assert isinstance(lib, Candidate)
    assert lib.link.url == URL
    assert result.parents[NormalizedName("lib")] == ("-c constraints.txt", "-r requirements.txt")


def test_an_extra_asked_by_a_dependency_uses_the_users_direct_url_for_its_base() -> None:
    repo = Repository(
        {
            "app": {"1.0": ["lib[x]>=2"]},
            "lib": {"2.0": [], "3.0": []},
            "six": {"1.16": []},
            "xdep": {"1.0": []},
        },
        urls={URL: ("lib", "3.0.dev0", ["six", "xdep; extra == 'x'"])},
    )
    result = run(repo, f"lib @ {URL}\napp\n")
    assert versions(result) == {"six": "1.16", "xdep": "1.0", "lib": "3.0.dev0", "app": "1.0"}
    assert result.extras == {"lib": frozenset({"x"})}
