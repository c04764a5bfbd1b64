"""Old forms pinset still reads (pip refuses or deprecates them), each with a warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from pinset.errors import RequirementsError, Severity
from pinset.requirements import parse_file, parse_text


def test_extras_after_version() -> None:
    parsed = parse_text("MyPackage==3.0 [PDF]\n", environ={})
    req = parsed.requirements[0]
    assert (req.name, req.extras, str(req.specifier)) == ("MyPackage", ("PDF",), "==3.0")
    assert req.legacy_form == "MyPackage[PDF]==3.0"
    [warning] = parsed.diagnostics
    assert warning.severity is Severity.WARNING
    assert warning.hint == "write `MyPackage[PDF]==3.0`"
    assert warning.where is not None
    assert warning.where.column == 16


def test_extras_after_version_with_spaces() -> None:
    req = parse_text("pytest >= 2.0.0 [tests]\n", environ={}).requirements[0]
    assert (req.extras, req.legacy_form) == (("tests",), "pytest[tests]>=2.0.0")


def test_egg_on_non_editable_url() -> None:
    parsed = parse_text("https://h/Flask-0.11.tar.gz#sha256=ab&egg=Flask\n", environ={})
    req = parsed.requirements[0]
    assert req.name == "Flask"
    assert req.legacy_form == "Flask @ https://h/Flask-0.11.tar.gz#sha256=ab"
    assert parsed.diagnostics[0].code == "legacy-egg-fragment"


def test_bare_git_url() -> None:
    parsed = parse_text("git://github.com/kennethreitz/requests.git@develop\n", environ={})
    req = parsed.requirements[0]
    assert req.url == "git+git://github.com/kennethreitz/requests.git@develop"
    assert req.legacy_form == "git+git://github.com/kennethreitz/requests.git@develop"
    assert req.vcs == "git"
    assert parsed.diagnostics[0].severity is Severity.WARNING


def test_bare_git_url_with_egg_spells_name_at_url() -> None:
    req = parse_text("git://h/MyProject.git@v1.0#egg=MyProject\n", environ={}).requirements[0]
    assert (req.name, req.url) == ("MyProject", "git+git://h/MyProject.git@v1.0#egg=MyProject")
    assert req.legacy_form == "MyProject @ git+git://h/MyProject.git@v1.0"


def test_svn_date_revision() -> None:
    text = "-e svn+http://svn.example.com/MyProject/trunk@{20080101}#egg=MyProject\n"
    parsed = parse_text(text, environ={})
    req = parsed.requirements[0]
    assert req.url == "svn+http://svn.example.com/MyProject/trunk@{20080101}#egg=MyProject"
    assert (
        req.legacy_form == "svn+http://svn.example.com/MyProject/trunk@%7B20080101%7D#egg=MyProject"
    )
    assert parsed.diagnostics[0].code == "legacy-svn-date-revision"


def test_path_next_to_the_requirements_file_is_a_note(tmp_path: Path) -> None:
    (tmp_path / "app" / "libs" / "pkg").mkdir(parents=True)
    (tmp_path / "app" / "libs" / "pkg" / "setup.py").write_text("")
    reqs = tmp_path / "app" / "requirements.txt"
    reqs.write_text("./libs/pkg\n-e ./libs/pkg\n")
    parsed = parse_file(reqs, environ={}, cwd=tmp_path)
    expected = (tmp_path / "app" / "libs" / "pkg").as_uri()
    assert [r.url for r in parsed.requirements] == [expected, expected]
    notes = [d for d in parsed.diagnostics if d.severity is Severity.NOTE]
    assert len(notes) == 2
    assert notes[0].code == "path-relative-to-file"


def test_working_directory_wins_over_the_file_directory(tmp_path: Path) -> None:
    for base in (tmp_path, tmp_path / "app"):
        (base / "pkg").mkdir(parents=True)
        (base / "pkg" / "setup.py").write_text("")
    reqs = tmp_path / "app" / "requirements.txt"
    reqs.write_text("./pkg\n")
    parsed = parse_file(reqs, environ={}, cwd=tmp_path)
    assert parsed.requirements[0].url == (tmp_path / "pkg").as_uri()
    assert parsed.diagnostics == ()


def test_requirements_file_named_without_r_gets_a_hint(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "base.txt").write_text("six\n")
    with pytest.raises(RequirementsError) as info:
        parse_text("sub/base.txt\n", environ={}, cwd=tmp_path)
    assert (
        info.value.problems[0].hint
        == "to include another requirements file, write `-r sub/base.txt`"
    )


def test_bare_git_archive_path_is_read_like_pip(tmp_path: Path) -> None:
    # pip reads this as a (missing) local archive, so pinset does too: no legacy rewrite
    req = parse_text("git://h/r/pkg-1.0.tar.gz\n", environ={}, cwd=tmp_path).requirements[0]
    assert req.url is not None
    assert req.url.startswith("file://")
    assert req.legacy_form is None
