"""The CLI's text for every error: resolution failures (golden texts, over the scenarios of
tests/unit/resolve/test_errors.py), plain errors with a place, note and hint, and problem
blocks with the source line and caret."""

from __future__ import annotations

import io

import pytest

from pinset.cli.render import format_error
from pinset.errors import (
    ConfigurationError,
    Diagnostic,
    Location,
    NetworkError,
    PinsetError,
    RequirementsError,
    Severity,
)
from pinset.ops.hashes import HashesRequiredError
from tests.helpers.repository import Repository
from tests.unit.resolve.test_errors import failure

LOOSEN = "  hint: loosen one of these requirements so that one version of lib satisfies them all"


def text(error: PinsetError) -> str:
    return format_error(error, io.StringIO())


def test_a_conflict_between_two_lines() -> None:
    repo = Repository({"app": {"1.0": ["lib>=2"]}, "lib": {"1.0": [], "2.0": []}})
    assert text(failure(repo, "# services\n\napp==1.0\nlib<2\n")) == (
        "error: cannot install app==1.0 and lib<2 together\n"
        "  requirements.txt:3:1  app==1.0 → needs lib>=2\n"
        "  requirements.txt:4:1  lib<2\n" + LOOSEN
    )


def test_deep_chains_name_the_versions_tried_once() -> None:
    repo = Repository(
        {
            "web": {"2.0": ["app>=1"]},
            "app": {"1.0": ["lib>=2"], "1.1": ["lib>=2"], "1.2": ["lib>=2.1"]},
            "lib": {"1.0": [], "2.0": [], "2.1": []},
        }
    )
    assert text(failure(repo, "web==2.0\nlib==1.0\n")) == (
        "error: cannot install web==2.0 and lib==1.0 together\n"
        "  requirements.txt:1:1  web==2.0 → needs app>=1 → app 1.1, 1.0 need lib>=2\n"
        "  requirements.txt:1:1  web==2.0 → needs app>=1 → app 1.2 needs lib>=2.1\n"
        "  requirements.txt:2:1  lib==1.0\n" + LOOSEN
    )


def test_many_versions_are_summarised() -> None:
    repo = Repository(
        {"app": {f"1.{i}": ["lib>=2"] for i in range(6)}, "lib": {"1.0": [], "2.0": []}}
    )
    assert text(failure(repo, "app\nlib<2\n")).splitlines()[1:3] == [
        "  requirements.txt:1:1  app → app 1.5, 1.4, 1.3 and 3 more need lib>=2",
        "  requirements.txt:2:1  lib<2",
    ]


def test_a_constraint_is_aligned_after_the_users_lines() -> None:
    repo = Repository({"app": {"1.0": ["lib>=2"]}, "lib": {"1.0": [], "2.0": []}})
    assert text(failure(repo, "app\n", constraints="lib<2\n")) == (
        "error: cannot install app and lib<2 together\n"
        "  requirements.txt:1:1  app → app 1.0 needs lib>=2\n"
        "  constraints.txt:1:1   lib<2\n" + LOOSEN
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
    assert text(failure(repo, "app==1.0\n")) == (
        "error: cannot install app==1.0: its dependencies conflict over lib\n"
        "  requirements.txt:1:1  app==1.0 → needs a → a 1.0 needs lib>=2\n"
        "  requirements.txt:1:1  app==1.0 → needs b → b 1.0 needs lib<2\n" + LOOSEN
    )


def test_no_matching_version_with_what_was_skipped() -> None:
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
    assert text(failure(repo, "  foo>=3\n")) == (
        "error: no version of foo satisfies foo>=3\n"
        "  requirements.txt:1:3  foo>=3\n"
        "  note: versions found: 2.0, 1.0; 2 were skipped (needs Python >=3.12);"
        " 1 was skipped (yanked)"
    )


def test_no_matching_version_of_a_dependency_shows_who_needs_it() -> None:
    repo = Repository(
        {
            "app": {"1.0": ["lib[x]>=2"]},
            "lib": {"2.0": ["dep>=5; extra == 'x'"]},
            "dep": {"4": []},
        }
    )
    assert text(failure(repo, "app\n")) == (
        "error: no version of dep satisfies dep>=5\n"
        "  requirements.txt:1:1  app → app 1.0 needs lib[x]>=2 → lib[x] 2.0 needs dep>=5\n"
        "  note: versions found: 4"
    )


def test_an_unknown_project() -> None:
    assert text(failure(Repository({}), "nothere==1.0\n")) == (
        "error: nothere was not found on the test repository\n"
        "  requirements.txt:1:1  nothere==1.0\n"
        "  hint: check the project's name, and the index (--index-url, --extra-index-url)"
    )


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
    assert text(failure(repo, "foo>=3\n")) == (
        "error: cannot install foo>=3 on Python 3.11.4\n"
        "  requirements.txt:1:1  foo>=3 → foo 3.1, 3.0 need Python >=3.12\n"
        "  hint: every version that fits needs another Python: target one with --python"
    )


def test_a_dependency_needing_another_python() -> None:
    repo = Repository(
        {"app": {"1.0": ["lib>=2"]}, "lib": {"2.0": {"requires_python": ">=3.12"}, "1.0": []}}
    )
    assert text(failure(repo, "app\n")) == (
        "error: cannot install app on Python 3.11.4\n"
        "  requirements.txt:1:1  app → app 1.0 needs lib>=2 → lib 2.0 needs Python >=3.12\n"
        "  hint: every version that fits needs another Python: target one with --python"
    )


def test_a_plain_error_shows_headline_note_then_hint() -> None:
    error = NetworkError(
        "GET https://example.com/simple/x/: HTTP 500", note="tried 3 times", hint="retry later"
    )
    assert text(error) == (
        "error: GET https://example.com/simple/x/: HTTP 500\n"
        "  note: tried 3 times\n"
        "  hint: retry later"
    )


def test_an_error_with_a_place_starts_with_it() -> None:
    at_line = PinsetError("bad", where=Location("pip.conf", 3, 1), hint="fix it")
    assert text(at_line) == "pip.conf:3:1: error: bad\n  hint: fix it"
    in_env = ConfigurationError("invalid value 'x' for verbose", where="env PIP_VERBOSE")
    assert text(in_env) == "env PIP_VERBOSE: error: invalid value 'x' for verbose"


def test_requirements_problems_keep_their_blocks() -> None:
    problems = (
        Diagnostic(
            Severity.ERROR,
            "invalid requirement 'foo=1.0'",
            where=Location("requirements.txt", 2, 4),
            source_line="foo=1.0",
            hint="did you mean `foo==1.0`?",
        ),
        Diagnostic(Severity.ERROR, "unknown option --indx-url", Location("more.txt", 1, 1)),
    )
    assert text(RequirementsError(problems)) == (
        "requirements.txt:2:4: error: invalid requirement 'foo=1.0'\n"
        "    2 | foo=1.0\n"
        "      |    ^\n"
        "  hint: did you mean `foo==1.0`?\n"
        "more.txt:1:1: error: unknown option --indx-url"
    )


def test_an_error_made_of_problems_has_its_headline_blocks_note_and_hint() -> None:
    problem = Diagnostic(
        Severity.ERROR,
        "app==1.0 has no --hash",
        where=Location("requirements.txt", 2, 1),
        source_line="app==1.0",
        hint="add: app==1.0 --hash=sha256:ab",
    )
    lines = text(HashesRequiredError((problem,))).splitlines()
    assert lines == [
        "error: hash-checking mode: 1 requirement cannot be verified",
        "requirements.txt:2:1: error: app==1.0 has no --hash",
        "    2 | app==1.0",
        "      | ^",
        "  hint: add: app==1.0 --hash=sha256:ab",
        "  note: hash-checking mode is on because of --require-hashes or a --hash option",
        "  hint: add the lines shown (or --hash options) to your requirements file",
    ]


def test_colour_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert text(PinsetError("bad")) == "\x1b[31merror:\x1b[0m bad"
    monkeypatch.setenv("NO_COLOR", "1")
    assert text(PinsetError("bad")) == "error: bad"
