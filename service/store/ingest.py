"""Write path: save parsed articles or retract one. The caller owns the transaction.

Every write locks the question rows it touches (in key order, so writers never
deadlock) before it refreshes their derived columns; a concurrent writer of
the same question therefore sees this one's records once it commits. Each
write that changed anything appends its events to the change log, last of
all (see _append_changes); the greatest change id tells every response cache
that the data changed. Statements are built once, here: building them costs
more than running them.
"""

from __future__ import annotations

import enum
import functools
import hashlib
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Dialect,
    Engine,
    Table,
    Text,
    and_,
    bindparam,
    cast,
    delete,
    exists,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.exc import DataError, IntegrityError

from service.errors import ArticleIdCollision
from service.keys import answer_id, article_id
from service.parsing import PARSER_VERSION, ParsedArticle
from service.store import search
from service.store.tables import (
    UtcDateTime,
    articles,
    bind_processor,
    changes,
    questions,
    records,
)

# The media type of an article posted or read as plain text (it is UTF-8 or refused).
PLAIN_TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Received:
    """An article as it arrived: its parse, and the bytes it was parsed from.

    `raw` is kept as it is and served with `media_type`; None means the bytes
    are the canonical text's UTF-8 (nothing to keep twice in memory on the way).
    An HTML page passes the page: its canonical text is the extracted article,
    its `source_url` the page's canonical link. `documents` are its answers'
    search documents (search.analyse) when the sender analysed them already;
    None: the writer does.
    """

    parsed: ParsedArticle
    raw: bytes | None = None
    media_type: str = PLAIN_TEXT
    source_url: str | None = None
    documents: search.Indexed | None = None


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
    """What a write did: its results, the questions it touched, what it added."""

    results: list[IngestResult]
    questions: frozenset[int]
    # The articles it stored or restored: (pk, id, parsed), in order.
    added: tuple[tuple[int, str, ParsedArticle], ...] = ()
    # Of those, the search documents that came analysed, by article pk.
    documents: search.Prepared = field(default_factory=dict)

    def merge(self, other: _Written) -> _Written:
        return _Written(
            [*self.results, *other.results],
            self.questions | other.questions,
            self.added + other.added,
            {**self.documents, **other.documents},
        )


# What makes the store refuse one article and not the whole batch: a clash of
# ids or keys, a value the column cannot hold. A dead database is none of these.
_REFUSALS = (ArticleIdCollision, IntegrityError, DataError)


@functools.cache
def _insert_articles(dialect_name: str) -> Any:
    """The dialect's INSERT ... ON CONFLICT ... RETURNING of articles, made once.

    Imported then: a SQLite worker has no use for the PostgreSQL dialect's 2 MB.
    """
    dialect = importlib.import_module(f"sqlalchemy.dialects.{dialect_name}")
    return (
        dialect.insert(articles)
        .on_conflict_do_nothing(index_elements=["id"])
        .returning(articles.c.id, articles.c.pk)
    )


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
        raw=bindparam("raw"),
        raw_media_type=bindparam("raw_media_type"),
        raw_sha256=bindparam("raw_sha256"),
        source_url=bindparam("source_url"),
    )
)
_LOCK_QUESTIONS = (
    select(questions.c.key, questions.c.pk)
    .where(questions.c.key.in_(bindparam("keys", expanding=True)))
    .order_by(questions.c.key)
    .with_for_update()
)
# Any constant: the key of the PostgreSQL advisory lock that orders the log.
CHANGE_LOG_LOCK = 0x62726965666E67
_LOCK_CHANGE_LOG = text("SELECT pg_advisory_xact_lock(:key)").bindparams(
    key=CHANGE_LOG_LOCK
)
_EARLIER = records.alias("earlier")
_BEFORE = records.alias("before")
_BEFORE_ARTICLE = articles.alias("before_article")
# For each answer of the given articles, the version before it: the latest
# answer to its question published earlier, or on the same day by an article
# ingested earlier (the index on records answers it backwards); its article's
# id, and whether its paragraphs are the same. Both are stored as the engine
# writes JSON (orjson), so their texts compare and nothing is decoded.
_PREVIOUS_VERSIONS = (
    select(
        records.c.article_pk,
        records.c.position,
        _BEFORE_ARTICLE.c.id.label("previous_article"),
        (cast(_BEFORE.c.paragraphs, Text) == cast(records.c.paragraphs, Text)).label(
            "same"
        ),
    )
    .select_from(
        records.outerjoin(
            _BEFORE,
            _BEFORE.c.pk
            == select(_EARLIER.c.pk)
            .where(
                _EARLIER.c.question_pk == records.c.question_pk,
                _EARLIER.c.answer_start.is_not(None),
                or_(
                    _EARLIER.c.published < records.c.published,
                    and_(
                        _EARLIER.c.published == records.c.published,
                        _EARLIER.c.article_pk < records.c.article_pk,
                    ),
                ),
            )
            .order_by(
                _EARLIER.c.published.desc(),
                _EARLIER.c.article_pk.desc(),
                _EARLIER.c.position.desc(),
            )
            .limit(1)
            .correlate(records)
            .scalar_subquery(),
        ).outerjoin(_BEFORE_ARTICLE, _BEFORE_ARTICLE.c.pk == _BEFORE.c.article_pk)
    )
    .where(
        records.c.article_pk.in_(bindparam("pks", expanding=True)),
        records.c.answer_start.is_not(None),
    )
)

# A question's latest answer, and its latest record (an answer or a bare
# heading): each found walking its index range back from the newest.
_LATEST_ANSWER = (
    "SELECT pk FROM records WHERE question_pk = questions.pk"
    " AND answer_start IS NOT NULL"
    " ORDER BY published DESC, article_pk DESC, position DESC LIMIT 1"
)
_LATEST_RECORD = (
    "SELECT pk FROM records WHERE question_pk = questions.pk"
    " ORDER BY published DESC, article_pk DESC, position DESC LIMIT 1"
)
# The touched questions' derived columns, from their records. The count and
# the dates come from one scan of the question's index range (a row value:
# SQLite runs its subquery once, where a subquery per column ran three); the
# wording is the latest answer's, else the latest heading's, and only that
# record's row is read.
_REFRESH_QUESTIONS = text(
    "UPDATE questions SET"
    " (answer_count, first_published, last_published) = ("
    "SELECT count(*), min(published), max(published) FROM records"
    " WHERE question_pk = questions.pk AND answer_start IS NOT NULL),"
    f" latest_pk = ({_LATEST_ANSWER}),"
    " text = coalesce("
    f"(SELECT question FROM records AS heading WHERE heading.pk = ({_LATEST_ANSWER})),"
    f"(SELECT question FROM records AS heading WHERE heading.pk = ({_LATEST_RECORD}))"
    "), changed_at = :changed_at"
    " WHERE pk IN :pks"
).bindparams(
    bindparam("pks", expanding=True), bindparam("changed_at", type_=UtcDateTime())
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
        raw=b"",
        retracted_at=bindparam("retracted_at"),
        retracted_answers=bindparam("ended"),
    )
)
_DELETE_EMPTY_QUESTIONS = delete(questions).where(
    questions.c.pk.in_(bindparam("pks", expanding=True)),
    ~exists().where(records.c.question_pk == questions.c.pk),
)


def save_article(
    conn: Connection,
    parsed: ParsedArticle,
    *,
    ingested_at: datetime,
    raw: bytes | None = None,
    media_type: str = PLAIN_TEXT,
    source_url: str | None = None,
) -> IngestResult:
    """Store one parsed article; a text already stored writes nothing.

    `raw`, `media_type` and `source_url` say what arrived (see Received); the
    bytes first stored with a text stay, whatever later copies of it come as.
    """
    received = Received(parsed, raw, media_type, source_url)
    written = _save_many(conn, [received], ingested_at)
    _finish(conn, written, ingested_at)
    return written.results[0]


def save_articles(
    conn: Connection,
    batch: Iterable[ParsedArticle | Received],
    *,
    ingested_at: datetime,
) -> list[IngestResult | StoreRefused]:
    """Store many articles in one transaction, each all or nothing.

    An article given as its parse alone arrived as its canonical text.

    Returns one outcome per article, in order: its result, or why the store
    refused that article (it alone rolled back, the others kept). The whole
    batch is first written with a few multi-row statements; if the store
    refuses it, it is rolled back and each article is written again in a
    savepoint of its own. Derived question columns are refreshed once.

    Raises:
        sqlalchemy.exc.OperationalError (and other DBAPI errors): the database
            itself failed; nothing of the batch is kept.
    """
    items = [item if isinstance(item, Received) else Received(item) for item in batch]
    if conn.dialect.name == "sqlite":
        # Bulk writes touch index pages all over a big store: let SQLite keep
        # more of them (256 MiB, allocated as used) than its default 2 MiB, and
        # checkpoint the WAL every 1 GiB rather than 4 MiB, so a hot index page
        # is copied back once per checkpoint, not once per batch (1,000,000
        # answers: 143 s with 100 MiB, 112 s with 1 GiB; 4 GiB was slower
        # again). With 64 MiB of cache, a batch at 1M spills dirty pages and
        # reads back from the file what it dropped: 256 MiB took the 1M load
        # from 118 s to 114 s, peak RSS from 0.73 to 0.93 GB. `checkpoint`
        # empties the WAL when the load is done.
        conn.exec_driver_sql("PRAGMA cache_size = -262144")
        conn.exec_driver_sql("PRAGMA wal_autocheckpoint = 262144")
        # The savepoint below makes SQLite copy every stored page the batch
        # changes into a sub-journal, to roll back to; in a temporary file,
        # that was 10.1 of the 23.8 GB the 1M load wrote. In memory (some
        # 100 MB a batch, freed at its end; peak RSS 0.96 GB against 0.93) the
        # writer's system time fell by 9 to 13 s. Durability is the WAL's
        # either way: the sub-journal only serves the rollback.
        conn.exec_driver_sql("PRAGMA temp_store = MEMORY")
    try:
        with conn.begin_nested():
            written = _save_many(conn, items, ingested_at)
    except _REFUSALS:  # some article cannot be stored: find out which, one by one
        pass
    else:
        _finish(conn, written, ingested_at)
        return list(written.results)
    outcomes: list[IngestResult | StoreRefused] = []
    kept = _Written([], frozenset())
    for item in items:
        try:
            with conn.begin_nested():
                one = _save_many(conn, [item], ingested_at)
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
    conn: Connection, received: list[Received], ingested_at: datetime
) -> _Written:
    """Write a batch with one statement per table; raise if any article fails."""
    batch = [item.parsed for item in received]
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
            **_raw_columns(item),
        }
        for new_id, parsed, item in zip(ids, batch, received, strict=True)
    ]
    insert = _insert_articles(conn.dialect.name)
    created = dict(conn.execute(insert, rows).all()) if rows else {}
    unchanged = [new_id for new_id in ids if new_id not in created]
    if unchanged:
        stored = {
            row.id: row for row in conn.execute(_STORED_SHA256S, {"ids": unchanged})
        }
        for new_id, parsed, item in zip(ids, batch, received, strict=True):
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
                        **_raw_columns(item),
                    },
                )
                created[new_id] = found.pk
    # A text twice in one batch: the first copy is the new one.
    first = {new_id: index for index, new_id in reversed(list(enumerate(ids)))}
    fresh = tuple(
        (created[new_id], new_id, parsed)
        for index, (new_id, parsed) in enumerate(zip(ids, batch, strict=True))
        if new_id in created and first[new_id] == index
    )
    documents = {
        created[new_id]: item.documents
        for index, (new_id, item) in enumerate(zip(ids, received, strict=True))
        if new_id in created and first[new_id] == index and item.documents is not None
    }
    wording = {
        r.key: (r.question_id, r.question) for _, _, p in fresh for r in p.records
    }
    question_pks: dict[str, int] = {}
    if wording:
        keys = sorted(wording)
        _insert_many(
            conn,
            questions,
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
            unless="key",
        )
        question_pks = dict(conn.execute(_LOCK_QUESTIONS, {"keys": keys}).all())
        _insert_many(
            conn,
            records,
            [
                row
                for pk, _, parsed in fresh
                for row in _record_rows(pk, parsed, question_pks)
            ],
        )
    results = [
        IngestResult(new_id, created=new_id in created and first[new_id] == index)
        for index, new_id in enumerate(ids)
    ]
    return _Written(results, frozenset(question_pks.values()), fresh, documents)


def _raw_columns(item: Received) -> dict[str, Any]:
    """The columns that keep what arrived: the bytes, their type and hash, the URL."""
    if item.raw is None or item.raw == item.parsed.text.encode("utf-8"):
        # The bytes are the canonical text's: kept once, as the text (raw empty).
        raw, raw_sha256 = b"", item.parsed.sha256
    else:
        raw, raw_sha256 = item.raw, hashlib.sha256(item.raw).hexdigest()
    return {
        "raw": raw,
        "raw_media_type": item.media_type,
        "raw_sha256": raw_sha256,
        "source_url": item.source_url,
    }


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
    ids of the answers it ended, and of the bytes it arrived as their media type,
    SHA-256 and URL; posting the same text again restores it.
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
    search.remove(conn, article_pk)
    conn.execute(_DELETE_RECORDS, {"pk": article_pk})
    conn.execute(
        _TOMBSTONE,
        {"article_pk": article_pk, "retracted_at": deleted_at, "ended": ended},
    )
    if question_pks:
        conn.execute(_DELETE_EMPTY_QUESTIONS, {"pks": list(question_pks)})
    _finish(
        conn,
        _Written([], frozenset(question_pks)),
        deleted_at,
        retracted=(article_id, ended),
    )
    return Retraction.RETRACTED


def _finish(
    conn: Connection,
    written: _Written,
    changed_at: datetime,
    *,
    retracted: tuple[str, list[str]] | None = None,
) -> None:
    """Refresh the touched questions' derived columns and index; log what changed."""
    if written.questions:
        conn.execute(
            _REFRESH_QUESTIONS,
            {"pks": sorted(written.questions), "changed_at": changed_at},
        )
        if written.added:
            # New records' documents: as they came, or analysed from their parse.
            documents = {
                pk: written.documents.get(pk) or search.analyse(parsed)
                for pk, _, parsed in written.added
            }
            search.add(conn, documents)
    events = _added_events(conn, written.added, changed_at)
    if retracted is not None:
        article, ended = retracted
        events.append(_event("article_retracted", changed_at, article, ended=ended))
    if events:
        _append_changes(conn, events)


def _append_changes(conn: Connection, events: list[dict[str, Any]]) -> None:
    """Append events to the change log, last thing before the commit.

    Ids must become visible in the order they are given, or a poller that read
    up to id 11 would never see a slower writer's 10. SQLite has one writer at
    a time. On PostgreSQL a writer takes a transaction-scoped advisory lock
    before its ids are drawn and holds it until it commits: the next writer
    draws its ids only after this one's are visible. Only this tail of a
    write is serialised: every other lock was taken before it, so no writer
    waits for another while holding the lock.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(_LOCK_CHANGE_LOG)
    _insert_many(conn, changes, events)


def _insert_many(
    conn: Connection,
    table: Table,
    rows: list[dict[str, Any]],
    *,
    unless: str | None = None,
) -> None:
    """INSERT rows of the same columns with one executemany through the driver;
    with `unless`, skip each row whose value of that unique column is stored.

    Each value goes through its column's bind processing as SQLAlchemy would
    do it, without SQLAlchemy's work per row (a bulk load inserts some 10,000
    rows a batch into each table).
    """
    if not rows:
        return
    names = tuple(rows[0])
    statement, processors = _insert_statement(conn.dialect, table, names, unless)
    columns = []
    for name, process in zip(names, processors, strict=True):
        values = [row[name] for row in rows]
        if process is not None:
            # A batch's rows share many values (its instant, its article):
            # each object is processed once.
            done: dict[int, Any] = {}
            values = [
                done[key]
                if (key := id(value)) in done
                else done.setdefault(key, process(value))
                for value in values
            ]
        columns.append(values)
    conn.exec_driver_sql(statement, list(zip(*columns, strict=True)))


@functools.cache
def _insert_statement(
    dialect: Dialect, table: Table, names: tuple[str, ...], unless: str | None
) -> tuple[str, list[Callable[[Any], Any] | None]]:
    quote = dialect.identifier_preparer.quote
    placeholder = "?" if dialect.paramstyle == "qmark" else "%s"
    statement = (
        f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, names))})"
        f" VALUES ({', '.join([placeholder] * len(names))})"
    )
    if unless is not None:
        statement += f" ON CONFLICT ({quote(unless)}) DO NOTHING"
    return statement, [bind_processor(dialect, table.c[name]) for name in names]


def _added_events(
    conn: Connection,
    added: tuple[tuple[int, str, ParsedArticle], ...],
    at: datetime,
) -> list[dict[str, Any]]:
    """article_added for each article, then answer_added for each of its answers.

    Each answer is told with the version before it when it was written, and
    whether its paragraphs are new ("revised") or the same ("unchanged").
    """
    if not added:
        return []
    before = {
        (row.article_pk, row.position): (row.previous_article, row.same)
        for row in conn.execute(_PREVIOUS_VERSIONS, {"pks": [pk for pk, _, _ in added]})
    }
    events = []
    for pk, article, parsed in added:
        events.append(_event("article_added", at, article))
        # An article that asks a question twice: its later answer is the version.
        last = {r.key: i for i, r in enumerate(parsed.records) if r.answer_span}
        for position in sorted(last.values()):
            question = parsed.records[position].question_id
            previous, same = before.get((pk, position), (None, None))
            kind = "first"
            if previous is not None:
                kind = "unchanged" if same else "revised"
            events.append(
                _event(
                    "answer_added",
                    at,
                    article,
                    question_id=question,
                    answer_id=answer_id(article, question),
                    previous_id=previous and answer_id(previous, question),
                    kind=kind,
                )
            )
    return events


def _event(type_: str, at: datetime, article: str, **fields: Any) -> dict[str, Any]:
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
