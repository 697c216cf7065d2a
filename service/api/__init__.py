"""The HTTP API: blueprints, error handlers, request ids, proxies, CORS."""

from __future__ import annotations

import time

from flask import Flask, g, request
from flask.wrappers import Response
from flask_cors import CORS
from flask_smorest import Api
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import BaseConverter

from service import __version__
from service.api import (
    answers,
    articles,
    auth,
    changes,
    docs,
    memento,
    ops,
    pages,
    problems,
    questions,
    search,
    security,
)
from service.api.cache import ResponseCache
from service.api.http import BriefingResponse, account_request, request_id_from
from service.api.schemas import (
    ANSWER_ID_PATTERN,
    ARTICLE_ID_PATTERN,
    QUESTION_ID_PATTERN,
)
from service.store import generation_reader


class QuestionIdConverter(BaseConverter):
    regex = QUESTION_ID_PATTERN[1:-1]


class ArticleIdConverter(BaseConverter):
    regex = ARTICLE_ID_PATTERN[1:-1]


class AnswerIdConverter(BaseConverter):
    regex = ANSWER_ID_PATTERN[1:-1]


class DayConverter(BaseConverter):
    """Any one segment: the view checks the date, so a bad date is 422, not 404."""


class BriefingApi(Api):  # type: ignore[misc]
    """flask-smorest's Api with problem+json errors documented and served."""

    def _register_responses(self) -> None:
        docs.register_components(self.spec)


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
    app.response_class = BriefingResponse
    app.url_map.converters.update(
        question_id=QuestionIdConverter,
        article_id=ArticleIdConverter,
        answer_id=AnswerIdConverter,
        day=DayConverter,
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
        AnswerIdConverter, lambda _c: {"type": "string", "pattern": ANSWER_ID_PATTERN}
    )
    api.register_converter(
        DayConverter, lambda _c: {"type": "string", "format": "date"}
    )
    for blueprint in (
        questions.bp,
        memento.bp,
        answers.bp,
        articles.bp,
        changes.bp,
        search.bp,
        ops.bp,
        pages.bp,
    ):
        api.register_blueprint(blueprint)
    app.add_url_rule("/docs/assets/<path:name>", "docs_asset", ops.get_docs_asset)

    problems.init_app(app)
    app.before_request(_start_request)
    app.after_request(_finish_request)
    security.init_app(app)
    auth.init_app(app)

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
