"""Answer versions and time travel (RFC 7089) on both databases."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.keys import answer_id
from tests.conftest import make_article

STAND = "was-ist-der-derzeitige-stand-der-friedensgespraeche_f4e79409f3"
OLD = answer_id("c5e0797645e774ad", STAND)  # 2026-01-06
NEW = answer_id("ff251b4db109e584", STAND)  # 2026-01-09
BASE = "http://localhost"
LINK = re.compile(r'<([^>]+)>((?:\s*;\s*[a-z]+="[^"]*")*)')


def links(header: str) -> dict[str, dict[str, str]]:
    """Parse a Link header into {rel word: {"uri", "datetime"...}} (each rel word)."""
    found: dict[str, dict[str, str]] = {}
    for uri, params in LINK.findall(header):
        values = dict(re.findall(r'([a-z]+)="([^"]*)"', params))
        for rel in values.pop("rel", "").split():
            found[rel] = {"uri": uri, **values}
    return found


@pytest.fixture
def client(seeded: Flask) -> FlaskClient:
    return seeded.test_client()


def test_version_ids_come_from_the_article_and_question_alone() -> None:
    assert OLD == "c5e0797645e774ad-49f574809900"
    assert re.fullmatch(r"[0-9a-f]{16}-[0-9a-f]{12}", NEW)
    assert answer_id("c5e0797645e774ad", "other") != OLD


def test_every_answer_carries_id_links_and_change(client: FlaskClient) -> None:
    bodies = [
        *client.get(f"/v1/questions/{STAND}/answers").get_json()["items"],
        client.get(f"/v1/questions/{STAND}/latest").get_json(),
        client.get(f"/v1/questions/{STAND}/answers/2026-01-07").get_json(),
        client.get(f"/v1/answers/{OLD}").get_json(),
    ]
    assert [b["id"] for b in bodies] == [OLD, NEW, NEW, OLD, OLD]
    first, latest = bodies[0], bodies[1]
    assert first["change"] == {"kind": "first", "previous": None, "similarity": 0.0}
    assert first["links"] == {
        "self": f"{BASE}/v1/answers/{OLD}",
        "question": f"{BASE}/v1/questions/{STAND}",
        "previous": None,
        "next": f"{BASE}/v1/answers/{NEW}",
        "timemap": f"{BASE}/v1/questions/{STAND}/timemap",
    }
    assert latest["change"]["kind"] == "revised"
    assert latest["change"]["previous"] == OLD
    assert 0.5 < latest["change"]["similarity"] < 1
    assert latest["links"]["previous"] == f"{BASE}/v1/answers/{OLD}"
    assert latest["links"]["next"] is None
    assert bodies[3] == bodies[4] == first


def test_the_same_answer_again_is_unchanged(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    day1 = make_article("2026-03-01", "Wer zahlt?", "Die EU.", "Und dann?", "Mehr.")
    day2 = make_article("2026-03-02", "Wer zahlt?", "Die EU.")
    for number, text in enumerate((day1, day2)):
        response = client.post(
            f"/v1/articles?source={number}.txt",
            data=text,
            content_type="text/plain",
            headers=auth,
        )
        assert response.status_code == 201
    latest = client.get("/v1/questions/wer-zahlt/latest").get_json()
    assert latest["change"]["kind"] == "unchanged"
    assert latest["change"]["similarity"] == 1.0


def test_a_version_never_changes_its_etag(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    before = client.get(f"/v1/answers/{NEW}")
    assert before.status_code == 200
    assert before.headers["ETag"] == f'W/"{NEW}"'
    assert before.headers["Memento-Datetime"] == "Fri, 09 Jan 2026 00:00:00 GMT"
    later = make_article(
        "2026-01-12", "Was ist der derzeitige Stand der Friedensgespräche?", "Neu."
    )
    posted = client.post(
        "/v1/articles?source=later.txt",
        data=later,
        content_type="text/plain",
        headers=auth,
    )
    assert posted.status_code == 201
    after = client.get(f"/v1/answers/{NEW}")
    assert after.headers["ETag"] == before.headers["ETag"]
    assert after.get_json()["links"]["next"] is not None
    body = {k: v for k, v in after.get_json().items() if k != "links"}
    assert body == {k: v for k, v in before.get_json().items() if k != "links"}
    again = client.get(f"/v1/answers/{NEW}", headers={"If-None-Match": f'W/"{NEW}"'})
    assert again.status_code == 304


def test_a_retracted_version_is_gone(client: FlaskClient, auth: dict[str, str]) -> None:
    assert (
        client.delete("/v1/articles/ff251b4db109e584", headers=auth).status_code == 204
    )
    gone = client.get(f"/v1/answers/{NEW}")
    assert gone.status_code == 410
    assert gone.get_json()["type"].endswith("/problems/retracted")
    assert gone.get_json()["retracted_at"]
    # The other versions of the question no longer point at it.
    old = client.get(f"/v1/answers/{OLD}").get_json()
    assert old["links"]["next"] is None
    timemap = client.get(f"/v1/questions/{STAND}/timemap").get_data(as_text=True)
    assert NEW not in timemap and OLD in timemap
    unknown = client.get("/v1/answers/ff251b4db109e584-000000000000")
    assert unknown.status_code == 404


@pytest.mark.parametrize(
    ("day", "match", "expected"),
    [
        ("2026-01-06", "as_of", OLD),
        ("2026-01-08", "as_of", OLD),
        ("2026-02-01", "as_of", NEW),
        ("2026-01-09", "exact", NEW),
        ("2026-01-07", "nearest", OLD),
        ("2026-01-08", "nearest", NEW),
        ("2026-01-01", "nearest", OLD),
        ("2026-03-01", "nearest", NEW),
        ("2026-01-07", "after", NEW),
        ("2026-01-01", "after", OLD),
        ("2026-01-09", "after", NEW),
    ],
)
def test_match_modes(client: FlaskClient, day: str, match: str, expected: str) -> None:
    response = client.get(f"/v1/questions/{STAND}/answers/{day}?match={match}")
    assert response.status_code == 200
    assert response.get_json()["id"] == expected


def test_nearest_breaks_a_tie_toward_the_earlier(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    for day in ("2026-04-01", "2026-04-05"):
        article = make_article(day, "Wer entscheidet?", f"Stand {day}.")
        assert (
            client.post(
                f"/v1/articles?source={day}.txt",
                data=article,
                content_type="text/plain",
                headers=auth,
            ).status_code
            == 201
        )
    tie = client.get("/v1/questions/wer-entscheidet/answers/2026-04-03?match=nearest")
    assert tie.get_json()["published"] == "2026-04-01"


@pytest.mark.parametrize(
    ("day", "match", "kind", "rel", "version", "member"),
    [
        ("2026-01-05", "as_of", "no-answer-yet", "first", OLD, "first_published"),
        ("2026-01-05", "exact", "no-answer-yet", "first", OLD, "first_published"),
        ("2026-01-10", "after", "no-later-answer", "last", NEW, "last_published"),
        ("2026-01-10", "exact", "no-later-answer", "last", NEW, "last_published"),
    ],
)
def test_outside_the_history_is_a_404_that_says_why(
    client: FlaskClient,
    day: str,
    match: str,
    kind: str,
    rel: str,
    version: str,
    member: str,
) -> None:
    response = client.get(f"/v1/questions/{STAND}/answers/{day}?match={match}")
    assert response.status_code == 404
    problem = response.get_json()
    assert problem["type"].endswith(f"/problems/{kind}")
    assert problem[member] == ("2026-01-06" if rel == "first" else "2026-01-09")
    link = links(response.headers["Link"])
    assert link[rel]["uri"] == f"{BASE}/v1/answers/{version}"
    assert "memento" in link


def test_a_gap_inside_the_history_is_a_plain_404(client: FlaskClient) -> None:
    response = client.get(f"/v1/questions/{STAND}/answers/2026-01-08?match=exact")
    assert response.status_code == 404
    assert response.get_json()["type"].endswith("/problems/not-found")
    assert "Link" not in response.headers


def test_latest_links_its_timegate_and_timemap(client: FlaskClient) -> None:
    response = client.get(f"/v1/questions/{STAND}/latest")
    link = links(response.headers["Link"])
    assert link["original"]["uri"] == f"{BASE}/v1/questions/{STAND}/latest"
    assert link["timegate"]["uri"] == f"{BASE}/v1/questions/{STAND}/timegate"
    assert link["timemap"] == {
        "uri": f"{BASE}/v1/questions/{STAND}/timemap",
        "type": "application/link-format",
    }
    assert "Memento-Datetime" not in response.headers
    assert "accept-datetime" not in response.headers.get("Vary", "").lower()


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize(
    ("accept_datetime", "chosen", "prev", "next_"),
    [
        ("Thu, 08 Jan 2026 12:00:00 GMT", OLD, None, NEW),
        ("Fri, 09 Jan 2026 00:00:00 GMT", NEW, OLD, None),
        ("Tue, 06 Jan 2026 00:00:00 GMT", OLD, None, NEW),
        ("Sunday, 01-Mar-26 10:00:00 GMT", NEW, OLD, None),  # RFC 850 dates count
        (None, NEW, OLD, None),
    ],
)
def test_the_timegate_negotiates_on_accept_datetime(
    client: FlaskClient,
    method: str,
    accept_datetime: str | None,
    chosen: str,
    prev: str | None,
    next_: str | None,
) -> None:
    headers = {"Accept-Datetime": accept_datetime} if accept_datetime else {}
    response = client.open(
        f"/v1/questions/{STAND}/timegate", method=method, headers=headers
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"{BASE}/v1/answers/{chosen}"
    assert "accept-datetime" in response.headers["Vary"].lower()
    assert "Memento-Datetime" not in response.headers
    link = links(response.headers["Link"])
    assert link["original"]["uri"] == f"{BASE}/v1/questions/{STAND}/latest"
    assert link["timemap"]["uri"] == f"{BASE}/v1/questions/{STAND}/timemap"
    assert link["first"] == {
        "uri": f"{BASE}/v1/answers/{OLD}",
        "datetime": "Tue, 06 Jan 2026 00:00:00 GMT",
    }
    assert link["last"]["uri"] == f"{BASE}/v1/answers/{NEW}"
    assert link.get("prev", {}).get("uri") == (prev and f"{BASE}/v1/answers/{prev}")
    assert link.get("next", {}).get("uri") == (next_ and f"{BASE}/v1/answers/{next_}")


def test_the_timegate_refuses_what_it_cannot_read(client: FlaskClient) -> None:
    bad = client.get(
        f"/v1/questions/{STAND}/timegate", headers={"Accept-Datetime": "2026-01-08"}
    )
    assert bad.status_code == 400
    assert bad.content_type == "application/problem+json"
    early = client.head(
        f"/v1/questions/{STAND}/timegate",
        headers={"Accept-Datetime": "Mon, 05 Jan 2026 23:59:59 GMT"},
    )
    assert early.status_code == 404
    assert links(early.headers["Link"])["first"]["uri"] == f"{BASE}/v1/answers/{OLD}"
    assert client.get("/v1/questions/unknown/timegate").status_code == 404


def test_a_version_is_a_memento(client: FlaskClient) -> None:
    response = client.get(f"/v1/answers/{OLD}")
    assert response.headers["Memento-Datetime"] == "Tue, 06 Jan 2026 00:00:00 GMT"
    link = links(response.headers["Link"])
    assert link["original"]["uri"] == f"{BASE}/v1/questions/{STAND}/latest"
    assert link["timegate"]["uri"] == f"{BASE}/v1/questions/{STAND}/timegate"
    assert link["first"]["uri"] == f"{BASE}/v1/answers/{OLD}"
    rels = {
        uri: params.split('rel="')[1].split('"')[0].split()
        for uri, params in LINK.findall(response.headers["Link"])
    }
    assert rels[f"{BASE}/v1/answers/{OLD}"] == ["first", "memento"]
    assert rels[f"{BASE}/v1/answers/{NEW}"] == ["last", "next", "memento"]
    assert link["next"]["uri"] == link["last"]["uri"] == f"{BASE}/v1/answers/{NEW}"
    assert "prev" not in link


def test_the_timemap_in_link_format_and_json(client: FlaskClient) -> None:
    plain = client.get(f"/v1/questions/{STAND}/timemap")
    assert plain.status_code == 200
    assert plain.content_type == "application/link-format"
    assert plain.headers["Vary"] == "Accept"
    assert plain.get_data(as_text=True) == (
        f'<{BASE}/v1/questions/{STAND}/latest>; rel="original",\n'
        f'<{BASE}/v1/questions/{STAND}/timegate>; rel="timegate",\n'
        f'<{BASE}/v1/questions/{STAND}/timemap>; rel="self"; '
        'type="application/link-format",\n'
        f'<{BASE}/v1/answers/{OLD}>; rel="first memento"; '
        'datetime="Tue, 06 Jan 2026 00:00:00 GMT",\n'
        f'<{BASE}/v1/answers/{NEW}>; rel="last memento"; '
        'datetime="Fri, 09 Jan 2026 00:00:00 GMT"\n'
    )
    other = client.get(
        f"/v1/questions/{STAND}/timemap", headers={"Accept": "text/html"}
    )
    assert other.content_type == "application/link-format"
    as_json = client.get(
        f"/v1/questions/{STAND}/timemap", headers={"Accept": "application/json"}
    )
    assert as_json.content_type == "application/json"
    timemap = as_json.get_json()
    assert timemap["original"] == f"{BASE}/v1/questions/{STAND}/latest"
    assert timemap["timegate"] == f"{BASE}/v1/questions/{STAND}/timegate"
    assert [m["id"] for m in timemap["mementos"]] == [OLD, NEW]
    assert timemap["first"]["id"] == OLD and timemap["last"]["id"] == NEW
    assert timemap["mementos"][1] == {
        "id": NEW,
        "datetime": "Fri, 09 Jan 2026 00:00:00 GMT",
        "uri": f"{BASE}/v1/answers/{NEW}",
    }
    assert plain.headers["ETag"] != as_json.headers["ETag"]


def test_the_response_cache_never_serves_one_instant_to_another(
    seeded: Flask,
) -> None:
    """A 302 kept for one Accept-Datetime goes to no client that named another."""
    client = seeded.test_client()
    path = f"/v1/questions/{STAND}/timegate"
    asked = [
        ("Thu, 08 Jan 2026 12:00:00 GMT", OLD),
        (None, NEW),
        ("Sat, 10 Jan 2026 12:00:00 GMT", NEW),
        ("Wed, 07 Jan 2026 12:00:00 GMT", OLD),
    ]
    for _ in range(3):  # the second and third rounds are cache hits
        for instant, expected in asked:
            headers = {"Accept-Datetime": instant} if instant else {}
            response = client.get(path, headers=headers)
            assert response.status_code == 302
            assert response.headers["Location"].endswith(expected), instant
    for accept, media_type in (
        ("application/json", "application/json"),
        ("application/link-format", "application/link-format"),
        ("application/json", "application/json"),
    ):
        response = client.get(
            f"/v1/questions/{STAND}/timemap", headers={"Accept": accept}
        )
        assert response.content_type == media_type
