"""changes: the append-only change log, which replaces the generation counter

Every write appends its events (article_added, answer_added, article_retracted)
in its own transaction; the greatest id now tells response caches that the
data changed. An existing store gets its history as events: each article
added when it was ingested, with its answers against the versions before them,
and each tombstone retracted when it was. The questions get an index on
`changed_at` for the page that lists the most recently changed first.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from service.keys import answer_id
from service.store.tables import UtcDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    changes = op.create_table(
        "changes",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("article_id", sa.String(16), nullable=False),
        sa.Column("question_id", sa.String(128), nullable=True),
        sa.Column("answer_id", sa.String(32), nullable=True),
        sa.Column("previous_id", sa.String(32), nullable=True),
        sa.Column("kind", sa.String(16), nullable=True),
        sa.Column("ended", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_changes")),
    )
    op.create_index(
        op.f("ix_questions_changed_at_pk"), "questions", ["changed_at", "pk"]
    )
    events = _history(op.get_bind())
    for start in range(0, len(events), 10_000):
        op.bulk_insert(changes, events[start : start + 10_000])
    op.drop_table("generation")


def downgrade() -> None:
    generation = op.create_table(
        "generation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_generation")),
    )
    count = op.get_bind().execute(sa.text("SELECT count(*) FROM changes")).scalar()
    op.bulk_insert(generation, [{"id": 1, "value": count or 0}])
    op.drop_index(op.f("ix_questions_changed_at_pk"), table_name="questions")
    op.drop_table("changes")


_ARTICLES = sa.table(
    "articles",
    sa.column("pk", sa.Integer()),
    sa.column("id", sa.String()),
    sa.column("ingested_at", UtcDateTime()),
    sa.column("retracted_at", UtcDateTime()),
    sa.column("retracted_answers", sa.JSON()),
)
_RECORDS = sa.table(
    "records",
    sa.column("article_pk", sa.Integer()),
    sa.column("question_pk", sa.Integer()),
    sa.column("position", sa.Integer()),
    sa.column("published", sa.Date()),
    sa.column("paragraphs", sa.JSON()),
    sa.column("answer_start", sa.Integer()),
)
_QUESTIONS = sa.table("questions", sa.column("pk", sa.Integer()), sa.column("id"))


def _history(conn: sa.Connection) -> list[dict[str, Any]]:
    """The events the store's rows tell of, in the order they happened."""
    a, r, q = _ARTICLES, _RECORDS, _QUESTIONS
    stored = conn.execute(sa.select(a).order_by(a.c.pk)).all()
    ids = {row.pk: row.id for row in stored}
    answered = conn.execute(
        sa.select(r.c.article_pk, r.c.position, r.c.paragraphs, q.c.id)
        .join(q, q.c.pk == r.c.question_pk)
        .where(r.c.answer_start.is_not(None))
        .order_by(r.c.question_pk, r.c.published, r.c.article_pk, r.c.position)
    ).all()
    # Each question's versions in order: an article that asks twice counts once,
    # with its later answer.
    versions: dict[str, list[Any]] = {}
    for row in answered:
        mine = versions.setdefault(row.id, [])
        if mine and mine[-1].article_pk == row.article_pk:
            mine.pop()
        mine.append(row)
    added: dict[int, list[tuple[int, dict[str, Any]]]] = {}
    for question, rows in versions.items():
        for index, row in enumerate(rows):
            before = rows[index - 1] if index else None
            added.setdefault(row.article_pk, []).append(
                (
                    row.position,
                    {
                        "question_id": question,
                        "answer_id": answer_id(ids[row.article_pk], question),
                        "previous_id": before
                        and answer_id(ids[before.article_pk], question),
                        "kind": "first"
                        if before is None
                        else "unchanged"
                        if before.paragraphs == row.paragraphs
                        else "revised",
                    },
                )
            )
    events: list[tuple[Any, dict[str, Any]]] = []
    for article in stored:
        at = article.ingested_at
        events.append((at, _event("article_added", at, article.id)))
        for _, answer in sorted(added.get(article.pk, []), key=lambda one: one[0]):
            events.append((at, _event("answer_added", at, article.id, **answer)))
        if article.retracted_at is not None:
            ended = article.retracted_answers
            gone = article.retracted_at
            events.append(
                (gone, _event("article_retracted", gone, article.id, ended=ended))
            )
    # A stable sort: an article's own events keep their order.
    events.sort(key=lambda event: event[0])
    return [event for _, event in events]


def _event(type_: str, at: Any, article: str, **fields: Any) -> dict[str, Any]:
    return {
        "type": type_,
        "at": at,
        "article_id": article,
        "question_id": None,
        "answer_id": None,
        "previous_id": None,
        "kind": None,
        "ended": None,
        **fields,
    }
