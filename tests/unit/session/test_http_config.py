"""The session turns settings into the HTTP client's configuration."""

from __future__ import annotations

from pinset.session import http_config
from pinset.settings import load_settings
from tests.helpers.config_files import devnull_env


def test_timeouts_reach_the_http_client() -> None:
    settings = load_settings(
        "install",
        {"timeout": 0.0, "download_timeout": 90.0},
        environ=devnull_env(),
        isolated=False,
    )
    config = http_config(settings)
    assert (config.timeout, config.download_timeout) == (0.0, 90.0)
