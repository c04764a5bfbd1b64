"""The parity check shared by the differential tests: pinset must read a file as pip does.

Given pip's reading (live oracle or stored corpus JSON) of a file under a project root:

1. every line pip refuses is classified: a deliberate difference (``deliberate.DELIBERATE``)
   or an error pinset must report too;
2. pinset reads the file: it must fail with exactly those error lines (or succeed if none);
   on a deliberate line it may still refuse (an old form that is malformed anyway);
3. those lines are blanked in a writable copy and pinset reads again: now it must succeed,
   and every requirement, constraint and file option must equal pip's; on each deliberate
   line pinset must read a requirement and warn.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.differential.deliberate import Deliberate, deliberate_for
from tests.helpers.requirements_parity import (
    OPTION_FIELDS,
    PinsetReading,
    Where,
    blank_lines,
    logical_lines,
    option_differences,
    requirement_differences,
)

JSON = dict[str, Any]
ReadPinset = Callable[[Path], PinsetReading]
"""Reads the file under test with pinset, given the project root to read it in."""


def _logical_text(root: Path, file: str, line: int) -> tuple[str, list[int]]:
    path = Path(file) if os.path.isabs(file) else root / file
    try:
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
    except OSError:
        return "", [line]
    return logical_lines(text).get(line, ("", [line]))


def classify(pip: JSON, root: Path) -> tuple[set[Where], dict[Where, Deliberate]]:
    """pip's error lines: (errors pinset must report too, deliberate differences)."""
    errors: set[Where] = set()
    deliberate: dict[Where, Deliberate] = {}
    for entry in pip["requirements"]:
        where = (entry.get("file", ""), entry.get("line", 0))
        if entry.get("constraint_problem"):
            errors.add(where)  # pip install stops on it before resolving anything
            continue
        if "error" not in entry or entry["line"] == 0:
            continue
        text, _ = _logical_text(root, entry["file"], entry["line"])
        file_dir = (root / entry["file"]).parent
        row = deliberate_for(text, file_dir, root) if entry["stage"] == "requirement" else None
        if row is None:
            errors.add(where)
        else:
            deliberate[where] = row
    return errors, deliberate


def _to_logical(root: Path, lines: set[Where]) -> set[Where]:
    """Problem locations moved to the start of their logical line (pinset may point further)."""
    out = set()
    for file, line in lines:
        path = root / file
        try:
            spans = logical_lines(path.read_bytes().decode("utf-8-sig", errors="replace"))
        except OSError:
            out.add((file, line))
            continue
        start = next((s for s, (_, phys) in spans.items() if line in phys), line)
        out.add((file, start))
    return out


def parity_problems(
    pip: JSON,
    root: Path,
    read_pinset: ReadPinset,
    *,
    writable_root: Callable[[], Path],
    redact_urls: bool,
    option_fields: tuple[str, ...] = OPTION_FIELDS,
    reread_pip: Callable[[Path], JSON] | None = None,
) -> list[str]:
    """Every way pinset's reading differs from pip's, as readable lines (empty: same).

    pip applies an option on a line it then refuses (``a b --no-binary :all:``), so once
    refused lines are blanked, pip's options are read again (``reread_pip``); without it the
    options are not compared when a blanked line held an option.
    """
    errors, deliberate = classify(pip, root)
    reading = read_pinset(root)
    ours = _to_logical(root, reading.error_lines()) if not reading.ok else set()
    # A deliberate form pinset still refuses (the old form was malformed anyway) is a refusal
    # on both sides: fine, and no longer a deliberate difference.
    refused = errors | (ours & set(deliberate))
    deliberate = {w: row for w, row in deliberate.items() if w not in ours}
    if refused:
        out = []
        if reading.ok:
            out.append(f"pip refuses lines {sorted(errors)}, pinset accepts the file")
        else:
            out.extend(f"pip refuses {w[0]}:{w[1]}, pinset does not" for w in errors - ours)
            out.extend(
                f"pinset refuses {w[0]}:{w[1]} ({_message(reading, w)}), pip accepts it"
                for w in sorted(ours - refused)
            )
        if out or any(_is_url(w[0]) for w in refused):
            return out  # a served file cannot be blanked: the error lines are all we compare
        had_options = any(" -" in f" {_logical_text(root, *w)[0]}" for w in refused)
        root = writable_root()
        blank_lines(root, refused)
        reading = read_pinset(root)
        if reread_pip is not None:
            pip = {**pip, "options": reread_pip(root)["options"]}
        elif had_options:
            option_fields = ()
    if not reading.ok:
        return [
            f"pinset refuses {p['file']}:{p['line']}: {p['message']} (pip accepts it)"
            for p in reading.problems
        ]
    good = [e for e in pip["requirements"] if not e.get("constraint_problem")]
    out = requirement_differences(good, reading, skip=set(deliberate), redact_urls=redact_urls)
    out.extend(option_differences(pip["options"], reading.options, option_fields))
    out.extend(_deliberate_problems(reading, deliberate))
    return out


def _is_url(file: str) -> bool:
    return re.match(r"^(https?|file):", file, re.IGNORECASE) is not None


def _message(reading: PinsetReading, where: Where) -> str:
    for problem in reading.problems:
        if (problem["file"], problem["line"]) == where:
            return str(problem["message"])
    return "?"


def _deliberate_problems(reading: PinsetReading, deliberate: dict[Where, Deliberate]) -> list[str]:
    out = []
    read_at = {(r["file"], r["line"]) for r in reading.requirements + reading.constraints}
    warned_at = reading.warning_lines()
    for where, row in sorted(deliberate.items()):
        if where not in read_at:
            out.append(f"{where[0]}:{where[1]} ({row.key}): pinset should read it, it did not")
        if where not in warned_at:
            out.append(f"{where[0]}:{where[1]} ({row.key}): pinset should warn, it did not")
    return out
