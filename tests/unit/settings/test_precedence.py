"""Which value wins: files in pip's order, sections, PIP_*, PINSET_*, the command line."""

from __future__ import annotations

import os

from pinset.errors import Location
from tests.helpers.config_files import Layout


def _all_levels(layout: Layout) -> None:
    for path, name in (
        (layout.xdg_global, "xdg"),
        (layout.etc, "etc"),
        (layout.legacy_user, "legacy"),
        (layout.user, "user"),
        (layout.site, "site"),
    ):
        layout.write(path, f"[global]\nindex-url = https://{name}.example/simple\n")


def test_each_file_level_overrides_the_previous_one(layout: Layout) -> None:
    _all_levels(layout)
    settings = layout.load()
    assert settings.index_url.value == "https://site.example/simple"
    assert settings.index_url.source == f"{layout.site} [global] index-url"
    assert settings.index_url.where == Location(str(layout.site), 2)

    layout.site.unlink()
    assert layout.load().index_url.value == "https://user.example/simple"
    layout.user.unlink()
    assert layout.load().index_url.value == "https://legacy.example/simple"
    layout.legacy_user.unlink()
    assert layout.load().index_url.value == "https://etc.example/simple"
    layout.etc.unlink()
    assert layout.load().index_url.value == "https://xdg.example/simple"


def test_pip_config_file_is_last_and_hides_user_files(layout: Layout) -> None:
    _all_levels(layout)
    layout.write(layout.user, "[global]\ntimeout = 7\nindex-url = https://user.example/simple\n")
    env_file = layout.write(layout.root / "custom.conf", "[global]\nretries = 9\n")
    settings = layout.load({"PIP_CONFIG_FILE": str(env_file)})
    assert settings.retries.value == 9
    assert settings.retries.source == f"{env_file} [global] retries"
    # pip does not read user files when PIP_CONFIG_FILE names an existing file
    assert settings.timeout.value == 15.0
    assert settings.index_url.value == "https://site.example/simple"
    kinds = [(f.kind, f.loaded) for f in settings.files]
    assert kinds == [("global", True), ("global", True), ("site", True), ("env", True)]


def test_missing_pip_config_file_keeps_user_files(layout: Layout) -> None:
    layout.write(layout.user, "[global]\ntimeout = 7\n")
    settings = layout.load({"PIP_CONFIG_FILE": str(layout.root / "absent.conf")})
    assert settings.timeout.value == 7.0
    assert settings.files[-1].kind == "env"
    assert not settings.files[-1].loaded


def test_pip_config_file_overrides_site(layout: Layout) -> None:
    layout.write(layout.site, "[global]\nretries = 1\n")
    env_file = layout.write(layout.root / "c.conf", "[global]\nretries = 2\n")
    assert layout.load({"PIP_CONFIG_FILE": str(env_file)}).retries.value == 2


def test_devnull_disables_every_file(layout: Layout) -> None:
    _all_levels(layout)
    settings = layout.load({"PIP_CONFIG_FILE": os.devnull})
    assert settings.index_url.value == "https://pypi.org/simple"
    assert settings.index_url.is_default
    assert settings.files == ()


def test_full_chain_files_env_pinset_cli(layout: Layout) -> None:
    layout.write(layout.etc, "[global]\ntimeout = 1\nretries = 1\nproxy = http://etc:1\n")
    layout.write(layout.user, "[global]\ntimeout = 2\nretries = 2\nproxy = http://user:2\n")
    env = {"PIP_TIMEOUT": "3", "PIP_RETRIES": "3", "PINSET_TIMEOUT": "4"}
    settings = layout.load(env, {"timeout": 5.0})
    assert settings.proxy.value == "http://user:2"
    assert settings.retries.value == 3
    assert settings.retries.source == "env PIP_RETRIES"
    assert settings.timeout.value == 5.0
    assert settings.timeout.source == "command line --timeout"
    assert layout.load(env).timeout.value == 4.0
    assert layout.load(env).timeout.source == "env PINSET_TIMEOUT"


def test_command_section_beats_global_section_in_any_file(layout: Layout) -> None:
    layout.write(layout.etc, "[install]\ntimeout = 30\n")
    layout.write(layout.user, "[global]\ntimeout = 60\n[freeze]\ntimeout = 90\n")
    install = layout.load()
    assert install.timeout.value == 30.0
    assert install.timeout.source == f"{layout.etc} [install] timeout"
    assert layout.load(command="freeze").timeout.value == 90.0
    assert layout.load(command="download").timeout.value == 60.0
    # the environment beats every section
    assert layout.load({"PIP_TIMEOUT": "5"}).timeout.value == 5.0


def test_sync_reads_install_then_sync_sections(layout: Layout) -> None:
    layout.write(layout.user, "[install]\nretries = 3\ntimeout = 4\n[sync]\nretries = 8\n")
    settings = layout.load(command="sync")
    assert settings.retries.value == 8
    assert settings.timeout.value == 4.0


def test_empty_value_in_a_later_file_unsets(layout: Layout) -> None:
    layout.write(layout.etc, "[global]\nindex-url = https://etc.example/simple\n")
    layout.write(layout.user, "[global]\nindex-url =\n")
    assert layout.load().index_url.is_default
    assert layout.load({"PIP_INDEX_URL": ""}).index_url.is_default


def test_isolated_ignores_user_files_and_variables(layout: Layout) -> None:
    layout.write(layout.etc, "[global]\nretries = 1\n")
    layout.write(layout.user, "[global]\nretries = 2\ntimeout = 2\n")
    env_file = layout.write(layout.root / "c.conf", "[global]\nproxy = http://env-file:1\n")
    env = {"PIP_RETRIES": "3", "PINSET_RETRIES": "4", "PIP_CONFIG_FILE": str(layout.root / "x")}
    settings = layout.load(env, isolated=True)
    assert settings.retries.value == 1
    assert settings.timeout.value == 15.0
    assert settings.isolated
    assert [f.kind for f in settings.files] == ["global", "global", "site", "env"]
    # pip still reads PIP_CONFIG_FILE in isolated mode
    isolated = layout.load({"PIP_CONFIG_FILE": str(env_file)}, isolated=True)
    assert isolated.proxy.value == "http://env-file:1"
    # the command line still applies
    assert layout.load(env, {"retries": 7}, isolated=True).retries.value == 7


def test_later_alias_in_the_same_level_wins(layout: Layout) -> None:
    layout.write(layout.user, "[global]\ndefault-timeout = 11\n")
    settings = layout.load()
    assert settings.timeout.value == 11.0
    assert settings.timeout.source.endswith("[global] default-timeout")
    assert layout.load({"PIP_DEFAULT_TIMEOUT": "12"}).timeout.value == 12.0


def test_keys_are_normalized_like_pip(layout: Layout) -> None:
    layout.write(layout.user, "[global]\nIndex_URL = https://a.example/simple\n--retries = 2\n")
    settings = layout.load()
    assert settings.index_url.value == "https://a.example/simple"
    assert settings.retries.value == 2


def test_default_section_applies_to_every_section(layout: Layout) -> None:
    layout.write(layout.user, "[DEFAULT]\nretries = 4\n[install]\ntimeout = 3\n")
    settings = layout.load()
    assert settings.retries.value == 4
    assert settings.retries.where == Location(str(layout.user), 2)
