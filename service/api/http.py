"""HTTP helpers for the views: conditional responses, caching, cursors, links."""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import orjson
from flask import current_app, request, url_for
from flask.wrappers import Response
from werkzeug.datastructures import Headers
from werkzeug.http import parse_date, parse_etags

from service import logs, metrics
from service.api.auth import require_token as require_token  # re-exported
from service.errors import ArticleTooBig, PreconditionFailed, ValidationFailed

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")  # accepted from clients as is
# Keys in the WSGI environ shared with service.api.cache.
GENERATION_KEY = "briefing.generation"
CACHEABLE_ROUTE_KEY = "briefing.cacheable_route"
JSON = "application/json"


class BriefingResponse(Response):
    """Flask's response, with Last-Modified kept on a 304.

    werkzeug drops it as entity metadata; clients that revalidate by date need it.
    """

    def get_wsgi_headers(self, environ: WSGIEnvironment) -> Headers:
        headers = super().get_wsgi_headers(environ)
        if self.status_code == 304 and "Last-Modified" in self.headers:
            headers["Last-Modified"] = self.headers["Last-Modified"]
        return headers


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


def respond(
    body: Any,
    *,
    cacheable: bool,
    status: int = 200,
    last_modified: datetime | None = None,
    mimetype: str = JSON,
    content_type: str | None = None,
    etag: str | None = None,
    weak: bool = False,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Build a response with its validators and caching headers.

    `content_type` is sent as it is (a raw article's, with its own charset).
    The ETag is a hash of the body unless one is given (e.g. the text's sha256);
    `weak` marks one that stays while the body changes in no way that matters
    (a version's content is fixed, its links to newer versions are not).
    A cacheable response may be kept by shared caches and by the response cache
    for BRIEFING_CACHE_MAX_AGE seconds (plus as long stale while revalidating),
    never longer: a write can change anything served here. GET and HEAD answer
    304 or 412 as the request's preconditions say (RFC 9110, section 13).
    """
    data = body if isinstance(body, bytes) else orjson.dumps(body)
    response = current_app.response_class(data, status=status, mimetype=mimetype)
    if content_type is not None:
        response.content_type = content_type
    elif mimetype.startswith("text/"):
        response.content_type = f"{mimetype}; charset=utf-8"
    tag = etag or hashlib.blake2b(data, digest_size=16).hexdigest()
    response.set_etag(tag, weak=weak)
    if last_modified is not None:
        response.last_modified = last_modified
    response.headers["Cache-Control"] = _cache_control(cacheable)
    response.headers.update(headers or {})
    if status == 200 and request.method in ("GET", "HEAD"):
        if cacheable:
            mark_cacheable()
        outcome = precondition(request.headers, tag, last_modified, weak=weak)
        if outcome == 412:
            raise PreconditionFailed(
                "If-Match names no current representation of this resource"
            )
        if outcome == 304:
            response.status_code = 304
            response.set_data(b"")
            for name in NOT_IN_304:
                del response.headers[name]
    return response


NOT_IN_304 = ("Content-Type", "Content-Length")


def preferred(offered: Sequence[str]) -> str:
    """The offered media type the request's Accept prefers; the first one when it
    names none of them (or none at all), or likes several equally."""
    best: str = request.accept_mimetypes.best_match(offered, default=offered[0])
    return best


def _cache_control(cacheable: bool) -> str:
    if not cacheable:
        return "no-store"
    max_age = current_app.config["CACHE_MAX_AGE"]
    return f"public, max-age={max_age}, stale-while-revalidate={max_age}"


def redirect(location: str, *, headers: Mapping[str, str]) -> Response:
    """A 302 that shared caches and the response cache may keep as long as a 200."""
    response = current_app.response_class(b"", status=302)
    del response.headers["Content-Type"]
    response.headers["Location"] = location
    response.headers["Cache-Control"] = _cache_control(True)
    response.headers.update(headers)
    if request.method in ("GET", "HEAD"):
        mark_cacheable()
    return response


def mark_cacheable() -> None:
    """Let the response cache keep this request's response (see service.api.cache)."""
    if request.url_rule is not None and GENERATION_KEY in request.environ:
        request.environ[CACHEABLE_ROUTE_KEY] = request.url_rule.rule


def precondition(
    headers: Headers, etag: str, last_modified: datetime | None, *, weak: bool = False
) -> int:
    """Evaluate a GET's preconditions: 200 to answer, 304 not modified, 412 failed.

    RFC 9110 section 13.2.2: If-Match first (strong comparison), then
    If-None-Match (weak), and If-Modified-Since only without If-None-Match.
    HTTP dates have one-second resolution, so If-Modified-Since can miss a
    change within the second it names; clients that send the ETag do not.
    """
    if_match = headers.get("If-Match")
    if if_match is not None:
        tags = parse_etags(if_match)
        # A weak tag never matches If-Match (strong comparison), except "*".
        if not (tags.star_tag or (not weak and tags.contains(etag))):
            return 412
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        return 304 if parse_etags(if_none_match).contains_weak(etag) else 200
    since = parse_date(headers.get("If-Modified-Since"))
    if since is not None and last_modified is not None:
        return 304 if last_modified.replace(microsecond=0) <= since else 200
    return 200


def read_body(limit: int) -> bytes:
    """Read the request body, however it is framed, if it is at most `limit` bytes.

    werkzeug limits a body without Content-Length (chunked) by cutting it
    silently; this reads one byte past the limit instead and refuses. A client
    that sent `Expect: 100-continue` is invited to upload only now, after the
    view's checks (see service.gunicorn_conf.pre_request).

    Raises:
        ArticleTooBig: the body is larger than `limit`.
    """
    environ = request.environ
    length = request.content_length
    if length is not None and length > limit:
        raise _too_big(limit)
    if environ.pop("HTTP_BRIEFING_DEFERRED_CONTINUE", None):
        socket = environ.get("gunicorn.socket")
        if socket is not None:
            socket.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
    if length is not None:
        return request.get_data(cache=False)
    stream = environ["wsgi.input"]
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = stream.read(min(65_536, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        _drain(stream, budget=DRAIN_FACTOR * limit)
        raise _too_big(limit)
    return b"".join(chunks)


# How much of a refused chunked body is read and dropped, in multiples of the
# limit: a server that closes on unread data makes the kernel reset the
# connection, and the client may lose the 413 before it reads it.
DRAIN_FACTOR = 4


def _drain(stream: Any, *, budget: int) -> None:
    while budget > 0:
        chunk = stream.read(min(65_536, budget))
        if not chunk:
            return
        budget -= len(chunk)


def _too_big(limit: int) -> ArticleTooBig:
    return ArticleTooBig(
        f"the body is larger than the limit of {limit} bytes "
        "(BRIEFING_MAX_ARTICLE_BYTES)"
    )


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
            kind.fromisoformat(value)
            if kind in (date, datetime)
            else _exact(kind, value)
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
