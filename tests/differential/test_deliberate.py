"""Each deliberate difference (``deliberate.DELIBERATE``) behaves as its row says.

For every row: pip 26.3 refuses the example line (or accepts it, for rows marked so), which
keeps the table honest if pip changes; pinset reads the example as the row says and warns on
that line. The rows also drive the classification in the parity tests, where any refusal by
pip that no row covers must be an error in pinset too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.differential.deliberate import DELIBERATE, Deliberate, deliberate_for
from tests.helpers.pip_oracle import read_with_pip
from tests.helpers.requirements_parity import read_with_pinset

ENTRY = "sub/requirements.txt"


def _project(root: Path, line: str) -> Path:
    (root / "sub" / "pkg").mkdir(parents=True)
    (root / "sub" / "pkg" / "setup.py").write_text("")
    (root / ENTRY).write_text(line + "\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("row", DELIBERATE, ids=[r.key for r in DELIBERATE])
def test_pip_reads_the_example_as_the_row_says(row: Deliberate, tmp_path: Path) -> None:
    root = _project(tmp_path, row.example)
    pip = read_with_pip(ENTRY, cwd=root, redact=False)
    errors = [e for e in pip["requirements"] if "error" in e]
    assert bool(errors) is row.pip_refuses, pip["requirements"]
    if row.pip_refuses:
        assert [(e["file"], e["line"]) for e in errors] == [(ENTRY, 1)]
        assert deliberate_for(row.example, root / "sub", root) is row


@pytest.mark.parametrize("row", DELIBERATE, ids=[r.key for r in DELIBERATE])
def test_pinset_reads_the_example_and_warns(row: Deliberate, tmp_path: Path) -> None:
    root = _project(tmp_path, row.example).resolve()
    reading = read_with_pinset(ENTRY, cwd=root, environ={})
    assert reading.ok, reading.problems
    (requirement,) = reading.requirements
    assert (requirement["file"], requirement["line"]) == (ENTRY, 1)
    for key, value in row.expected.items():
        wanted = value.replace("{ROOT}", root.as_posix()) if isinstance(value, str) else value
        assert requirement[key] == wanted, key
    assert (ENTRY, 1) in reading.warning_lines(), "pinset must warn on a form pip reads otherwise"
    if row.pip_refuses:
        assert requirement["legacy_form"] is not None or requirement["url"] is not None


def test_lines_outside_the_table_are_not_deliberate(tmp_path: Path) -> None:
    root = _project(tmp_path, "x")
    for line in (
        "pkg==1.0",
        "pkg>=1 [x",
        "-e git://h/r#egg=x",
        "git+https://h/r#egg=x",
        "./missing",
        "path/to/x#egg=y",
        "pkg==1.0; python_version>'3' [x]",
    ):
        assert deliberate_for(line, root / "sub", root) is None, line
