"""``pinset config list`` through the real CLI, with real files and environment variables."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def run_pinset(
    *args: str, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "pinset", *args],
        env=full,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def config_json(env: Mapping[str, str], *extra: str) -> dict[str, Any]:
    result = run_pinset("config", "list", "--json", *extra, env=env)
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_sources_of_every_level(tmp_path: Path, home: Path) -> None:
    user = home / ".config" / "pip" / "pip.conf"
    user.parent.mkdir(parents=True)
    user.write_text("[install]\ntimeout = 42\nretries = 2\nno-color = yes\n", encoding="utf-8")
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / "pip.conf").write_text("[install]\nretries = 3\n", encoding="utf-8")
    env = {
        "PIP_CONFIG_FILE": str(tmp_path / "absent.conf"),
        "VIRTUAL_ENV": str(venv),
        "PIP_FIND_LINKS": "/w1 /w2",
        "PINSET_INDEX_URL": "https://me:s3cret@private.example/simple",
    }
    data = config_json(env)
    settings = data["settings"]
    assert settings["timeout"]["value"] == 42.0
    assert settings["timeout"]["source"] == f"{user} [install] timeout"
    assert settings["timeout"]["file"] == str(user)
    assert settings["timeout"]["line"] == 2
    assert settings["retries"]["value"] == 3
    assert settings["retries"]["file"] == str(venv / "pip.conf")
    assert settings["find_links"]["value"] == ["/w1", "/w2"]
    assert settings["find_links"]["source"] == "env PIP_FIND_LINKS"
    assert settings["index_url"]["source"] == "env PINSET_INDEX_URL"
    assert settings["index_url"]["value"] == "https://me:****@private.example/simple"
    assert settings["cache_dir"]["value"] == str(home / ".cache" / "pinset")
    assert settings["cache_dir"]["source"] == "default"
    assert settings["pre"] == {
        "name": "pre",
        "key": "pre",
        "value": False,
        "source": "default",
        "file": None,
        "line": None,
    }
    assert {"key": "no-color", "value": "yes", "source": f"{user} [install] no-color"} in data[
        "ignored"
    ]
    files = [(f["kind"], f["path"], f["loaded"]) for f in data["files"]]
    assert ("user", str(user), True) in files
    assert ("site", str(venv / "pip.conf"), True) in files
    assert files[-1] == ("env", str(tmp_path / "absent.conf"), False)


def test_text_output_never_shows_secrets(tmp_path: Path) -> None:
    conf = tmp_path / "pip.conf"
    conf.write_text(
        "[global]\nextra-index-url = https://user:hunter2@extra.example/simple\n"
        "proxy = http://bob:pa55@proxy.example:3128\n",
        encoding="utf-8",
    )
    result = run_pinset("config", "list", env={"PIP_CONFIG_FILE": str(conf)})
    assert result.returncode == 0, result.stderr
    assert "hunter2" not in result.stdout
    assert "pa55" not in result.stdout
    assert "extra-index-url" in result.stdout
    assert "https://user:****@extra.example/simple" in result.stdout
    assert f"# {conf} [global] extra-index-url" in result.stdout


def test_command_section_and_isolated(tmp_path: Path, home: Path) -> None:
    conf = tmp_path / "pip.conf"
    conf.write_text("[global]\nretries = 1\n[freeze]\nretries = 8\n", encoding="utf-8")
    env = {"PIP_CONFIG_FILE": str(conf), "PIP_TIMEOUT": "5"}
    assert config_json(env)["settings"]["retries"]["value"] == 1
    assert config_json(env, "--command", "freeze")["settings"]["retries"]["value"] == 8
    isolated = config_json(env, "--isolated")
    assert isolated["isolated"] is True
    assert isolated["settings"]["timeout"]["source"] == "default"
    assert config_json({**env, "PIP_ISOLATED_MODE": "1"})["isolated"] is True


def test_devnull_means_no_files() -> None:
    result = run_pinset("config", "list", env={"PIP_CONFIG_FILE": os.devnull})
    assert result.returncode == 0
    assert "# (none: PIP_CONFIG_FILE is set to the null device)" in result.stdout


def test_invalid_values_exit_2_with_location_and_hint(tmp_path: Path) -> None:
    conf = tmp_path / "pip.conf"
    conf.write_text("[global]\n\ntimeout = later\n", encoding="utf-8")
    result = run_pinset("config", "list", env={"PIP_CONFIG_FILE": str(conf)})
    assert result.returncode == 2
    assert f"{conf}:3:1: error: invalid value for 'timeout'" in result.stderr
    assert "hint:" in result.stderr
    assert "Traceback" not in result.stderr

    env_error = run_pinset("config", "list", env={"PIP_NO_INDEX": "sure"})
    assert env_error.returncode == 2
    assert "PIP_NO_INDEX" in env_error.stderr
    assert "yes/no" in env_error.stderr
