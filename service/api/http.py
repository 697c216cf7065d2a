"""HTTP helpers for the views: conditional responses, caching, cursors, links, auth."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import orjson
from flask import current_app, request, url_for
from flask.wrappers import Response

from service import logs, metrics
from service.errors import InvalidToken, MissingToken, ValidationFailed, WritesDisabled

REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")  # accepted from clients as is
# Keys in the WSGI environ shared with service.api.cache.
GENERATION_KEY = "briefing.generation"
CACHEABLE_ROUTE_KEY = "briefing.cacheable_route"
LONG_MAX_AGE = 86_400  # an answer fixed to an exact date, an article, its text
JSON = "application/json"


def request_id_from(given: str) -> str:
    """Keep the client's X-Request-ID if it is well formed, else make one."""
    return given if REQUEST_ID.fullmatch(given) else os.urandom(16).hex()


def account_request(
    *,
    request_id: str,
    method: str,
    route: str,
    status: int,
    seconds: float,
    client: str | None,
    **extra: Any,
) -> None:
    """Count a finished request in the metrics and write its one log line.

    `route` is the route template, never the raw path: bounded label values, no ids.
    """
    metrics.observe_request(method, route, status, seconds)
    logs.access(
        request_id=request_id,
        method=method,
        route=route,
        status=status,
        duration_ms=round(seconds * 1000, 3),
        client=client,
        **extra,
    )


def short_cache() -> str:
    """Cache-Control for what a new article can change (lists, latest, as-of)."""
    max_age = current_app.config["CACHE_MAX_AGE"]
    return f"public, max-age={max_age}, stale-while-revalidate={max_age}"


def long_cache() -> str:
    """Cache-Control for what only a retraction can change."""
    return f"public, max-age={LONG_MAX_AGE}, stale-while-revalidate=60"


def respond(
    body: Any,
    *,
    cache_control: str,
    status: int = 200,
    last_modified: datetime | None = None,
    mimetype: str = JSON,
    etag: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Build a response with ETag and caching headers; 304 when the client has it.

    The ETag is a hash of the body unless one is given (e.g. the text's sha256).
    """
    data = body if isinstance(body, bytes) else orjson.dumps(body)
    response = current_app.response_class(data, status=status, mimetype=mimetype)
    if mimetype.startswith("text/"):
        response.content_type = f"{mimetype}; charset=utf-8"
    response.set_etag(etag or hashlib.blake2b(data, digest_size=16).hexdigest())
    response.headers["Cache-Control"] = cache_control
    response.headers.update(headers or {})
    if status == 200 and request.method in ("GET", "HEAD"):
        if cache_control.startswith("public"):
            mark_cacheable()
        response.make_conditional(request)
    # Set after the conditional check on purpose: HTTP dates have one-second
    # resolution, so If-Modified-Since could miss a retraction in the same
    # second. 304s come from the ETag alone.
    if last_modified is not None:
        response.last_modified = last_modified
    return response


def mark_cacheable() -> None:
    """Let the response cache keep this request's response (see service.api.cache)."""
    if request.url_rule is not None and GENERATION_KEY in request.environ:
        request.environ[CACHEABLE_ROUTE_KEY] = request.url_rule.rule


def encode_cursor(position: Sequence[Any]) -> str:
    """Turn a keyset position into an opaque cursor."""
    values = [
        value.isoformat() if isinstance(value, date) else value for value in position
    ]
    return base64.urlsafe_b64encode(orjson.dumps(values)).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, kinds: Sequence[type]) -> tuple[Any, ...]:
    """Turn a cursor back into a keyset position of the given kinds.

    Raises:
        ValidationFailed: the cursor was not made by encode_cursor for these kinds.
    """
    try:
        values = orjson.loads(
            base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        )
        if not isinstance(values, list) or len(values) != len(kinds):
            raise ValueError(cursor)
        return tuple(
            date.fromisoformat(value) if kind is date else _exact(kind, value)
            for kind, value in zip(kinds, values, strict=True)
        )
    except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError):
        raise ValidationFailed(
            "the cursor is not valid; take it from a `next` link",
            errors=[{"parameter": "cursor", "detail": "not a cursor this API made"}],
        ) from None


def _exact(kind: type, value: Any) -> Any:
    if type(value) is not kind:
        raise TypeError(value)
    return value


def next_link(page_after: Sequence[Any] | None) -> str | None:
    """Return the absolute URL of the next page, keeping the other query args."""
    if page_after is None:
        return None
    args = request.args.to_dict()
    args["cursor"] = encode_cursor(page_after)
    return url_for(
        request.endpoint or "", **(request.view_args or {}), **args, _external=True
    )


def link_header(next_url: str | None) -> dict[str, str]:
    return {"Link": f'<{next_url}>; rel="next"'} if next_url else {}


def parse_day(name: str, raw: str) -> date:
    """Read a path segment that must be an ISO date.

    Raises:
        ValidationFailed: naming the parameter.
    """
    try:
        if len(raw) != 10:
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed(
            f"{name} must be a date YYYY-MM-DD, got {raw[:40]!r}",
            errors=[{"parameter": name, "detail": "not a valid date YYYY-MM-DD"}],
        ) from None


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
