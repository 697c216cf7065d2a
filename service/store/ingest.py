"""Write path: save parsed articles or retract one. The caller owns the transaction.

Every write locks the question rows it touches (in key order, so writers never
deadlock) before it refreshes their derived columns; a concurrent writer of
the same question therefore sees this one's records once it commits. Each
write also bumps the generation, which tells every response cache that the
data changed. Statements are built once, here: building them costs more than
running them.
"""

from __future__ import annotations

import enum
import functools
import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    bindparam,
    delete,
    exists,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import DataError, IntegrityError

from service.errors import ArticleIdCollision
from service.keys import answer_id, article_id
from service.parsing import PARSER_VERSION, ParsedArticle
from service.store import search
from service.store.tables import articles, generation, questions, records


@dataclass(frozen=True)
class IngestResult:
    article_id: str
    created: bool


@dataclass(frozen=True)
class StoreRefused:
    """Why the store would not keep one article of a batch (the others are kept)."""

    reason: str


@dataclass(frozen=True)
class _Written:
    """What a write did: its results, the questions it touched, whether it changed."""

    results: list[IngestResult]
    questions: frozenset[int]
    created: bool

    def merge(self, other: _Written) -> _Written:
        return _Written(
            [*self.results, *other.results],
            self.questions | other.questions,
            self.created or other.created,
        )


# What makes the store refuse one article and not the whole batch: a clash of
# ids or keys, a value the column cannot hold. A dead database is none of these.
_REFUSALS = (ArticleIdCollision, IntegrityError, DataError)


@functools.cache
def _inserts(dialect_name: str) -> dict[str, Any]:
    """The dialect's INSERT ... ON CONFLICT statements, built on first use.

    Imported then: a SQLite worker has no use for the PostgreSQL dialect's 2 MB.
    """
    dialect = importlib.import_module(f"sqlalchemy.dialects.{dialect_name}")
    return {
        "articles": dialect.insert(articles)
        .on_conflict_do_nothing(index_elements=["id"])
        .returning(articles.c.id, articles.c.pk),
        "questions": dialect.insert(questions).on_conflict_do_nothing(
            index_elements=["key"]
        ),
    }


_STORED_SHA256S = select(
    articles.c.id, articles.c.pk, articles.c.sha256, articles.c.retracted_at
).where(articles.c.id.in_(bindparam("ids", expanding=True)))
_RESTORE_ARTICLE = (
    update(articles)
    .where(articles.c.pk == bindparam("article_pk"))
    .values(
        text=bindparam("text"),
        source=bindparam("source"),
        ingested_at=bindparam("ingested_at"),
        parser_version=bindparam("parser_version"),
        retracted_at=None,
        retracted_answers=None,
    )
)
_LOCK_QUESTIONS = (
    select(questions.c.key, questions.c.pk)
    .where(questions.c.key.in_(bindparam("keys", expanding=True)))
    .order_by(questions.c.key)
    .with_for_update()
)
_INSERT_RECORDS = insert(records)
_BUMP_GENERATION = update(generation).values(value=generation.c.value + 1)

_MINE = records.c.question_pk == questions.c.pk
_ANSWERED = records.c.answer_start.is_not(None)
_HEADING = records.alias("heading")
_REFRESH_QUESTIONS = (
    update(questions)
    .where(questions.c.pk.in_(bindparam("pks", expanding=True)))
    .values(
        # The newest wording: of the latest answer, else of the latest heading.
        # The record is chosen on the index alone; only its row is read.
        text=select(_HEADING.c.question)
        .where(
            _HEADING.c.pk
            == select(records.c.pk)
            .where(_MINE)
            .order_by(
                records.c.answer_start.is_(None),
                records.c.published.desc(),
                records.c.article_pk.desc(),
                records.c.position.desc(),
            )
            .limit(1)
            .correlate(questions)
            .scalar_subquery()
        )
        .scalar_subquery(),
        changed_at=bindparam("changed_at"),
        answer_count=select(func.count()).where(_MINE, _ANSWERED).scalar_subquery(),
        first_published=select(func.min(records.c.published))
        .where(_MINE, _ANSWERED)
        .scalar_subquery(),
        last_published=select(func.max(records.c.published))
        .where(_MINE, _ANSWERED)
        .scalar_subquery(),
    )
)
_FIND_ARTICLE = select(articles.c.pk, articles.c.retracted_at).where(
    articles.c.id == bindparam("id")
)
_ENDED_ANSWERS = (
    select(questions.c.id)
    .join(records, records.c.question_pk == questions.c.pk)
    .where(records.c.article_pk == bindparam("pk"), records.c.answer_start.is_not(None))
    .order_by(records.c.position)
)
_LOCK_ARTICLE_QUESTIONS = (
    select(questions.c.pk)
    .where(
        questions.c.pk.in_(
            select(records.c.question_pk).where(records.c.article_pk == bindparam("pk"))
        )
    )
    .order_by(questions.c.key)
    .with_for_update()
)
_DELETE_RECORDS = delete(records).where(records.c.article_pk == bindparam("pk"))
_TOMBSTONE = (
    update(articles)
    .where(articles.c.pk == bindparam("article_pk"))
    .values(
        text="",
        retracted_at=bindparam("retracted_at"),
        retracted_answers=bindparam("ended"),
    )
)
_DELETE_EMPTY_QUESTIONS = delete(questions).where(
    questions.c.pk.in_(bindparam("pks", expanding=True)),
    ~exists().where(records.c.question_pk == questions.c.pk),
)


def save_article(
    conn: Connection, parsed: ParsedArticle, *, ingested_at: datetime
) -> IngestResult:
    """Store one parsed article; a text already stored writes nothing."""
    written = _save_many(conn, [parsed], ingested_at)
    _finish(conn, written, ingested_at)
    return written.results[0]


def save_articles(
    conn: Connection, batch: Iterable[ParsedArticle], *, ingested_at: datetime
) -> list[IngestResult | StoreRefused]:
    """Store many articles in one transaction, each all or nothing.

    Returns one outcome per article, in order: its result, or why the store
    refused that article (it alone rolled back, the others kept). The whole
    batch is first written with a few multi-row statements; if the store
    refuses it, it is rolled back and each article is written again in a
    savepoint of its own. Derived question columns are refreshed once.

    Raises:
        sqlalchemy.exc.OperationalError (and other DBAPI errors): the database
            itself failed; nothing of the batch is kept.
    """
    batch = list(batch)
    if conn.dialect.name == "sqlite":
        # Bulk writes touch index pages all over a big store: let SQLite keep
        # more of them (64 MiB, allocated as used) than its default 2 MiB, and
        # checkpoint the WAL every 1 GiB rather than 4 MiB, so a hot index page
        # is copied back once per checkpoint, not once per batch (1,000,000
        # answers: 143 s with 100 MiB, 112 s with 1 GiB). `checkpoint` empties
        # the WAL when the load is done.
        conn.exec_driver_sql("PRAGMA cache_size = -65536")
        conn.exec_driver_sql("PRAGMA wal_autocheckpoint = 262144")
    try:
        with conn.begin_nested():
            written = _save_many(conn, batch, ingested_at)
    except _REFUSALS:  # some article cannot be stored: find out which, one by one
        pass
    else:
        _finish(conn, written, ingested_at)
        return list(written.results)
    outcomes: list[IngestResult | StoreRefused] = []
    kept = _Written([], frozenset(), created=False)
    for parsed in batch:
        try:
            with conn.begin_nested():
                one = _save_many(conn, [parsed], ingested_at)
        except _REFUSALS as exc:  # rolled back to the savepoint: report, go on
            outcomes.append(StoreRefused(_reason(exc)))
            continue
        outcomes.extend(one.results)
        kept = kept.merge(one)
    _finish(conn, kept, ingested_at)
    return outcomes


def checkpoint(engine: Engine) -> None:
    """After a bulk load, copy SQLite's WAL into the database file and empty it.

    SQLite does so itself when the last connection closes, but not while a
    running service holds the database open: its readers would search a WAL
    of up to 1 GiB (see save_articles) until some later write checkpoints it.
    PostgreSQL: nothing to do.
    """
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _reason(exc: Exception) -> str:
    if isinstance(exc, ArticleIdCollision):
        return exc.detail
    # The driver's own words, without the statement (it holds the article).
    orig = getattr(exc, "orig", None)
    first = str(orig or exc).strip().splitlines()
    return "the store refused it: " + (first[0] if first else type(exc).__name__)


def _save_many(
    conn: Connection, batch: list[ParsedArticle], ingested_at: datetime
) -> _Written:
    """Write a batch with one statement per table; raise if any article fails."""
    inserts = _inserts(conn.dialect.name)
    ids = [article_id(parsed.sha256) for parsed in batch]
    rows = [
        {
            "id": new_id,
            "sha256": parsed.sha256,
            "source": parsed.source,
            "published": parsed.published,
            "ingested_at": ingested_at,
            "parser_version": PARSER_VERSION,
            "text": parsed.text,
        }
        for new_id, parsed in zip(ids, batch, strict=True)
    ]
    created = dict(conn.execute(inserts["articles"], rows).all()) if rows else {}
    unchanged = [new_id for new_id in ids if new_id not in created]
    if unchanged:
        stored = {
            row.id: row for row in conn.execute(_STORED_SHA256S, {"ids": unchanged})
        }
        for new_id, parsed in zip(ids, batch, strict=True):
            if new_id in created:
                continue
            found = stored.get(new_id)
            if found is None or found.sha256 != parsed.sha256:
                raise ArticleIdCollision(
                    f"another text is stored under article id {new_id}"
                )
            if found.retracted_at is not None:
                # The same text posted again restores a retracted article.
                conn.execute(
                    _RESTORE_ARTICLE,
                    {
                        "article_pk": found.pk,
                        "text": parsed.text,
                        "source": parsed.source,
                        "ingested_at": ingested_at,
                        "parser_version": PARSER_VERSION,
                    },
                )
                created[new_id] = found.pk
    # A text twice in one batch: the first copy is the new one.
    first = {new_id: index for index, new_id in reversed(list(enumerate(ids)))}
    fresh = [
        (created[new_id], parsed)
        for index, (new_id, parsed) in enumerate(zip(ids, batch, strict=True))
        if new_id in created and first[new_id] == index
    ]
    wording = {r.key: (r.question_id, r.question) for _, p in fresh for r in p.records}
    question_pks: dict[str, int] = {}
    if wording:
        keys = sorted(wording)
        conn.execute(
            inserts["questions"],
            [
                {
                    "key": key,
                    "id": wording[key][0],
                    "text": wording[key][1],
                    "answer_count": 0,
                    "changed_at": ingested_at,
                }
                for key in keys
            ],
        )
        question_pks = dict(conn.execute(_LOCK_QUESTIONS, {"keys": keys}).all())
        conn.execute(
            _INSERT_RECORDS,
            [
                row
                for pk, parsed in fresh
                for row in _record_rows(pk, parsed, question_pks)
            ],
        )
    results = [
        IngestResult(new_id, created=new_id in created and first[new_id] == index)
        for index, new_id in enumerate(ids)
    ]
    return _Written(results, frozenset(question_pks.values()), created=bool(fresh))


def _record_rows(
    article_pk: int, parsed: ParsedArticle, question_pks: dict[str, int]
) -> list[dict[str, Any]]:
    return [
        {
            "article_pk": article_pk,
            "position": position,
            "question_pk": question_pks[record.key],
            "published": parsed.published,
            "question": record.question,
            "question_start": record.question_span.start,
            "question_end": record.question_span.end,
            "answer_start": record.answer_span.start if record.answer_span else None,
            "answer_end": record.answer_span.end if record.answer_span else None,
            "paragraphs": list(record.paragraphs),
        }
        for position, record in enumerate(parsed.records)
    ]


class Retraction(enum.Enum):
    """What a DELETE found: an article it retracted, a tombstone, or nothing."""

    RETRACTED = "retracted"
    ALREADY = "already retracted"
    MISSING = "missing"


def delete_article(
    conn: Connection, article_id: str, *, deleted_at: datetime
) -> Retraction:
    """Retract an article: its text and records go, a tombstone stays.

    The tombstone keeps the id, sha256, source and dates, `retracted_at` and the
    ids of the answers it ended; posting the same text again restores it.
    """
    found = conn.execute(_FIND_ARTICLE, {"id": article_id}).first()
    if found is None:
        return Retraction.MISSING
    if found.retracted_at is not None:
        return Retraction.ALREADY
    article_pk = found.pk
    question_pks = (
        conn.execute(_LOCK_ARTICLE_QUESTIONS, {"pk": article_pk}).scalars().all()
    )
    ended = list(
        dict.fromkeys(
            answer_id(article_id, question)
            for question in conn.execute(_ENDED_ANSWERS, {"pk": article_pk}).scalars()
        )
    )
    conn.execute(_DELETE_RECORDS, {"pk": article_pk})
    conn.execute(
        _TOMBSTONE,
        {"article_pk": article_pk, "retracted_at": deleted_at, "ended": ended},
    )
    if question_pks:
        conn.execute(_DELETE_EMPTY_QUESTIONS, {"pks": list(question_pks)})
    _finish(conn, _Written([], frozenset(question_pks), created=True), deleted_at)
    return Retraction.RETRACTED


def _finish(conn: Connection, written: _Written, changed_at: datetime) -> None:
    """Refresh the touched questions' derived columns and index; bump the generation.

    Every write that changed anything bumps it, an article whose questions
    were all known included: the article list and the article itself changed.
    """
    if written.questions:
        conn.execute(
            _REFRESH_QUESTIONS,
            {"pks": sorted(written.questions), "changed_at": changed_at},
        )
        search.sync(conn, written.questions)
    if written.created:
        conn.execute(_BUMP_GENERATION)
