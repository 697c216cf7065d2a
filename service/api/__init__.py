"""The HTTP API: blueprints, problem+json errors, request ids, proxies, CORS."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import orjson
from flask import Flask, g, request
from flask.wrappers import Response
from flask_cors import CORS
from flask_smorest import Api
from marshmallow import ValidationError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import BaseConverter

from service import __version__
from service.api import articles, docs, ops, questions
from service.api.cache import ResponseCache
from service.api.http import account_request, request_id_from
from service.api.schemas import ARTICLE_ID_PATTERN, QUESTION_ID_PATTERN
from service.errors import ArticleTooBig, BriefingError, StoreUnavailable
from service.store import generation_reader

log = logging.getLogger("briefing.api")
PROBLEM = "application/problem+json"
_UNEXPECTED = (
    "an unexpected error occurred; it is logged under this response's X-Request-ID"
)


class QuestionIdConverter(BaseConverter):
    regex = QUESTION_ID_PATTERN[1:-1]


class ArticleIdConverter(BaseConverter):
    regex = ARTICLE_ID_PATTERN[1:-1]


class DayConverter(BaseConverter):
    """Any one segment: the view checks the date, so a bad date is 422, not 404."""


class BriefingApi(Api):  # type: ignore[misc]
    """flask-smorest's Api with problem+json errors documented and served."""

    def _register_responses(self) -> None:
        docs.register_components(self.spec)

    def handle_http_exception(self, error: HTTPException) -> Response:
        return _http_problem(error)


def init_app(app: Flask) -> None:
    """Wire blueprints, error handlers and the request hooks into the app."""
    app.config.update(
        API_TITLE="briefing",
        API_VERSION=__version__,
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX=None,
        API_SPEC_OPTIONS={
            "info": {
                "description": (
                    "A versioned store of the questions and answers of news "
                    "explainers: the answer to a question as it stood on a date, "
                    "and the latest answer with its provenance. Errors are RFC 9457 "
                    "problem details."
                )
            },
            "components": {
                "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}
            },
        },
    )
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_ARTICLE_BYTES"]
    app.url_map.converters.update(
        question_id=QuestionIdConverter, article_id=ArticleIdConverter, day=DayConverter
    )
    api = BriefingApi(app)
    api.register_converter(
        QuestionIdConverter,
        lambda _c: {"type": "string", "pattern": QUESTION_ID_PATTERN},
    )
    api.register_converter(
        ArticleIdConverter, lambda _c: {"type": "string", "pattern": ARTICLE_ID_PATTERN}
    )
    api.register_converter(
        DayConverter, lambda _c: {"type": "string", "format": "date"}
    )
    for blueprint in (questions.bp, articles.bp, ops.bp):
        api.register_blueprint(blueprint)
    app.add_url_rule("/docs/assets/<path:name>", "docs_asset", ops.get_docs_asset)

    app.register_error_handler(BriefingError, _briefing_problem)
    app.register_error_handler(ValidationError, _validation_problem)
    app.register_error_handler(OperationalError, _store_problem)
    app.register_error_handler(InterfaceError, _store_problem)
    app.register_error_handler(Exception, _unexpected_problem)
    app.before_request(_start_request)
    app.after_request(_finish_request)

    CORS(
        app,
        origins="*",
        send_wildcard=True,
        methods=["GET", "HEAD", "OPTIONS"],
        expose_headers=["ETag", "Link", "Location", "X-Request-ID"],
        max_age=86_400,
    )
    app.wsgi_app = ResponseCache(  # type: ignore[method-assign]
        app.wsgi_app,
        generation_reader(app),
        max_entries=app.config["RESPONSE_CACHE_ENTRIES"],
    )
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )


def _start_request() -> None:
    given = request.headers.get("X-Request-ID", "")
    g.request_id = request_id_from(given)
    g.started = time.perf_counter()


def _finish_request(response: Response) -> Response:
    response.headers["X-Request-ID"] = g.get("request_id", "")
    account_request(
        request_id=g.get("request_id", ""),
        method=request.method,
        route=request.url_rule.rule if request.url_rule else "unmatched",
        status=response.status_code,
        seconds=time.perf_counter() - g.get("started", time.perf_counter()),
        client=request.remote_addr,
    )
    return response


def problem_response(
    problem: Mapping[str, Any], headers: Mapping[str, str] | None = None
) -> Response:
    """Render RFC 9457 problem details; errors are never cached."""
    body = {**problem, "instance": request.path}
    response = Response(orjson.dumps(body), status=problem["status"], mimetype=PROBLEM)
    response.headers["Cache-Control"] = "no-store"
    response.headers.update(headers or {})
    return response


def _briefing_problem(error: BriefingError) -> Response:
    headers = {}
    if error.status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="briefing"'
    if error.status == 503:
        headers["Retry-After"] = "5"
    return problem_response(error.to_problem(), headers)


def _validation_problem(error: ValidationError) -> Response:
    """A JSON body that failed its schema: one error per field, as JSON pointers."""
    errors = [
        {"pointer": pointer, "detail": detail}
        for pointer, detail in _flatten(error.messages, "")
    ]
    return _invalid(errors)


def _invalid(errors: list[dict[str, str]]) -> Response:
    names = ", ".join(e.get("parameter") or e.get("pointer") or "body" for e in errors)
    return problem_response(
        {
            "type": "https://briefing.example/problems/validation-error",
            "title": "Invalid request",
            "status": 422,
            "detail": f"invalid value: {names}",
            "errors": errors,
        }
    )


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


def _http_problem(error: HTTPException) -> Response:
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
        return _invalid(errors)
    if isinstance(error, RequestEntityTooLarge):
        limit = request.max_content_length
        return _briefing_problem(
            ArticleTooBig(f"the body is larger than the limit of {limit} bytes")
        )
    code = error.code or 500
    headers = {k: v for k, v in error.get_headers() if k in ("Allow",)}
    return problem_response(
        {
            "type": "about:blank",
            "title": HTTPStatus(code).phrase,
            "status": code,
            "detail": error.description or HTTPStatus(code).description,
        },
        headers,
    )


def _store_problem(error: Exception) -> Response:
    log.error(
        "database unavailable",
        exc_info=error,
        extra={"request_id": g.get("request_id")},
    )
    return _briefing_problem(
        StoreUnavailable("the database is unavailable; try again shortly")
    )


def _unexpected_problem(error: Exception) -> Response:
    if isinstance(error, HTTPException):
        return _http_problem(error)
    log.error(
        "unexpected error", exc_info=error, extra={"request_id": g.get("request_id")}
    )
    return problem_response(
        {
            "type": "about:blank",
            "title": "Internal Server Error",
            "status": 500,
            "detail": _UNEXPECTED,
        }
    )
