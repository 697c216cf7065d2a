"""Every error becomes a BriefingError, rendered here as RFC 9457 problem+json.

Views and helpers raise BriefingError subclasses; what other layers raise
(marshmallow, webargs through flask-smorest, werkzeug's routing, the database
driver) is translated to one here, so there is one renderer and one shape.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import orjson
from flask import Flask, g, request
from flask.wrappers import Response
from marshmallow import ValidationError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from service.errors import (
    ArticleTooBig,
    BriefingError,
    HttpProblem,
    StoreUnavailable,
    ValidationFailed,
)

log = logging.getLogger("briefing.api")
PROBLEM = "application/problem+json"
_UNEXPECTED = (
    "an unexpected error occurred; it is logged under this response's X-Request-ID"
)


def init_app(app: Flask) -> None:
    """Register the handlers; call after flask-smorest's Api so these win."""
    app.register_error_handler(BriefingError, render)
    app.register_error_handler(ValidationError, _from_validation)
    app.register_error_handler(HTTPException, _from_http)
    app.register_error_handler(DBAPIError, _from_database)
    app.register_error_handler(Exception, _from_unexpected)


def render(error: BriefingError) -> Response:
    """Answer a BriefingError as problem+json; problems are never cached."""
    body = {**error.to_problem(), "instance": request.path}
    response = Response(orjson.dumps(body), status=error.status, mimetype=PROBLEM)
    response.headers["Cache-Control"] = "no-store"
    response.headers.update(error.headers())
    return response


def invalid(errors: list[dict[str, str]]) -> ValidationFailed:
    """A validation problem naming each bad parameter or JSON pointer."""
    names = ", ".join(e.get("parameter") or e.get("pointer") or "body" for e in errors)
    return ValidationFailed(f"invalid value: {names}", errors=errors)


def _from_validation(error: ValidationError) -> Response:
    """A JSON body that failed its schema: one error per field, as JSON pointers."""
    return render(
        invalid(
            [
                {"pointer": pointer, "detail": detail}
                for pointer, detail in _flatten(error.messages, "")
            ]
        )
    )


def _from_http(error: HTTPException) -> Response:
    data = getattr(error, "data", None)
    if error.code == 422 and isinstance(data, Mapping) and "messages" in data:
        # webargs: {"query": {"limit": ["..."]}, "json": {...}}
        errors = []
        for location, fields in data["messages"].items():
            for pointer, detail in _flatten(fields, ""):
                name = pointer.lstrip("/")
                if location in ("query", "path", "view_args", "headers"):
                    errors.append({"parameter": name.split("/")[0], "detail": detail})
                else:
                    errors.append({"pointer": pointer, "detail": detail})
        return render(invalid(errors))
    if isinstance(error, RequestEntityTooLarge):
        limit = request.max_content_length
        return render(
            ArticleTooBig(f"the body is larger than the limit of {limit} bytes")
        )
    code = error.code or 500
    headers = {k: v for k, v in error.get_headers() if k == "Allow"}
    return render(
        HttpProblem(
            code,
            HTTPStatus(code).phrase,
            error.description or HTTPStatus(code).description,
            headers=headers,
        )
    )


def _from_database(error: DBAPIError) -> Response:
    # The engines hide SQL parameters, so no article text reaches this line.
    log.error(
        "database unavailable",
        exc_info=error,
        extra={"request_id": g.get("request_id")},
    )
    return render(StoreUnavailable("the database is unavailable; try again shortly"))


def _from_unexpected(error: Exception) -> Response:
    log.error(
        "unexpected error", exc_info=error, extra={"request_id": g.get("request_id")}
    )
    return render(HttpProblem(500, "Internal Server Error", _UNEXPECTED))


def _flatten(messages: Any, pointer: str) -> list[tuple[str, str]]:
    if isinstance(messages, Mapping):
        return [
            pair
            for key, value in messages.items()
            for pair in _flatten(
                value, pointer if key == "_schema" else f"{pointer}/{key}"
            )
        ]
    if isinstance(messages, list | tuple) and not all(
        isinstance(m, str) for m in messages
    ):
        return [pair for value in messages for pair in _flatten(value, pointer)]
    if isinstance(messages, list | tuple):
        return [(pointer, "; ".join(messages))]
    return [(pointer, str(messages))]
