"""The change log: written with every write, read as pages and as an Atom feed."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Any

import feedparser
import pytest
import sqlalchemy as sa
from alembic import command
from flask import Flask

from service.keys import answer_id, article_id
from service.parsing import parse_article
from service.store import _alembic_config, changes, ingest
from tests.conftest import POSTGRES_URL, TOKEN, make_article, postgres_schema

STAND = "was-ist-der-derzeitige-stand-der-friedensgespraeche_f4e79409f3"
OLD = "c5e0797645e774ad-49f574809900"
NEW = "ff251b4db109e584-49f574809900"
WHO = "wer-zahlt"


def _events(engine: sa.Engine, after: int = 0) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [
            dict(e) for e in changes.list_changes(conn, after=after, limit=1000).items
        ]


def _save(engine: sa.Engine, text: bytes, source: str = "a.txt") -> str:
    parsed = parse_article(text, source=source)
    with engine.begin() as conn:
        ingest.save_article(conn, parsed, ingested_at=datetime.now(UTC))
    return article_id(parsed.sha256)


def _brief(events: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (e["type"], e["question_id"], e["change"] and e["change"]["kind"])
        for e in events
    ]


def test_every_write_appends_its_events_and_nothing_else_does(
    engine: sa.Engine,
) -> None:
    first = _save(engine, make_article("2026-03-01", "Wer zahlt?", "Die EU."))
    assert _brief(_events(engine)) == [
        ("article_added", None, None),
        ("answer_added", WHO, "first"),
    ]
    seen = len(_events(engine))
    _save(engine, make_article("2026-03-01", "Wer zahlt?", "Die EU."))
    assert len(_events(engine)) == seen  # already stored: nothing written

    revised = _save(
        engine,
        make_article("2026-03-02", "Wer zahlt?", "Die EU und der Bund."),
        source="b.txt",
    )
    _save(
        engine,
        make_article(
            "2026-03-03", "Wer zahlt?", "Die EU und der Bund.", "Wann?", "Bald."
        ),
        source="c.txt",
    )
    later = _events(engine, after=seen)
    assert _brief(later) == [
        ("article_added", None, None),
        ("answer_added", WHO, "revised"),
        ("article_added", None, None),
        ("answer_added", WHO, "unchanged"),
        ("answer_added", "wann", "first"),
    ]
    assert later[1]["answer_id"] == answer_id(revised, WHO)
    assert later[1]["change"]["previous"] == answer_id(first, WHO)
    assert 0 < later[1]["change"]["similarity"] < 1
    assert later[3]["change"] == {
        "kind": "unchanged",
        "previous": answer_id(revised, WHO),
        "similarity": 1.0,
    }
    ids = [event["id"] for event in _events(engine)]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)

    seen = ids[-1]
    with engine.begin() as conn:
        ingest.delete_article(conn, revised, deleted_at=datetime.now(UTC))
    with engine.begin() as conn:  # already retracted: nothing written
        ingest.delete_article(conn, revised, deleted_at=datetime.now(UTC))
    retracted = _events(engine, after=seen)
    assert _brief(retracted) == [("article_retracted", None, None)]
    assert retracted[0]["article_id"] == revised
    assert retracted[0]["ended"] == [answer_id(revised, WHO)]

    # The revised answer is gone: nothing is left to compare it with.
    logged = [e["change"] for e in _events(engine) if e["type"] == "answer_added"]
    assert logged[1] == {
        "kind": "revised",
        "previous": answer_id(first, WHO),
        "similarity": None,
    }

    assert (
        _save(
            engine,
            make_article("2026-03-02", "Wer zahlt?", "Die EU und der Bund."),
            "b.txt",
        )
        == revised
    )
    restored = _events(engine, after=retracted[0]["id"])
    assert _brief(restored) == [
        ("article_added", None, None),
        ("answer_added", WHO, "revised"),
    ]
    assert restored[1]["change"]["previous"] == answer_id(first, WHO)


def test_an_article_that_asks_twice_adds_one_answer(engine: sa.Engine) -> None:
    _save(
        engine, make_article("2026-03-01", "Wer zahlt?", "Die EU.", "Wer zahlt?", "Ja.")
    )
    assert _brief(_events(engine)) == [
        ("article_added", None, None),
        ("answer_added", WHO, "first"),
    ]


def test_a_failed_write_logs_nothing(engine: sa.Engine) -> None:
    parsed = parse_article(
        make_article("2026-03-01", "Wer zahlt?", "Die EU."), source="a"
    )
    with pytest.raises(RuntimeError), engine.begin() as conn:
        ingest.save_article(conn, parsed, ingested_at=datetime.now(UTC))
        raise RuntimeError("the transaction rolls back")
    assert _events(engine) == []


def test_a_migrated_store_gets_its_history_as_events(
    engine: sa.Engine, seeded: Flask
) -> None:
    """Downgrade to the store before the log, upgrade again: the same events."""
    logged = _events(engine)
    config = _alembic_config(engine)
    command.downgrade(config, "0004")
    command.upgrade(config, "head")
    rebuilt = _events(engine)
    # One batch wrote both seeds; the backfill tells them one article at a time.
    key = lambda e: (e["type"], e["article_id"], e["answer_id"])  # noqa: E731
    assert sorted(map(key, rebuilt)) == sorted(map(key, logged))
    by_answer = {e["answer_id"]: e["change"] for e in rebuilt if e["answer_id"]}
    assert by_answer[NEW]["kind"] == "revised"
    assert by_answer[NEW]["previous"] == OLD
    assert by_answer[OLD]["kind"] == "first"


def test_changes_are_pages_that_end_in_a_url_to_poll(seeded: Flask) -> None:
    client = seeded.test_client()
    everything = client.get("/v1/changes?limit=1000").get_json()["items"]
    assert {e["type"] for e in everything} == {"article_added", "answer_added"}
    read: list[dict[str, Any]] = []
    url = "/v1/changes?limit=3"
    while True:
        response = client.get(url)
        assert response.status_code == 200
        page = response.get_json()
        assert response.headers["Link"] == f'<{page["next"]}>; rel="next"'
        read += page["items"]
        url = page["next"]
        if not page["items"]:
            break
    assert read == everything
    revised = next(e for e in read if e["answer_id"] == NEW)
    assert revised["change"]["previous"] == OLD
    assert revised["links"]["answer"].endswith(f"/v1/answers/{NEW}")

    # The last page's next is where new events appear.
    poll = url
    response = client.post(
        "/v1/articles",
        data=make_article("2026-02-01", "Wer zahlt?", "Die EU."),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/plain"},
    )
    assert response.status_code == 201
    fresh = client.get(poll).get_json()["items"]
    assert [e["type"] for e in fresh] == ["article_added", "answer_added"]
    assert fresh[0]["id"] == read[-1]["id"] + 1


@pytest.mark.parametrize(
    "query",
    ["cursor=nope!", "cursor=WyJ4Il0", "limit=0", "limit=1001", "limit=x"],
)
def test_bad_change_queries_are_problems(seeded: Flask, query: str) -> None:
    response = seeded.test_client().get(f"/v1/changes?{query}")
    assert response.status_code in (400, 422)
    assert response.content_type == "application/problem+json"


def test_the_atom_feed_parses_with_feedparser(seeded: Flask) -> None:
    client = seeded.test_client()
    response = client.get("/v1/changes.atom")
    assert response.status_code == 200
    assert response.content_type == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    answers = [
        e
        for e in client.get("/v1/changes?limit=1000").get_json()["items"]
        if e["type"] == "answer_added"
    ]
    assert len(feed.entries) == len(answers)
    newest_first = list(reversed(answers))
    for entry, event in zip(feed.entries, newest_first, strict=True):
        answer = client.get(f"/v1/answers/{event['answer_id']}").get_json()
        assert entry.title == answer["question"]
        assert entry.link == event["links"]["answer"]
        assert entry.content[0].value == answer["text"]
        written = datetime.fromisoformat(event["at"])
        updated = datetime(*entry.updated_parsed[:6]).replace(tzinfo=UTC)
        assert updated == written.replace(microsecond=0)
    stand = next(e for e in feed.entries if e.link.endswith(NEW))
    assert stand.summary == "Neue Fassung"
    assert {e.id for e in feed.entries} == {
        e.id
        for e in feedparser.parse(
            client.get("/v1/changes.atom", base_url="https://elsewhere.example").data
        ).entries
    }


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="BRIEFING_TEST_DATABASE_URL is not set")
def test_postgresql_writers_make_their_events_visible_in_id_order() -> None:
    """A writer that commits first while another is open gets the larger ids.

    Writer A holds its transaction open after logging; writer B, on another
    connection, must wait for A before it draws ids. Were B's ids drawn first
    and committed, a poller would read past A's smaller ids before A commits.
    """
    with postgres_schema() as url:
        engine = sa.create_engine(url)
        from service.store import upgrade

        upgrade(engine)
        a = parse_article(make_article("2026-03-01", "Wer zahlt?", "A."), source="a")
        b = parse_article(make_article("2026-03-02", "Wann?", "B."), source="b")
        b_done = threading.Event()

        def write_b() -> None:
            with engine.begin() as conn:
                ingest.save_article(conn, b, ingested_at=datetime.now(UTC))
            b_done.set()

        try:
            with engine.begin() as conn_a:
                ingest.save_article(conn_a, a, ingested_at=datetime.now(UTC))
                writer = threading.Thread(target=write_b)
                writer.start()
                assert not b_done.wait(1.0), "B committed while A was open"
                assert _events(engine) == []  # nothing of either is visible yet
            writer.join(10)
            assert b_done.is_set()
            logged = _events(engine)
            assert [e["article_id"] for e in logged] == [
                article_id(a.sha256),
                article_id(a.sha256),
                article_id(b.sha256),
                article_id(b.sha256),
            ]
        finally:
            engine.dispose()


def test_two_replicas_writing_at_once_never_hide_an_event_from_a_poller(
    tmp_path: Any, request: pytest.FixtureRequest
) -> None:
    """Posts to two gunicorn replicas on one PostgreSQL, a poller following next."""
    if not POSTGRES_URL:
        pytest.skip("BRIEFING_TEST_DATABASE_URL is not set")
    import orjson

    from tests.test_faults import briefing, briefing_env, call, post_article, serving

    with postgres_schema() as url:
        # Four writers of one question queue on its row lock: on a loaded
        # machine the last may wait longer than the default 2 s, and get a
        # 503 as it should. What is tested here is the order, not the wait.
        env = briefing_env(url, BRIEFING_DB_TIMEOUT="20")
        assert briefing(env, "db", "upgrade").returncode == 0
        with (
            serving(env, tmp_path, "a") as first,
            serving(env, tmp_path, "b") as second,
        ):
            seen: list[int] = []
            stop = threading.Event()

            def poll() -> None:
                path = "/v1/changes?limit=7"
                rounds_after_stop = 0
                while rounds_after_stop < 2:
                    reply = call(first.url, "GET", path)
                    assert reply.status == 200, reply
                    page = orjson.loads(reply.body)
                    seen.extend(e["id"] for e in page["items"])
                    path = "/" + page["next"].split("/", 3)[3]
                    if not page["items"] and stop.is_set():
                        rounds_after_stop += 1

            statuses: list[int] = []
            busy: list[dict[str, Any]] = []

            def write(base: str, writer: int) -> None:
                for i in range(25):
                    day = f"2026-{(i % 12) + 1:02d}-{(i % 28) + 1:02d}"
                    text = make_article(day, "Wer zahlt?", f"{writer}: Nummer {i}.")
                    reply = post_article(base, text)
                    # A 503 says "try again" (Retry-After), as a client would;
                    # what is tested is that no event is hidden, not the wait.
                    for _ in range(3):
                        if reply.status != 503:
                            break
                        busy.append(reply.problem())
                        time.sleep(0.5)
                        reply = post_article(base, text)
                    statuses.append(reply.status)

            poller = threading.Thread(target=poll)
            poller.start()
            writers = [
                threading.Thread(target=write, args=(server.url, writer))
                for writer, server in enumerate((first, second, first, second))
            ]
            for writer in writers:
                writer.start()
            for writer in writers:
                writer.join(120)
            time.sleep(0.2)
            stop.set()
            poller.join(60)
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            stored = list(
                conn.execute(sa.text("SELECT id FROM changes ORDER BY id")).scalars()
            )
        engine.dispose()
    assert statuses == [201] * 100, busy
    assert all(problem["status"] == 503 for problem in busy)
    assert len(stored) == 100 * 2
    assert seen == stored  # each event once, in order, none skipped
