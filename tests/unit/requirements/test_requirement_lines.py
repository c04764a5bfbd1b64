"""Requirement lines read as ``pip install -r`` reads them (fields of the model)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pinset.errors import RequirementsError
from pinset.requirements import Requirement, parse_text


def _one(text: str, cwd: Path | None = None) -> Requirement:
    parsed = parse_text(text, environ={}, cwd=cwd)
    assert len(parsed.requirements) == 1, parsed.requirements
    return parsed.requirements[0]


def _error(text: str, cwd: Path | None = None) -> str:
    with pytest.raises(RequirementsError) as info:
        parse_text(text, environ={}, cwd=cwd)
    return info.value.problems[0].message


def test_plain_pin() -> None:
    req = _one("Django==4.2.1")
    assert (req.name, str(req.specifier), req.url, req.raw) == (
        "Django",
        "==4.2.1",
        None,
        "Django==4.2.1",
    )
    assert req.name_normalized == "django"
    assert req.is_pinned


def test_extras_specifiers_and_marker() -> None:
    req = _one('requests[security,socks] >=2.8.1, ==2.8.* ; python_version < "3.13"')
    assert req.name == "requests"
    assert req.extras == ("security", "socks")
    assert req.specifier == req.specifier.__class__("==2.8.*,>=2.8.1")
    assert str(req.marker) == 'python_version < "3.13"'
    assert not req.is_pinned


def test_extras_keep_their_case_unless_the_line_ends_with_them() -> None:
    # pip takes a trailing [extras] through its path reading, which lower-cases them
    assert _one("Pkg[PDF]==1.0").extras == ("PDF",)
    assert _one("Pkg[PDF]").extras == ("pdf",)


def test_direct_reference() -> None:
    req = _one("pkg[x] @ https://example.com/pkg-1.0.tar.gz ; os_name == 'posix'")
    assert (req.name, req.extras, req.url) == ("pkg", ("x",), "https://example.com/pkg-1.0.tar.gz")
    assert str(req.marker) == 'os_name == "posix"'


def test_bare_url_is_unnamed() -> None:
    req = _one("https://example.com/pkg-1.0.tar.gz")
    assert (req.name, req.url) == (None, "https://example.com/pkg-1.0.tar.gz")


def test_url_marker_needs_semicolon_and_space() -> None:
    req = _one("https://example.com/p.tar.gz; python_version<'4'")
    assert req.marker is not None
    glued = _one("https://example.com/p.tar.gz;python_version<'4'")
    assert glued.marker is None
    assert glued.url == "https://example.com/p.tar.gz;python_version<'4'"


def test_url_fragments_survive() -> None:
    url = "https://h/p-1.0.tar.gz#sha256=abc&subdirectory=sub"
    req = _one(url)
    assert req.url == url
    assert req.hashes == ()


def test_wheel_url_is_named_by_its_file_name(tree: Path) -> None:
    req = _one("./dist/Foo_Bar-1.0-py3-none-any.whl", cwd=tree)
    assert (req.name, str(req.specifier)) == ("foo-bar", "==1.0")
    assert req.url == (tree / "dist" / "Foo_Bar-1.0-py3-none-any.whl").as_uri()


def test_invalid_wheel_file_name() -> None:
    assert "not a valid wheel file name" in _error("https://h/not-a-wheel.whl")


def test_local_directory_becomes_absolute_file_url(tree: Path) -> None:
    for text in ("./proj", "proj/", "./pyproj"):
        req = _one(text, cwd=tree)
        assert req.url == (tree / text.strip("./")).as_uri()
        assert req.name is None


def test_local_directory_with_extras_and_marker(tree: Path) -> None:
    req = _one("./proj[Dev] ; python_version > '3'", cwd=tree)
    assert (req.url, req.extras) == ((tree / "proj").as_uri(), ("dev",))
    assert req.marker is not None


def test_directory_without_project_is_an_error(tree: Path) -> None:
    assert "is not installable" in _error("./empty", cwd=tree)


def test_missing_directory_is_an_invalid_requirement(tree: Path) -> None:
    message = _error("./nowhere", cwd=tree)
    assert "invalid requirement './nowhere'" in message
    assert "does not exist" in message


def test_existing_archive(tree: Path) -> None:
    req = _one("dist/thing-2.0.tar.gz", cwd=tree)
    assert req.url == (tree / "dist" / "thing-2.0.tar.gz").as_uri()


def test_missing_archive_is_read_with_a_warning(tree: Path) -> None:
    parsed = parse_text("./downloads/x-1.0.tar.gz", environ={}, cwd=tree)
    assert parsed.requirements[0].url == (tree / "downloads" / "x-1.0.tar.gz").as_uri()
    assert "does not exist" in parsed.diagnostics[0].message


def test_relative_file_url_is_made_absolute(tree: Path) -> None:
    req = _one("file:../x/proj#egg=proj", cwd=tree / "proj")
    assert req.url == (tree / "x" / "proj").as_uri()
    assert req.name is None  # like pip: the rewritten URL lost its fragment


def test_egg_fragment_names_a_url() -> None:
    req = _one("https://h/Flask-0.11.tar.gz#sha256=ab&egg=Flask")
    assert req.name == "Flask"
    assert req.url == "https://h/Flask-0.11.tar.gz#sha256=ab&egg=Flask"


@pytest.mark.parametrize("egg", ["pkg[extra]", "pkg==1.0", "simcity-0.4[x]"])
def test_egg_fragment_must_be_a_project_name(egg: str) -> None:
    assert "is not a project name" in _error(f"git+https://h/r.git#egg={egg}")


def test_named_url_needs_no_egg() -> None:
    req = _one("pkg @ git+https://h/r.git@v1.0#subdirectory=py")
    assert (req.name, req.url, req.vcs) == (
        "pkg",
        "git+https://h/r.git@v1.0#subdirectory=py",
        "git",
    )


def test_percent_encoded_revision_is_kept_as_written() -> None:
    req = _one("pkg @ git+https://h/r.git@feature%2Fx")
    assert req.url == "git+https://h/r.git@feature%2Fx"


def test_hashes_and_config_settings() -> None:
    req = _one("foo==1 --hash=sha512:bb --hash sha256:aa -C k=1 --config-settings k=2 -C j=x")
    assert req.hashes == ("sha256:aa", "sha512:bb")
    assert req.config_settings == (("k", ("1", "2")), ("j", ("x",)))
    assert req.to_dict()["config_settings"] == {"k": ["1", "2"], "j": "x"}
    assert req.raw == "foo==1"


def test_equals_typo_hint() -> None:
    with pytest.raises(RequirementsError) as info:
        parse_text("foo=1.0", environ={})
    assert info.value.problems[0].hint == "did you mean `foo==1.0`?"


def test_unknown_vcs_scheme_is_invalid() -> None:
    assert "invalid requirement" in _error("novcs+http://example.com#egg=a")


def test_name_then_space_then_name_is_invalid() -> None:
    assert "invalid requirement 'SomePackage1 SomePackage2'" in _error("SomePackage1 SomePackage2")


@pytest.mark.parametrize(
    "text",
    [
        "a[x,Y]==1.0",
        "a [ x , y ] >= 1.0 , < 2",
        "a==1.0.*",
        "a===foo",
        "a>=1,!=1.5",
        "A_b.c~=1.2",
        "a ==1.0+local",
        "a[x,x]==1",
    ],
)
def test_quick_reading_of_simple_lines_matches_packaging(text: str) -> None:
    from packaging.requirements import Requirement as Pep508

    req, expected = _one(text), Pep508(text)
    assert (req.name, set(req.extras), req.specifier) == (
        expected.name,
        expected.extras,
        expected.specifier,
    )
    assert req.raw == text.strip()


def test_requirement_text_before_options_is_stripped() -> None:
    req = _one("foo==1.0    --hash=sha256:aa")
    assert req.raw == "foo==1.0"


@pytest.mark.parametrize("digest", ["abc", "A" * 64, "g" * 64])
def test_digest_that_can_never_match_is_warned_about(digest: str) -> None:
    parsed = parse_text(f"foo==1 --hash=sha256:{digest}\n", environ={})
    assert parsed.requirements[0].hashes == (f"sha256:{digest}",)
    assert [d.code for d in parsed.diagnostics] == ["bad-digest"]


def test_good_digest_gives_no_warning() -> None:
    assert parse_text("foo==1 --hash=sha256:" + "ab" * 32 + "\n", environ={}).diagnostics == ()


def test_url_marker_separator_may_be_followed_by_the_options() -> None:
    # pip splits "; " before stripping: an empty marker, and the URL without the ";"
    req = _one("https://x.example.com/p.tar.gz;  --hash=sha256:" + "ab" * 32)
    assert (req.url, req.marker) == ("https://x.example.com/p.tar.gz", None)


@pytest.mark.parametrize(
    "line",
    [
        "flask",
        "Flask_SQLAlchemy",
        "zope.interface",
        "a-b.c_d",
        "pkg[x,y]==1.0",
        "pkg [ x ] >=1, <2",
        "pkg[X]",  # trailing extras: pip's path reading lower-cases them
        "base.txt",  # a project name that may also be a file here
        "pkg.tar.gz",  # an archive's name
        "pkg==1.0",
    ],
)
def test_the_quick_reading_agrees_with_the_full_one(line: str, tmp_path: Path) -> None:
    """Lines the quick pattern reads (a bare name among them, which made every install import
    packaging's requirement parser) come out as the full reading makes them."""
    from pinset.requirements import parser

    place = parser.Place(cwd=str(tmp_path))
    quick = parser.parse_line_requirement(line, place)
    full = parser._slow_line(line, place)
    assert (quick.name, quick.extras, str(quick.specifier), quick.url) == (
        full.name,
        full.extras,
        str(full.specifier),
        full.url,
    )
    assert [f.code for f in quick.findings] == [f.code for f in full.findings]
