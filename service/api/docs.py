"""OpenAPI documentation of responses: the views' success, 304 and problem responses."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any, TypeVar

from apispec import APISpec
from flask_smorest import Blueprint
from marshmallow import Schema

from service.api.schemas import ProblemSchema

PROBLEM = "application/problem+json"
F = TypeVar("F", bound=Callable[..., Any])


def _header(description: str, **schema: Any) -> dict[str, Any]:
    return {"description": description, "schema": {"type": "string", **schema}}


HEADERS = {
    "ETag": _header("Entity tag of the body; send it back in If-None-Match."),
    "Cache-Control": _header("How long shared caches may keep the response."),
    "X-Request-ID": _header("The request's id, as sent by the client or made here."),
    "Last-Modified": _header(
        "When an ingest or retraction last touched the resource (informative; "
        "304s are decided by the ETag)."
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


def headers(*names: str) -> dict[str, str]:
    return {name: {"$ref": f"#/components/headers/{name}"} for name in names}  # type: ignore[misc]


def register_components(spec: APISpec) -> None:
    """Add the shared headers and one problem+json response per error status."""
    for name, header in HEADERS.items():
        spec.components.header(name, header)
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
            "description": "The client's copy (If-None-Match) is current.",
            "headers": headers(*_CONDITIONAL),
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
        func = bp.alt_response(
            status,
            schema=schema,
            content_type=mimetype,
            headers=headers(*names),
            success=True,
        )(func)
        if conditional:
            func = bp.alt_response(304, response="NOT_MODIFIED")(func)
        for problem in problems:
            func = bp.alt_response(problem, response=HTTPStatus(problem).name)(func)
        return func

    return decorator
