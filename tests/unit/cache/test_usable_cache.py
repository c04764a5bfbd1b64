"""The one decision on whether a run may use its cache directory (issue 8 #12).

A read-only directory needs a real read-only mount to test as root (see
tests/functional/cache/test_read_only_cache.py); here the cache path runs through a regular
file, which no user, root included, can create a directory under.
"""

from __future__ import annotations

from pathlib import Path

from pinset.cache.location import UNWRITABLE_SOURCE, usable_cache
from pinset.settings import Setting, Settings


def test_a_cache_path_that_cannot_be_made_disables_the_cache_with_a_warning(
    tmp_path: Path,
) -> None:
    (tmp_path / "file").write_text("not a directory")
    cache = tmp_path / "file" / "cache"
    settings, warning = usable_cache(Settings(cache_dir=Setting(str(cache))))
    assert settings.no_cache_dir == Setting(True, UNWRITABLE_SOURCE)
    assert warning == (
        f"the cache directory {cache} cannot be written (Not a directory: {cache}); "
        "the cache is disabled for this run"
    )


def test_a_file_named_like_a_bucket_is_not_probed(tmp_path: Path) -> None:
    (tmp_path / "http-v1").write_text("a file where a bucket directory should be")
    (tmp_path / "metadata-v1").mkdir()
    settings, warning = usable_cache(Settings(cache_dir=Setting(str(tmp_path))))
    assert settings.no_cache_dir.value is False
    assert warning is None


def test_a_writable_cache_is_kept_and_the_probe_leaves_nothing(tmp_path: Path) -> None:
    (tmp_path / "metadata-v1").mkdir()
    given = Settings(cache_dir=Setting(str(tmp_path)))
    settings, warning = usable_cache(given)
    assert (settings, warning) == (given, None)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["metadata-v1"]


def test_no_cache_dir_is_not_probed(tmp_path: Path) -> None:
    cache = tmp_path / "never-made"
    given = Settings(cache_dir=Setting(str(cache)), no_cache_dir=Setting(True))
    assert usable_cache(given) == (given, None)
    assert not cache.exists()
