"""/v1/search and /v1/ask on both databases; the index kept in step with writes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from service import create_app
from service.keys import article_id
from service.store import generation_reader, get_engine, upgrade
from tests.conftest import POSTGRES_URL, TOKEN, make_article, postgres_schema

EVAL = Path(__file__).parent.parent / "bench" / "search_eval" / "articles"
STAND = "was-ist-der-derzeitige-stand-der-friedensgespraeche_f4e79409f3"
QUERIES = [
    "friedensgespraeche stand",
    "muss ich die neue grundsteuer schon zahlen",
    "elterngeld antrag frist",
    "Bescheid zur Grundsteuer anfechten",
    "elterngled",
    "wärmepumpenförderung",
    "58 Euro",
    "wie geht es weiter",
    "Wie hoch ist der Rundfunkbeitrag?",
]


@pytest.fixture
def eval_client(app: Flask, runner):
    result = runner.invoke(args=["ingest", str(EVAL)])
    assert result.exit_code == 0, result.output
    return app.test_client()


def _ids(body) -> list[str]:
    return [item["question"]["id"] for item in body["items"]]


def _post(client, auth, text: bytes):
    """Post an article as plain text; assert it was stored anew."""
    created = client.post(
        "/v1/articles", data=text, content_type="text/plain", headers=auth
    )
    assert created.status_code == 201
    return created


def test_search_finds_the_latest_answer_of_each_question(eval_client) -> None:
    response = eval_client.get("/v1/search?q=Stand der Friedensgespräche")
    assert response.status_code == 200
    body = response.get_json()
    assert body["query"] == "Stand der Friedensgespräche"
    assert _ids(body)[0] == STAND
    assert len(set(_ids(body))) == len(_ids(body))
    first = body["items"][0]
    assert first["answer"]["published"] == "2026-01-15"
    assert first["answer"]["links"]["self"].endswith(
        f"/v1/answers/{first['answer']['id']}"
    )
    assert {
        "field": "question",
        "text": "Was ist der derzeitige Stand der <mark>Friedensgespräche</mark>?",
    } in first["highlights"]
    assert response.headers["Cache-Control"].startswith("public")


def test_search_as_of_a_date_reads_the_answers_then_in_force(eval_client) -> None:
    body = eval_client.get("/v1/search?q=Saporischschja&as_of=2025-12-10").get_json()
    assert _ids(body) == [STAND]
    assert body["items"][0]["answer"]["published"] == "2025-12-01"
    assert _ids(eval_client.get("/v1/search?q=Saporischschja").get_json()) == []
    before = eval_client.get("/v1/search?q=Deutschlandticket&as_of=2024-06-01")
    assert before.get_json()["items"] == []


def test_a_generic_heading_is_found_by_its_article(eval_client) -> None:
    body = eval_client.get(
        "/v1/search?q=worum geht es beim heizungsgesetz&as_of=2024-03-01"
    ).get_json()
    assert _ids(body)[0] == "um-was-geht-es"
    assert body["items"][0]["answer"]["published"] == "2024-02-01"


def test_the_lead_names_an_answers_topic_more_than_another_heading(
    client, auth
) -> None:
    # Neither answer names the Stromsteuer: one article's lead is about it,
    # the other asks about it under another heading. Else they tie (and the
    # newer would come first).
    for text in (
        make_article(
            "2026-03-01",
            "Die Stromsteuer sinkt zum Juli.",
            "Wer zahlt weniger?",
            "Betriebe sparen ab Juli.",
        ),
        make_article(
            "2026-03-02",
            "Die Regierung hat den Haushalt beschlossen.",
            "Wer bekommt mehr?",
            "Betriebe bekommen mehr Geld.",
            "Sinkt auch die Stromsteuer?",
            "Nein, sie bleibt.",
        ),
    ):
        _post(client, auth, text)
    ids = _ids(client.get("/v1/search?q=stromsteuer betriebe").get_json())
    assert ids.index("wer-zahlt-weniger") < ids.index("wer-bekommt-mehr")


def test_search_pages_with_a_cursor(eval_client) -> None:
    first = eval_client.get("/v1/search?q=grundsteuer&limit=2")
    body = first.get_json()
    assert len(body["items"]) == 2 and body["next"]
    assert first.headers["Link"] == f'<{body["next"]}>; rel="next"'
    rest = eval_client.get(body["next"]).get_json()
    assert not set(_ids(body)) & set(_ids(rest))
    whole = eval_client.get("/v1/search?q=grundsteuer&limit=100").get_json()
    assert _ids(whole)[: len(_ids(body)) + len(_ids(rest))] == _ids(body) + _ids(rest)


def test_ask_gives_full_answers_or_nothing(eval_client) -> None:
    response = eval_client.get("/v1/ask?q=muss ich die neue grundsteuer schon zahlen")
    assert response.status_code == 200
    matches = response.get_json()["matches"]
    assert 1 <= len(matches) <= 3
    best = matches[0]
    question = best["question"]["id"]
    assert question == "muss-ich-die-neue-grundsteuer-schon-zahlen"
    latest = eval_client.get(f"/v1/questions/{question}/latest").get_json()
    assert best["answer"] == latest
    nothing = eval_client.get("/v1/ask?q=Wie hoch ist der Rundfunkbeitrag?")
    assert nothing.get_json() == {
        "query": "Wie hoch ist der Rundfunkbeitrag?",
        "matches": [],
    }


@pytest.mark.parametrize(
    "asked",
    [
        "wie steht es um die friedensgespräche",
        "wie weit sind die friedensverhandlungen",
        "wie läuft es mit den friedensgesprächen",
    ],
)
def test_words_of_the_kind_of_question_do_not_hide_its_topic(
    seeded: Flask, asked: str
) -> None:
    """ "steht", "weit", "läuft" say how it is asked; the topic is the rest."""
    matches = seeded.test_client().get(f"/v1/ask?q={asked}").get_json()["matches"]
    assert matches and matches[0]["question"]["id"] == (
        "was-ist-der-derzeitige-stand-der-friedensgespraeche_f4e79409f3"
    )


def test_ask_takes_the_topic_from_the_article_when_the_answer_leaves_it_out(
    client, auth
) -> None:
    """A long word only the article's lead names is its topic, held; one that
    nothing names still keeps ask silent."""
    text = make_article(
        "2026-11-20",
        "Die Vogelgrippe breitet sich in Norddeutschland weiter aus.",
        "Ist das Virus für Menschen gefährlich?",
        "Ansteckungen sind sehr selten; das Risiko gilt als gering.",
        "Was sollen Halter von Hühnern tun?",
        "Die Tiere müssen im Stall bleiben.",
    )
    _post(client, auth, text)
    asked = client.get("/v1/ask?q=ist die vogelgrippe für menschen gefährlich")
    matches = asked.get_json()["matches"]
    assert matches
    assert matches[0]["question"]["id"].startswith(
        "ist-das-virus-fuer-menschen-gefaehrlich"
    )
    other = client.get("/v1/ask?q=ist die schweinepest für menschen gefährlich")
    assert other.get_json()["matches"] == []


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/v1/search?q=", "q"),
        ("/v1/search", "q"),
        ("/v1/search?q=" + "x" * 251, "q"),
        ("/v1/search?q=a%00b", "q"),
        ("/v1/search?q=rente&as_of=2026-02-30", "as_of"),
        ("/v1/search?q=rente&limit=0", "limit"),
        ("/v1/search?q=rente&limit=101", "limit"),
        ("/v1/search?q=rente&cursor=WyJ4Il0", "cursor"),
        ("/v1/search?q=rente&cursor=Wy0xXQ", "cursor"),
        ("/v1/ask?q=", "q"),
        ("/v1/ask?q=rente&as_of=gestern", "as_of"),
    ],
)
def test_bad_input_is_a_validation_problem(client, path: str, parameter: str) -> None:
    response = client.get(path)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"][0]["parameter"] == parameter


def test_stop_words_alone_find_nothing(client) -> None:
    assert client.get("/v1/search?q=was ist das").get_json()["items"] == []
    assert client.get("/v1/ask?q=und").get_json()["matches"] == []


def test_the_index_follows_ingest_retraction_and_restore(client, auth) -> None:
    text = make_article(
        "2026-02-01", "Was kostet die Hundesteuer?", "In Berlin 120 Euro im Jahr."
    )
    article = _post(client, auth, text).get_json()["id"]
    found = client.get("/v1/search?q=hundesteuer").get_json()
    assert _ids(found) == ["was-kostet-die-hundesteuer"]
    assert client.delete(f"/v1/articles/{article}", headers=auth).status_code == 204
    assert client.get("/v1/search?q=hundesteuer").get_json()["items"] == []
    _post(client, auth, text)
    assert _ids(client.get("/v1/search?q=hundesteuer").get_json()) == [
        "was-kostet-die-hundesteuer"
    ]


def test_a_new_version_replaces_the_old_one_in_search(client, auth) -> None:
    for day, answer in (
        ("2026-02-01", "Noch offen."),
        ("2026-02-05", "Die Einigung steht."),
    ):
        text = make_article(day, "Wie steht es um die Tarifrunde?", answer)
        _post(client, auth, text)
    body = client.get("/v1/search?q=tarifrunde").get_json()
    assert [i["answer"]["published"] for i in body["items"]] == ["2026-02-05"]
    assert (
        client.get("/v1/search?q=einigung").get_json()["items"][0]["answer"][
            "published"
        ]
        == "2026-02-05"
    )
    assert client.get("/v1/search?q=offen").get_json()["items"] == []
    old = client.get("/v1/search?q=offen&as_of=2026-02-03").get_json()
    assert [i["answer"]["published"] for i in old["items"]] == ["2026-02-01"]


def _documents(engine: sa.Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT * FROM search_docs ORDER BY record_pk"))
        return [tuple(row) for row in rows]


def test_index_rebuild_gives_the_same_results(app, eval_client, runner) -> None:
    # The ingest's documents were analysed in its parser processes; the
    # rebuild analyses what is stored: the same documents, the same results.
    with app.app_context():
        engine = get_engine()
    ingested = _documents(engine)
    before = [
        eval_client.get("/v1/search", query_string={"q": q}).get_json() for q in QUERIES
    ]
    result = runner.invoke(args=["index", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "search index rebuilt: 59 answers" in result.output
    assert _documents(engine) == ingested
    after = [
        eval_client.get("/v1/search", query_string={"q": q}).get_json() for q in QUERIES
    ]
    assert after == before


def _results(url: str, tmp_path: Path) -> list[object]:
    app = create_app({"TESTING": True, "DATABASE_URL": url, "API_TOKENS": (TOKEN,)})
    try:
        with app.app_context():
            upgrade(get_engine())
        assert app.test_cli_runner().invoke(args=["ingest", str(EVAL)]).exit_code == 0
        client = app.test_client()
        out: list[object] = []
        for q in QUERIES:
            for as_of in (None, "2025-06-01"):
                args = {"q": q, **({"as_of": as_of} if as_of else {})}
                out.append(client.get("/v1/search", query_string=args).get_json())
                out.append(client.get("/v1/ask", query_string=args).get_json())
        timeless: list[object] = _timeless(out)
        return timeless
    finally:
        generation_reader(app).close()
        with app.app_context():
            get_engine().dispose()


def _timeless(value):
    if isinstance(value, dict):
        return {k: "" if k == "ingested_at" else _timeless(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_timeless(v) for v in value]
    return value


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="BRIEFING_TEST_DATABASE_URL is not set")
def test_sqlite_and_postgresql_give_the_same_results(tmp_path: Path) -> None:
    on_sqlite = _results(f"sqlite:///{tmp_path / 'a.sqlite3'}", tmp_path)
    with postgres_schema() as url:
        on_postgres = _results(url, tmp_path)
    assert on_postgres == on_sqlite
    assert any(body.get("items") for body in on_sqlite if isinstance(body, dict))


def test_the_index_is_a_migration_of_its_own(engine: sa.Engine) -> None:
    names = sa.inspect(engine).get_table_names()
    assert {"search_docs", "search_terms"} <= set(names)


def _index(
    engine: sa.Engine,
) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    with engine.connect() as conn:
        terms = conn.execute(
            sa.text("SELECT term, df FROM search_terms WHERE df > 0 ORDER BY term")
        )
        return _documents(engine), [tuple(row) for row in terms]


def test_writes_in_any_order_keep_the_index_a_rebuild_would_make(engine) -> None:
    # Answers arrive out of date order, twice in one batch and one by one; an
    # article is retracted, another restored: after each write the index kept
    # in step is exactly the one a rebuild makes from what is stored.
    from service.parsing import parse_article
    from service.store import search
    from service.store.ingest import delete_article, save_articles

    def parsed(day: str, *blocks: str):
        return parse_article(make_article(day, *blocks), source=f"{day}.txt")

    march = parsed("2026-03-05", "Wer zahlt die Grundsteuer?", "Die Eigentümer.")
    early = parsed("2026-03-01", "Wer zahlt die Grundsteuer?", "Noch offen.")
    both = parsed(
        "2026-03-03",
        "Wer zahlt die Grundsteuer?",
        "Die Mieter über die Nebenkosten.",
        "Wann kommt der Bescheid?",
        "Im Sommer.",
        "Wer zahlt die Grundsteuer?",
        "Am Ende die Mieter.",
    )
    later = parsed("2026-03-09", "Wann kommt der Bescheid?", "Im Herbst.")
    now = datetime.now(UTC)
    writes = [
        lambda conn: save_articles(conn, [march], ingested_at=now),
        lambda conn: save_articles(conn, [early, both, later, both], ingested_at=now),
        lambda conn: delete_article(conn, article_id(later.sha256), deleted_at=now),
        lambda conn: delete_article(conn, article_id(march.sha256), deleted_at=now),
        lambda conn: save_articles(conn, [march], ingested_at=now),
        lambda conn: save_articles(conn, [later, early], ingested_at=now),
    ]
    for write in writes:
        with engine.begin() as conn:
            write(conn)
        kept = _index(engine)
        with engine.begin() as conn:
            search.rebuild(conn)
        assert _index(engine) == kept
        # ... and each question names its latest answer, which a search looks at.
        with engine.connect() as conn:
            named = dict(
                conn.execute(sa.text("SELECT pk, latest_pk FROM questions")).all()
            )
            answers = conn.execute(
                sa.text(
                    "SELECT question_pk, published, article_pk, position, pk"
                    " FROM records WHERE answer_start IS NOT NULL"
                )
            ).all()
        newest = {question: pk for question, *_, pk in sorted(answers)}
        assert named == {question: newest.get(question) for question in named}


def test_the_latest_flag_moves_to_the_questions_and_back(app, eval_client) -> None:
    # Migration 0008 names each question's latest answer on the question, not
    # by a flag on every document: down and up again, the same results.
    from alembic import command

    from service.store import _alembic_config, search

    with app.app_context():
        engine = get_engine()

    def results() -> list[list[tuple[float, int]]]:
        with engine.connect() as conn:
            found = [search.search(conn, q).ranked for q in QUERIES]
        return [[(score, doc.record_pk) for score, doc in ranked] for ranked in found]

    def named() -> set[int]:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT latest_pk FROM questions")).scalars()
            return {pk for pk in rows if pk is not None}

    before, latest = results(), named()
    assert any(before) and latest
    config = _alembic_config(engine)
    command.downgrade(config, "0007")
    with engine.connect() as conn:
        flagged = conn.execute(
            sa.text("SELECT record_pk FROM search_docs WHERE latest")
        ).scalars()
        assert set(flagged) == latest
    command.upgrade(config, "head")
    assert named() == latest
    assert results() == before


def test_a_store_from_before_the_index_gets_it_by_the_upgrade(app, eval_client) -> None:
    # The last migration to change the documents indexes what is stored.
    from alembic import command

    from service.store import _alembic_config

    with app.app_context():
        engine = get_engine()
    before = _index(engine)
    assert before[0]
    config = _alembic_config(engine)
    command.downgrade(config, "0006")
    assert "search_docs" not in sa.inspect(engine).get_table_names()
    command.upgrade(config, "head")
    assert _index(engine) == before


def test_other_forms_of_a_verb_and_the_parts_of_a_compound_are_found(
    client, auth
) -> None:
    for text in (
        make_article(
            "2026-03-01",
            "Wie lange ist die Riedbahn gesperrt?",
            "Die Strecke zwischen Frankfurt und Mannheim bleibt bis Dezember gesperrt.",
            "Was kosten die Kassenbeiträge?",
            "Die Kassenbeiträge liegen im Schnitt bei 17,5 Prozent des Lohns.",
        ),
        make_article(
            "2026-03-02",
            "Was zahlen Versicherte an ihre Kasse?",
            "Die Beiträge an die Kasse teilen sich Arbeitgeber und Beschäftigte.",
        ),
    ):
        _post(client, auth, text)
    # "Sperrung" is the noun of "gesperrt": a long word ask must find held.
    matches = client.get("/v1/ask?q=sperrung riedbahn").get_json()["matches"]
    assert matches
    assert matches[0]["question"]["id"].startswith("wie-lange-ist-die-riedbahn")
    # A stored compound also finds its two parts apart, below itself.
    found = _ids(client.get("/v1/search?q=Kassenbeiträge").get_json())
    assert found[0].startswith("was-kosten-die-kassenbeitraege")
    assert any(id_.startswith("was-zahlen-versicherte") for id_ in found[1:])
