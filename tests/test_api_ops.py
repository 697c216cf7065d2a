"""Health, readiness, the contract and its page, request ids, proxies."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service import create_app
from service.store import generation_reader, get_engine


def test_healthz(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_when_the_schema_is_current(client: FlaskClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready"}


def test_readyz_before_the_schema_exists(tmp_path: Path) -> None:
    app = create_app(
        {"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    )
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.content_type == "application/problem+json"
    assert "briefing db upgrade" in response.get_json()["detail"]
    assert response.headers["Retry-After"]


def test_readyz_when_the_database_does_not_answer() -> None:
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1",
        }
    )
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["detail"] == "the database does not answer"


def test_reads_while_the_database_does_not_answer_are_503() -> None:
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1",
        }
    )
    response = app.test_client().get("/v1/questions")
    assert response.status_code == 503
    assert response.content_type == "application/problem+json"


def test_openapi_yaml_is_served(client: FlaskClient) -> None:
    response = client.get("/openapi.yaml")
    assert response.status_code == 200
    assert response.mimetype == "application/yaml"
    assert response.get_data(as_text=True).startswith("openapi: 3.1.0\n")


def test_docs_page_uses_local_assets_only(client: FlaskClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert client.get("/docs/").get_data() == page.get_data()
    html = page.get_data(as_text=True)
    assert "http://" not in html and "https://" not in html
    for asset in ("swagger-ui.css", "swagger-ui-bundle.js", "docs.js"):
        assert f"/docs/assets/{asset}" in html
        with client.get(f"/docs/assets/{asset}") as response:
            assert response.status_code == 200
    assert client.get("/docs/assets/../../etc/passwd").status_code == 404


def test_request_id_is_made_or_echoed(client: FlaskClient) -> None:
    made = client.get("/healthz").headers["X-Request-ID"]
    assert len(made) == 32
    assert (
        client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers[
            "X-Request-ID"
        ]
        == "abc-123"
    )
    forged = client.get(
        "/healthz", headers={"X-Request-ID": "bad id\u00e4" * 3}
    ).headers["X-Request-ID"]
    assert forged != "bad id" and len(forged) == 32


def test_request_is_logged_with_its_id(
    client: FlaskClient, capfd: pytest.CaptureFixture[str]
) -> None:
    client.get("/v1/questions", headers={"X-Request-ID": "trace-me"})
    entries = [json.loads(line) for line in capfd.readouterr().out.splitlines()]
    entry = next(e for e in entries if e.get("request_id") == "trace-me")
    assert entry["logger"] == "briefing.access"
    assert entry["status"] == 200
    assert entry["route"] == "/v1/questions"


def test_access_lines_follow_the_log_level(
    app: Flask, capfd: pytest.CaptureFixture[str]
) -> None:
    logging.getLogger("briefing").setLevel("WARNING")
    try:
        app.test_client().get("/healthz", headers={"X-Request-ID": "quiet"})
    finally:
        logging.getLogger("briefing").setLevel(app.config["LOG_LEVEL"])
    assert "quiet" not in capfd.readouterr().out


def test_unusual_methods_share_one_metric_label(client: FlaskClient) -> None:
    client.open("/healthz", method="BREW")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'method="OTHER"' in text and 'method="BREW"' not in text


FORGED = {
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "evil.example",
    "X-Forwarded-For": "203.0.113.9",
}


def test_forwarded_headers_are_ignored_by_default(seeded: Flask) -> None:
    body = seeded.test_client().get("/v1/questions?limit=1", headers=FORGED).get_json()
    assert body["next"].startswith("http://localhost/")


def test_forwarded_headers_from_a_trusted_proxy_are_used(seeded: Flask) -> None:
    app = create_app({**seeded.config, "TRUSTED_PROXIES": 1})
    body = app.test_client().get("/v1/questions?limit=1", headers=FORGED).get_json()
    generation_reader(app).close()
    with app.app_context():
        get_engine().dispose()
    assert body["next"].startswith("https://evil.example/")
    assert body["items"][0]["links"]["self"].startswith(
        "https://evil.example/v1/questions/"
    )
