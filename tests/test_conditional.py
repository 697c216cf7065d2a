"""Conditional GETs (RFC 9110, section 13) on the Flask path and on cache hits."""

from __future__ import annotations

from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime

import pytest
from flask import Flask

STAND = "was-ist-der-derzeitige-stand-der-friedensgespraeche_f4e79409f3"
LATEST = f"/v1/questions/{STAND}/latest"
PATHS = [LATEST, "/v1/articles/c5e0797645e774ad", "/v1/articles/c5e0797645e774ad/text"]


@pytest.fixture(params=["cold", "cached"])
def client(request: pytest.FixtureRequest, seeded: Flask):
    """A client whose GETs meet the response cache empty, or holding the answer."""
    client = seeded.test_client()
    if request.param == "cached":
        for path in PATHS:
            assert client.get(path).status_code == 200
    else:
        seeded.wsgi_app.max_entries = 0  # type: ignore[attr-defined]
    return client


@pytest.mark.parametrize("path", PATHS)
def test_if_match_that_fails_is_412_and_one_that_holds_is_200(client, path) -> None:
    etag = client.get(path).headers["ETag"]
    failed = client.get(path, headers={"If-Match": '"not-this-one"'})
    assert failed.status_code == 412
    assert failed.content_type == "application/problem+json"
    assert failed.get_json()["type"].endswith("/precondition-failed")
    assert client.get(path, headers={"If-Match": etag}).status_code == 200
    assert client.get(path, headers={"If-Match": "*"}).status_code == 200
    # If-Match compares strongly: a weak tag never matches.
    assert client.get(path, headers={"If-Match": f"W/{etag}"}).status_code == 412
    assert client.head(path, headers={"If-Match": '"x"'}).status_code == 412


@pytest.mark.parametrize("path", PATHS)
def test_if_modified_since_without_if_none_match(client, path) -> None:
    first = client.get(path)
    modified = first.headers["Last-Modified"]
    not_modified = client.get(path, headers={"If-Modified-Since": modified})
    assert not_modified.status_code == 304
    assert not_modified.get_data() == b""
    assert not_modified.headers["Last-Modified"] == modified
    assert not_modified.headers["ETag"] == first.headers["ETag"]
    earlier = format_datetime(
        parsedate_to_datetime(modified) - timedelta(seconds=1), usegmt=True
    )
    assert client.get(path, headers={"If-Modified-Since": earlier}).status_code == 200
    garbage = client.get(path, headers={"If-Modified-Since": "yesterday"})
    assert garbage.status_code == 200


@pytest.mark.parametrize("path", PATHS)
def test_if_none_match_wins_over_if_modified_since(client, path) -> None:
    first = client.get(path)
    response = client.get(
        path,
        headers={
            "If-None-Match": '"other"',
            "If-Modified-Since": first.headers["Last-Modified"],
        },
    )
    assert response.status_code == 200
    matched = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert matched.status_code == 304
    assert matched.headers["Last-Modified"] == first.headers["Last-Modified"]
    assert "Content-Type" not in matched.headers


def test_the_cache_key_holds_what_a_response_varies_on(seeded: Flask) -> None:
    """A representation chosen for one Accept is never served for another."""
    client = seeded.test_client()
    seen = []
    original = seeded.wsgi_app.app  # type: ignore[attr-defined]

    def counting(environ, start_response):
        seen.append((environ.get("HTTP_ACCEPT"), environ.get("HTTP_ACCEPT_DATETIME")))
        return original(environ, start_response)

    seeded.wsgi_app.app = counting  # type: ignore[attr-defined]
    for headers in (
        {},
        {"Accept": "application/json"},
        {"Accept": "application/ld+json"},
        {"Accept-Datetime": "Thu, 08 Jan 2026 12:00:00 GMT"},
    ):
        assert client.get(LATEST, headers=headers).status_code == 200
        assert client.get(LATEST, headers=headers).status_code == 200
    assert seen == [
        (None, None),
        ("application/json", None),
        ("application/ld+json", None),
        (None, "Thu, 08 Jan 2026 12:00:00 GMT"),
    ]
