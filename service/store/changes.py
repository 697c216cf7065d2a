"""Read the change log: its events oldest first, or the latest answer changes.

The log is written by service.store.ingest, in the transaction of each write.
An answer_added event keeps the version before it and the kind of change as
they were at the write; how alike the two texts are is computed when read
(once per pair, versions.pair_similarity), as for every Answer: both texts
never change. Once either has been retracted there is nothing to compare, and
the similarity is null.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypedDict

from sqlalchemy import Connection, bindparam, func, select

from service.store.queries import Page
from service.store.tables import articles, changes, questions, records
from service.store.versions import pair_similarity


class EventChangeRow(TypedDict):
    kind: str  # "first", "revised" or "unchanged"
    previous: str | None
    similarity: float | None


class EventRow(TypedDict):
    id: int
    type: str  # "article_added", "answer_added" or "article_retracted"
    at: datetime
    article_id: str
    question_id: str | None
    answer_id: str | None
    change: EventChangeRow | None
    ended: list[str] | None


class FeedEntryRow(EventRow):
    """An answer_added event with what a feed reader shows of it."""

    question: str | None  # the question's wording, while it is stored
    text: str | None  # the answer's paragraphs, while they are stored


_COLUMNS = (
    changes.c.id,
    changes.c.type,
    changes.c.at,
    changes.c.article_id,
    changes.c.question_id,
    changes.c.answer_id,
    changes.c.previous_id,
    changes.c.kind,
    changes.c.ended,
)
_AFTER = (
    select(*_COLUMNS)
    .where(changes.c.id > bindparam("after"))
    .order_by(changes.c.id)
    .limit(bindparam("rows"))
)
_NEWEST_ANSWERS = (
    select(*_COLUMNS)
    .where(changes.c.type == "answer_added")
    .order_by(changes.c.id.desc())
    .limit(bindparam("rows"))
)
_LAST = select(func.max(changes.c.id))
# The paragraphs an (article id, question id) pair answers with: an article
# that asks twice answers with its later record.
_PARAGRAPHS = (
    select(
        articles.c.id.label("article_id"),
        questions.c.id.label("question_id"),
        questions.c.text.label("question"),
        records.c.paragraphs,
    )
    .select_from(
        records.join(articles, records.c.article_pk == articles.c.pk).join(
            questions, records.c.question_pk == questions.c.pk
        )
    )
    .where(
        records.c.answer_start.is_not(None),
        # Each id by its own unique index (a pair of them would scan records);
        # the pairs asked for are picked from what this finds.
        questions.c.id.in_(bindparam("questions", expanding=True)),
        articles.c.id.in_(bindparam("articles", expanding=True)),
    )
    .order_by(records.c.position)
)


def list_changes(conn: Connection, *, after: int, limit: int) -> Page[EventRow]:
    """Events with ids above `after`, oldest first.

    The page's `after` is where to go on: the last id read, or `after` itself
    when there is nothing newer (where to poll next). It is never None.
    """
    rows = conn.execute(_AFTER, {"after": after, "rows": limit}).all()
    events = _events(conn, rows)
    return Page(events, (events[-1]["id"] if events else after,))


def last_change(conn: Connection) -> int:
    """The greatest id in the log, 0 for an empty one."""
    return int(conn.execute(_LAST).scalar() or 0)


def newest_answers(conn: Connection, *, limit: int) -> list[FeedEntryRow]:
    """The latest answer_added events, newest first, with question and text."""
    rows = conn.execute(_NEWEST_ANSWERS, {"rows": limit}).all()
    stored = _stored(conn, rows)
    entries: list[FeedEntryRow] = []
    for event in _events(conn, rows, stored):
        found = stored.get((event["article_id"], event["question_id"] or ""))
        entries.append(
            {
                **event,
                "question": found[0] if found else None,
                "text": "\n\n".join(found[1]) if found else None,
            }
        )
    return entries


def _stored(conn: Connection, rows: Sequence[Any]) -> dict[tuple[str, str], Any]:
    """The wording and paragraphs of every version these events name."""
    pairs = {
        (version.partition("-")[0], row.question_id)
        for row in rows
        if row.type == "answer_added"
        for version in (row.answer_id, row.previous_id)
        if version is not None
    }
    if not pairs:
        return {}
    found = conn.execute(
        _PARAGRAPHS,
        {
            "questions": sorted({question for _, question in pairs}),
            "articles": sorted({article for article, _ in pairs}),
        },
    )
    return {
        (r.article_id, r.question_id): (r.question, r.paragraphs)
        for r in found
        if (r.article_id, r.question_id) in pairs
    }


def _events(
    conn: Connection,
    rows: Sequence[Any],
    stored: dict[tuple[str, str], Any] | None = None,
) -> list[EventRow]:
    if stored is None:
        stored = _stored(conn, [r for r in rows if r.kind == "revised"])
    return [
        {
            "id": row.id,
            "type": row.type,
            "at": row.at,
            "article_id": row.article_id,
            "question_id": row.question_id,
            "answer_id": row.answer_id,
            "change": _change(row, stored) if row.type == "answer_added" else None,
            "ended": row.ended,
        }
        for row in rows
    ]


def _change(row: Any, stored: dict[tuple[str, str], Any]) -> EventChangeRow:
    similarity: float | None
    if row.kind == "first":
        similarity = 0.0
    elif row.kind == "unchanged":
        similarity = 1.0
    else:
        new = stored.get((row.article_id, row.question_id))
        old = stored.get((row.previous_id.partition("-")[0], row.question_id))
        similarity = (
            pair_similarity((row.previous_id, row.answer_id), old[1], new[1])
            if new and old
            else None
        )
    return {"kind": row.kind, "previous": row.previous_id, "similarity": similarity}
