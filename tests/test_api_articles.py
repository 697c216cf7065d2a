"""/v1/articles: list, one, text, ingest and retract, with tokens, limits and media types."""

from __future__ import annotations

import hashlib
import threading

import orjson
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import SEEDS, TOKEN, make_article

BASE = "http://localhost"
NEW = make_article(
    "2026-01-12", "Wer zahlt den Wiederaufbau?", "Die EU und die Weltbank."
)


@pytest.fixture
def client(seeded: Flask) -> FlaskClient:
    return seeded.test_client()


def test_list_articles_newest_first_with_paging(client: FlaskClient) -> None:
    response = client.get("/v1/articles?limit=1")
    assert response.status_code == 200
    body = response.get_json()
    assert [a["id"] for a in body["items"]] == ["ff251b4db109e584"]
    assert body["items"][0]["question_count"] == 2
    assert body["items"][0]["links"] == {
        "self": f"{BASE}/v1/articles/ff251b4db109e584",
        "text": f"{BASE}/v1/articles/ff251b4db109e584/text",
        "raw": f"{BASE}/v1/articles/ff251b4db109e584/raw",
    }
    assert response.headers["Link"] == f'<{body["next"]}>; rel="next"'
    rest = client.get(body["next"].removeprefix(BASE)).get_json()
    assert [a["id"] for a in rest["items"]] == ["c5e0797645e774ad"] and rest[
        "next"
    ] is None


def test_get_article_with_records(client: FlaskClient) -> None:
    response = client.get("/v1/articles/c5e0797645e774ad")
    assert response.status_code == 200
    article = response.get_json()
    assert article["published"] == "2026-01-06"
    assert article["source"] == "002_50c63c787d68af43.txt"
    assert [len(r["paragraphs"]) for r in article["records"]] == [1, 3, 2]
    assert article["records"][0]["question_span"] == {"start": 17, "end": 92}
    assert article["records"][0]["answer_span"] == {"start": 94, "end": 491}
    assert response.headers["Cache-Control"] == (
        "public, max-age=60, stale-while-revalidate=60"
    )


def test_article_text_is_the_canonical_text(client: FlaskClient) -> None:
    response = client.get("/v1/articles/c5e0797645e774ad/text")
    assert response.status_code == 200
    assert response.content_type == "text/plain; charset=utf-8"
    raw = (SEEDS / "002_50c63c787d68af43.txt").read_bytes()
    assert response.get_data() == raw
    sha256 = hashlib.sha256(raw).hexdigest()
    assert response.headers["ETag"] == f'"{sha256}"'
    assert (
        client.get(
            "/v1/articles/c5e0797645e774ad/text",
            headers={"If-None-Match": f'"{sha256}"'},
        ).status_code
        == 304
    )


@pytest.mark.parametrize(
    "path",
    [
        "/v1/articles/0000000000000000",
        "/v1/articles/0000000000000000/text",
        "/v1/articles/nothex",
    ],
)
def test_unknown_article_is_404(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"


def test_ingest_text_plain_then_again(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    created = client.post(
        "/v1/articles?source=wiederaufbau.txt",
        data=NEW,
        content_type="text/plain; charset=utf-8",
        headers=auth,
    )
    assert created.status_code == 201
    article = created.get_json()
    assert created.headers["Location"] == f"{BASE}/v1/articles/{article['id']}"
    assert article["source"] == "wiederaufbau.txt"
    assert [r["question"] for r in article["records"]] == [
        "Wer zahlt den Wiederaufbau?"
    ]
    again = client.post(
        "/v1/articles?source=other.txt",
        data=NEW,
        content_type="text/plain",
        headers=auth,
    )
    assert again.status_code == 200
    assert again.headers["Location"] == created.headers["Location"]
    assert again.get_json()["source"] == "wiederaufbau.txt"
    questions = client.get("/v1/questions").get_json()["items"]
    assert len(questions) == 5


def test_ingest_json(client: FlaskClient, auth: dict[str, str]) -> None:
    response = client.post(
        "/v1/articles", json={"text": NEW.decode(), "source": "api"}, headers=auth
    )
    assert response.status_code == 201
    question_id = response.get_json()["records"][0]["question_id"]
    assert question_id == "wer-zahlt-den-wiederaufbau"
    latest = client.get(f"/v1/questions/{question_id}/latest")
    assert latest.status_code == 200
    assert latest.get_json()["paragraphs"] == ["Die EU und die Weltbank."]


def test_ingest_a_newer_answer_changes_latest_and_etag(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    stand = "was-ist-der-derzeitige-stand-der-friedensgespraeche_f4e79409f3"
    before = client.get(f"/v1/questions/{stand}/latest")
    update = make_article(
        "2026-01-15",
        "Was ist der derzeitige Stand der Friedensgespräche?",
        "Neue Gespräche in Genf.",
    )
    assert (
        client.post(
            "/v1/articles?source=u",
            data=update,
            content_type="text/plain",
            headers=auth,
        ).status_code
        == 201
    )
    after = client.get(
        f"/v1/questions/{stand}/latest",
        headers={"If-None-Match": before.headers["ETag"]},
    )
    assert after.status_code == 200
    assert after.get_json()["published"] == "2026-01-15"


def test_ingest_parse_error_names_the_line(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    response = client.post(
        "/v1/articles?source=x",
        data=b"\ndate 2026-02-30 Wer?\n\nNiemand.\n",
        content_type="text/plain",
        headers=auth,
    )
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["type"] == "https://briefing.example/problems/article-parse-error"
    assert problem["line"] == 2
    assert problem["detail"] == "line 2: 2026-02-30 is not a calendar date"
    assert len(client.get("/v1/articles").get_json()["items"]) == 2


@pytest.mark.parametrize("content_type", ["text/plain", "application/json"])
def test_ingest_without_a_source_names_the_article_by_its_id(
    client: FlaskClient, auth: dict[str, str], content_type: str
) -> None:
    body = NEW if content_type == "text/plain" else orjson.dumps({"text": NEW.decode()})
    response = client.post(
        "/v1/articles", data=body, content_type=content_type, headers=auth
    )
    assert response.status_code == 201
    article = response.get_json()
    assert article["source"] == f"{article['id']}.txt"


def test_ingest_answers_with_the_parsers_warnings(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    text = make_article("2026-01-13", "Wer zahlt?", "Die EU.", "Und wer nicht?")
    response = client.post(
        "/v1/articles?source=w.txt", data=text, content_type="text/plain", headers=auth
    )
    assert response.status_code == 201
    [warning] = response.get_json()["warnings"]
    assert warning.startswith("line 7: question 'Und wer nicht?' has no answer")
    again = client.post(
        "/v1/articles?source=w.txt", data=text, content_type="text/plain", headers=auth
    )
    assert again.status_code == 200
    assert again.get_json()["warnings"] == [warning]


def test_too_many_questions_is_a_422_naming_the_line(
    app: Flask, client: FlaskClient, auth: dict[str, str]
) -> None:
    app.config["MAX_QUESTIONS"] = 3
    blocks = [block for n in range(4) for block in (f"Frage {n}?", f"Antwort {n}.")]
    response = client.post(
        "/v1/articles?source=many.txt",
        data=make_article("2026-01-13", *blocks),
        content_type="text/plain",
        headers=auth,
    )
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["line"] == 15
    assert "more than 3 question headings" in problem["detail"]
    assert client.get("/v1/articles").get_json()["items"] != []  # the seeds only
    assert len(client.get("/v1/articles").get_json()["items"]) == 2


def test_a_delete_answers_204_without_a_media_type(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    response = client.delete("/v1/articles/c5e0797645e774ad", headers=auth)
    assert response.status_code == 204
    assert "Content-Type" not in response.headers
    assert response.get_data() == b""


@pytest.mark.parametrize(
    ("payload", "pointer"),
    [
        ({"source": "s"}, "/text"),
        ({"text": "x", "source": "s", "extra": 1}, "/extra"),
        ([1, 2], ""),
        ({"text": 5, "source": "s"}, "/text"),
    ],
)
def test_ingest_json_validation(
    client: FlaskClient, auth: dict[str, str], payload: object, pointer: str
) -> None:
    response = client.post("/v1/articles", json=payload, headers=auth)
    assert response.status_code == 422
    assert [e["pointer"] for e in response.get_json()["errors"]] == [pointer]


def test_ingest_malformed_json(client: FlaskClient, auth: dict[str, str]) -> None:
    response = client.post(
        "/v1/articles", data=b"{nope", content_type="application/json", headers=auth
    )
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["pointer"] == ""


@pytest.mark.parametrize(
    "content_type",
    ["application/xml", "application/pdf", "text/plain; charset=latin-1", None],
)
def test_ingest_other_media_types_are_415(
    client: FlaskClient, auth: dict[str, str], content_type: str | None
) -> None:
    headers = dict(auth)
    if content_type:
        headers["Content-Type"] = content_type
    response = client.post("/v1/articles?source=x", data=NEW, headers=headers)
    assert response.status_code == 415


def test_ingest_over_the_limit_is_413(seeded: Flask, auth: dict[str, str]) -> None:
    seeded.config["MAX_CONTENT_LENGTH"] = 100
    response = seeded.test_client().post(
        "/v1/articles?source=x",
        data=NEW + b"x" * 200,
        content_type="text/plain",
        headers=auth,
    )
    assert response.status_code == 413
    assert (
        response.get_json()["type"]
        == "https://briefing.example/problems/article-too-big"
    )


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer wrong"}, 401),
        ({"Authorization": f"Basic {TOKEN}"}, 401),
        ({"Authorization": "Bearer "}, 401),
    ],
)
def test_writes_need_the_token(
    client: FlaskClient, headers: dict[str, str], status: int
) -> None:
    post = client.post(
        "/v1/articles?source=x", data=NEW, content_type="text/plain", headers=headers
    )
    delete = client.delete("/v1/articles/ff251b4db109e584", headers=headers)
    for response in (post, delete):
        assert response.status_code == status
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert len(client.get("/v1/articles").get_json()["items"]) == 2


def test_writes_are_refused_while_no_token_is_configured(
    seeded: Flask, auth: dict[str, str]
) -> None:
    seeded.config["API_TOKENS"] = ()
    client = seeded.test_client()
    assert (
        client.post(
            "/v1/articles?source=x", data=NEW, content_type="text/plain", headers=auth
        ).status_code
        == 403
    )
    assert (
        client.delete("/v1/articles/ff251b4db109e584", headers=auth).status_code == 403
    )


def test_retract_article(client: FlaskClient, auth: dict[str, str]) -> None:
    stand = "was-ist-der-derzeitige-stand-der-friedensgespraeche_f4e79409f3"
    response = client.delete("/v1/articles/ff251b4db109e584", headers=auth)
    assert response.status_code == 204
    assert response.get_data() == b""
    gone = client.get("/v1/articles/ff251b4db109e584")
    assert gone.status_code == 410
    assert gone.get_json()["type"].endswith("/problems/retracted")
    assert gone.get_json()["retracted_at"]
    assert client.get("/v1/articles/ff251b4db109e584/text").status_code == 410
    assert [a["id"] for a in client.get("/v1/articles").get_json()["items"]] == [
        "c5e0797645e774ad"
    ]
    assert (
        client.get(f"/v1/questions/{stand}/latest").get_json()["published"]
        == "2026-01-06"
    )
    assert (
        client.get(
            "/v1/questions/was-sind-die-grossen-knackpunkte-bei-dem-treffen"
        ).status_code
        == 404
    )
    assert len(client.get("/v1/questions").get_json()["items"]) == 3
    assert (
        client.delete("/v1/articles/ff251b4db109e584", headers=auth).status_code == 204
    )


def test_posting_a_retracted_text_again_restores_it(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    stand = "was-ist-der-derzeitige-stand-der-friedensgespraeche_f4e79409f3"
    before = client.get("/v1/articles/ff251b4db109e584").get_json()
    assert (
        client.delete("/v1/articles/ff251b4db109e584", headers=auth).status_code == 204
    )
    text = (SEEDS / "000_80820c57a30bb01b.txt").read_bytes()
    again = client.post(
        "/v1/articles?source=000_80820c57a30bb01b.txt",
        data=text,
        content_type="text/plain",
        headers=auth,
    )
    assert again.status_code == 201
    restored = again.get_json()
    assert restored["records"] == before["records"]
    assert client.get("/v1/articles/ff251b4db109e584/text").get_data() == text
    latest = client.get(f"/v1/questions/{stand}/latest").get_json()
    assert latest["published"] == "2026-01-09"
    assert len(client.get("/v1/questions").get_json()["items"]) == 4


def test_concurrent_ingest_through_the_api_stores_each_once(
    seeded: Flask, auth: dict[str, str]
) -> None:
    articles = [
        make_article(f"2026-05-{day:02d}", "Wer zahlt?", f"Antwort {day}.")
        for day in range(1, 7)
    ]
    statuses: list[int] = []

    def work() -> None:
        client = seeded.test_client()
        for data in articles:
            statuses.append(
                client.post(
                    "/v1/articles?source=t",
                    data=data,
                    content_type="text/plain",
                    headers=auth,
                ).status_code
            )

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] * 18 + [201] * 6
    client = seeded.test_client()
    assert len(client.get("/v1/articles?limit=100").get_json()["items"]) == 8
    assert client.get("/v1/questions/wer-zahlt").get_json()["answer_count"] == 6


def test_retraction_changes_etag_and_last_modified_of_what_it_touched(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    stand = "was-ist-der-derzeitige-stand-der-friedensgespraeche_f4e79409f3"
    before = client.get(f"/v1/questions/{stand}/latest")
    assert (
        client.delete("/v1/articles/ff251b4db109e584", headers=auth).status_code == 204
    )
    after = client.get(
        f"/v1/questions/{stand}/latest",
        headers={
            "If-None-Match": before.headers["ETag"],
            "If-Modified-Since": before.headers["Last-Modified"],
        },
    )
    assert after.status_code == 200
    assert after.get_json()["published"] == "2026-01-06"
    assert after.last_modified >= before.last_modified  # type: ignore[operator]
