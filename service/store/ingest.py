"""Write path: save a parsed article or retract one. The caller owns the transaction.

Every write locks the question rows it touches (in key order, so writers never
deadlock) before it refreshes their derived columns; a concurrent writer of
the same question therefore sees this one's records once it commits.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Table, delete, exists, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from service.errors import ArticleIdCollision
from service.keys import article_id
from service.parsing import PARSER_VERSION, ParsedArticle
from service.store.tables import articles, generation, questions, records


@dataclass(frozen=True)
class IngestResult:
    article_id: str
    created: bool


def save_article(
    conn: Connection, parsed: ParsedArticle, *, ingested_at: datetime
) -> IngestResult:
    """Store one parsed article; a text already stored writes nothing."""
    new_id = article_id(parsed.sha256)
    article_pk = conn.execute(
        _insert_ignoring(conn, articles, "id")
        .values(
            id=new_id,
            sha256=parsed.sha256,
            source=parsed.source,
            published=parsed.published,
            ingested_at=ingested_at,
            parser_version=PARSER_VERSION,
            text=parsed.text,
        )
        .returning(articles.c.pk)
    ).scalar()
    if article_pk is None:
        stored = conn.execute(
            select(articles.c.sha256).where(articles.c.id == new_id)
        ).scalar()
        if stored != parsed.sha256:
            raise ArticleIdCollision(
                f"another text is stored under article id {new_id}; this one cannot be"
            )
        return IngestResult(new_id, created=False)

    wording = {
        record.key: (record.question_id, record.question) for record in parsed.records
    }
    conn.execute(
        _insert_ignoring(conn, questions, "key"),
        [
            {
                "key": key,
                "id": qid,
                "text": text,
                "answer_count": 0,
                "changed_at": ingested_at,
            }
            for key, (qid, text) in sorted(wording.items())
        ],
    )
    question_pks = dict(
        conn.execute(
            select(questions.c.key, questions.c.pk)
            .where(questions.c.key.in_(sorted(wording)))
            .order_by(questions.c.key)
            .with_for_update()
        ).all()
    )
    conn.execute(
        insert(records),
        [
            {
                "article_pk": article_pk,
                "position": position,
                "question_pk": question_pks[record.key],
                "published": parsed.published,
                "question": record.question,
                "question_start": record.question_span.start,
                "question_end": record.question_span.end,
                "answer_start": record.answer_span.start
                if record.answer_span
                else None,
                "answer_end": record.answer_span.end if record.answer_span else None,
                "paragraphs": list(record.paragraphs),
            }
            for position, record in enumerate(parsed.records)
        ],
    )
    _refresh_questions(conn, question_pks.values(), changed_at=ingested_at)
    _bump_generation(conn)
    return IngestResult(new_id, created=True)


def delete_article(conn: Connection, article_id: str, *, deleted_at: datetime) -> bool:
    """Retract an article and its answers; False when no such article exists."""
    article_pk = conn.execute(
        select(articles.c.pk).where(articles.c.id == article_id)
    ).scalar()
    if article_pk is None:
        return False
    question_pks = (
        conn.execute(
            select(questions.c.pk)
            .where(
                questions.c.pk.in_(
                    select(records.c.question_pk).where(
                        records.c.article_pk == article_pk
                    )
                )
            )
            .order_by(questions.c.key)
            .with_for_update()
        )
        .scalars()
        .all()
    )
    conn.execute(delete(records).where(records.c.article_pk == article_pk))
    conn.execute(delete(articles).where(articles.c.pk == article_pk))
    conn.execute(
        delete(questions).where(
            questions.c.pk.in_(question_pks),
            ~exists().where(records.c.question_pk == questions.c.pk),
        )
    )
    _refresh_questions(conn, question_pks, changed_at=deleted_at)
    _bump_generation(conn)
    return True


def _bump_generation(conn: Connection) -> None:
    """Tell every cache that the data changed (commits with the write)."""
    conn.execute(update(generation).values(value=generation.c.value + 1))


def _refresh_questions(
    conn: Connection, question_pks: Collection[int], *, changed_at: datetime
) -> None:
    """Recompute the derived columns of these questions from their records."""
    if not question_pks:
        return
    mine = records.c.question_pk == questions.c.pk
    answered = records.c.answer_start.is_not(None)
    newest_wording = (
        select(records.c.question)
        .where(mine)
        .order_by(
            records.c.answer_start.is_(None),
            records.c.published.desc(),
            records.c.article_pk.desc(),
            records.c.position.desc(),
        )
        .limit(1)
        .scalar_subquery()
    )
    conn.execute(
        update(questions)
        .where(questions.c.pk.in_(sorted(question_pks)))
        .values(
            text=newest_wording,
            changed_at=changed_at,
            answer_count=select(func.count()).where(mine, answered).scalar_subquery(),
            first_published=select(func.min(records.c.published))
            .where(mine, answered)
            .scalar_subquery(),
            last_published=select(func.max(records.c.published))
            .where(mine, answered)
            .scalar_subquery(),
        )
    )


def _insert_ignoring(
    conn: Connection, table: Table, column: str
) -> postgresql.Insert | sqlite.Insert:
    """INSERT ... ON CONFLICT (column) DO NOTHING in the connection's dialect."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=[column])
    return sqlite.insert(table).on_conflict_do_nothing(index_elements=[column])
