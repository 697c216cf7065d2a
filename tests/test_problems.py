"""Every error the API can answer has the same RFC 9457 shape and media type."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.store import versions
from tests.conftest import make_article

STAND = "was-ist-der-derzeitige-stand-der-friedensgespraeche_f4e79409f3"
NEW = make_article("2026-01-12", "Wer zahlt?", "Die EU.")

# (method, path, kwargs, status, type)
ERRORS = [
    ("GET", "/nowhere", {}, 404, "about:blank"),
    ("GET", "/v1/questions/", {}, 404, "about:blank"),
    ("PUT", "/v1/questions", {}, 405, "about:blank"),
    ("DELETE", "/v1/questions/" + STAND, {}, 405, "about:blank"),
    ("GET", "/v1/questions?limit=0", {}, 422, "validation-error"),
    ("GET", "/v1/questions?limit=101", {}, 422, "validation-error"),
    ("GET", "/v1/questions?limit=ten", {}, 422, "validation-error"),
    ("GET", "/v1/questions?limit=%C2%854", {}, 422, "validation-error"),
    ("GET", "/v1/questions?limit=1_0", {}, 422, "validation-error"),
    ("GET", "/v1/questions?limit=%204", {}, 422, "validation-error"),
    ("GET", "/v1/questions?cursor=not-a-cursor", {}, 422, "validation-error"),
    ("GET", "/v1/articles?cursor=WyJ4Il0", {}, 422, "validation-error"),
    ("GET", "/v1/questions?q=" + "x" * 300, {}, 422, "validation-error"),
    ("GET", "/v1/questions?q=%00", {}, 422, "validation-error"),
    ("GET", f"/v1/questions/{STAND}/answers/2026-02-30", {}, 422, "validation-error"),
    ("GET", f"/v1/questions/{STAND}/answers/yesterday", {}, 422, "validation-error"),
    (
        "GET",
        f"/v1/questions/{STAND}/answers/2026-01-08?match=fuzzy",
        {},
        422,
        "validation-error",
    ),
    ("GET", f"/v1/questions/{STAND}/answers/2026-01-01", {}, 404, "no-answer-yet"),
    (
        "GET",
        f"/v1/questions/{STAND}/answers/2026-01-10?match=after",
        {},
        404,
        "no-later-answer",
    ),
    (
        "GET",
        f"/v1/questions/{STAND}/answers/2026-01-08?match=exact",
        {},
        404,
        "not-found",
    ),
    ("GET", "/v1/answers/0123456789abcdef-0123456789ab", {}, 404, "not-found"),
    (
        "GET",
        f"/v1/questions/{STAND}/timegate",
        {"headers": {"Accept-Datetime": "soon"}},
        400,
        "invalid-accept-datetime",
    ),
    (
        "GET",
        f"/v1/questions/{STAND}/timegate",
        {"headers": {"Accept-Datetime": "Thu, 01 Jan 2026 00:00:00 GMT"}},
        404,
        "no-answer-yet",
    ),
    ("GET", "/v1/questions/unknown/timemap", {}, 404, "not-found"),
    ("GET", "/v1/questions/unknown", {}, 404, "not-found"),
    ("GET", "/v1/questions/unknown/latest", {}, 404, "not-found"),
    ("GET", "/v1/articles/0123456789abcdef", {}, 404, "not-found"),
    ("GET", "/v1/articles/0123456789abcdef/text", {}, 404, "not-found"),
    (
        "POST",
        "/v1/articles?source=x",
        {"data": NEW, "content_type": "text/plain"},
        401,
        "unauthorized",
    ),
    (
        "POST",
        "/v1/articles?source=x",
        {"data": NEW, "content_type": "text/plain", "auth": "Bearer nope"},
        401,
        "unauthorized",
    ),
    (
        "POST",
        "/v1/articles?source=x",
        {"data": NEW, "content_type": "text/csv", "auth": True},
        415,
        "unsupported-media-type",
    ),
    (
        "POST",
        "/v1/articles?source=x",
        {"data": b"x" * 2_000_000, "content_type": "text/plain", "auth": True},
        413,
        "article-too-big",
    ),
    (
        "POST",
        "/v1/articles?source=x",
        {"data": b"no header", "content_type": "text/plain", "auth": True},
        422,
        "article-parse-error",
    ),
    (
        "POST",
        "/v1/articles?source=",
        {"data": NEW, "content_type": "text/plain", "auth": True},
        422,
        "validation-error",
    ),
    (
        "POST",
        "/v1/articles",
        {"json": {"source": "x"}, "auth": True},
        422,
        "validation-error",
    ),
    ("DELETE", "/v1/articles/0123456789abcdef", {"auth": True}, 404, "not-found"),
    ("DELETE", "/v1/articles/0123456789abcdef", {}, 401, "unauthorized"),
]


def _call(
    client: FlaskClient,
    auth: dict[str, str],
    method: str,
    path: str,
    kwargs: dict[str, Any],
) -> object:
    kwargs = dict(kwargs)
    given = kwargs.pop("auth", None)
    headers = auth if given is True else ({"Authorization": given} if given else {})
    headers = {**headers, **kwargs.pop("headers", {})}
    return client.open(path, method=method, headers=headers, **kwargs)


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "kind"),
    ERRORS,
    ids=[f"{e[3]}-{e[0]}-{e[1][:40]}-{e[1][-24:]}" for e in ERRORS],
)
def test_error_is_problem_json(
    seeded: Flask,
    auth: dict[str, str],
    method: str,
    path: str,
    kwargs: dict[str, Any],
    status: int,
    kind: str,
) -> None:
    response = _call(seeded.test_client(), auth, method, path, kwargs)
    assert response.status_code == status  # type: ignore[attr-defined]
    assert_problem(response, status, kind)


def assert_problem(response, status: int, kind: str) -> None:
    assert response.content_type == "application/problem+json"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Request-ID"]
    problem = response.get_json()
    assert {"type", "title", "status", "detail", "instance"} <= set(problem)
    assert problem["status"] == status
    assert problem["type"] == kind or problem["type"].endswith("/problems/" + kind)
    assert problem["title"] and problem["detail"]
    assert problem["instance"].startswith("/")
    if kind == "validation-error":
        assert problem["errors"] and all(
            "detail" in e and ("parameter" in e or "pointer" in e)
            for e in problem["errors"]
        )
    if kind == "article-parse-error":
        assert problem["line"] >= 1


def test_writes_without_configured_tokens_are_403(
    seeded: Flask, auth: dict[str, str]
) -> None:
    seeded.config["API_TOKENS"] = ()
    response = seeded.test_client().post(
        "/v1/articles?source=x", data=NEW, content_type="text/plain", headers=auth
    )
    assert response.status_code == 403
    assert_problem(response, 403, "writes-disabled")


def test_405_names_the_allowed_methods(seeded: Flask) -> None:
    response = seeded.test_client().put("/v1/questions")
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "HEAD"}


def test_unexpected_failure_is_500_with_a_fixed_detail(
    seeded: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(versions, "history", boom)
    response = seeded.test_client().get(f"/v1/questions/{STAND}/latest")
    assert response.status_code == 500
    assert_problem(response, 500, "about:blank")
    body = response.get_data(as_text=True)
    assert "secret internals" not in body and "Traceback" not in body
    assert "X-Request-ID" in response.get_json()["detail"]
