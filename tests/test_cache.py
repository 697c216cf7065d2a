"""The response cache: rendered once per generation, never stale after a write."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask

from service import create_app
from service.parsing import parse_article
from service.store import generation_reader, get_engine, versions
from service.store.ingest import delete_article, save_article
from tests.conftest import make_article

STAND = "was-ist-der-derzeitige-stand-der-friedensgespraeche_f4e79409f3"
LATEST = f"/v1/questions/{STAND}/latest"


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every read of a question's versions."""
    seen: list[str] = []
    original: Callable[..., Any] = versions.history

    def counting(*args: Any, **kwargs: Any) -> Any:
        seen.append(args[1])
        return original(*args, **kwargs)

    monkeypatch.setattr(versions, "history", counting)
    return seen


def test_a_repeated_get_is_served_from_the_cache(
    seeded: Flask, calls: list[str]
) -> None:
    client = seeded.test_client()
    first = client.get(LATEST, headers={"X-Request-ID": "one"})
    second = client.get(LATEST, headers={"X-Request-ID": "two"})
    assert calls == [STAND]
    assert second.get_data() == first.get_data()
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.headers["Cache-Control"] == first.headers["Cache-Control"]
    assert second.headers["Access-Control-Allow-Origin"] == "*"
    assert second.headers["X-Request-ID"] == "two"
    not_modified = client.get(LATEST, headers={"If-None-Match": first.headers["ETag"]})
    assert not_modified.status_code == 304 and not_modified.get_data() == b""
    assert calls == [STAND]
    head = client.head(LATEST)
    assert head.status_code == 200 and head.get_data() == b""


def test_an_ingest_through_the_api_is_seen_at_once(
    seeded: Flask, calls: list[str], auth: dict[str, str]
) -> None:
    client = seeded.test_client()
    assert client.get(LATEST).get_json()["published"] == "2026-01-09"
    update = make_article(
        "2026-01-20",
        "Was ist der derzeitige Stand der Friedensgespräche?",
        "Ein neuer Stand.",
    )
    assert (
        client.post(
            "/v1/articles?source=n",
            data=update,
            content_type="text/plain",
            headers=auth,
        ).status_code
        == 201
    )
    assert client.get(LATEST).get_json()["published"] == "2026-01-20"
    assert len(calls) == 2


def test_a_write_by_another_replica_is_seen_at_once(seeded: Flask) -> None:
    client = seeded.test_client()
    assert client.get(LATEST).get_json()["published"] == "2026-01-09"
    other = create_app(dict(seeded.config))  # a second replica on the same database
    try:
        with other.app_context(), get_engine().begin() as conn:
            delete_article(conn, "ff251b4db109e584", deleted_at=datetime.now(UTC))
        assert client.get(LATEST).get_json()["published"] == "2026-01-06"
        with other.app_context(), get_engine().begin() as conn:
            data = make_article(
                "2026-02-01",
                "Was ist der derzeitige Stand der Friedensgespräche?",
                "Neu.",
            )
            save_article(
                conn, parse_article(data, source="x"), ingested_at=datetime.now(UTC)
            )
        assert client.get(LATEST).get_json()["published"] == "2026-02-01"
    finally:
        generation_reader(other).close()
        with other.app_context():
            get_engine().dispose()


def test_the_cache_key_holds_the_host(seeded: Flask) -> None:
    client = seeded.test_client()
    one = client.get("/v1/questions", headers={"Host": "one.example"}).get_json()
    two = client.get("/v1/questions", headers={"Host": "two.example"}).get_json()
    assert one["items"][0]["links"]["self"].startswith("http://one.example/")
    assert two["items"][0]["links"]["self"].startswith("http://two.example/")


def test_operations_are_not_cached(seeded: Flask) -> None:
    client = seeded.test_client()
    first = client.get("/metrics").get_data()
    assert client.get("/metrics").get_data() != first


def test_the_cache_holds_a_bounded_number_of_bytes(
    seeded: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from service.api.cache import ResponseCache

    monkeypatch.setattr(ResponseCache, "MAX_BYTES", 5000)
    client = seeded.test_client()
    for path in (
        "/v1/articles/ff251b4db109e584/text",
        "/v1/articles/c5e0797645e774ad/text",
        LATEST,
    ):
        assert client.get(path).status_code == 200
    cache = seeded.wsgi_app
    assert isinstance(cache, ResponseCache)
    assert cache._bytes <= 5000
    assert sum(len(e.body) for e in cache._entries.values()) == cache._bytes
    assert len(cache._entries) < 3
