"""A file with errors still gives what was read: tools that lint or edit requirements files
get every requirement, option and file read, and every finding, from the error."""

from __future__ import annotations

from pathlib import Path

import pytest

from pinset.errors import RequirementsError, Severity
from pinset.requirements import RequirementsFileError, parse_file, parse_text


def test_the_error_carries_everything_read_with_every_finding(tmp_path: Path) -> None:
    (tmp_path / "base.txt").write_text("--index-url https://example.com/simple\nsix==1.16\n")
    (tmp_path / "r.txt").write_text(
        "-r base.txt\nflask==3.0\nfoo=1.0\nMyPackage==3.0 [PDF]\n-c missing.txt\nattrs\n"
    )
    with pytest.raises(RequirementsFileError) as info:
        parse_file("r.txt", cwd=tmp_path)
    error = info.value
    assert isinstance(error, RequirementsError)  # callers catching the family still do
    partial = error.partial
    assert partial.origin == "r.txt"
    assert [(r.origin.file, r.origin.line, r.name) for r in partial.requirements] == [
        ("base.txt", 2, "six"),
        ("r.txt", 2, "flask"),
        ("r.txt", 4, "MyPackage"),
        ("r.txt", 6, "attrs"),
    ]
    assert partial.options.index_url == "https://example.com/simple"
    assert [f.file for f in partial.files] == ["r.txt", "base.txt"]
    assert [(d.severity, d.where.line if d.where else None) for d in partial.diagnostics] == [
        (Severity.ERROR, 3),
        (Severity.WARNING, 4),
        (Severity.ERROR, 5),
    ]
    assert partial.diagnostics == error.findings


def test_parse_text_gives_the_partial_result_too() -> None:
    with pytest.raises(RequirementsFileError) as info:
        parse_text("six\nsix>>1\n", "requirements.txt")
    assert [r.name for r in info.value.partial.requirements] == ["six"]
    assert info.value.problems[0].where is not None
