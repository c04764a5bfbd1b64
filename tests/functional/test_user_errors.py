"""Every user error ends with a message and the documented exit code, never a traceback
(README "Exit codes": 1 a pinset error, 2 command-line or configuration misuse). An error from
the operating system (a path that cannot be a directory) is a message too, not a bug report."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CASES = [
    # (argv, extra environment, exit code, text stderr must contain)
    (["install", "-r", "bad.txt"], {}, 1, "bad.txt:1:4: error: invalid requirement 'foo=1.0'"),
    (["install", "-r", "missing.txt"], {}, 1, "error: cannot open requirements file missing.txt"),
    (["install", "-r", "adir"], {}, 1, "error: cannot open requirements file adir"),
    (["check", "binary.txt"], {}, 1, "error: cannot read binary.txt: cannot decode"),
    (["check", "missing.txt", "bad.txt"], {}, 1, "bad.txt:1:4: error:"),
    (["check"], {}, 2, "error: check needs requirements files, or --env"),
    (["uninstall", "-r", "missing.txt"], {}, 1, "error: cannot open requirements file"),
    (["install", "--bogus", "x"], {}, 2, "error: unrecognized arguments: --bogus"),
    (["frobnicate"], {}, 2, "error: argument COMMAND: invalid choice: 'frobnicate'"),
    ([], {}, 2, "error: the following arguments are required: COMMAND"),
    (["install", "--timeout", "abc", "x"], {}, 2, "invalid float value: 'abc'"),
    (["install", "x"], {"PIP_TIMEOUT": "abc"}, 2, "error: invalid value for 'timeout'"),
    (["install", "--timeout", "-5", "x"], {}, 2, "error: invalid value for --timeout: -5.0"),
    (["check", "--timeout", "nan", "bad.txt"], {}, 2, "error: invalid value for --timeout: nan"),
    (["install", "x"], {"PIP_TIMEOUT": "inf"}, 2, "(env PIP_TIMEOUT): inf is not a usable"),
    (["install", "--retries", "-1", "x"], {}, 2, "error: invalid value for --retries: -1"),
    (["cache", "prune", "--older-than", "-5"], {}, 2, "--older-than: -5.0 is not a usable"),
    (["cache", "prune", "--older-than", "nan"], {}, 2, "--older-than: nan is not a usable"),
    (["config", "list"], {"PIP_CONFIG_FILE": "bad.conf"}, 2, "bad.conf:1:1: error:"),
    (["install", "--python", "9.99", "x"], {}, 1, "error: no Python interpreter found"),
    (["install", "--python", "/no/such/python", "x"], {}, 1, "error: no Python interpreter at"),
    (["install", "--no-index", "x"], {}, 1, "error: no version of x satisfies x"),
    (["install", "--cache-dir", "bad.txt/cache", "--no-index", "x"], {}, 1, "bad.txt/cache"),
]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("user-errors")
    (root / "bad.txt").write_text("foo=1.0\n")
    (root / "binary.txt").write_bytes(bytes(range(128, 256)) * 3)
    (root / "adir").mkdir()
    (root / "bad.conf").write_text("timeout = 3\n[global]\n")
    return root


IDS = [" ".join(argv) or "-" for argv, *_ in CASES]


@pytest.mark.parametrize(("argv", "env", "code", "expected"), CASES, ids=IDS)
def test_bad_invocation_is_a_message_and_an_exit_code(
    workdir: Path, argv: list[str], env: dict[str, str], code: int, expected: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pinset", *argv],
        cwd=workdir,
        env={**os.environ, "NO_COLOR": "1", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr
    assert result.returncode == code, result.stderr
    assert expected in result.stderr
    assert result.stdout == ""
