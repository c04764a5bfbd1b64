"""resolve(): what gets pinned, and why, for the user's lines over a repository of projects."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from packaging.utils import NormalizedName
from packaging.utils import NormalizedName as N

from pinset.dists import Candidate, InstalledDist
from pinset.errors import Location
from pinset.kinds import RegistrySdist
from pinset.links import Link
from pinset.resolve import Hop, Resolution, ResolutionFailure, resolve
from pinset.resolve.model import Via
from tests.helpers.repository import Repository, parse_lines, target_markers


def run(
    repo: Repository,
    text: str,
    *,
    constraints: str = "",
    installed: Mapping[NormalizedName, InstalledDist] | None = None,
    markers: Mapping[str, str] | None = None,
    **options: Any,
) -> Resolution:
    return resolve(
        parse_lines(text),
        constraints=parse_lines(constraints, "constraints.txt", constraint=True),
        source=repo,
        installed=installed or {},
        markers=markers or target_markers(),
        **options,
    )


def versions(resolution: Resolution) -> dict[str, str]:
    return {name: str(pin.version) for name, pin in resolution.pins.items()}


def test_transitive_dependencies_are_pinned_newest_first_in_install_order() -> None:
    repo = Repository(
        {
            "web": {"1.0": ["app>=1", "log"], "2.0": ["app>=2", "log"]},
            "app": {"1.0": ["lib"], "2.0": ["lib>=2"]},
            "lib": {"1.0": [], "2.0": [], "2.5": []},
            "log": {"0.1": []},
            "unused": {"1.0": []},
        }
    )
    result = run(repo, "web\n")
    assert versions(result) == {"lib": "2.5", "app": "2.0", "log": "0.1", "web": "2.0"}
    assert list(result.pins)[-1] == "web"
    assert result.requested == {"web"}
    assert result.parents == {
        "web": ("-r requirements.txt",),
        "app": ("web",),
        "log": ("web",),
        "lib": ("app",),
    }
    assert result.via[N("lib")] == (Via(N("app"), "lib>=2"),)
    assert result.chains(NormalizedName("lib")) == (("-r requirements.txt", "web", "app", "lib"),)


def test_names_are_canonical_and_via_keeps_the_users_spelling() -> None:
    repo = Repository({"Zope.Interface": {"5.0": []}})
    result = run(repo, "zope_interface>=4\n")
    assert list(result.pins) == ["zope-interface"]
    assert result.via[N("zope-interface")] == (
        Via(None, "zope_interface>=4", Location("requirements.txt", 1, 1)),
    )


def test_extras_pull_their_dependencies_at_the_same_version_of_the_base() -> None:
    repo = Repository(
        {
            "app": {
                "1.0": ["core", "fast-json; extra == 'speed'"],
                "2.0": ["core", "ujson>=5; extra == 'speed'", "cli-kit; extra == 'cli'"],
            },
            "core": {"1.0": []},
            "ujson": {"4.0": [], "5.1": []},
            "cli-kit": {"1.0": []},
        }
    )
    plain = run(repo, "app\n")
    assert versions(plain) == {"core": "1.0", "app": "2.0"}
    assert plain.extras == {}
    fast = run(repo, "app[speed]\n")
    assert versions(fast) == {"core": "1.0", "ujson": "5.1", "app": "2.0"}
    assert fast.extras == {"app": frozenset({"speed"})}
    assert fast.parents[N("ujson")] == ("app",)


def test_an_extra_requested_by_a_dependency_is_resolved_too() -> None:
    repo = Repository(
        {
            "app": {"1.0": ["http[socks]>=2"]},
            "http": {"1.0": [], "2.0": ["certs", "pysocks; extra == 'socks'"]},
            "certs": {"1": []},
            "pysocks": {"1.7": []},
        }
    )
    result = run(repo, "app\n")
    assert versions(result) == {"certs": "1", "pysocks": "1.7", "http": "2.0", "app": "1.0"}
    assert result.extras == {"http": frozenset({"socks"})}


def test_an_extra_forces_an_older_base_when_its_dependencies_need_it() -> None:
    repo = Repository(
        {
            "app": {
                "1.0": ["plugin>=1; extra == 'plugins'"],
                "2.0": ["plugin>=2; extra == 'plugins'"],
            },
            "plugin": {"1.5": []},
        }
    )
    result = run(repo, "app[plugins]\n")
    assert versions(result) == {"plugin": "1.5", "app": "1.0"}


def test_markers_on_lines_are_evaluated_for_the_target_not_this_interpreter() -> None:
    repo = Repository({"pywin": {"1.0": []}, "uvloop": {"0.19": []}, "shim": {"1.0": []}})
    text = (
        "pywin; sys_platform == 'win32'\n"
        "uvloop; sys_platform != 'win32'\n"
        "shim; python_version < '3.9'\n"
    )
    linux = run(repo, text, markers=target_markers("3.11.4", "linux"))
    assert versions(linux) == {"uvloop": "0.19"}
    assert [r.origin.line for r in linux.ignored] == [1, 3]
    windows_38 = run(repo, text, markers=target_markers("3.8.18", "win32"))
    assert versions(windows_38) == {"pywin": "1.0", "shim": "1.0"}
    assert [r.raw for r in windows_38.ignored] == ["uvloop; sys_platform != 'win32'"]


def test_dependency_markers_use_the_target_python() -> None:
    repo = Repository(
        {
            "app": {
                "1.0": ["backport; python_version < '3.11'", "toml-lib; python_version >= '3.11'"]
            },
            "backport": {"1.0": []},
            "toml-lib": {"2.0": []},
        }
    )
    assert versions(run(repo, "app\n", markers=target_markers("3.10.2"))) == {
        "backport": "1.0",
        "app": "1.0",
    }
    assert versions(run(repo, "app\n", markers=target_markers("3.12.1"))) == {
        "toml-lib": "2.0",
        "app": "1.0",
    }


def test_requires_python_of_candidates_is_checked_against_the_target() -> None:
    repo = Repository(
        {
            "lib": {
                "1.0": {"requires_python": ">=3.8"},
                "2.0": {"requires_python": ">=3.10"},
                "3.0": {"requires_python": ">=3.12"},
            }
        }
    )
    assert versions(run(repo, "lib\n", markers=target_markers("3.11.4"))) == {"lib": "2.0"}
    assert versions(run(repo, "lib\n", markers=target_markers("3.9.1"))) == {"lib": "1.0"}
    assert versions(run(repo, "lib\n", markers=target_markers("3.13.0"))) == {"lib": "3.0"}


def test_constraints_narrow_versions_without_adding_projects() -> None:
    repo = Repository(
        {"app": {"1.0": ["lib"]}, "lib": {"1.0": [], "2.0": []}, "other": {"1.0": []}}
    )
    result = run(repo, "app\n", constraints="lib<2\nother==1.0\n")
    assert versions(result) == {"lib": "1.0", "app": "1.0"}
    assert result.parents[N("lib")] == ("-c constraints.txt", "app")
    assert result.chains(NormalizedName("lib")) == (("-r requirements.txt", "app", "lib"),)


def test_constraints_whose_markers_do_not_match_are_ignored() -> None:
    repo = Repository({"lib": {"1.0": [], "2.0": []}})
    result = run(repo, "lib\n", constraints="lib<2; sys_platform == 'win32'\n")
    assert versions(result) == {"lib": "2.0"}


def test_backtracking_finds_an_older_version_that_agrees() -> None:
    repo = Repository(
        {
            "a": {"1.0": ["shared==1.*"], "2.0": ["shared>=2"], "3.0": ["shared>=3"]},
            "b": {"1.0": ["shared<3"], "2.0": ["shared<2"]},
            "shared": {"1.0": [], "1.5": [], "2.0": [], "3.0": []},
        }
    )
    result = run(repo, "a\nb\n")
    pins = versions(result)
    assert pins["shared"] in ("1.5", "2.0")
    assert (pins["a"], pins["b"], pins["shared"]) in {("2.0", "1.0", "2.0"), ("1.0", "2.0", "1.5")}


def test_backtracking_through_a_deeper_conflict() -> None:
    repo = Repository(
        {
            "top": {"1.0": ["mid", "leaf<2"]},
            "mid": {"1.0": ["deep"], "2.0": ["deep>=2"], "3.0": ["deep>=3"]},
            "deep": {"1.0": ["leaf"], "2.0": ["leaf>=1"], "3.0": ["leaf>=2"]},
            "leaf": {"1.0": [], "2.0": []},
        }
    )
    assert versions(run(repo, "top\n")) == {
        "leaf": "1.0",
        "deep": "2.0",
        "mid": "2.0",
        "top": "1.0",
    }


def test_cycles_resolve_and_get_an_install_order() -> None:
    repo = Repository({"a": {"1.0": ["b"]}, "b": {"1.0": ["a"]}})
    result = run(repo, "a\n")
    assert sorted(result.pins) == ["a", "b"]
    assert result.parents == {"a": ("-r requirements.txt", "b"), "b": ("a",)}


def test_prefetch_is_told_about_new_names_before_they_are_asked() -> None:
    repo = Repository({"app": {"1.0": ["lib", "log"]}, "lib": {"1.0": []}, "log": {"1.0": []}})
    run(repo, "app\n")
    assert repo.prefetched[0] == "app"
    assert set(repo.prefetched) == {"app", "lib", "log"}
    assert len(repo.prefetched) == len(set(repo.prefetched))


def test_prefetch_is_told_in_the_order_resolvelib_will_ask() -> None:
    """The lines' order, then each candidate's dependencies in the order it lists them (not
    sorted by name): the pages the resolver wants first are fetched first."""
    repo = Repository(
        {
            "zeta": {"1.0": ["yak", "ant"]},
            "alpha": {"1.0": []},
            "yak": {"1.0": []},
            "ant": {"1.0": []},
        }
    )
    run(repo, "zeta\nalpha\n")
    assert repo.prefetched[:2] == ["zeta", "alpha"]
    order = [str(name) for name in repo.prefetched]
    assert order.index("yak") < order.index("ant")


def synthetic_graph(size: int) -> dict[str, dict[str, Sequence[str]]]:
    """``size`` projects, 4 versions each; each depends on up to 3 later ones with ranges."""
    projects: dict[str, dict[str, Sequence[str]]] = {}
    for i in range(size):
        releases: dict[str, Sequence[str]] = {}
        for minor in range(4):
            deps = [
                f"p{j}>=1.{(i + minor) % 2}" for j in (i * 7 % size, i + 1, i + 5) if i < j < size
            ]
            releases[f"1.{minor}"] = deps
        projects[f"p{i}"] = releases
    projects["p3"]["1.3"] = [*projects["p3"]["1.3"], "p120<1.2"]
    projects["p120"]["1.1"] = ["p121<1.1"]
    return projects


def reachable(
    projects: Mapping[str, Mapping[str, Sequence[str]]], roots: Sequence[str]
) -> set[str]:
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(d.split(">")[0].split("<")[0] for r in projects[name].values() for d in r)
    return seen


def assert_consistent(repo: Repository, result: Resolution) -> None:
    """Every pin's dependencies are pinned at versions they accept."""
    for pin in result.pins.values():
        for dep in repo.dependencies(pin):
            target = result.pins[NormalizedName(dep.name)]
            assert dep.specifier.contains(target.version), (pin, dep, target)


def test_a_graph_of_150_projects_resolves_consistently() -> None:
    projects = synthetic_graph(150)
    repo = Repository(projects)
    result = run(repo, "p0\np1\n")
    assert set(result.pins) <= reachable(projects, ["p0", "p1"])
    assert len(result.pins) > 100
    assert str(result.pins[NormalizedName("p120")].version) == "1.1"
    chain = result.chains(NormalizedName("p120"))[0]
    assert chain[0] == "-r requirements.txt"
    assert chain[1] in ("p0", "p1")
    assert chain[-1] == "p120"
    assert_consistent(repo, result)
    order = list(result.pins)
    for name, vias in result.via.items():
        for via in vias:
            if via.parent is not None:
                assert order.index(name) < order.index(via.parent)


def test_top_level_lines_that_cannot_work_raise_resolution_failure() -> None:
    with pytest.raises(ResolutionFailure):
        run(Repository({}), "missing\n")


def test_a_listener_hears_pins_and_backtracking() -> None:
    repo = Repository(
        {
            "a": {"1.0": [], "2.0": ["x"]},
            "x": {"1.0": ["b<2"]},
            "b": {"1.0": [], "2.0": []},
            "c": {"1.0": ["b>=2"]},
        }
    )
    heard: list[str] = []
    result = run(repo, "a\nc\n", listener=heard.append)
    assert versions(result)["a"] == "1.0"
    assert "pinned c 1.0" in heard
    assert any(message.startswith("backtracking: ") for message in heard)


def test_no_deps_resolves_the_users_lines_alone() -> None:
    repo = Repository(
        {"app": {"1.0": ["lib"], "2.0": {"requires": ["lib"], "requires_python": ">=3.13"}}}
    )
    result = run(repo, "app\n", no_deps=True)
    assert versions(result) == {"app": "1.0"}


class TwoFilesPerVersion(Repository):
    """A source listing a wheel and an sdist for every version (best first), some yanked."""

    def candidates(self, name: NormalizedName) -> Sequence[Candidate]:
        found = []
        for wheel in super().candidates(name):
            sdist = f"{name}-{wheel.version}.tar.gz"
            yanked = "broken" if str(wheel.version) == "2.0" else None
            link = Link(f"https://files.example/{sdist}", sdist, yanked=yanked)
            wheel_link = dataclasses.replace(wheel.link, yanked=yanked)
            found += [
                dataclasses.replace(wheel, link=wheel_link),
                Candidate(name, wheel.version, link, kind=RegistrySdist()),
            ]
        return found


def test_one_file_per_version_is_tried_and_yanked_ones_only_when_pinned() -> None:
    repo = TwoFilesPerVersion({"lib": {"1.0": [], "2.0": [], "3.0": ["missing"]}})
    with pytest.raises(ResolutionFailure) as caught:
        run(repo, "lib>=2\n")
    assert [(c.root, c.hops) for c in caught.value.chains] == [
        ("lib>=2", (Hop("lib", ("3.0",), "missing"),))
    ]
    assert repo.metadata_reads == ["lib==3.0"]
    pinned = run(repo, "lib==2.0\n").pins[N("lib")]
    assert isinstance(pinned, Candidate)
    assert pinned.link.filename.endswith(".whl")
    assert versions(run(repo, "lib<3\n")) == {"lib": "1.0"}


def test_an_extra_naming_other_extras_of_its_own_project() -> None:
    deps = ["core", "app[a,b]; extra == 'all'", "x; extra == 'a'", "y; extra == 'b'"]
    repo = Repository(
        {"app": {"1.0": deps, "2.0": deps}, "core": {"1": []}, "x": {"1": []}, "y": {"1": []}}
    )
    result = run(repo, "app[all]\napp<2\n")
    assert versions(result) == {"core": "1", "x": "1", "y": "1", "app": "1.0"}
    assert result.extras == {"app": frozenset({"all", "a", "b"})}
    assert result.parents[N("app")] == ("-r requirements.txt",)


def test_an_undecidable_marker_does_not_apply_and_is_no_crash() -> None:
    """``python_version ~= "x"`` cannot be evaluated: the dependency is left out, as uv does,
    and the fast no-op check (tests/unit/ops/test_satisfied.py) judges it the same way."""
    repo = Repository({"app": {"1.0": ["lib", 'odd ; python_version ~= "x"']}, "lib": {"1.0": []}})
    result = run(repo, 'app\nother ; python_version ~= "x"\n')
    assert versions(result) == {"lib": "1.0", "app": "1.0"}


def test_preferred_versions_are_kept_where_they_fit() -> None:
    from packaging.version import Version

    repo = Repository(
        {
            "app": {"1.0": ["lib"], "2.0": ["lib>=2"]},
            "lib": {"1.0": [], "2.0": [], "3.0": []},
        }
    )
    kept = run(repo, "app\n", preferred={N("app"): Version("1.0"), N("lib"): Version("2.0")})
    assert versions(kept) == {"lib": "2.0", "app": "1.0"}
    moved = run(repo, "app>=2\n", preferred={N("app"): Version("1.0"), N("lib"): Version("1.0")})
    assert versions(moved) == {"lib": "3.0", "app": "2.0"}  # neither preference fits any more
