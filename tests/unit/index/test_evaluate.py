"""Which files a target Python can use, and which version is chosen."""

from __future__ import annotations

import pytest
from packaging.specifiers import SpecifierSet
from packaging.tags import Tag
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

from pinset.binary import BinaryPolicy
from pinset.dists import Candidate
from pinset.index.evaluate import (
    LinkEvaluator,
    Rejection,
    Unusable,
    evaluate_link,
    link_project,
    sdist_version,
    select,
    sort_key,
    summarize_rejections,
    yanked_warning,
)
from pinset.links import Link
from tests.helpers.interpreters import interpreter, running_interpreter

TARGET = interpreter(
    version=(3, 10, 4),
    tags=(
        Tag("cp310", "cp310", "manylinux_2_17_x86_64"),
        Tag("cp310", "abi3", "manylinux_2_17_x86_64"),
        Tag("py3", "none", "any"),
    ),
)
NAME = NormalizedName("demo-pkg")


def _link(filename: str, **kw: object) -> Link:
    return Link(url=f"https://i/{filename}", filename=filename, **kw)  # type: ignore[arg-type]


def _cand(filename: str, **kw: object) -> Candidate:
    result = evaluate_link(_link(filename, **kw), NAME, TARGET, BinaryPolicy())
    assert isinstance(result, Candidate), result
    return result


def test_compatible_wheel_and_sdist_become_candidates() -> None:
    wheel = _cand("demo_pkg-1.0-cp310-abi3-manylinux_2_17_x86_64.whl")
    assert wheel.version == Version("1.0")
    assert Tag("cp310", "abi3", "manylinux_2_17_x86_64") in wheel.tags
    sdist = _cand("Demo.Pkg-1.0.tar.gz")
    assert sdist.version == Version("1.0")
    assert sdist.tags == frozenset()


def test_wheel_for_other_platform_is_rejected_with_reason() -> None:
    result = evaluate_link(
        _link("demo_pkg-1.0-cp312-cp312-win_amd64.whl"), NAME, TARGET, BinaryPolicy()
    )
    assert isinstance(result, Rejection)
    assert result.kind == "tags"
    assert "cp312-cp312-win_amd64" in result.reason


def test_requires_python_is_checked_against_target_not_running_python() -> None:
    result = evaluate_link(
        _link("demo_pkg-2.0.tar.gz", requires_python=">=3.12"), NAME, TARGET, BinaryPolicy()
    )
    assert isinstance(result, Rejection)
    assert result.reason == "demo_pkg-2.0.tar.gz: needs Python >=3.12 (target is 3.10.4)"
    assert isinstance(_cand("demo_pkg-2.0.tar.gz", requires_python=">=3.10"), Candidate)
    # pip ignores a Requires-Python it cannot parse rather than the file
    assert isinstance(_cand("demo_pkg-2.0.tar.gz", requires_python="junk!!"), Candidate)


@pytest.mark.parametrize(
    ("filename", "kind"),
    [
        ("other-1.0.tar.gz", "filename"),
        ("other-1.0-py3-none-any.whl", "name"),
        ("demo_pkg-1.0.exe", "filename"),
        ("demo_pkg-notaversion!.tar.gz", "filename"),
        ("demo_pkg-1.0.whl", "filename"),
    ],
)
def test_unusable_files_are_rejected(filename: str, kind: str) -> None:
    result = evaluate_link(_link(filename), NAME, TARGET, BinaryPolicy())
    assert isinstance(result, Rejection)
    assert result.kind == kind


def test_binary_policy_like_pip() -> None:
    policy = BinaryPolicy().with_no_binary(":all:")
    assert not policy.allows("x", wheel=True)
    assert policy.allows("x", wheel=False)
    policy = policy.with_only_binary("Demo_Pkg")
    assert policy.allows("demo-pkg", wheel=True)
    assert not policy.allows("demo-pkg", wheel=False)
    assert not policy.allows("other", wheel=True)
    policy = policy.with_no_binary("demo-pkg")  # moves the name back
    assert policy.only_binary == frozenset()
    assert not policy.allows("demo-pkg", wheel=True)
    assert BinaryPolicy().with_only_binary(":all:").with_only_binary(":none:") == BinaryPolicy()
    sdist = evaluate_link(
        _link("demo_pkg-1.0.tar.gz"), NAME, TARGET, BinaryPolicy().with_only_binary(":all:")
    )
    assert isinstance(sdist, Rejection)
    assert "--only-binary" in sdist.reason


def test_order_prefers_version_then_wheel_then_better_tag() -> None:
    cands = [
        _cand("demo_pkg-1.0.tar.gz"),
        _cand("demo_pkg-1.0-py3-none-any.whl"),
        _cand("demo_pkg-1.0-cp310-cp310-manylinux_2_17_x86_64.whl"),
        _cand("demo_pkg-0.9-cp310-cp310-manylinux_2_17_x86_64.whl"),
        _cand("demo_pkg-1.1.tar.gz"),
    ]
    order = sorted(cands, key=lambda c: sort_key(c, TARGET, BinaryPolicy()), reverse=True)
    assert [c.link.filename for c in order] == [
        "demo_pkg-1.1.tar.gz",
        "demo_pkg-1.0-cp310-cp310-manylinux_2_17_x86_64.whl",
        "demo_pkg-1.0-py3-none-any.whl",
        "demo_pkg-1.0.tar.gz",
        "demo_pkg-0.9-cp310-cp310-manylinux_2_17_x86_64.whl",
    ]
    prefer = BinaryPolicy(prefer_binary=True)
    order = sorted(cands, key=lambda c: sort_key(c, TARGET, prefer), reverse=True)
    assert order[0].link.filename == "demo_pkg-1.0-cp310-cp310-manylinux_2_17_x86_64.whl"


def test_yanked_only_selected_by_exact_pin() -> None:
    cands = [_cand("demo_pkg-2.0.tar.gz", yanked="oops"), _cand("demo_pkg-1.0.tar.gz")]
    chosen, rejected = select(cands, SpecifierSet(">=1"))
    assert [str(c.version) for c in chosen] == ["1.0"]
    assert rejected[0].reason == "demo-pkg==2.0 is yanked (oops)"
    chosen, _ = select(cands, SpecifierSet("==2.0"))
    assert [str(c.version) for c in chosen] == ["2.0"]
    chosen, _ = select(cands, SpecifierSet("==2.*"))
    assert chosen == []
    chosen, _ = select(cands, SpecifierSet("==2.0"), allow_yanked_pin=False)
    assert chosen == []


def test_prereleases_follow_packaging_rules() -> None:
    cands = [_cand("demo_pkg-2.0b1.tar.gz"), _cand("demo_pkg-1.0.tar.gz")]
    chosen, rejected = select(cands, SpecifierSet())
    assert [str(c.version) for c in chosen] == ["1.0"]
    assert rejected[0].kind == "prerelease"
    chosen, _ = select(cands, SpecifierSet(), prereleases=True)
    assert [str(c.version) for c in chosen] == ["2.0b1", "1.0"]
    chosen, _ = select(cands, SpecifierSet(">=2.0b1"))  # the specifier names a pre-release
    assert [str(c.version) for c in chosen] == ["2.0b1"]
    only_pre = [_cand("demo_pkg-2.0b1.tar.gz")]
    chosen, _ = select(only_pre, SpecifierSet())  # nothing else matches: packaging allows it
    assert [str(c.version) for c in chosen] == ["2.0b1"]


def test_summary_groups_reasons_for_error_messages() -> None:
    rejections = [
        evaluate_link(
            _link(f"demo_pkg-{v}.tar.gz", requires_python=">=3.12"), NAME, TARGET, BinaryPolicy()
        )
        for v in ("2.0", "2.1", "2.2")
    ] + [evaluate_link(_link("demo_pkg-1.0-cp39-cp39-win32.whl"), NAME, TARGET, BinaryPolicy())]
    assert summarize_rejections([r for r in rejections if isinstance(r, Rejection)]) == [
        "skipped 3 files because they need Python >=3.12",
        "skipped 1 file built for other Pythons or platforms (e.g. cp39-cp39-win32)",
    ]


def test_filename_helpers() -> None:
    assert sdist_version("foo-bar-1.0-1.tar.gz", canonicalize_name("foo-bar")) == "1.0-1"
    assert sdist_version("foo-bar-1.0.zip", canonicalize_name("foo")) == "bar-1.0"
    assert sdist_version("foo.txt", canonicalize_name("foo")) is None
    assert link_project(_link("Foo_Bar-1.0-py3-none-any.whl")) == "foo-bar"
    assert link_project(_link("Foo.Bar-1.0.tar.gz")) == "foo-bar"
    assert link_project(_link("README")) is None


def test_current_target_has_tags_and_markers() -> None:
    target = running_interpreter()
    assert target.tags
    assert target.markers["python_version"] == ".".join(map(str, target.version[:2]))


def test_yanked_warning_names_the_reason() -> None:
    assert yanked_warning(_cand("demo_pkg-1.0.tar.gz")) is None
    assert yanked_warning(_cand("demo_pkg-1.0.tar.gz", yanked="CVE")) == (
        "demo-pkg==1.0 is yanked (reason: CVE); it is used only because it is pinned exactly"
    )


def test_exact_pin_prefers_unyanked_files_of_the_same_version() -> None:
    cands = [
        _cand("demo_pkg-2.0-py3-none-any.whl", yanked=""),
        _cand("demo_pkg-2.0.tar.gz"),
    ]
    chosen, rejected = select(cands, SpecifierSet("==2.0"))
    assert [c.link.filename for c in chosen] == ["demo_pkg-2.0.tar.gz"]
    assert [r.reason for r in rejected] == ["demo-pkg==2.0 is yanked"]


def test_one_evaluator_for_many_files_judges_each_as_a_fresh_one_would() -> None:
    """The per-run memos (names, versions, tag sets, Requires-Python) never change a verdict."""
    from pinset.index.evaluate import LinkEvaluator

    names = [
        "demo_pkg-1.0-py3-none-any.whl",
        "demo_pkg-1.0-cp39-cp39-win32.whl",
        "demo_pkg-2.0-py3-none-any.whl",
        "demo_pkg-2.0-1-py3-none-any.whl",
        "demo_pkg-2.0-x1-py3-none-any.whl",
        "demo__pkg-2.0-py3-none-any.whl",
        "other-1.0-py3-none-any.whl",
        "demo_pkg-not.a.version!-py3-none-any.whl",
        "demo_pkg-3.0-py3-none-bad tag.whl",
        "demo_pkg-3.0-py3-none-any.whl",
        "demo-pkg-1.0.tar.gz",
        "demo-pkg-1.0.zip",
        "demo-pkg-x.y.z!.tar.gz",
    ]
    shared = LinkEvaluator(TARGET, BinaryPolicy())
    for rp in (None, ">=3.99", ">=3", "junk", ">=3.99"):
        for filename in names + names:
            link = _link(filename, requires_python=rp)
            assert shared.evaluate(link, NAME) == evaluate_link(link, NAME, TARGET, BinaryPolicy())


def test_wheel_names_are_read_as_packaging_reads_them() -> None:
    from packaging.utils import InvalidWheelFilename, parse_wheel_filename

    from pinset.index.evaluate import LinkEvaluator

    shared = LinkEvaluator(TARGET, BinaryPolicy())
    for filename in (
        "demo_pkg-1.0-py3-none-any.whl",
        "demo_pkg-2.0-1-py3-none-any.whl",
        "demo_pkg-2.0-x1-py3-none-any.whl",
        "demo__pkg-2.0-py3-none-any.whl",
        "demo_pkg-1.0--none-any.whl",
        "demo_pkg-1.0-py3.py2-none-any.whl",
        "demo_pkg-1.0-3py-none-any.whl",
        "-1.0-py3-none-any.whl",
        "demo_pkg-1.0-py3-none-any-extra-part.whl",
    ):
        result = shared.evaluate(_link(filename), NAME)
        try:
            _, version, _, tags = parse_wheel_filename(filename)
        except (InvalidWheelFilename, ValueError):
            assert isinstance(result, Rejection), filename
            assert result.kind == "filename", filename
            continue
        assert isinstance(result, Candidate), filename
        assert (result.version, result.tags) == (version, frozenset(tags))


GROUPED_NAMES = [
    "demo_pkg-1.0-py3-none-any.whl",
    "demo_pkg-1.0.0.tar.gz",  # the same version, spelled otherwise
    "Demo.Pkg-1.0-cp310-cp310-manylinux_2_17_x86_64.whl",
    "demo_pkg-1.0-1-py3-none-any.whl",  # a build tag: read whole
    "demo-pkg-2.0rc1.zip",
    "demo-pkg-extra-2.0.tar.gz",  # another project's sdist, by its name
    "demo_pkg-3.0-py3-none-any.whl.metadata",
    "demo_pkg-4.0-py3-none-bogus-tag.whl",
    "demo_pkg-not.a.version-py3-none-any.whl",
    "demo-pkg-not.a.version.tar.gz",
    "other-1.0-py3-none-any.whl",
    "demo_pkg-1.0-py3-none-any.whl",  # listed twice
    "demo-pkg-.tar.gz",
]


def test_grouping_names_reads_each_as_read_name_does() -> None:
    grouped, unusable = LinkEvaluator(TARGET, BinaryPolicy()).group_names(GROUPED_NAMES, NAME)
    one_by_one = LinkEvaluator(TARGET, BinaryPolicy())
    expected: dict[Version, list[int]] = {}
    expected_unusable: list[tuple[int, Unusable]] = []
    for place, filename in enumerate(GROUPED_NAMES):
        parsed = one_by_one.read_name(filename, NAME)
        if isinstance(parsed, Unusable):
            expected_unusable.append((place, parsed))
        else:
            expected.setdefault(parsed[0], []).append(place)
    assert grouped == expected
    assert unusable == expected_unusable
    assert grouped == {Version("1.0"): [0, 1, 2, 3, 11], Version("2.0rc1"): [4]}
    assert [place for place, _ in unusable] == [5, 6, 7, 8, 9, 10, 12]
