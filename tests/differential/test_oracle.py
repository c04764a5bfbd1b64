"""The pip oracle itself reads every conformance input exactly as the stored pip reading.

``tests.helpers.pip_oracle`` drives pip's parser pieces line by line; this checks it against
the corpus' independent record of pip 26.3 (requirements, errors by line and stage, options),
so that the generated differential tests stand on a faithful oracle.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.differential.test_conformance import SUFFIX, _cases, _project_root
from tests.helpers.pip_oracle import read_with_pip
from tests.helpers.requirements_parity import FIELDS, OPTION_FIELDS

JSON = dict[str, Any]


def _shape(entries: list[JSON]) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for entry in entries:
        if "error" in entry:
            out.append(("error", entry["file"], entry["line"], entry["stage"]))
        else:
            out.append(tuple(json.dumps(entry.get(key)) for key in FIELDS))
    return out


@pytest.mark.parametrize("stored", _cases())
def test_oracle_matches_the_stored_pip_reading(stored: Path) -> None:
    expected = json.loads(stored.read_text(encoding="utf-8"))
    source = stored.with_name(stored.name[: -len(SUFFIX)])
    root = _project_root(source)
    mine = read_with_pip(source.relative_to(root), cwd=root, constraint=expected["as_constraint"])
    text = json.dumps(mine).replace("file://" + root.as_posix(), "file://{ROOT}")
    mine = json.loads(text.replace(root.as_posix(), "{ROOT}"))
    assert mine["ok"] is expected["ok"]
    assert _shape(mine["requirements"]) == _shape(expected["requirements"])
    for key in OPTION_FIELDS:
        assert mine["options"][key] == expected["options"][key], key
