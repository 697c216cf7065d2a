"""Bearer tokens for writes, and a limit on failed authentication per client address.

A client whose requests failed authentication (401) more often than
AUTH_FAILURE_LIMIT gets 429 with Retry-After on every write until the window
has room again, whatever token it sends: a blocked address cannot go on
testing tokens. The check runs before the view, so nothing of the body is read.
Counts live in RATE_LIMIT_STORAGE_URL: memory for one replica, Redis shared by
several. Only failures count; other addresses are never limited by them.
"""

from __future__ import annotations

import hmac
import logging
import math
import time
from collections.abc import Sequence

from flask import Flask, current_app, request
from flask.wrappers import Response
from flask_limiter import ApplicationLimit, Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address

from service.api import problems
from service.errors import (
    InvalidToken,
    MissingToken,
    TooManyAuthFailures,
    WritesDisabled,
)

# Reads need no token; every other method is a write and does.
_SAFE_METHODS = frozenset(("GET", "HEAD", "OPTIONS"))
# A shared Redis that stops answering must not hold a worker thread for long.
_REDIS_OPTIONS: dict[str, str | int] = {
    "socket_connect_timeout": 1,
    "socket_timeout": 1,
}


def init_app(app: Flask) -> None:
    """Count failed authentication per client address and refuse past the limit."""
    storage = app.config["RATE_LIMIT_STORAGE_URL"]
    limiter = Limiter(
        get_remote_address,
        application_limits=[
            ApplicationLimit(
                app.config["AUTH_FAILURE_LIMIT"],
                scope="auth-failures",
                deduct_when=lambda response: response.status_code == 401,
            )
        ],
        strategy="moving-window",
        storage_uri=storage,
        storage_options=_REDIS_OPTIONS if storage.startswith("redis") else {},
        key_prefix="briefing",
        # Storage down: log it and let requests through to the token check,
        # rather than turning every write into an error.
        swallow_errors=True,
    )
    # Its breaches and storage failures belong in briefing's JSON log lines.
    limiter.logger = logging.getLogger("briefing.ratelimit")
    # Reads are filtered out before any limit is looked at: no cost on a GET.
    limiter.request_filter(lambda: request.method in _SAFE_METHODS)
    limiter.init_app(app)
    app.extensions["briefing.limiter"] = limiter
    app.register_error_handler(RateLimitExceeded, _too_many_failures)


def _too_many_failures(_error: RateLimitExceeded) -> Response:
    limiter: Limiter = current_app.extensions["briefing.limiter"]
    breached = limiter.current_limit
    reset_at = breached.reset_at if breached else time.time() + 60
    seconds = max(1, math.ceil(reset_at - time.time()))
    return problems.render(
        TooManyAuthFailures(
            f"too many failed authentications from this address; retry in {seconds} s",
            retry_after=seconds,
        )
    )


def require_token() -> None:
    """Allow a write only with a configured bearer token.

    Raises:
        WritesDisabled: no token is configured at all (writes are off by default).
        MissingToken, InvalidToken: no usable Authorization header, or a wrong token.
    """
    tokens: Sequence[str] = current_app.config["API_TOKENS"]
    if not tokens:
        raise WritesDisabled("writes are disabled: no API token is configured")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    given = given.strip()
    if scheme.lower() != "bearer" or not given:
        raise MissingToken(
            "this request needs an 'Authorization: Bearer <token>' header"
        )
    matched = False
    for token in tokens:  # every token compared, in constant time each
        matched |= hmac.compare_digest(token.encode(), given.encode())
    if not matched:
        raise InvalidToken("the bearer token is not valid")
