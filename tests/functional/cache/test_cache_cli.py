"""``pinset cache dir | info | clean | prune`` through the real CLI on a real cache tree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from pinset.cache import Cache, make_key


def run_pinset(
    *args: str, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pinset", *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _populate(root: Path) -> Cache:
    cache = Cache(root)
    cache.write_bytes("http", make_key("page"), b"p" * 2048)
    cache.write_json("metadata", make_key("meta"), {"name": "x"})
    cache.ensure_file("archives", make_key("a"), "a-1.0.tar.gz", lambda d: d.write_bytes(b"a"))
    return cache


def test_dir_follows_flag_pinset_pip_and_default(tmp_path: Path) -> None:
    default = run_pinset("cache", "dir")
    assert default.returncode == 0, default.stderr
    assert default.stdout.strip() == str(Path(os.environ["XDG_CACHE_HOME"]) / "pinset")
    conf = tmp_path / "pip.conf"
    conf.write_text("[global]\ncache-dir = ~/from-pip-conf\n", encoding="utf-8")
    from_conf = run_pinset("cache", "dir", env={"PIP_CONFIG_FILE": str(conf)})
    assert from_conf.stdout.strip() == str(Path(os.environ["HOME"]) / "from-pip-conf")
    env = {"PIP_CACHE_DIR": str(tmp_path / "pip"), "PINSET_CACHE_DIR": str(tmp_path / "mine")}
    assert run_pinset("cache", "dir", env=env).stdout.strip() == str(tmp_path / "mine")
    flag = run_pinset("cache", "--cache-dir", str(tmp_path / "flag"), "dir", env=env)
    assert flag.stdout.strip() == str(tmp_path / "flag")


def test_disabled_cache_is_a_clear_error() -> None:
    result = run_pinset("cache", "dir", env={"PIP_NO_CACHE_DIR": "1"})
    assert result.returncode == 2
    assert "the cache is disabled" in result.stderr
    assert "hint:" in result.stderr


def test_info_json_and_text(tmp_path: Path) -> None:
    root = tmp_path / "c"
    _populate(root)
    (root / "http-v0").mkdir()
    result = run_pinset("cache", "--cache-dir", str(root), "info", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    buckets = {(b["name"], b["version"]): b for b in data["buckets"]}
    assert buckets[("http", 3)]["entries"] == 1
    assert buckets[("http", 3)]["size"] == 2048
    assert buckets[("http", 0)]["current"] is False
    assert buckets[("archives", 1)]["entries"] == 1
    assert data["root"] == str(root)
    text = run_pinset("cache", "--cache-dir", str(root), "info")
    assert "http-v3" in text.stdout
    assert "old version" in text.stdout


def test_clean_bucket_then_everything(tmp_path: Path) -> None:
    root = tmp_path / "c"
    _populate(root)
    (root / "wheels").mkdir()  # not ours: pip's, in a shared directory
    one = run_pinset("cache", "--cache-dir", str(root), "clean", "http")
    assert one.returncode == 0, one.stderr
    assert "removed 1 item" in one.stderr
    assert not (root / "http-v3").exists()
    assert (root / "metadata-v2").is_dir()
    everything = run_pinset("cache", "--cache-dir", str(root), "clean")
    assert everything.returncode == 0
    assert sorted(p.name for p in root.iterdir()) == ["wheels"]
    unknown = run_pinset("cache", "--cache-dir", str(root), "clean", "nonsense")
    assert unknown.returncode == 2
    assert "unknown cache bucket 'nonsense'" in unknown.stderr


def test_prune(tmp_path: Path) -> None:
    root = tmp_path / "c"
    cache = _populate(root)
    (root / "metadata-v0" / "aa" / "bb").mkdir(parents=True)
    leftover = cache.path_for("http", make_key("page")).parent / ".x.123.tmp"
    leftover.write_bytes(b"half")
    old = time.time() - 10
    os.utime(leftover, (old, old))
    kept = run_pinset("cache", "--cache-dir", str(root), "prune")
    assert kept.returncode == 0, kept.stderr
    assert not (root / "metadata-v0").exists()
    assert leftover.exists()  # younger than an hour: may belong to a running pinset
    result = run_pinset("cache", "--cache-dir", str(root), "prune", "--older-than", "5")
    assert "removed 1 item" in result.stderr
    assert not leftover.exists()
    assert cache.read_bytes("http", make_key("page")) == b"p" * 2048


def test_corrupt_archive_is_fetched_again_with_a_warning(tmp_path: Path) -> None:
    root = tmp_path / "c"
    cache = _populate(root)
    path = cache.lookup_file("archives", make_key("a"), "a-1.0.tar.gz")
    assert path is not None
    path.write_bytes(b"bitrot")
    fresh = Cache(root)
    assert (
        fresh.ensure_file(
            "archives", make_key("a"), "a-1.0.tar.gz", lambda d: d.write_bytes(b"a")
        ).read_bytes()
        == b"a"
    )
    assert len(fresh.warnings) == 1
    assert "sha256" in fresh.warnings[0]
