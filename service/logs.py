"""Logging: one JSON object per line on stdout, request fields included."""

from __future__ import annotations

import io
import logging
import os
import sys
import time
from datetime import UTC, datetime
from typing import Any

import orjson
from flask import Flask

ACCESS = logging.getLogger("briefing.access")
# Attributes every LogRecord has; anything else was passed in `extra`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
}


def _line(created: float, level: str, logger: str, message: str) -> dict[str, Any]:
    return {
        "time": datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds"),
        "level": level,
        "logger": logger,
        "message": message,
    }


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = _line(
            record.created, record.levelname, record.name, record.getMessage()
        )
        entry.update((k, v) for k, v in vars(record).items() if k not in _STANDARD)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


class _StdoutHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stdout is at the time (test runners swap it)."""

    @property
    def stream(self) -> Any:
        return sys.stdout

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def access(**fields: Any) -> None:
    """Write one request's line, as JsonFormatter would, if briefing.access logs INFO.

    The line is written straight to stdout in one write: per request, a
    LogRecord, the formatter and a handler lock shared by the worker's threads
    cost about as much as serving a cached response.
    """
    if not ACCESS.isEnabledFor(logging.INFO):
        return
    entry = _line(time.time(), "INFO", ACCESS.name, "request")
    entry.update(fields)
    line = orjson.dumps(entry, default=str) + b"\n"
    stream = sys.stdout
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        stream.write(line.decode())  # a stream without a file, e.g. in tests
        stream.flush()
        return
    while line:
        line = line[os.write(fd, line) :]


def init_app(app: Flask) -> None:
    """Send briefing's loggers to stdout as JSON lines at the configured level."""
    logger = logging.getLogger("briefing")
    logger.setLevel(app.config["LOG_LEVEL"])
    if not any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
        handler = _StdoutHandler()
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
    logger.propagate = False
