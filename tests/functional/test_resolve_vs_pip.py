"""Differential: pinset's resolver picks the pins pip does (``pip install --dry-run --report``).

Both read the same real wheels from one directory (pip with ``--no-index --find-links``, pinset
through :class:`tests.helpers.repository.WheelDirectory`) for this interpreter's markers.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from packaging.markers import default_environment
from packaging.utils import NormalizedName

from pinset.resolve import ResolutionFailure, resolve
from tests.helpers.dists import make_wheel
from tests.helpers.repository import WheelDirectory, parse_lines

Project = Mapping[str, Any]

SCENARIOS: dict[str, tuple[dict[str, dict[str, Project]], str, str, bool]] = {
    "newest-transitive": (
        {
            "web": {"1.0": {"requires": ["app>=1"]}, "2.0": {"requires": ["app>=2", "log"]}},
            "app": {"1.0": {}, "2.0": {"requires": ["lib<3"]}},
            "lib": {"1.0": {}, "2.9": {}, "3.0": {}},
            "log": {"0.1": {}},
        },
        "web\n",
        "",
        False,
    ),
    "backtrack-to-older": (
        {
            "a": {"1.0": {"requires": ["shared"]}, "2.0": {"requires": ["shared>=2"]}},
            "b": {"1.0": {"requires": ["shared<2"]}},
            "shared": {"1.0": {}, "1.5": {}, "2.0": {}},
        },
        "a\nb\n",
        "",
        False,
    ),
    "deep-backtrack": (
        {
            "top": {"1.0": {"requires": ["mid", "leaf<2"]}},
            "mid": {
                "1.0": {"requires": ["deep"]},
                "2.0": {"requires": ["deep>=2"]},
                "3.0": {"requires": ["deep>=3"]},
            },
            "deep": {
                "1.0": {"requires": ["leaf"]},
                "2.0": {"requires": ["leaf>=1"]},
                "3.0": {"requires": ["leaf>=2"]},
            },
            "leaf": {"1.0": {}, "2.0": {}},
        },
        "top\n",
        "",
        False,
    ),
    "extras": (
        {
            "app": {"1.0": {"extras": {"speed": ["fast>=2"]}, "requires": ["core"]}},
            "core": {"1.0": {}},
            "fast": {"1.0": {}, "2.0": {"extras": {"native": ["cext"]}}},
            "cext": {"0.3": {}},
            "other": {"1.0": {"requires": ["fast[native]"]}},
        },
        "app[speed]\nother\n",
        "",
        False,
    ),
    "markers": (
        {
            "app": {
                "1.0": {
                    "requires": [
                        "old; python_version < '3'",
                        "new; python_version >= '3'",
                        "winonly; sys_platform == 'win32'",
                    ]
                }
            },
            "old": {"1.0": {}},
            "new": {"1.0": {}},
            "winonly": {"1.0": {}},
        },
        "app\n",
        "",
        False,
    ),
    "pre-release-fallback": (
        {"lib": {"1.0": {}, "2.0a1": {}}, "beta": {"0.1b1": {}}},
        "lib>1.0\nbeta\n",
        "",
        False,
    ),
    "pre-allowed": ({"lib": {"1.0": {}, "2.0rc1": {}}}, "lib\n", "", True),
    "requires-python": (
        {"lib": {"1.0": {}, "2.0": {}, "3.0": {"requires_python": ">=4"}}},
        "lib\n",
        "",
        False,
    ),
    "constraints": (
        {"app": {"1.0": {"requires": ["lib"]}}, "lib": {"1.0": {}, "2.0": {}}, "x": {"1": {}}},
        "app\n",
        "lib<2\nx==1\n",
        False,
    ),
}


def this_interpreter() -> dict[str, str]:
    return {key: str(value) for key, value in default_environment().items()}


def build(root: Path, projects: Mapping[str, Mapping[str, Project]]) -> None:
    for name, releases in projects.items():
        for version, spec in releases.items():
            make_wheel(
                root,
                name,
                version,
                requires=spec.get("requires", ()),
                extras=spec.get("extras"),
                requires_python=spec.get("requires_python"),
            )


def pip_pins(root: Path, requirements: Path, constraints: Path | None, pre: bool) -> dict[str, str]:
    report = root.parent / "report.json"
    command = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed"]
    command += ["--no-index", "--find-links", str(root), "--report", str(report), "--quiet"]
    command += ["-r", str(requirements)]
    if constraints is not None:
        command += ["-c", str(constraints)]
    if pre:
        command.append("--pre")
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    data = json.loads(report.read_text())
    return {i["metadata"]["name"]: i["metadata"]["version"] for i in data["install"]}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_same_pins_as_pip(tmp_path: Path, scenario: str) -> None:
    projects, text, constraints_text, pre = SCENARIOS[scenario]
    root = tmp_path / "wheels"
    build(root, projects)
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(text)
    constraints = tmp_path / "constraints.txt" if constraints_text else None
    if constraints is not None:
        constraints.write_text(constraints_text)
    expected = pip_pins(root, requirements, constraints, pre)
    result = resolve(
        parse_lines(text),
        constraints=parse_lines(constraints_text, "constraints.txt", constraint=True),
        source=WheelDirectory(root),
        installed={},
        markers=this_interpreter(),
        pre=pre,
    )
    assert {str(n): str(p.version) for n, p in result.pins.items()} == expected


def test_both_refuse_a_conflict(tmp_path: Path) -> None:
    root = tmp_path / "wheels"
    build(root, {"app": {"1.0": {"requires": ["lib>=2"]}}, "lib": {"1.0": {}, "2.0": {}}})
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("app==1.0\nlib<2\n")
    with pytest.raises(subprocess.CalledProcessError):
        pip_pins(root, requirements, None, False)
    with pytest.raises(ResolutionFailure) as caught:
        resolve(
            parse_lines(requirements.read_text()),
            source=WheelDirectory(root),
            installed={},
            markers=this_interpreter(),
        )
    assert caught.value.names == (NormalizedName("lib"),)


def test_a_direct_url_wins_like_in_pip(tmp_path: Path) -> None:
    root = tmp_path / "wheels"
    build(root, {"app": {"1.0": {"requires": ["lib>=2"]}}, "lib": {"1.0": {}, "2.0": {}}})
    elsewhere = tmp_path / "elsewhere"
    wheel = make_wheel(elsewhere, "lib", "2.5", requires=["tiny"])
    build(root, {"tiny": {"1.0": {}}})
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(f"app\nlib @ {wheel.as_uri()}\n")
    expected = pip_pins(root, requirements, None, False)
    result = resolve(
        parse_lines(requirements.read_text()),
        source=WheelDirectory(root),
        installed={},
        markers=this_interpreter(),
    )
    assert {str(n): str(p.version) for n, p in result.pins.items()} == expected
    assert expected["lib"] == "2.5"
