"""Failures as data: chains from the user's lines (with origins) down to the need that failed.

The text of these failures (golden) is tested where it is made: tests/unit/cli/test_render.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from pinset.errors import Location, ResolutionError
from pinset.resolve import Chain, Hop, ResolutionFailure
from tests.helpers.repository import Repository
from tests.unit.resolve.test_resolve import run


def failure(repo: Repository, text: str, **options: Any) -> ResolutionFailure:
    with pytest.raises(ResolutionFailure) as caught:
        run(repo, text, **options)
    return caught.value


def test_two_lines_that_conflict_are_both_shown_with_their_origins() -> None:
    repo = Repository({"app": {"1.0": ["lib>=2"]}, "lib": {"1.0": [], "2.0": []}})
    error = failure(repo, "# services\n\napp==1.0\nlib<2\n")
    assert error.message == "cannot install app==1.0 and lib<2 together"
    assert error.chains == (
        Chain(Location("requirements.txt", 3, 1), "app==1.0", (Hop("", (), "lib>=2"),)),
        Chain(Location("requirements.txt", 4, 1), "lib<2"),
    )
    assert error.hint == (
        "loosen one of these requirements so that one version of lib satisfies them all"
    )
    assert error.note is None
    assert isinstance(error, ResolutionError)
    assert error.kind == "conflict"
    assert error.names == ("lib",)
    assert error.where == Location("requirements.txt", 3, 1)


def test_deep_chains_name_the_versions_tried_once() -> None:
    repo = Repository(
        {
            "web": {"2.0": ["app>=1"]},
            "app": {"1.0": ["lib>=2"], "1.1": ["lib>=2"], "1.2": ["lib>=2.1"]},
            "lib": {"1.0": [], "2.0": [], "2.1": []},
        }
    )
    error = failure(repo, "web==2.0\nlib==1.0\n")
    assert error.message == "cannot install web==2.0 and lib==1.0 together"
    first = Location("requirements.txt", 1, 1)
    assert error.chains == (
        Chain(first, "web==2.0", (Hop("", (), "app>=1"), Hop("app", ("1.1", "1.0"), "lib>=2"))),
        Chain(first, "web==2.0", (Hop("", (), "app>=1"), Hop("app", ("1.2",), "lib>=2.1"))),
        Chain(Location("requirements.txt", 2, 1), "lib==1.0"),
    )


def test_many_versions_are_summarised() -> None:
    repo = Repository(
        {
            "app": {f"1.{i}": ["lib>=2"] for i in range(6)},
            "lib": {"1.0": [], "2.0": []},
        }
    )
    error = failure(repo, "app\nlib<2\n")
    versions = ("1.5", "1.4", "1.3", "1.2", "1.1", "1.0")
    assert [(c.root, c.hops) for c in error.chains] == [
        ("app", (Hop("app", versions, "lib>=2"),)),
        ("lib<2", ()),
    ]


def test_a_constraint_in_the_way_is_shown_after_the_users_lines() -> None:
    repo = Repository({"app": {"1.0": ["lib>=2"]}, "lib": {"1.0": [], "2.0": []}})
    error = failure(repo, "app\n", constraints="lib<2\n")
    assert error.message == "cannot install app and lib<2 together"
    assert error.chains == (
        Chain(Location("requirements.txt", 1, 1), "app", (Hop("app", ("1.0",), "lib>=2"),)),
        Chain(Location("constraints.txt", 1, 1), "lib<2", constraint=True),
    )


def test_one_line_whose_dependencies_disagree() -> None:
    repo = Repository(
        {
            "app": {"1.0": ["a", "b"]},
            "a": {"1.0": ["lib>=2"]},
            "b": {"1.0": ["lib<2"]},
            "lib": {"1.0": [], "2.0": []},
        }
    )
    error = failure(repo, "app==1.0\n")
    assert error.message == "cannot install app==1.0: its dependencies conflict over lib"
    assert [c.hops for c in error.chains] == [
        (Hop("", (), "a"), Hop("a", ("1.0",), "lib>=2")),
        (Hop("", (), "b"), Hop("b", ("1.0",), "lib<2")),
    ]


def test_no_matching_version_lists_what_was_found_and_what_was_skipped_and_why() -> None:
    repo = Repository(
        {
            "foo": {
                "1.0": [],
                "2.0": [],
                "3.0": {"skip": "needs Python >=3.12"},
                "3.1": {"skip": "needs Python >=3.12"},
                "3.2": {"skip": "yanked"},
            }
        }
    )
    error = failure(repo, "  foo>=3\n")
    assert error.message == "no version of foo satisfies foo>=3"
    assert error.chains == (Chain(Location("requirements.txt", 1, 3), "foo>=3"),)
    assert error.note == (
        "versions found: 2.0, 1.0; 2 were skipped (needs Python >=3.12); 1 was skipped (yanked)"
    )
    assert error.hint is None
    assert error.kind == "no-match"


def test_no_matching_version_of_a_dependency_shows_who_needs_it() -> None:
    repo = Repository(
        {
            "app": {"1.0": ["lib[x]>=2"]},
            "lib": {"2.0": ["dep>=5; extra == 'x'"]},
            "dep": {"4": []},
        }
    )
    error = failure(repo, "app\n")
    assert (error.kind, error.message, error.note) == (
        "no-match",
        "no version of dep satisfies dep>=5",
        "versions found: 4",
    )
    assert error.chains[0].hops == (
        Hop("app", ("1.0",), "lib[x]>=2"),
        Hop("lib[x]", ("2.0",), "dep>=5"),
    )


def test_an_unknown_project() -> None:
    error = failure(Repository({}), "nothere==1.0\n")
    assert error.kind == "not-found"
    assert error.message == "nothere was not found on the test repository"
    assert error.chains == (Chain(Location("requirements.txt", 1, 1), "nothere==1.0"),)
    assert error.note is None


def test_every_version_needing_another_python() -> None:
    repo = Repository(
        {
            "foo": {
                "2.0": [],
                "3.0": {"requires_python": ">=3.12"},
                "3.1": {"requires_python": ">=3.12"},
            }
        }
    )
    error = failure(repo, "foo>=3\n")
    assert error.message == "cannot install foo>=3 on Python 3.11.4"
    assert error.chains == (
        Chain(
            Location("requirements.txt", 1, 1),
            "foo>=3",
            (Hop("foo", ("3.1", "3.0"), "Python >=3.12"),),
        ),
    )
    assert error.hint == "every version that fits needs another Python: target one with --python"
    assert error.kind == "python"


def test_a_dependency_needing_another_python() -> None:
    repo = Repository(
        {"app": {"1.0": ["lib>=2"]}, "lib": {"2.0": {"requires_python": ">=3.12"}, "1.0": []}}
    )
    error = failure(repo, "app\n")
    assert (error.kind, error.message) == ("python", "cannot install app on Python 3.11.4")
    assert error.chains[0].hops == (
        Hop("app", ("1.0",), "lib>=2"),
        Hop("lib", ("2.0",), "Python >=3.12"),
    )


def test_two_direct_urls_for_one_project_conflict() -> None:
    repo = Repository(
        {},
        urls={
            "https://a.example/lib-1.0.tar.gz": ("lib", "1.0", []),
            "https://b.example/lib-1.0.tar.gz": ("lib", "1.0", []),
        },
    )
    error = failure(
        repo, "lib @ https://a.example/lib-1.0.tar.gz\nlib @ https://b.example/lib-1.0.tar.gz\n"
    )
    assert error.message == (
        "cannot install lib @ https://a.example/lib-1.0.tar.gz"
        " and lib @ https://b.example/lib-1.0.tar.gz together"
    )


def test_giving_up_after_too_many_rounds_is_a_resolution_error() -> None:
    repo = Repository({f"p{i}": {"1.0": [f"p{i + 1}"]} for i in range(20)} | {"p20": {"1.0": []}})
    with pytest.raises(ResolutionError) as caught:
        run(repo, "p0\n", max_rounds=5)
    assert caught.value.message == "gave up resolving after 5 rounds of backtracking"
