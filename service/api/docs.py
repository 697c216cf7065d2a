"""OpenAPI documentation: the views' responses and the finishing of the spec."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from functools import cache
from http import HTTPStatus
from pathlib import Path
from typing import Any, TypeVar

import yaml
from apispec import APISpec
from flask import Flask
from flask_smorest import Blueprint
from marshmallow import Schema

from service.api.schemas import SELECTOR_SCHEMAS, ProblemSchema

PROBLEM = "application/problem+json"
EXAMPLES = Path(__file__).with_name("examples.yaml")
F = TypeVar("F", bound=Callable[..., Any])


def _header(description: str, **schema: Any) -> dict[str, Any]:
    return {"description": description, "schema": {"type": "string", **schema}}


HEADERS = {
    "ETag": _header("Entity tag of the body; send it back in If-None-Match."),
    "Cache-Control": _header("How long shared caches may keep the response."),
    "X-Request-ID": _header("The request's id, as sent by the client or made here."),
    "Last-Modified": _header(
        "When an ingest or retraction last touched the resource; send it back "
        "in If-Modified-Since."
    ),
    "Link": _header(
        'RFC 8288 links: `rel="next"` to the next page of a list; on answers, '
        "the Memento relations (original, timegate, timemap, first/last/prev/next "
        "memento)."
    ),
    "Memento-Datetime": _header(
        "RFC 7089: the version's publication day at 00:00:00 GMT (an HTTP date)."
    ),
    "Vary": _header("The request headers the response was chosen by."),
    "Location": _header("The article's URL.", format="uri"),
    "WWW-Authenticate": _header("`Bearer`: how to authenticate."),
    "Allow": _header("The methods the resource allows."),
    "Retry-After": _header("Seconds after which to try again."),
}
_CONDITIONAL = ("ETag", "Cache-Control", "X-Request-ID")
_PROBLEM_HEADERS = {
    401: ("X-Request-ID", "Cache-Control", "WWW-Authenticate"),
    405: ("X-Request-ID", "Cache-Control", "Allow"),
    503: ("X-Request-ID", "Cache-Control", "Retry-After"),
}


# The request headers of a conditional GET (RFC 9110, section 13).
_PRECONDITIONS = {
    "If-None-Match": (
        "ETags of the copies the client holds (or `*`); when one is current "
        "the answer is 304 with an empty body."
    ),
    "If-Match": (
        "ETags (or `*`), compared strongly; when none is current the answer is 412."
    ),
    "If-Modified-Since": (
        "An HTTP date, heeded without If-None-Match: 304 unless the resource "
        "changed after it. An unparsable date is ignored."
    ),
}


def headers(*names: str) -> dict[str, str]:
    return {name: {"$ref": f"#/components/headers/{name}"} for name in names}  # type: ignore[misc]


def register_components(spec: APISpec) -> None:
    """Add the shared headers and schemas, and a problem+json response per error."""
    for name, header in HEADERS.items():
        spec.components.header(name, header)
    for name, selector in SELECTOR_SCHEMAS.items():
        spec.components.schema(name, schema=selector)
    for name, json_ld in JSON_LD_SCHEMAS.items():
        spec.components.schema(name, json_ld)
    for status in HTTPStatus:
        if status < 400:
            continue
        names = _PROBLEM_HEADERS.get(status, ("X-Request-ID", "Cache-Control"))
        spec.components.response(
            status.name,
            {
                "description": status.phrase,
                "content": {PROBLEM: {"schema": ProblemSchema}},
                "headers": headers(*names),
            },
        )
    spec.components.response(
        "DEFAULT_ERROR",
        {
            "description": "Any other error, as RFC 9457 problem details.",
            "content": {PROBLEM: {"schema": ProblemSchema}},
            "headers": headers("X-Request-ID", "Cache-Control"),
        },
    )
    spec.components.response(
        "NOT_MODIFIED",
        {
            "description": (
                "The client's copy (If-None-Match, or If-Modified-Since without "
                "it) is current; the body is empty. The 200's ETag, and its "
                "Last-Modified where it has one, come along."
            ),
            "headers": headers(*_CONDITIONAL, "Last-Modified"),
        },
    )
    for name, description in _PRECONDITIONS.items():
        spec.components.parameter(
            name,
            "header",
            {
                "description": description,
                "required": False,
                "schema": {"type": "string"},
            },
        )


def ok(
    bp: Blueprint,
    schema: type[Schema] | dict[str, Any] | None,
    *,
    status: int = 200,
    mimetype: str | None = "application/json",
    conditional: bool = True,
    extra_headers: tuple[str, ...] = (),
    problems: tuple[int, ...] = (),
) -> Callable[[F], F]:
    """Document a view's success response, its 304 and the problems it can answer."""

    def decorator(func: F) -> F:
        names = (
            (*_CONDITIONAL, *extra_headers)
            if conditional
            else ("X-Request-ID", *extra_headers)
        )
        # An empty body says so; the others keep the status's phrase.
        empty = (
            {"description": "No Content: the body is empty."} if status == 204 else {}
        )
        func = bp.alt_response(
            status,
            schema=schema,
            content_type=mimetype,
            headers=headers(*names),
            success=True,
            **empty,
        )(func)
        if conditional:
            func = bp.alt_response(304, response="NOT_MODIFIED")(func)
        for problem in problems:
            func = bp.alt_response(problem, response=HTTPStatus(problem).name)(func)
        return func

    return decorator


JSON_LD = "application/ld+json"


def _node(**extra: Any) -> dict[str, Any]:
    """A JSON-LD node object named by its `@id` (a fresh dict: no YAML aliases).

    Nodes are open: JSON-LD lets them say more than the schema names.
    """
    return {
        "type": "object",
        "required": ["@id"],
        "properties": {"@id": {"type": "string", "format": "uri"}},
        "additionalProperties": True,
        **extra,
    }


_CONTEXT = {
    "type": "object",
    "additionalProperties": True,
    "description": "Inline: the IRI of every key (schema.org, PROV-O, the Web "
    "Annotation vocabulary); a JSON-LD processor needs no network.",
}
JSON_LD_SCHEMAS: dict[str, dict[str, Any]] = {
    "AnswerJsonLd": {
        "type": "object",
        "description": (
            "A schema.org Answer: `parentItem` its Question, `isBasedOn` the "
            "NewsArticle (with the canonical text and the raw bytes as its "
            "`encoding`, each with its sha256), `prov:wasDerivedFrom` the "
            "article, `prov:wasQuotedFrom` the span of its text (Web Annotation "
            "selectors), `prov:wasRevisionOf` the previous version."
        ),
        "required": [
            "@context",
            "@id",
            "@type",
            "identifier",
            "text",
            "dateCreated",
            "parentItem",
            "isBasedOn",
            "prov:wasDerivedFrom",
            "prov:wasQuotedFrom",
        ],
        "properties": {
            "@context": _CONTEXT,
            "@id": {"type": "string", "format": "uri"},
            "@type": {"type": "string", "enum": ["Answer"]},
            "identifier": {"type": "string"},
            "text": {"type": "string"},
            "dateCreated": {"type": "string", "format": "date"},
            "parentItem": _node(),
            "isBasedOn": _node(),
            "prov:wasDerivedFrom": _node(),
            "prov:wasQuotedFrom": {"type": "object", "additionalProperties": True},
            "prov:wasRevisionOf": _node(
                description="The previous version; absent on the first."
            ),
        },
        "additionalProperties": True,
    },
    "QuestionJsonLd": {
        "type": "object",
        "description": (
            "A schema.org Question: its latest answer version as "
            "`acceptedAnswer`, the earlier ones, oldest first, as "
            "`suggestedAnswer`; each Answer `isBasedOn` its NewsArticle and "
            "is a `prov:wasRevisionOf` the one before."
        ),
        "required": [
            "@context",
            "@id",
            "@type",
            "identifier",
            "text",
            "answerCount",
            "acceptedAnswer",
        ],
        "properties": {
            "@context": _CONTEXT,
            "@id": {"type": "string", "format": "uri"},
            "@type": {"type": "string", "enum": ["Question"]},
            "identifier": {"type": "string"},
            "name": {"type": "string"},
            "text": {"type": "string"},
            "answerCount": {"type": "integer"},
            "dateCreated": {"type": "string", "format": "date"},
            "dateModified": {"type": "string", "format": "date"},
            "acceptedAnswer": _node(),
            "suggestedAnswer": {"type": "array", "items": _node()},
        },
        "additionalProperties": True,
    },
}


def _json_ld(name: str) -> dict[str, Any]:
    """The JSON-LD representation a 200 also comes as, when Accept prefers it."""
    return {"200": {JSON_LD: {"schema": {"$ref": f"#/components/schemas/{name}"}}}}


# What the spec says beyond the views' own docstrings and decorators, by the
# view's name (its operationId): a description where the docstring has one
# line only, and the links a client (or schemathesis' stateful phase) follows
# from a response to the next operation.
_Q = "$response.body#/items/0/id"
# From any one answer to its question and its article.
_ANSWER_LINKS = {
    "GetQuestion": ("get_question", {"question_id": "$response.body#/question_id"}),
    "GetArticle": (
        "get_article",
        {"article_id": "$response.body#/provenance/article_id"},
    ),
}
_A = "$response.body#/items/0"
OPERATIONS: dict[str, dict[str, Any]] = {
    "list_questions": {
        "links": {
            "200": {
                "GetQuestion": ("get_question", {"question_id": _Q}),
                "ListAnswers": ("list_answers", {"question_id": _Q}),
                "GetLatestAnswer": ("get_latest_answer", {"question_id": _Q}),
            }
        },
    },
    "get_question": {
        "content": _json_ld("QuestionJsonLd"),
        "description": (
            "The timeline lists every article that answers the question, oldest "
            "first, with the date it was published. JSON-LD (a schema.org "
            "Question) when `Accept` prefers `application/ld+json`."
        ),
        "links": {
            "200": {
                "ListAnswers": ("list_answers", {"question_id": "$response.body#/id"}),
                "GetLatestAnswer": (
                    "get_latest_answer",
                    {"question_id": "$response.body#/id"},
                ),
                "GetAnswerOn": (
                    "get_answer_on",
                    {
                        "question_id": "$response.body#/id",
                        "on": "$response.body#/answers/0/published",
                    },
                ),
                "GetArticle": (
                    "get_article",
                    {"article_id": "$response.body#/answers/0/article_id"},
                ),
            }
        },
    },
    "list_answers": {
        "description": (
            "Each answer as the article published on its date gave it, with its "
            "provenance."
        ),
        "links": {
            "200": {
                "GetAnswerOn": (
                    "get_answer_on",
                    {
                        "question_id": f"{_A}/question_id",
                        "on": f"{_A}/published",
                    },
                ),
                "GetArticle": (
                    "get_article",
                    {"article_id": f"{_A}/provenance/article_id"},
                ),
            }
        },
    },
    "get_answer_on": {
        "links": {"200": _ANSWER_LINKS},
    },
    "get_latest_answer": {
        "content": _json_ld("AnswerJsonLd"),
        "description": (
            "The answer of the most recently published article that answers the "
            "question; its spans point into that article's text."
        ),
        "links": {
            "200": {
                **_ANSWER_LINKS,
                "GetArticleText": (
                    "get_article_text",
                    {"article_id": "$response.body#/provenance/article_id"},
                ),
            }
        },
    },
    "list_articles": {
        "description": "Ordered by publication date, newest first, then by id.",
        "links": {
            "200": {
                "GetArticle": ("get_article", {"article_id": _Q}),
                "GetArticleText": ("get_article_text", {"article_id": _Q}),
                "GetArticleRaw": ("get_article_raw", {"article_id": _Q}),
            }
        },
    },
    "get_article": {
        "links": {
            "200": {
                "GetArticleText": (
                    "get_article_text",
                    {"article_id": "$response.body#/id"},
                ),
                "GetArticleRaw": (
                    "get_article_raw",
                    {"article_id": "$response.body#/id"},
                ),
                "GetQuestion": (
                    "get_question",
                    {"question_id": "$response.body#/records/0/question_id"},
                ),
            }
        },
    },
    "ingest_article": {
        # The Location header holds the same article's URL; a link can only
        # pass the id, which the body holds.
        "links": {
            status: {
                "GetArticle": ("get_article", {"article_id": "$response.body#/id"}),
                "GetArticleText": (
                    "get_article_text",
                    {"article_id": "$response.body#/id"},
                ),
            }
            for status in ("200", "201")
        },
    },
    "get_answer": {
        "content": _json_ld("AnswerJsonLd"),
        "links": {
            "200": {
                "GetQuestion": (
                    "get_question",
                    {"question_id": "$response.body#/question_id"},
                ),
                "GetTimeMap": (
                    "get_timemap",
                    {"question_id": "$response.body#/question_id"},
                ),
                "GetArticle": (
                    "get_article",
                    {"article_id": "$response.body#/provenance/article_id"},
                ),
            }
        },
    },
    "get_article_raw": {
        # An HTML page is served as it arrived; plain text is the documented default.
        "content": {
            "200": {
                "text/html": {
                    "schema": {
                        "type": "string",
                        "description": "An HTML page, in the charset it came in.",
                    }
                }
            }
        },
    },
    "get_timegate": {},
    "get_timemap": {
        # The default representation; JSON when Accept prefers it.
        "content": {
            "200": {
                "application/link-format": {
                    "schema": {
                        "type": "string",
                        "description": "RFC 6690 links: original, timegate, self, "
                        "then one memento a line with its datetime.",
                    }
                }
            }
        },
    },
    "search_answers": {
        "links": {
            "200": {
                "GetQuestion": (
                    "get_question",
                    {"question_id": "$response.body#/items/0/question/id"},
                ),
                "GetAnswer": (
                    "get_answer",
                    {"answer_id": "$response.body#/items/0/answer/id"},
                ),
            }
        },
    },
    "ask_question": {
        "links": {
            "200": {
                "GetQuestion": (
                    "get_question",
                    {"question_id": "$response.body#/matches/0/question/id"},
                ),
                "GetAnswer": (
                    "get_answer",
                    {"answer_id": "$response.body#/matches/0/answer/id"},
                ),
            }
        },
    },
    "get_health": {
        "description": "Always 200 while the process runs; for liveness probes.",
    },
    "get_readiness": {
        "description": (
            "200 when the database answers and its schema is current, else 503 "
            "with Retry-After; for readiness probes and load balancers."
        ),
    },
    "get_openapi": {
        "description": "The same document as openapi.yaml in the repository.",
    },
    "get_docs": {
        "description": "Swagger UI on /openapi.yaml; its assets come from this server.",
    },
    "get_metrics": {
        "description": (
            "For Prometheus to scrape: request counts and latencies by route and "
            "status, and ingests by outcome. Never cached."
        ),
    },
}
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


@cache
def _examples() -> dict[str, Any]:
    """The seeded examples of examples.yaml, by operation."""
    loaded: dict[str, Any] = yaml.safe_load(EXAMPLES.read_text(encoding="utf-8"))
    return loaded


def finish(spec: dict[str, Any], app: Flask) -> dict[str, Any]:
    """Complete the generated spec: ids, security, examples, links, used components."""
    # apispec's dict shares its parts with the apispec itself: work on a copy.
    spec = copy.deepcopy(spec)
    spec["servers"] = [
        {"url": "/", "description": "The server that serves this document."}
    ]
    for path, operation in _operations(spec, app):
        name = operation["operationId"]
        # Only the writes name a security scheme; the rest are public.
        operation.setdefault("security", [])
        extra = OPERATIONS.get(name, {})
        if "description" not in operation and "description" in extra:
            operation["description"] = extra["description"]
        responses = operation["responses"]
        if "304" in responses:
            _conditional(operation)
        for status, content in extra.get("content", {}).items():
            responses[status].setdefault("content", {}).update(copy.deepcopy(content))
        for status, links in extra.get("links", {}).items():
            responses[status]["links"] = {
                link: {"operationId": target, "parameters": dict(parameters)}
                for link, (target, parameters) in links.items()
            }
        _add_examples(spec["paths"][path], operation, name)
    _drop_unused(spec)
    return spec


def _conditional(operation: dict[str, Any]) -> None:
    """Document a conditional GET's request headers and its 412."""
    responses = operation["responses"]
    names = ["If-None-Match", "If-Match"]
    # Only a resource that tells its Last-Modified can be asked if modified since.
    if "Last-Modified" in responses["200"].get("headers", {}):
        names.append("If-Modified-Since")
    operation.setdefault("parameters", []).extend(
        {"$ref": f"#/components/parameters/{name}"} for name in names
    )
    responses["412"] = {"$ref": "#/components/responses/PRECONDITION_FAILED"}


def _operations(
    spec: dict[str, Any], app: Flask
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield each operation after naming it by its view function (the operationId)."""
    for rule in app.url_map.iter_rules():
        path = _openapi_path(rule.rule)
        item = spec["paths"].get(path)
        if item is None:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            operation = item.get(method.lower())
            if operation is not None:
                operation["operationId"] = rule.endpoint.rsplit(".", 1)[-1]
    for path, item in spec["paths"].items():
        for method in _METHODS:
            if method in item:
                yield path, item[method]


def _openapi_path(rule: str) -> str:
    """`/v1/articles/<article_id:article_id>` as `/v1/articles/{article_id}`."""
    out, rest = "", rule
    while "<" in rest:
        head, _, tail = rest.partition("<")
        variable, _, rest = tail.partition(">")
        out += head + "{" + variable.rpartition(":")[2] + "}"
    return out + rest


def _add_examples(item: dict[str, Any], operation: dict[str, Any], name: str) -> None:
    """Put the seeded examples on the parameters, request body and responses."""
    examples = _examples()
    own = examples["operations"].get(name, {})
    values = {**examples["parameters"], **own.get("parameters", {})}
    for parameter in item.get("parameters", []):
        if parameter["name"] in own.get("parameters", {}):
            # This operation's value differs from its path's: it gets its own copy.
            operation.setdefault("parameters", []).append(dict(parameter))
    for parameter in [*item.get("parameters", []), *operation.get("parameters", [])]:
        if parameter.get("name") in values:
            parameter["example"] = values[parameter["name"]]
    # An example of a body the operation no longer has is left out (the
    # contract test then says examples.yaml is stale): the spec still renders.
    content = operation.get("requestBody", {}).get("content", {})
    for mimetype, example in own.get("request", {}).items():
        if mimetype in content:
            content[mimetype]["examples"] = {"seed": example}
    for status, contents in own.get("responses", {}).items():
        content = operation["responses"].get(status, {}).get("content", {})
        for mimetype, example in contents.items():
            if mimetype in content:
                content[mimetype]["examples"] = {"seed": example}


def _drop_unused(spec: dict[str, Any]) -> None:
    """Remove the components nothing refers to, such as unused problem responses."""
    components = spec["components"]
    while True:
        text = json.dumps(spec)
        unused = [
            (kind, name)
            for kind, entries in components.items()
            if kind != "securitySchemes"
            for name in entries
            if f'"#/components/{kind}/{name}"' not in text
        ]
        if not unused:
            return
        for kind, name in unused:
            del components[kind][name]
