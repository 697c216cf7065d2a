"""Read path: plain mappings out, nothing of Flask or HTTP.

Order of a question's answers (docs/design.md): publication date, then ingestion
order (the later-ingested article wins on the same date), then position.

Every statement is built once, with bound parameters: building a statement and
its cache key per call cost SQLAlchemy three times the query itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypedDict, TypeVar

from sqlalchemy import Connection, Row, bindparam, case, func, select, tuple_

from service.store.tables import articles, questions, records

ANSWER_ORDER = (records.c.published, records.c.article_pk, records.c.position)
# A TextQuoteSelector's prefix and suffix: at most this many code points.
QUOTE_CONTEXT = 32
# Where the answer's quote window starts, 0-based: QUOTE_CONTEXT before the span.
_WINDOW_START = case(
    (records.c.answer_start > QUOTE_CONTEXT, records.c.answer_start - QUOTE_CONTEXT),
    else_=0,
)
ANSWERS = (
    select(
        records.c.pk,
        questions.c.id.label("question_id"),
        questions.c.changed_at,
        records.c.question,
        records.c.published,
        records.c.paragraphs,
        records.c.question_start,
        records.c.question_end,
        records.c.answer_start,
        records.c.answer_end,
        articles.c.id.label("article_id"),
        articles.c.source,
        articles.c.sha256,
        articles.c.ingested_at,
        articles.c.parser_version,
        articles.c.raw_media_type,
        articles.c.raw_sha256,
        articles.c.source_url,
        # The span with its context either side, cut by the database: both
        # count code points (SQLite's substr on text, PostgreSQL's on text).
        func.substr(
            articles.c.text,
            _WINDOW_START + 1,
            records.c.answer_end + QUOTE_CONTEXT - _WINDOW_START,
        ).label("quote_window"),
    )
    .select_from(
        records.join(articles, records.c.article_pk == articles.c.pk).join(
            questions, records.c.question_pk == questions.c.pk
        )
    )
    .where(records.c.answer_start.is_not(None))
)
_QUESTION_COLUMNS = (
    questions.c.id,
    questions.c.text,
    questions.c.answer_count,
    questions.c.first_published,
    questions.c.last_published,
    questions.c.changed_at,
)


class QuestionRow(TypedDict):
    id: str
    text: str
    answer_count: int
    first_published: date
    last_published: date
    changed_at: datetime


class TimelineRow(TypedDict):
    published: date
    article_id: str


class QuestionDetailRow(QuestionRow):
    answers: list[TimelineRow]


class SpanRow(TypedDict):
    start: int
    end: int


class QuoteRow(TypedDict):
    """The answer span's text and up to QUOTE_CONTEXT code points either side."""

    exact: str
    prefix: str
    suffix: str


class AnswerRow(TypedDict):
    """One stored answer with what its provenance needs."""

    question_id: str
    question: str
    published: date
    paragraphs: list[str]
    question_span: SpanRow
    answer_span: SpanRow
    changed_at: datetime
    article_id: str
    source: str
    sha256: str
    ingested_at: datetime
    parser_version: str
    raw_media_type: str
    raw_sha256: str
    source_url: str | None
    quote: QuoteRow


class ChangeRow(TypedDict):
    kind: str  # "first", "revised" or "unchanged"
    previous: str | None
    similarity: float


class VersionRow(AnswerRow):
    """An answer as a version: its id, its neighbours and its change."""

    id: str
    previous_id: str | None
    next_id: str | None
    change: ChangeRow


class ArticleRow(TypedDict):
    id: str
    source: str
    published: date
    sha256: str
    ingested_at: datetime
    parser_version: str
    raw_media_type: str
    raw_sha256: str
    source_url: str | None
    question_count: int
    retracted_at: datetime | None


class RecordRow(TypedDict):
    question: str
    question_id: str
    paragraphs: list[str]
    question_span: SpanRow
    answer_span: SpanRow | None


class ArticleDetailRow(ArticleRow):
    records: list[RecordRow]


class ArticleTextRow(TypedDict):
    text: str
    sha256: str
    ingested_at: datetime
    retracted_at: datetime | None


class ArticleRawRow(TypedDict):
    raw: bytes
    media_type: str
    sha256: str
    ingested_at: datetime
    retracted_at: datetime | None


T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """Items of one page and the keyset position after its last item, if more follow."""

    items: list[T]
    after: tuple[Any, ...] | None


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_QUESTION_PAGE = (
    select(*_QUESTION_COLUMNS)
    .where(
        questions.c.answer_count > 0,
        questions.c.key.like(bindparam("pattern"), escape="\\"),
        questions.c.id > bindparam("after"),
    )
    .order_by(questions.c.id)
    .limit(bindparam("rows"))
)


def list_questions(
    conn: Connection,
    *,
    limit: int,
    key_contains: str | None = None,
    after: str | None = None,
) -> Page[QuestionRow]:
    """List answered questions by id, optionally those whose key contains a text."""
    pattern = f"%{_escape_like(key_contains)}%" if key_contains else "%"
    rows = (
        conn.execute(
            _QUESTION_PAGE,
            {"pattern": pattern, "after": after or "", "rows": limit + 1},
        )
        .mappings()
        .all()
    )
    items = [_question(row) for row in rows[:limit]]
    return Page(items, (items[-1]["id"],) if len(rows) > limit else None)


_RECENT_QUESTIONS = (
    select(*_QUESTION_COLUMNS, questions.c.pk)
    .where(questions.c.answer_count > 0)
    .order_by(questions.c.changed_at.desc(), questions.c.pk.desc())
    .limit(bindparam("rows"))
)
_RECENT_AFTER = _RECENT_QUESTIONS.where(
    tuple_(questions.c.changed_at, questions.c.pk)
    < tuple_(
        bindparam("changed_at", type_=questions.c.changed_at.type),
        bindparam("pk", type_=questions.c.pk.type),
    )
)


def recent_questions(
    conn: Connection, *, limit: int, after: tuple[datetime, int] | None = None
) -> Page[QuestionRow]:
    """List answered questions, the most recently changed first."""
    if after is None:
        found = conn.execute(_RECENT_QUESTIONS, {"rows": limit + 1})
    else:
        changed_at, pk = after
        found = conn.execute(
            _RECENT_AFTER, {"rows": limit + 1, "changed_at": changed_at, "pk": pk}
        )
    rows = found.mappings().all()
    items = [_question(row) for row in rows[:limit]]
    more = len(rows) > limit
    return Page(
        items, (rows[limit - 1].changed_at, rows[limit - 1].pk) if more else None
    )


def _question(row: Any) -> QuestionRow:
    return {
        "id": row.id,
        "text": row.text,
        "answer_count": row.answer_count,
        "first_published": row.first_published,
        "last_published": row.last_published,
        "changed_at": row.changed_at,
    }


_QUESTION = select(*_QUESTION_COLUMNS, questions.c.pk).where(
    questions.c.id == bindparam("question_id"), questions.c.answer_count > 0
)
_TIMELINE = (
    select(records.c.published, articles.c.id.label("article_id"))
    .join(articles, records.c.article_pk == articles.c.pk)
    .where(
        records.c.question_pk == bindparam("question_pk"),
        records.c.answer_start.is_not(None),
    )
    .order_by(*ANSWER_ORDER)
)


def question_exists(conn: Connection, question_id: str) -> bool:
    """Tell whether a question with at least one answer exists."""
    row = conn.execute(_QUESTION, {"question_id": question_id}).first()
    return row is not None


def find_question(conn: Connection, question_id: str) -> QuestionDetailRow | None:
    """Return an answered question with its timeline, or None."""
    row = conn.execute(_QUESTION, {"question_id": question_id}).first()
    if row is None:
        return None
    timeline = conn.execute(_TIMELINE, {"question_pk": row.pk}).all()
    return {
        **_question(row),
        "answers": [
            {"published": entry.published, "article_id": entry.article_id}
            for entry in timeline
        ],
    }


def answer_row(row: Row[Any] | Any) -> AnswerRow:
    start, end = row.answer_start, row.answer_end
    window, offset = row.quote_window, max(0, start - QUOTE_CONTEXT)
    return {
        "question_id": row.question_id,
        "question": row.question,
        "published": row.published,
        "paragraphs": row.paragraphs,
        "question_span": {"start": row.question_start, "end": row.question_end},
        "answer_span": {"start": start, "end": end},
        "changed_at": row.changed_at,
        "article_id": row.article_id,
        "source": row.source,
        "sha256": row.sha256,
        "ingested_at": row.ingested_at,
        "parser_version": row.parser_version,
        "raw_media_type": row.raw_media_type,
        "raw_sha256": row.raw_sha256,
        "source_url": row.source_url,
        "quote": {
            "exact": window[start - offset : end - offset],
            "prefix": window[: start - offset],
            "suffix": window[end - offset :],
        },
    }


_ARTICLE_COLUMNS = (
    articles.c.id,
    articles.c.source,
    articles.c.published,
    articles.c.sha256,
    articles.c.ingested_at,
    articles.c.parser_version,
    articles.c.retracted_at,
    articles.c.raw_media_type,
    articles.c.raw_sha256,
    articles.c.source_url,
    select(func.count())
    .where(records.c.article_pk == articles.c.pk)
    .scalar_subquery()
    .label("question_count"),
)


_ARTICLES_NEWEST_FIRST = (
    select(*_ARTICLE_COLUMNS, articles.c.pk)
    .where(articles.c.retracted_at.is_(None))
    .order_by(articles.c.published.desc(), articles.c.pk.desc())
    .limit(bindparam("rows"))
)
_ARTICLES_AFTER = _ARTICLES_NEWEST_FIRST.where(
    tuple_(articles.c.published, articles.c.pk)
    < tuple_(bindparam("published"), bindparam("pk"))
)
_ARTICLE = select(*_ARTICLE_COLUMNS, articles.c.pk).where(
    articles.c.id == bindparam("article_id")
)
_RECORDS = (
    select(records, questions.c.id.label("question_id"))
    .join(questions, records.c.question_pk == questions.c.pk)
    .where(records.c.article_pk == bindparam("article_pk"))
    .order_by(records.c.position)
)
_TEXT = select(
    articles.c.text, articles.c.sha256, articles.c.ingested_at, articles.c.retracted_at
).where(articles.c.id == bindparam("article_id"))


def list_articles(
    conn: Connection, *, limit: int, after: tuple[date, int] | None = None
) -> Page[ArticleRow]:
    """List articles, newest publication first (later-ingested first on a date)."""
    if after is None:
        result = conn.execute(_ARTICLES_NEWEST_FIRST, {"rows": limit + 1})
    else:
        published, pk = after
        result = conn.execute(
            _ARTICLES_AFTER, {"rows": limit + 1, "published": published, "pk": pk}
        )
    rows = result.all()
    more, rows = len(rows) > limit, rows[:limit]
    items = [_article(row) for row in rows]
    return Page(items, (rows[-1].published, rows[-1].pk) if more else None)


def _article(row: Any) -> ArticleRow:
    return {
        "id": row.id,
        "source": row.source,
        "published": row.published,
        "sha256": row.sha256,
        "ingested_at": row.ingested_at,
        "parser_version": row.parser_version,
        "raw_media_type": row.raw_media_type,
        "raw_sha256": row.raw_sha256,
        "source_url": row.source_url,
        "question_count": row.question_count,
        "retracted_at": row.retracted_at,
    }


def find_article(conn: Connection, article_id: str) -> ArticleDetailRow | None:
    """Return an article with all its records (answerless headings too), or None."""
    row = conn.execute(_ARTICLE, {"article_id": article_id}).first()
    if row is None:
        return None
    records = conn.execute(_RECORDS, {"article_pk": row.pk}).all()
    return {**_article(row), "records": [_record(record) for record in records]}


def _record(row: Row[Any]) -> RecordRow:
    return {
        "question": row.question,
        "question_id": row.question_id,
        "paragraphs": row.paragraphs,
        "question_span": {"start": row.question_start, "end": row.question_end},
        "answer_span": (
            None
            if row.answer_start is None
            else {"start": row.answer_start, "end": row.answer_end}
        ),
    }


def article_text(conn: Connection, article_id: str) -> ArticleTextRow | None:
    """Return an article's canonical text, its SHA-256 and ingestion time, or None."""
    row = conn.execute(_TEXT, {"article_id": article_id}).first()
    if row is None:
        return None
    return {
        "text": row.text,
        "sha256": row.sha256,
        "ingested_at": row.ingested_at,
        "retracted_at": row.retracted_at,
    }


_RAW = select(
    articles.c.raw,
    articles.c.text,
    articles.c.raw_media_type,
    articles.c.raw_sha256,
    articles.c.ingested_at,
    articles.c.retracted_at,
).where(articles.c.id == bindparam("article_id"))


def article_raw(conn: Connection, article_id: str) -> ArticleRawRow | None:
    """Return the bytes an article arrived as, their media type and SHA-256, or None."""
    row = conn.execute(_RAW, {"article_id": article_id}).first()
    if row is None:
        return None
    return {
        # Empty: the bytes were the text's own (a tombstone's are empty too).
        "raw": bytes(row.raw) or row.text.encode("utf-8"),
        "media_type": row.raw_media_type,
        "sha256": row.raw_sha256,
        "ingested_at": row.ingested_at,
        "retracted_at": row.retracted_at,
    }


def counts(conn: Connection) -> dict[str, int]:
    """Return how many articles, listed questions and answers are stored."""
    return {
        "articles": conn.execute(
            select(func.count()).where(articles.c.retracted_at.is_(None))
        ).scalar_one(),
        "questions": conn.execute(
            select(func.count()).where(questions.c.answer_count > 0)
        ).scalar_one(),
        "answers": conn.execute(
            select(func.count()).where(records.c.answer_start.is_not(None))
        ).scalar_one(),
    }
