"""/v1/questions over the seeds: lists, timelines, answers by date, latest with provenance."""

from __future__ import annotations

import hashlib

import pytest
from flask import Flask
from flask.testing import FlaskClient

STAND = "was-ist-der-derzeitige-stand-der-friedensgespraeche_f4e79409f3"
BASE = "http://localhost"


@pytest.fixture
def client(seeded: Flask) -> FlaskClient:
    return seeded.test_client()


def test_list_questions_gives_the_four_seed_questions(client: FlaskClient) -> None:
    response = client.get("/v1/questions")
    assert response.status_code == 200
    assert response.content_type == "application/json"
    body = response.get_json()
    assert len(body["items"]) == 4 and body["next"] is None
    assert "Link" not in response.headers
    stand = next(q for q in body["items"] if q["id"] == STAND)
    assert stand == {
        "id": STAND,
        "text": "Was ist der derzeitige Stand der Friedensgespräche?",
        "answer_count": 2,
        "first_published": "2026-01-06",
        "last_published": "2026-01-09",
        "links": {
            "self": f"{BASE}/v1/questions/{STAND}",
            "answers": f"{BASE}/v1/questions/{STAND}/answers",
            "latest": f"{BASE}/v1/questions/{STAND}/latest",
        },
    }


def test_list_questions_pages_with_cursor_and_link(client: FlaskClient) -> None:
    seen = []
    url = "/v1/questions?limit=3"
    while url:
        response = client.get(url)
        assert response.status_code == 200
        body = response.get_json()
        seen += [q["id"] for q in body["items"]]
        if body["next"]:
            assert response.headers["Link"] == f'<{body["next"]}>; rel="next"'
            assert "limit=3" in body["next"]
        url = body["next"] and body["next"].removeprefix(BASE)
    assert len(seen) == 4 and seen == sorted(seen)


@pytest.mark.parametrize(
    ("q", "count"),
    [
        ("friedensgespräche", 1),
        ("FRIEDENSGESPRAECHE", 0),
        ("Friedensgespräche?", 1),
        ("  der  ", 3),
        ("„koalition", 1),
        ("nichts", 0),
    ],
)
def test_list_questions_filters_by_normalised_text(
    client: FlaskClient, q: str, count: int
) -> None:
    response = client.get("/v1/questions", query_string={"q": q})
    assert response.status_code == 200
    assert len(response.get_json()["items"]) == count


def test_get_question_with_timeline(client: FlaskClient) -> None:
    response = client.get(f"/v1/questions/{STAND}")
    assert response.status_code == 200
    body = response.get_json()
    assert [(a["published"], a["article_id"]) for a in body["answers"]] == [
        ("2026-01-06", "c5e0797645e774ad"),
        ("2026-01-09", "ff251b4db109e584"),
    ]
    assert body["answers"][1]["url"] == f"{BASE}/v1/articles/ff251b4db109e584"


def test_list_answers_oldest_first(client: FlaskClient) -> None:
    response = client.get(f"/v1/questions/{STAND}/answers")
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert [a["published"] for a in items] == ["2026-01-06", "2026-01-09"]
    assert [len(a["paragraphs"]) for a in items] == [3, 3]


@pytest.mark.parametrize(
    ("day", "match", "published"),
    [
        ("2026-01-06", "as_of", "2026-01-06"),
        ("2026-01-08", "as_of", "2026-01-06"),
        ("2026-01-09", "as_of", "2026-01-09"),
        ("2030-01-01", "as_of", "2026-01-09"),
        ("2026-01-09", "exact", "2026-01-09"),
    ],
)
def test_answer_on_a_date(
    client: FlaskClient, day: str, match: str, published: str
) -> None:
    response = client.get(
        f"/v1/questions/{STAND}/answers/{day}", query_string={"match": match}
    )
    assert response.status_code == 200
    assert response.get_json()["published"] == published


@pytest.mark.parametrize(
    ("day", "match"), [("2026-01-05", "as_of"), ("2026-01-08", "exact")]
)
def test_no_answer_on_a_date_is_404(client: FlaskClient, day: str, match: str) -> None:
    response = client.get(f"/v1/questions/{STAND}/answers/{day}?match={match}")
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert day in response.get_json()["detail"]


def test_nothing_a_write_can_change_is_cached_past_the_max_age(
    client: FlaskClient,
) -> None:
    # A second article of the same date changes an exact answer, and a DELETE
    # retracts an article and its text: none may outlive CACHE_MAX_AGE.
    for path in (
        f"/v1/questions/{STAND}/answers/2026-01-09?match=exact",
        f"/v1/questions/{STAND}/answers/2026-01-09",
        f"/v1/questions/{STAND}/latest",
        "/v1/articles/c5e0797645e774ad",
        "/v1/articles/c5e0797645e774ad/text",
        "/v1/questions",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == (
            "public, max-age=60, stale-while-revalidate=60"
        ), path


def test_latest_answer_with_provenance_that_verifies(client: FlaskClient) -> None:
    response = client.get(f"/v1/questions/{STAND}/latest")
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["published"] == "2026-01-09"
    assert answer["question"] == "Was ist der derzeitige Stand der Friedensgespräche?"
    assert answer["text"] == "\n\n".join(answer["paragraphs"])
    provenance = answer["provenance"]
    assert provenance["article_id"] == "ff251b4db109e584"
    assert provenance["source"] == "000_80820c57a30bb01b.txt"
    assert provenance["url"] == f"{BASE}/v1/articles/ff251b4db109e584"
    assert provenance["parser_version"] == "1"
    assert provenance["ingested_at"].endswith("+00:00")
    assert "Last-Modified" in response.headers

    text_response = client.get(provenance["url"].removeprefix(BASE) + "/text")
    assert text_response.status_code == 200
    raw = text_response.get_data()
    assert hashlib.sha256(raw).hexdigest() == provenance["sha256"]
    text = raw.decode("utf-8")
    span = provenance["answer_span"]
    inside = text[span["start"] : span["end"]]
    position = 0
    for paragraph in answer["paragraphs"]:
        position = inside.index(paragraph, position) + len(paragraph)
    question = provenance["question_span"]
    assert text[question["start"] : question["end"]] == answer["question"]


def test_every_answer_verifies_against_its_article_text(client: FlaskClient) -> None:
    for question in client.get("/v1/questions").get_json()["items"]:
        for answer in client.get(
            question["links"]["answers"].removeprefix(BASE)
        ).get_json()["items"]:
            provenance = answer["provenance"]
            raw = client.get(f"/v1/articles/{provenance['article_id']}/text").get_data()
            assert hashlib.sha256(raw).hexdigest() == provenance["sha256"]
            span = provenance["answer_span"]
            inside = raw.decode("utf-8")[span["start"] : span["end"]]
            assert all(paragraph in inside for paragraph in answer["paragraphs"])


@pytest.mark.parametrize(
    "path",
    [
        f"/v1/questions/{STAND}",
        f"/v1/questions/{STAND}/answers",
        f"/v1/questions/{STAND}/latest",
        "/v1/questions",
    ],
)
def test_etag_and_304(client: FlaskClient, path: str) -> None:
    first = client.get(path)
    etag = first.headers["ETag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    weak = client.get(path, headers={"If-None-Match": f"W/{etag}"})
    assert weak.status_code == 304
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/v1/questions/no-such-question",
        "/v1/questions/no-such-question/answers",
        "/v1/questions/no-such-question/latest",
        "/v1/questions/no-such-question/answers/2026-01-08",
        "/v1/questions/Not%20An%20Id",
    ],
)
def test_unknown_question_is_404(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"


def test_head_works_like_get(client: FlaskClient) -> None:
    response = client.head(f"/v1/questions/{STAND}/latest")
    assert response.status_code == 200
    assert response.get_data() == b""
    assert response.headers["ETag"]


def test_cors_for_reads(client: FlaskClient) -> None:
    response = client.get("/v1/questions", headers={"Origin": "https://news.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    exposed = response.headers["Access-Control-Expose-Headers"]
    assert all(name in exposed for name in ("ETag", "Link", "X-Request-ID"))
    preflight = client.options(
        "/v1/articles",
        headers={
            "Origin": "https://news.example",
            "Access-Control-Request-Method": "DELETE",
        },
    )
    assert "DELETE" not in preflight.headers.get("Access-Control-Allow-Methods", "")
