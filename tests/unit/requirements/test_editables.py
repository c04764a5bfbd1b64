"""``-e``/``--editable``: local projects and every version-control URL form pip knows."""

from __future__ import annotations

from pathlib import Path

import pytest

from pinset.errors import RequirementsError
from pinset.requirements import Requirement, parse_text
from pinset.requirements.locations import VCS_SCHEMES


def _one(text: str, cwd: Path | None = None) -> Requirement:
    parsed = parse_text(text, environ={}, cwd=cwd)
    assert len(parsed.requirements) == 1
    return parsed.requirements[0]


def _error(text: str, cwd: Path | None = None) -> RequirementsError:
    with pytest.raises(RequirementsError) as info:
        parse_text(text, environ={}, cwd=cwd)
    return info.value


def test_dot_is_the_working_directory(tree: Path) -> None:
    req = _one("-e .", cwd=tree / "proj")
    assert (req.editable, req.url, req.name, req.raw) == (True, (tree / "proj").as_uri(), None, ".")


@pytest.mark.parametrize(
    "spelling",
    ["-e ./proj[a,B]", "--editable ./proj[a,B]", "--editable=./proj[a,B]", "-e./proj[a,B]"],
)
def test_local_directory_with_extras(tree: Path, spelling: str) -> None:
    req = _one(spelling, cwd=tree)
    assert req.url == (tree / "proj").as_uri()
    assert req.extras == ("a", "b")
    assert req.editable


def test_editable_directory_needs_no_project_files(tree: Path) -> None:
    assert _one("-e ./empty", cwd=tree).url == (tree / "empty").as_uri()


def test_missing_directory_is_not_a_valid_editable(tree: Path) -> None:
    error = _error("-e ./missing", cwd=tree)
    assert "not a valid editable requirement" in error.problems[0].message
    assert error.problems[0].where is not None
    assert error.problems[0].where.column == 4


@pytest.mark.parametrize("scheme", sorted(s for schemes in VCS_SCHEMES.values() for s in schemes))
def test_every_vcs_transport(scheme: str) -> None:
    url = f"{scheme}://host/repo@v1.0#egg=MyProject"
    req = _one(f"-e {url}")
    assert (req.url, req.name, req.editable) == (url, "MyProject", True)
    assert req.vcs == scheme.split("+", maxsplit=1)[0]


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("git://h/r.git@master#egg=P", "git+git://h/r.git@master#egg=P"),
        ("svn://h/r#egg=P", "svn+svn://h/r#egg=P"),
    ],
)
def test_bare_vcs_scheme_gets_its_prefix(written: str, read: str) -> None:
    assert _one(f"-e {written}").url == read


def test_vcs_revision_forms() -> None:
    for rev in ("2019", "{20080101}", "da39a3ee5e6b", "refs/pull/1/head", "feature%2Fx"):
        url = f"svn+http://h/svn/P/trunk@{rev}#egg=P"
        assert _one(f"-e {url}").url == url


def test_vcs_url_without_name_is_an_error() -> None:
    error = _error("-e git+https://h/r.git")
    assert "cannot tell the project name" in error.problems[0].message
    assert error.problems[0].hint is not None


def test_named_editable_url_unquoted_is_split_like_pip() -> None:
    # like pip, the option value ends at the first space: "-e pkg[x]" is not editable
    error = _error("-e pkg[x] @ git+https://h/r.git")
    assert "pkg[x] is not a valid editable requirement" in error.problems[0].message


def test_named_editable_url() -> None:
    req = _one("-e pkg[x]@git+https://h/r.git")
    assert (req.name, req.extras, req.url) == ("pkg", ("x",), "git+https://h/r.git")


def test_named_editable_url_in_quotes_keeps_its_marker() -> None:
    req = _one("-e \"pkg @ git+https://h/r.git ; python_version > '3'\"")
    assert str(req.marker) == 'python_version > "3"'


def test_http_archive_cannot_be_editable() -> None:
    assert "not a valid editable" in _error("-e https://h/p.tar.gz").problems[0].message


def test_hash_on_editable_is_ignored_with_a_warning(tree: Path) -> None:
    parsed = parse_text("-e ./proj --hash=sha256:aa", environ={}, cwd=tree)
    assert parsed.requirements[0].hashes == ()
    assert any("--hash" in d.message for d in parsed.diagnostics)


def test_config_settings_apply_to_editables(tree: Path) -> None:
    req = _one("-e ./proj -C editable_mode=compat", cwd=tree)
    assert req.config_settings == (("editable_mode", ("compat",)),)


def test_editables_property() -> None:
    parsed = parse_text("-e git+https://h/r#egg=a\nb==1\n", environ={})
    assert [r.name for r in parsed.editables] == ["a"]


@pytest.mark.parametrize("text", ["--editable=", '-e ""', "-e ''"])
def test_empty_editable_is_an_error(text: str, tree: Path) -> None:
    assert "not a valid editable" in _error(text, cwd=tree).problems[0].message
