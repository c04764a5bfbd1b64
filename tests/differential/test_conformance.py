"""pinset reads every file of the shared conformance corpus the way pip 26.3 read it.

The corpus (``../shared/conformance`` from the repository root) holds real requirements files
and, next to each, pip's reading (``<input>.pip.json``, see its README). This test needs no
pip: it compares pinset with the stored readings. Each input is its own test; the whole module
is skipped when the corpus is absent.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.differential.parity import parity_problems
from tests.helpers.requirements_parity import PinsetReading, read_with_pinset

REPO = Path(__file__).resolve().parents[2]
CORPUS = (REPO.parent / "shared" / "conformance").resolve()
ROOT_MARK = ".oracle-root"
SUFFIX = ".pip.json"


def _cases() -> list[Any]:
    if not CORPUS.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{CORPUS} is absent"))]
    return [
        pytest.param(path, id=path.relative_to(CORPUS).as_posix()[: -len(SUFFIX)])
        for path in sorted(CORPUS.rglob(f"*{SUFFIX}"))
    ]


def _project_root(source: Path) -> Path:
    return next(p for p in source.parents if (p / ROOT_MARK).is_file())


def _copy_tree(root: Path, target: Path) -> Path:
    """A writable copy (the corpus is read-only, and so would be a copy with its modes)."""
    for path in root.rglob("*"):
        if path.is_file():
            dest = target / path.relative_to(root)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
    return target


def _in_corpus_terms(reading: PinsetReading, root: Path) -> PinsetReading:
    """Local URLs as the corpus writes them: ``file://{ROOT}/...``."""
    prefix = "file://" + root.as_posix()
    for entry in reading.requirements + reading.constraints:
        url = entry.get("url")
        if isinstance(url, str) and url.startswith(prefix):
            entry["url"] = "file://{ROOT}" + url[len(prefix) :]
    return reading


@pytest.mark.parametrize("stored", _cases())
def test_reads_like_pip(stored: Path, tmp_path: Path) -> None:
    pip = json.loads(stored.read_text(encoding="utf-8"))
    source = stored.with_name(stored.name[: -len(SUFFIX)])
    root = _project_root(source)
    relative = source.relative_to(root)

    def read(at: Path) -> PinsetReading:
        return _in_corpus_terms(
            read_with_pinset(relative, cwd=at, constraint=pip["as_constraint"], environ={}), at
        )

    problems = parity_problems(
        pip,
        root,
        read,
        writable_root=lambda: _copy_tree(root, tmp_path / "root"),
        redact_urls=True,
    )
    assert not problems, "pinset reads differently from pip:\n" + "\n".join(problems)
