"""The store on SQLite and PostgreSQL: idempotency, order, as-of and exact, delete."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import orjson
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from service.keys import answer_id, article_id
from service.parsing import parse_article
from service.store import queries, schema_is_current
from service.store.ingest import (
    IngestResult,
    Retraction,
    delete_article,
    save_article,
)
from service.store.tables import UNDECLARED, metadata
from tests.conftest import (
    POSTGRES_URL,
    SEEDS,
    answer_on,
    latest_answer,
    list_answers,
    make_article,
)

STAND = "was-ist-der-derzeitige-stand-der-friedensgespraeche_f4e79409f3"


def ingest(engine: sa.Engine, data: bytes, source: str = "t.txt") -> IngestResult:
    with engine.begin() as conn:
        return save_article(
            conn, parse_article(data, source=source), ingested_at=datetime.now(UTC)
        )


def ingest_seeds(engine: sa.Engine) -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        ingest(engine, path.read_bytes(), path.name)


def test_schema_is_current_after_upgrade(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        assert schema_is_current(conn)


def test_migrations_make_what_the_tables_describe(engine: sa.Engine) -> None:
    """Tables, columns and indexes made by the migrations match service/store/tables.py."""
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={"include_object": lambda _o, name, *_: name not in UNDECLARED},
        )
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_a_store_made_before_tombstones_keeps_working(database_url: str) -> None:
    """Articles stored under migration 0003 are live articles after the upgrade."""
    from alembic import command

    from service.store import _alembic_config, make_engine

    engine = make_engine(database_url)
    try:
        command.upgrade(_alembic_config(engine), "0003")
        with engine.begin() as conn:
            for path in sorted(SEEDS.glob("*.txt")):
                parsed = parse_article(path.read_bytes(), source=path.name)
                conn.execute(
                    sa.text(
                        "INSERT INTO articles (id, sha256, source, published,"
                        " ingested_at, parser_version, text) VALUES"
                        " (:id, :sha, :source, :published, :at, '1', :text)"
                    ),
                    {
                        "id": article_id(parsed.sha256),
                        "sha": parsed.sha256,
                        "source": parsed.source,
                        "published": parsed.published,
                        "at": datetime.now(UTC),
                        "text": parsed.text,
                    },
                )
        command.upgrade(_alembic_config(engine), "head")
        with engine.connect() as conn:
            assert queries.counts(conn)["articles"] == 2
            page = queries.list_articles(conn, limit=10)
            assert [a["retracted_at"] for a in page.items] == [None, None]
    finally:
        engine.dispose()


def test_seeds_give_two_articles_four_questions_five_answers(engine: sa.Engine) -> None:
    ingest_seeds(engine)
    with engine.connect() as conn:
        assert queries.counts(conn) == {"articles": 2, "questions": 4, "answers": 5}
        question = queries.find_question(conn, STAND)
        assert question is not None
        dates = [entry["published"] for entry in question["answers"]]
        assert dates == [date(2026, 1, 6), date(2026, 1, 9)]
        in_force = answer_on(conn, STAND, date(2026, 1, 8))
        assert in_force is not None
        assert in_force["published"] == date(2026, 1, 6)
        latest = latest_answer(conn, STAND)
        assert latest is not None
        assert latest["published"] == date(2026, 1, 9)
        assert latest["source"] == "000_80820c57a30bb01b.txt"
        assert answer_on(conn, STAND, date(2026, 1, 5)) is None


def test_ingesting_the_same_text_twice_stores_it_once(engine: sa.Engine) -> None:
    data = (SEEDS / "000_80820c57a30bb01b.txt").read_bytes()
    first = ingest(engine, data)
    again = ingest(engine, data.replace(b"\n", b"\r\n"), "other-name.txt")
    assert first.created and not again.created
    assert first.article_id == again.article_id
    with engine.connect() as conn:
        assert queries.counts(conn) == {"articles": 1, "questions": 2, "answers": 2}


def test_exact_match_only_that_date(engine: sa.Engine) -> None:
    ingest_seeds(engine)
    with engine.connect() as conn:
        assert answer_on(conn, STAND, date(2026, 1, 8), exact=True) is None
        exact = answer_on(conn, STAND, date(2026, 1, 9), exact=True)
        assert exact is not None and exact["published"] == date(2026, 1, 9)


def test_same_date_the_later_ingested_article_wins(engine: sa.Engine) -> None:
    ingest(engine, make_article("2026-03-01", "Wer zahlt?", "Zuerst: die EU."))
    ingest(engine, make_article("2026-03-01", "Wer zahlt?", "Dann: die USA."))
    with engine.connect() as conn:
        latest = latest_answer(conn, "wer-zahlt")
        assert latest is not None and latest["paragraphs"] == ["Dann: die USA."]
        on_day = answer_on(conn, "wer-zahlt", date(2026, 3, 1), exact=True)
        assert on_day is not None and on_day["paragraphs"] == ["Dann: die USA."]
        assert [a["paragraphs"] for a in list_answers(conn, "wer-zahlt")] == [
            ["Zuerst: die EU."],
            ["Dann: die USA."],
        ]


def test_an_older_article_ingested_later_does_not_become_latest(
    engine: sa.Engine,
) -> None:
    ingest(engine, make_article("2026-03-05", "Wer zahlt?", "Neu."))
    ingest(engine, make_article("2026-03-01", "Wer zahlt?", "Alt."))
    with engine.connect() as conn:
        assert latest_answer(conn, "wer-zahlt")["paragraphs"] == ["Neu."]
        question = queries.find_question(conn, "wer-zahlt")
        assert question is not None
        assert (question["first_published"], question["last_published"]) == (
            date(2026, 3, 1),
            date(2026, 3, 5),
        )
        assert question["text"] == "Wer zahlt?"


def test_newest_wording_is_the_question_text(engine: sa.Engine) -> None:
    ingest(engine, make_article("2026-03-01", "Wer zahlt?", "Alt."))
    ingest(engine, make_article("2026-03-05", "WER ZAHLT ?", "Neu."))
    with engine.connect() as conn:
        assert queries.find_question(conn, "wer-zahlt")["text"] == "WER ZAHLT ?"  # type: ignore[index]


def test_heading_without_answer_never_replaces_a_real_answer(engine: sa.Engine) -> None:
    ingest(engine, make_article("2026-03-01", "Wer zahlt?", "Die EU."))
    ingest(engine, make_article("2026-03-09", "Wer zahlt?", "Was nun?", "Abwarten."))
    with engine.connect() as conn:
        assert latest_answer(conn, "wer-zahlt")["paragraphs"] == ["Die EU."]
        assert queries.find_question(conn, "wer-zahlt")["answer_count"] == 1  # type: ignore[index]
        assert queries.counts(conn)["answers"] == 2


def test_question_with_only_headings_without_answer_is_not_listed(
    engine: sa.Engine,
) -> None:
    ingest(engine, make_article("2026-03-01", "Wer zahlt?", "Was nun?", "Abwarten."))
    with engine.connect() as conn:
        listed = [q["id"] for q in queries.list_questions(conn, limit=10).items]
        assert listed == ["was-nun"]
        assert queries.find_question(conn, "wer-zahlt") is None
        article = queries.find_article(
            conn, queries.list_articles(conn, limit=1).items[0]["id"]
        )
        assert article is not None
        assert [r["answer_span"] is None for r in article["records"]] == [True, False]


def test_delete_retracts_answers_and_empties_questions(engine: sa.Engine) -> None:
    ingest_seeds(engine)
    newer_text = (SEEDS / "000_80820c57a30bb01b.txt").read_bytes()
    newer = ingest(engine, newer_text)
    newer_sha256 = hashlib.sha256(newer_text).hexdigest()
    with engine.begin() as conn:
        outcome = delete_article(conn, newer.article_id, deleted_at=datetime.now(UTC))
        assert outcome is Retraction.RETRACTED
    with engine.connect() as conn:
        assert queries.counts(conn) == {"articles": 1, "questions": 3, "answers": 3}
        assert latest_answer(conn, STAND)["published"] == date(2026, 1, 6)
        assert (
            queries.find_question(
                conn, "was-sind-die-grossen-knackpunkte-bei-dem-treffen"
            )
            is None
        )
        assert queries.find_question(conn, STAND)["answer_count"] == 1  # type: ignore[index]
        tombstone = queries.find_article(conn, newer.article_id)
        assert tombstone is not None
        assert tombstone["retracted_at"] is not None
        assert tombstone["records"] == []
        assert tombstone["sha256"] == newer_sha256
        text = queries.article_text(conn, newer.article_id)
        assert text is not None and text["text"] == ""
        ended = conn.execute(
            sa.text("SELECT retracted_answers FROM articles WHERE id = :id"),
            {"id": newer.article_id},
        ).scalar_one()
        assert sorted(
            orjson.loads(ended) if isinstance(ended, str) else ended
        ) == sorted(
            answer_id(newer.article_id, q)
            for q in (STAND, "was-sind-die-grossen-knackpunkte-bei-dem-treffen")
        )
    with engine.begin() as conn:
        again = delete_article(conn, newer.article_id, deleted_at=datetime.now(UTC))
        assert again is Retraction.ALREADY
        missing = delete_article(conn, "0123456789abcdef", deleted_at=datetime.now(UTC))
        assert missing is Retraction.MISSING


def test_reingesting_after_delete_restores(engine: sa.Engine) -> None:
    data = (SEEDS / "000_80820c57a30bb01b.txt").read_bytes()
    first = ingest(engine, data)
    with engine.begin() as conn:
        delete_article(conn, first.article_id, deleted_at=datetime.now(UTC))
    assert ingest(engine, data).created
    with engine.connect() as conn:
        assert queries.counts(conn) == {"articles": 1, "questions": 2, "answers": 2}


def test_a_failed_ingest_leaves_nothing(engine: sa.Engine) -> None:
    parsed = parse_article(
        make_article("2026-03-01", "Wer zahlt?", "Die EU."), source="t"
    )
    with pytest.raises(RuntimeError), engine.begin() as conn:
        save_article(conn, parsed, ingested_at=datetime.now(UTC))
        raise RuntimeError("crash after the writes, before the commit")
    with engine.connect() as conn:
        assert queries.counts(conn) == {"articles": 0, "questions": 0, "answers": 0}


def test_list_questions_pages_by_keyset_and_filters(engine: sa.Engine) -> None:
    ingest_seeds(engine)
    with engine.connect() as conn:
        first = queries.list_questions(conn, limit=3)
        assert len(first.items) == 3 and first.after == (first.items[-1]["id"],)
        rest = queries.list_questions(conn, limit=3, after=first.after[0])
        assert len(rest.items) == 1 and rest.after is None
        ids = [q["id"] for q in first.items + rest.items]
        assert ids == sorted(ids)
        found = queries.list_questions(
            conn, limit=10, key_contains="friedensgespräche"
        ).items
        assert [q["id"] for q in found] == [STAND]
        assert queries.list_questions(conn, limit=10, key_contains="100%_").items == []


def test_list_articles_newest_first(engine: sa.Engine) -> None:
    ingest_seeds(engine)
    with engine.connect() as conn:
        page = queries.list_articles(conn, limit=1)
        assert page.items[0]["published"] == date(2026, 1, 9)
        assert page.items[0]["question_count"] == 2
        assert page.after is not None
        rest = queries.list_articles(conn, limit=1, after=page.after)
        assert rest.items[0]["published"] == date(2026, 1, 6) and rest.after is None


def test_article_text_round_trips(engine: sa.Engine) -> None:
    data = (SEEDS / "002_50c63c787d68af43.txt").read_bytes()
    result = ingest(engine, data)
    with engine.connect() as conn:
        found = queries.article_text(conn, result.article_id)
        assert found is not None
        text, sha256 = found["text"], found["sha256"]
        assert text == data.decode("utf-8")
        assert sha256.startswith(result.article_id)
        latest = latest_answer(conn, STAND)
        assert latest is not None
        span = latest["answer_span"]
        assert latest["paragraphs"][0] in text[span["start"] : span["end"]]
        assert latest["ingested_at"].tzinfo is not None


def test_concurrent_ingest_of_the_same_articles_stores_each_once(
    engine: sa.Engine,
) -> None:
    articles = [
        make_article(
            f"2026-04-{day:02d}", "Wer zahlt?", f"Antwort {day}.", "Was nun?", "Warten."
        )
        for day in range(1, 6)
    ]
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for data in articles:
                ingest(engine, data)
        except BaseException as exc:  # noqa: BLE001 - reported by the assert below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with engine.connect() as conn:
        assert queries.counts(conn) == {"articles": 5, "questions": 2, "answers": 10}
        assert queries.find_question(conn, "wer-zahlt")["answer_count"] == 5  # type: ignore[index]


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="BRIEFING_TEST_DATABASE_URL is not set")
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_upgrades_take_turns_on_postgresql(database_url: str) -> None:
    """While another replica migrates (holds the lock), an upgrade waits for it."""
    from service.store.migrations_lock import MIGRATION_LOCK

    env = {**os.environ, "BRIEFING_DATABASE_URL": database_url}
    engine = sa.create_engine(database_url)
    with engine.connect() as holder:
        holder.execute(
            sa.text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK}
        )
        upgrade = subprocess.Popen(
            [Path(sys.executable).parent / "briefing", "db", "upgrade"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        with pytest.raises(subprocess.TimeoutExpired):
            upgrade.wait(timeout=2)
        holder.execute(
            sa.text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK}
        )
        holder.commit()
        output = upgrade.communicate(timeout=60)[0].decode()
    assert upgrade.returncode == 0, output
    with engine.connect() as conn:
        assert schema_is_current(conn)
    engine.dispose()


def test_a_batch_stores_each_article_once_in_order(engine: sa.Engine) -> None:
    from service.store.ingest import save_articles

    one = parse_article(make_article("2026-03-01", "Wer zahlt?", "Die EU."), source="a")
    two = parse_article(
        make_article("2026-03-02", "Wer zahlt?", "Die USA.", "Was nun?", "Warten."),
        source="b",
    )
    with engine.begin() as conn:
        save_article(conn, one, ingested_at=datetime.now(UTC))
    with engine.begin() as conn:
        outcomes = save_articles(conn, [one, two, two], ingested_at=datetime.now(UTC))
    assert [getattr(o, "created", None) for o in outcomes] == [False, True, False]
    with engine.connect() as conn:
        assert queries.counts(conn) == {"articles": 2, "questions": 2, "answers": 3}
        assert latest_answer(conn, "wer-zahlt")["paragraphs"] == ["Die USA."]
        assert queries.find_question(conn, "wer-zahlt")["answer_count"] == 2  # type: ignore[index]


def test_an_article_failing_in_a_batch_is_rolled_back_alone(
    engine: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from service.store import ingest

    original = ingest._record_rows

    def failing(article_pk, parsed, question_pks):
        if parsed.source == "bad":
            raise sa.exc.IntegrityError(
                "INSERT ...", {}, Exception("UNIQUE constraint failed: x")
            )
        return original(article_pk, parsed, question_pks)

    monkeypatch.setattr(ingest, "_record_rows", failing)
    good = parse_article(
        make_article("2026-03-01", "Wer zahlt?", "Die EU."), source="good"
    )
    bad = parse_article(make_article("2026-03-02", "Was nun?", "Nichts."), source="bad")
    later = parse_article(
        make_article("2026-03-03", "Wer zahlt?", "Die USA."), source="later"
    )
    with engine.begin() as conn:
        outcomes = ingest.save_articles(
            conn, [good, bad, later], ingested_at=datetime.now(UTC)
        )
    assert outcomes[1] == ingest.StoreRefused(
        "the store refused it: UNIQUE constraint failed: x"
    )
    assert [getattr(o, "created", None) for o in outcomes] == [True, None, True]
    with engine.connect() as conn:
        assert queries.counts(conn) == {"articles": 2, "questions": 1, "answers": 2}
        assert queries.find_question(conn, "wer-zahlt")["answer_count"] == 2  # type: ignore[index]


def test_a_failing_database_is_not_a_rejected_article(
    engine: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error of the database itself ends the batch; no article is 'rejected'."""
    from service.store import ingest

    def dead(article_pk, parsed, question_pks):
        raise sa.exc.OperationalError("INSERT ...", {}, Exception("disk I/O error"))

    monkeypatch.setattr(ingest, "_record_rows", dead)
    batch = [
        parse_article(make_article("2026-03-01", "Wer zahlt?", "Die EU."), source="a")
    ]
    with pytest.raises(sa.exc.OperationalError), engine.begin() as conn:
        ingest.save_articles(conn, batch, ingested_at=datetime.now(UTC))
    with engine.connect() as conn:
        assert queries.counts(conn)["articles"] == 0
