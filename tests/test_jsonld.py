"""JSON-LD on a version, a question and `latest`: schema.org and PROV-O, lossless.

A JSON-LD processor (pyld) expands each body with its inline context; a
document loader that refuses every URL proves that nothing is fetched.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pyld import jsonld

from service.store import versions
from tests.conftest import make_article

BASE = "http://localhost"
STAND = "was-ist-der-derzeitige-stand-der-friedensgespraeche_f4e79409f3"
FIRST = "c5e0797645e774ad-49f574809900"
LAST = "ff251b4db109e584-49f574809900"
LD = "application/ld+json"
SCHEMA = "http://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
PATHS = [
    f"/v1/answers/{LAST}",
    f"/v1/questions/{STAND}",
    f"/v1/questions/{STAND}/latest",
]


def refuse(url: str, options: Any = None) -> Any:
    raise AssertionError(f"the JSON-LD processor tried to load {url}")


OPTIONS = {"documentLoader": refuse}


@pytest.fixture
def client(seeded: Flask) -> FlaskClient:
    return seeded.test_client()


def _get_ld(client: FlaskClient, path: str) -> dict[str, Any]:
    response = client.get(path, headers={"Accept": LD})
    assert response.status_code == 200
    assert response.mimetype == LD
    assert response.headers["Vary"] == "Accept"
    body: dict[str, Any] = response.get_json()
    return body


def _triples(document: dict[str, Any]) -> set[tuple[str, str, str]]:
    """The document's RDF statements, objects as IRIs or `value^^datatype`."""
    dataset = jsonld.to_rdf(copy.deepcopy(document), OPTIONS)
    triples = set()
    for quad in dataset["@default"]:
        obj = quad["object"]
        value = obj["value"]
        if obj["type"] == "literal":
            value = f"{value}^^{obj['datatype']}"
        triples.add((quad["subject"]["value"], quad["predicate"]["value"], value))
    return triples


def _without_context(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_context(v) for k, v in value.items() if k != "@context"}
    if isinstance(value, list):
        return [_without_context(item) for item in value]
    return value


@pytest.mark.parametrize("path", PATHS)
def test_expansion_loses_nothing(client: FlaskClient, path: str) -> None:
    """Every key maps to an IRI: compacting the expansion again gives the body back."""
    document = _get_ld(client, path)
    expanded = jsonld.expand(copy.deepcopy(document), OPTIONS)
    assert len(expanded) == 1
    again = jsonld.compact(expanded, {"@context": document["@context"]}, OPTIONS)
    assert _without_context(again) == _without_context(document)
    # And no key of the body is left as a plain name: all of them are IRIs.
    keys: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            keys.update(k for k in node if not k.startswith("@"))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(expanded)
    assert keys and all(key.startswith(("http://", "https://")) for key in keys), keys


def test_a_version_is_a_schema_org_answer_derived_from_its_article(
    client: FlaskClient,
) -> None:
    document = _get_ld(client, f"/v1/answers/{LAST}")
    as_json = client.get(f"/v1/answers/{LAST}").get_json()
    triples = _triples(document)
    answer = f"{BASE}/v1/answers/{LAST}"
    article = f"{BASE}/v1/articles/ff251b4db109e584"
    question = f"{BASE}/v1/questions/{STAND}"
    text = f"{article}/text"
    assert document["@id"] == answer
    for statement in [
        (answer, RDF_TYPE, f"{SCHEMA}Answer"),
        (answer, f"{SCHEMA}dateCreated", f"2026-01-09^^{XSD_DATE}"),
        (answer, f"{SCHEMA}parentItem", question),
        (question, RDF_TYPE, f"{SCHEMA}Question"),
        (answer, f"{SCHEMA}isBasedOn", article),
        (article, RDF_TYPE, f"{SCHEMA}NewsArticle"),
        (article, f"{SCHEMA}datePublished", f"2026-01-09^^{XSD_DATE}"),
        (article, f"{SCHEMA}encoding", text),
        (article, f"{SCHEMA}encoding", f"{article}/raw"),
        (text, f"{SCHEMA}contentUrl", text),
        (answer, f"{PROV}wasDerivedFrom", article),
        (answer, f"{PROV}wasRevisionOf", f"{BASE}/v1/answers/{FIRST}"),
    ]:
        assert statement in triples, statement
    literals = {(s, p): o.rsplit("^^", 1)[0] for s, p, o in triples if "^^" in o}
    assert literals[(answer, f"{SCHEMA}text")] == as_json["text"]
    assert literals[(article, f"{SCHEMA}identifier")] == "ff251b4db109e584"
    provenance = as_json["provenance"]
    assert literals[(text, f"{SCHEMA}sha256")] == provenance["sha256"]
    assert literals[(f"{article}/raw", f"{SCHEMA}sha256")] == provenance["raw_sha256"]
    assert (
        literals[(f"{article}/raw", f"{SCHEMA}encodingFormat")]
        == (provenance["raw_media_type"])
    )
    # The span it quotes, as Web Annotation selectors of the canonical text.
    quoted = next(o for s, p, o in triples if p == f"{PROV}wasQuotedFrom")
    assert (quoted, RDF_TYPE, f"{OA}SpecificResource") in triples
    assert (quoted, f"{OA}hasSource", text) in triples
    selectors = {o for s, p, o in triples if s == quoted and p == f"{OA}hasSelector"}
    kinds = {o for s, p, o in triples if s in selectors and p == RDF_TYPE}
    assert kinds == {f"{OA}TextPositionSelector", f"{OA}TextQuoteSelector"}
    position, quote = provenance["selectors"]
    values = {
        p.removeprefix(OA): o.split("^^")[0] for s, p, o in triples if s in selectors
    }
    assert values["start"] == str(position["start"])
    assert values["end"] == str(position["end"])
    assert values["exact"] == quote["exact"]
    assert values["prefix"] == quote["prefix"]
    assert values["suffix"] == quote["suffix"]


def test_the_first_version_is_a_revision_of_nothing(client: FlaskClient) -> None:
    document = _get_ld(client, f"/v1/answers/{FIRST}")
    assert "prov:wasRevisionOf" not in document
    assert not any(p == f"{PROV}wasRevisionOf" for _, p, _ in _triples(document))


def test_latest_is_the_last_version(client: FlaskClient) -> None:
    latest = _get_ld(client, f"/v1/questions/{STAND}/latest")
    assert latest == _get_ld(client, f"/v1/answers/{LAST}")


def test_a_question_accepts_its_latest_answer(client: FlaskClient) -> None:
    document = _get_ld(client, f"/v1/questions/{STAND}")
    triples = _triples(document)
    question = f"{BASE}/v1/questions/{STAND}"
    first, last = f"{BASE}/v1/answers/{FIRST}", f"{BASE}/v1/answers/{LAST}"
    for statement in [
        (question, RDF_TYPE, f"{SCHEMA}Question"),
        (question, f"{SCHEMA}acceptedAnswer", last),
        (question, f"{SCHEMA}suggestedAnswer", first),
        (question, f"{SCHEMA}dateCreated", f"2026-01-06^^{XSD_DATE}"),
        (question, f"{SCHEMA}dateModified", f"2026-01-09^^{XSD_DATE}"),
        (last, RDF_TYPE, f"{SCHEMA}Answer"),
        (last, f"{PROV}wasRevisionOf", first),
        (last, f"{PROV}wasDerivedFrom", f"{BASE}/v1/articles/ff251b4db109e584"),
        (first, f"{PROV}wasDerivedFrom", f"{BASE}/v1/articles/c5e0797645e774ad"),
        (first, f"{SCHEMA}isBasedOn", f"{BASE}/v1/articles/c5e0797645e774ad"),
    ]:
        assert statement in triples, statement
    assert document["answerCount"] == 2
    assert document["text"] == "Was ist der derzeitige Stand der Friedensgespräche?"


def test_a_question_with_one_answer_suggests_none(client: FlaskClient) -> None:
    questions = client.get("/v1/questions").get_json()["items"]
    single = next(q for q in questions if q["answer_count"] == 1)
    document = _get_ld(client, f"/v1/questions/{single['id']}")
    assert "suggestedAnswer" not in document
    assert "prov:wasRevisionOf" not in document["acceptedAnswer"]


@pytest.mark.parametrize(
    ("accept", "mimetype"),
    [
        (None, "application/json"),
        ("*/*", "application/json"),
        ("application/*", "application/json"),
        ("application/json", "application/json"),
        ("text/html", "application/json"),
        ("application/json, application/ld+json", "application/json"),
        ("application/ld+json", LD),
        ("application/ld+json, application/json;q=0.9", LD),
        ("application/json;q=0.5, application/ld+json", LD),
        ("text/html, application/ld+json;q=0.8, */*;q=0.1", LD),
    ],
)
@pytest.mark.parametrize("path", PATHS)
def test_json_stays_the_default(
    client: FlaskClient, path: str, accept: str | None, mimetype: str
) -> None:
    headers = {"Accept": accept} if accept else {}
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.headers["Vary"] == "Accept"


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every read of a question's versions: a cache miss makes one."""
    seen: list[str] = []
    original: Callable[..., Any] = versions.history

    def counting(*args: Any, **kwargs: Any) -> Any:
        seen.append(args[1])
        return original(*args, **kwargs)

    monkeypatch.setattr(versions, "history", counting)
    return seen


@pytest.mark.parametrize("path", PATHS)
def test_the_response_cache_keeps_the_two_apart(
    client: FlaskClient, calls: list[str], path: str
) -> None:
    as_json = client.get(path)
    as_ld = client.get(path, headers={"Accept": LD})
    assert as_json.mimetype == "application/json" and as_ld.mimetype == LD
    assert as_json.headers["ETag"] != as_ld.headers["ETag"]
    misses = len(calls)
    for _ in range(2):  # now from the cache, each its own
        again_json = client.get(path)
        again_ld = client.get(path, headers={"Accept": LD})
        assert (again_json.mimetype, again_json.get_data()) == (
            "application/json",
            as_json.get_data(),
        )
        assert (again_ld.mimetype, again_ld.get_data()) == (LD, as_ld.get_data())
        assert again_ld.headers["ETag"] == as_ld.headers["ETag"]
    assert len(calls) == misses
    # A copy of one representation is no copy of the other.
    other = client.get(
        path, headers={"Accept": LD, "If-None-Match": as_json.headers["ETag"]}
    )
    assert other.status_code == 200 and other.mimetype == LD
    same = client.get(
        path, headers={"Accept": LD, "If-None-Match": as_ld.headers["ETag"]}
    )
    assert same.status_code == 304 and same.get_data() == b""
    assert same.headers["ETag"] == as_ld.headers["ETag"]
    back = client.get(path, headers={"If-None-Match": as_ld.headers["ETag"]})
    assert back.status_code == 200 and back.mimetype == "application/json"


def test_a_version_s_two_tags_are_weak_and_its_own(client: FlaskClient) -> None:
    as_json = client.get(f"/v1/answers/{LAST}")
    as_ld = client.get(f"/v1/answers/{LAST}", headers={"Accept": LD})
    assert as_json.headers["ETag"] == f'W/"{LAST}"'
    assert as_ld.headers["ETag"] == f'W/"{LAST}.jsonld"'
    assert as_ld.headers["Memento-Datetime"] == as_json.headers["Memento-Datetime"]
    assert as_ld.headers["Link"] == as_json.headers["Link"]


def test_a_new_version_shows_in_json_ld_at_once(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    before = _get_ld(client, f"/v1/questions/{STAND}")
    update = make_article(
        "2026-01-20", "Was ist der derzeitige Stand der Friedensgespräche?", "Neu."
    )
    posted = client.post(
        "/v1/articles?source=n", data=update, content_type="text/plain", headers=auth
    )
    assert posted.status_code == 201
    after = _get_ld(client, f"/v1/questions/{STAND}")
    assert after["acceptedAnswer"]["@id"] != before["acceptedAnswer"]["@id"]
    assert after["acceptedAnswer"]["prov:wasRevisionOf"] == {
        "@id": before["acceptedAnswer"]["@id"]
    }
    assert [a["@id"] for a in after["suggestedAnswer"]] == [
        *(a["@id"] for a in before["suggestedAnswer"]),
        before["acceptedAnswer"]["@id"],
    ]


def test_errors_stay_problems(client: FlaskClient) -> None:
    for path in (
        "/v1/questions/nope_0000000000",
        "/v1/answers/0123456789abcdef-0123456789ab",
    ):
        response = client.get(path, headers={"Accept": LD})
        assert response.status_code == 404
        assert response.content_type == "application/problem+json"
