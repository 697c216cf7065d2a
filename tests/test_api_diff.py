"""GET /v1/questions/{id}/diff on both databases."""

from __future__ import annotations

from flask import Flask

STAND = "was-ist-der-derzeitige-stand-der-friedensgespraeche_f4e79409f3"
OLD = "c5e0797645e774ad-49f574809900"
NEW = "ff251b4db109e584-49f574809900"


def _texts(client, question, version):
    return client.get(f"/v1/answers/{version}").get_json()["text"]


def test_the_seed_questions_diff_rebuilds_both_answers(seeded: Flask) -> None:
    client = seeded.test_client()
    response = client.get(f"/v1/questions/{STAND}/diff")
    assert response.status_code == 200
    diff = response.get_json()
    assert diff["question_id"] == STAND
    assert diff["from"] == {"id": OLD, "published": "2026-01-06"}
    assert diff["to"] == {"id": NEW, "published": "2026-01-09"}
    assert (
        diff["similarity"]
        == client.get(f"/v1/answers/{NEW}").get_json()["change"]["similarity"]
    )
    old, new = _texts(client, STAND, OLD), _texts(client, STAND, NEW)
    assert "".join(op["from"]["text"] for op in diff["ops"] if op["from"]) == old
    assert "".join(op["to"]["text"] for op in diff["ops"] if op["to"]) == new
    kinds = {op["op"] for op in diff["ops"]}
    assert {"equal", "replace"} <= kinds  # words changed, not everything
    replaced = [
        (op["from"]["text"], op["to"]["text"])
        for op in diff["ops"]
        if op["op"] == "replace"
    ]
    assert ("einer", "der") in replaced
    dated = client.get(f"/v1/questions/{STAND}/diff?from=2026-01-07&to=2026-01-10")
    assert dated.get_json() == diff


def test_the_same_version_twice_is_all_equal(seeded: Flask) -> None:
    client = seeded.test_client()
    response = client.get(f"/v1/questions/{STAND}/diff?from=2026-01-06&to=2026-01-08")
    assert response.status_code == 200
    assert [op["op"] for op in response.get_json()["ops"]] == ["equal"]
    assert response.get_json()["similarity"] == 1.0


def test_diff_edges_are_problems(seeded: Flask) -> None:
    client = seeded.test_client()
    nothing_before = client.get(f"/v1/questions/{STAND}/diff?to=2026-01-06")
    assert nothing_before.status_code == 404
    too_early = client.get(f"/v1/questions/{STAND}/diff?from=2026-01-01")
    assert too_early.status_code == 404
    assert too_early.get_json()["type"].endswith("/problems/no-answer-yet")
    bad = client.get(f"/v1/questions/{STAND}/diff?to=someday")
    assert bad.status_code == 422
    assert bad.get_json()["errors"][0]["parameter"] == "to"
    assert client.get("/v1/questions/unknown/diff").status_code == 404
