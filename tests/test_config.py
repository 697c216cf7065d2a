"""config.from_env with plain dicts; create_app defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from service import create_app
from service.config import ConfigError, from_env


def test_defaults() -> None:
    config = from_env({})
    assert config == {
        "DATABASE_URL": None,
        "API_TOKENS": (),
        "MAX_ARTICLE_BYTES": 1024 * 1024,
        "MAX_QUESTIONS": 500,
        "TRUSTED_PROXIES": 0,
        "CACHE_MAX_AGE": 60,
        "SEEDS_DIR": None,
        "LOG_LEVEL": "INFO",
        "RESPONSE_CACHE_ENTRIES": 1024,
        "AUTH_FAILURE_LIMIT": "10 per minute",
        "RATE_LIMIT_STORAGE_URL": "memory://",
        "DB_TIMEOUT": 2,
        "TIMEZONE": "Europe/Berlin",
    }


def test_values_are_typed() -> None:
    config = from_env(
        {
            "BRIEFING_API_TOKENS": " one, two ,,",
            "BRIEFING_MAX_ARTICLE_BYTES": "2048",
            "BRIEFING_TRUSTED_PROXIES": "1",
            "BRIEFING_LOG_LEVEL": "debug",
            "BRIEFING_TIMEZONE": "America/New_York",
        }
    )
    assert config["TIMEZONE"] == "America/New_York"
    assert config["API_TOKENS"] == ("one", "two")
    assert config["MAX_ARTICLE_BYTES"] == 2048
    assert config["TRUSTED_PROXIES"] == 1
    assert config["LOG_LEVEL"] == "DEBUG"


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("BRIEFING_MAX_ARTICLE_BYTES", "lots", "must be an integer"),
        ("BRIEFING_MAX_ARTICLE_BYTES", "0", "at least 1"),
        ("BRIEFING_TRUSTED_PROXIES", "-1", "at least 0"),
        ("BRIEFING_CACHE_MAX_AGE", "1.5", "must be an integer"),
        ("BRIEFING_LOG_LEVEL", "loud", "must be one of"),
        ("BRIEFING_RESPONSE_CACHE_ENTRIES", "-5", "at least 0"),
        ("BRIEFING_MAX_QUESTIONS", "0", "at least 1"),
        ("BRIEFING_DATABASE_URL", "garbage", "must be a sqlite:/// or postgresql"),
        ("BRIEFING_DATABASE_URL", "mysql://x@y/z", "must be a sqlite:/// or"),
        ("BRIEFING_DB_TIMEOUT", "0", "at least 1"),
        ("BRIEFING_TIMEZONE", "Mars/Olympus", "IANA time zone"),
        ("BRIEFING_TIMEZONE", "../etc", "IANA time zone"),
    ],
)
def test_bad_values_name_the_variable(name: str, value: str, words: str) -> None:
    with pytest.raises(ConfigError, match=name) as caught:
        from_env({name: value})
    assert words in str(caught.value)


def test_create_app_defaults_to_sqlite_in_the_instance_folder(tmp_path: Path) -> None:
    app = create_app({"TESTING": True})
    assert app.config["DATABASE_URL"].startswith("sqlite:///")
    assert app.config["DATABASE_URL"].endswith("/briefing.sqlite3")
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024
