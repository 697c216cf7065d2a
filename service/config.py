"""Configuration: every BRIEFING_* variable read, typed and validated once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import limits

PREFIX = "BRIEFING_"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
DATABASES = ("sqlite", "postgresql")
# Stores of the rate-limit counters that briefing installs clients for.
RATE_LIMIT_SCHEMES = ("memory", "redis", "rediss", "redis+unix")


class ConfigError(ValueError):
    """A BRIEFING_* variable has a value briefing cannot use; the message names it."""


def from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    """Return app.config entries (prefix dropped) from the environment.

    Raises:
        ConfigError: one message naming the bad variable.
    """
    return {
        "DATABASE_URL": _database_url(environ),
        "API_TOKENS": tuple(
            token.strip()
            for token in environ.get(PREFIX + "API_TOKENS", "").split(",")
            if token.strip()
        ),
        "MAX_ARTICLE_BYTES": _integer(
            environ, "MAX_ARTICLE_BYTES", 1024 * 1024, minimum=1
        ),
        "MAX_QUESTIONS": _integer(environ, "MAX_QUESTIONS", 500, minimum=1),
        "TRUSTED_PROXIES": _integer(environ, "TRUSTED_PROXIES", 0, minimum=0),
        "CACHE_MAX_AGE": _integer(environ, "CACHE_MAX_AGE", 60, minimum=0),
        "SEEDS_DIR": environ.get(PREFIX + "SEEDS_DIR") or None,
        "LOG_LEVEL": _choice(environ, "LOG_LEVEL", "INFO", LOG_LEVELS),
        "RESPONSE_CACHE_ENTRIES": _integer(
            environ, "RESPONSE_CACHE_ENTRIES", 1024, minimum=0
        ),
        "AUTH_FAILURE_LIMIT": _rate(environ, "AUTH_FAILURE_LIMIT", "10 per minute"),
        "RATE_LIMIT_STORAGE_URL": _storage_url(
            environ, "RATE_LIMIT_STORAGE_URL", "memory://"
        ),
        "DB_TIMEOUT": _integer(environ, "DB_TIMEOUT", 2, minimum=1),
        "TIMEZONE": _timezone(environ, "TIMEZONE", "Europe/Berlin"),
    }


def _database_url(environ: Mapping[str, str]) -> str | None:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    raw = environ.get(PREFIX + "DATABASE_URL", "").strip()
    if not raw:
        return None
    try:
        backend = make_url(raw).get_backend_name()
    except ArgumentError:
        backend = None
    if backend not in DATABASES:
        raise ConfigError(
            f"{PREFIX}DATABASE_URL must be a sqlite:/// or postgresql+psycopg:// "
            f"URL, got {raw[:60]!r}"
        )
    return raw


def _integer(
    environ: Mapping[str, str], name: str, default: int, *, minimum: int
) -> int:
    raw = environ.get(PREFIX + name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{PREFIX}{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{PREFIX}{name} must be at least {minimum}, got {value}")
    return value


def _choice(
    environ: Mapping[str, str], name: str, default: str, choices: tuple[str, ...]
) -> str:
    raw = environ.get(PREFIX + name, "").strip().upper()
    if not raw:
        return default
    if raw not in choices:
        raise ConfigError(
            f"{PREFIX}{name} must be one of {', '.join(choices)}, got {raw!r}"
        )
    return raw


def _timezone(environ: Mapping[str, str], name: str, default: str) -> str:
    raw = environ.get(PREFIX + name, "").strip() or default
    try:
        ZoneInfo(raw)
    except (ValueError, ZoneInfoNotFoundError):
        raise ConfigError(
            f"{PREFIX}{name} must be an IANA time zone such as 'Europe/Berlin', "
            f"got {raw!r}"
        ) from None
    return raw


def _rate(environ: Mapping[str, str], name: str, default: str) -> str:
    raw = environ.get(PREFIX + name, "").strip()
    if not raw:
        return default
    try:
        limits.parse_many(raw)
    except ValueError:
        raise ConfigError(
            f"{PREFIX}{name} must be a rate such as '10 per minute', got {raw!r}"
        ) from None
    return raw


def _storage_url(environ: Mapping[str, str], name: str, default: str) -> str:
    raw = environ.get(PREFIX + name, "").strip()
    if not raw:
        return default
    scheme = urlsplit(raw).scheme
    if scheme not in RATE_LIMIT_SCHEMES or "://" not in raw:
        raise ConfigError(
            f"{PREFIX}{name} must be memory:// or a redis:// URL, got {raw!r}"
        )
    return raw
