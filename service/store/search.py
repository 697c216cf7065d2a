"""The search index on SQLite (FTS5) and PostgreSQL (tsvector + GIN), one interface.

Each stored answer is a document (table search_docs): its question's, its
answer's and its article's context terms, as service.search.text analyses
them. `add` and `remove` keep the index in step with records inside every
write's transaction; `rebuild` makes it anew. `search` asks the database for the
documents in force (latest, or on a date) that hold any of the query's terms,
newest first up to CANDIDATES, and service.search.rank alone orders them, so
both databases return the same results for the same data.
"""

from __future__ import annotations

import functools
import importlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple, TypedDict

from sqlalchemy import (
    Connection,
    Integer,
    and_,
    bindparam,
    column,
    delete,
    exists,
    func,
    select,
    table,
    text,
    tuple_,
    update,
)

from service.keys import answer_id
from service.parsing import ParsedArticle
from service.search import rank
from service.search.text import Analysed, analyse_article
from service.store.tables import (
    articles,
    bind_processor,
    questions,
    records,
    search_docs,
    search_terms,
)

# The most candidates one query scores: the newest documents holding a term
# of its rarest words (scoring is Python: each candidate costs some 15 us).
CANDIDATES = 300
# Question pks per statement: far below SQLite's limit on bound parameters.
CHUNK = 5000
_COUNT = ""  # search_terms' row counting the documents
_END = "\uffff"  # above every character a term holds: the end of a prefix range

# The documents of an article's records, before a retraction deletes them.
_GONE = select(
    search_docs.c.record_pk,
    search_docs.c.question_terms,
    search_docs.c.answer_terms,
    search_docs.c.context_terms,
).where(
    search_docs.c.record_pk.in_(
        select(records.c.pk).where(records.c.article_pk == bindparam("pk"))
    )
)
_RECORD = (
    records.c.pk,
    records.c.question_pk,
    records.c.article_pk,
    records.c.position,
    records.c.published,
)
_ANSWERS = (
    select(*_RECORD)
    .where(
        records.c.question_pk.in_(bindparam("pks", expanding=True)),
        records.c.answer_start.is_not(None),
    )
    .order_by(records.c.pk)
)
_PARAGRAPHS = select(records.c.pk, records.c.paragraphs).where(
    records.c.pk.in_(bindparam("pks", expanding=True))
)
_HEADINGS = (
    select(records.c.article_pk, records.c.question)
    .where(records.c.article_pk.in_(bindparam("pks", expanding=True)))
    .order_by(records.c.article_pk, records.c.position)
)
_LEADS = select(
    articles.c.pk,
    func.substr(
        articles.c.text,
        1,
        select(func.min(records.c.question_start))
        .where(records.c.article_pk == articles.c.pk)
        .scalar_subquery(),
    ).label("lead"),
).where(articles.c.pk.in_(bindparam("pks", expanding=True)))
# The answer records of articles just stored, in the order of the index that
# finds them (ordered by pk, SQLite scans the whole table for a long list).
_ADDED = (
    select(*_RECORD)
    .where(
        records.c.article_pk.in_(bindparam("pks", expanding=True)),
        records.c.answer_start.is_not(None),
    )
    .order_by(records.c.article_pk, records.c.position)
)
_DELETE_DOCS = delete(search_docs).where(
    search_docs.c.record_pk.in_(bindparam("pks", expanding=True))
)
# Many rows at once through the driver: a bulk load adds thousands a batch.
# The question and date are the record's.
_INSERT_DOCS = (
    "INSERT INTO search_docs (record_pk, question_pk, published, generic,"
    " question_terms, answer_terms, context_terms, lead_length, asks)"
    " VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p})"
)
_PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}
_LESS = (
    update(search_terms)
    .where(search_terms.c.term == bindparam("t"))
    .values(df=search_terms.c.df - bindparam("n"))
)
_FTS_INSERT = "INSERT INTO search_fts (rowid, terms) VALUES (?, ?)"
_FTS_DELETE = text(
    "INSERT INTO search_fts (search_fts, rowid, terms) VALUES ('delete', :pk, :terms)"
)
_FREQUENCIES = select(search_terms.c.term, search_terms.c.df).where(
    search_terms.c.term.in_(bindparam("terms", expanding=True)), search_terms.c.df > 0
)
_DOCUMENTS = select(search_terms.c.df).where(search_terms.c.term == _COUNT)


def _extending(column: Any, least: int) -> Any:
    return (
        select(search_terms.c.term, search_terms.c.df)
        .where(
            column > bindparam("low"),
            column < bindparam("high"),
            func.length(search_terms.c.term) >= bindparam("length") + least,
            search_terms.c.df > 0,
        )
        .order_by(search_terms.c.df.desc(), search_terms.c.term)
        .limit(bindparam("rows"))
    )


# A stem begins a stored compound with at least a 3-letter tail; it ends one
# after a head of 2 letters or more (be|zahlen, Grund|steuer).
_BEGINNING = _extending(search_terms.c.term, 3)
_ENDING = _extending(search_terms.c.reversed, 2)
_DOCUMENT_COLUMNS = (
    search_docs.c.record_pk,
    search_docs.c.question_pk,
    search_docs.c.published,
    search_docs.c.generic,
    search_docs.c.question_terms,
    search_docs.c.answer_terms,
    search_docs.c.context_terms,
    search_docs.c.lead_length,
    search_docs.c.asks,
)
_FTS = table("search_fts", column("rowid", Integer))
_LATER = records.alias("later")
_MINE = records.alias("mine")
# No later answer to the same question was published by the date: the latest
# answer has none at all, the others are looked up.
_LATEST = questions.c.latest_pk == search_docs.c.record_pk
_IN_FORCE_ON = and_(
    search_docs.c.published <= bindparam("day"),
    _LATEST
    | ~exists()
    .where(
        _MINE.c.pk == search_docs.c.record_pk,
        _LATER.c.question_pk == _MINE.c.question_pk,
        _LATER.c.answer_start.is_not(None),
        _LATER.c.published <= bindparam("day"),
        tuple_(_LATER.c.published, _LATER.c.article_pk, _LATER.c.position)
        > tuple_(_MINE.c.published, _MINE.c.article_pk, _MINE.c.position),
    )
    .correlate(search_docs),
)
_DETAILS = (
    select(
        records.c.pk,
        records.c.question,
        records.c.paragraphs,
        records.c.published,
        questions.c.id.label("question_id"),
        questions.c.text.label("question_text"),
        articles.c.id.label("article_id"),
    )
    .select_from(
        records.join(questions, records.c.question_pk == questions.c.pk).join(
            articles, records.c.article_pk == articles.c.pk
        )
    )
    .where(records.c.pk.in_(bindparam("pks", expanding=True)))
)


@functools.cache
def _statements(dialect_name: str) -> dict[str, Any]:
    """The dialect's upsert of frequencies and its candidate queries."""
    dialect = importlib.import_module(f"sqlalchemy.dialects.{dialect_name}")
    upsert = dialect.insert(search_terms)
    more = upsert.on_conflict_do_update(
        index_elements=["term"], set_={"df": search_terms.c.df + upsert.excluded.df}
    )
    base: Any
    if dialect_name == "sqlite":
        # FTS5 walks a term's documents newest first and stops at the limit;
        # as `record_pk IN (MATCH ...)` it would first list all of them (a
        # common word's 100,000 at 1M answers: 11 ms instead of 0.3 ms).
        base = (
            select(*_DOCUMENT_COLUMNS)
            .select_from(
                _FTS.join(search_docs, search_docs.c.record_pk == _FTS.c.rowid).join(
                    questions, questions.c.pk == search_docs.c.question_pk
                )
            )
            .where(text("search_fts MATCH :match"))
            .order_by(_FTS.c.rowid.desc())
        )
    else:
        base = (
            select(*_DOCUMENT_COLUMNS)
            .select_from(
                search_docs.join(questions, questions.c.pk == search_docs.c.question_pk)
            )
            .where(text("search_docs.tsv @@ to_tsquery('simple', :match)"))
            .order_by(search_docs.c.record_pk.desc())
        )
    base = base.limit(bindparam("rows"))
    return {
        "more": more,
        "latest": base.where(_LATEST),
        "on": base.where(_IN_FORCE_ON),
    }


def _match(dialect_name: str, terms: Iterable[str]) -> str:
    # Terms are letters and digits only; quoted all the same.
    if dialect_name == "sqlite":
        return " OR ".join(f'"{term}"' for term in terms)
    return " | ".join(f"'{term}'" for term in terms)


def _chunks(items: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(items), CHUNK):
        yield list(items[start : start + CHUNK])


class Indexed(NamedTuple):
    """An article's search documents, by the position of their heading, and
    how many of them hold each term: what `add` stores and counts. (A tuple:
    the parsers of a bulk load send one an article, cheaper to pickle.)"""

    documents: Mapping[int, Analysed]
    frequencies: Mapping[str, int]


# What a writer analysed already, by article pk.
Prepared = Mapping[int, Indexed]


def analyse(parsed: ParsedArticle) -> Indexed:
    """The documents of a parsed article's answers, and their terms (pure).

    What `add` stores for the article's records; `briefing ingest` has its
    parser processes call it, so that the one writer only inserts and adds up.
    """
    records = parsed.records
    first = min((r.question_span.start for r in records), default=None)
    return Indexed(
        *analyse_article(
            [r.question for r in records],
            parsed.text[:first] if first is not None else "",
            {
                position: r.paragraphs
                for position, r in enumerate(records)
                if r.answer_span is not None
            },
        )
    )


def add(conn: Connection, prepared: Prepared) -> None:
    """Index the answers of articles just stored.

    `prepared` holds every new article's documents, by article pk (see
    `analyse`). Nothing else of their questions changed, so nothing is dropped.
    """
    new: list[Any] = []
    for chunk in _chunks(sorted(prepared)):
        new += conn.execute(_ADDED, {"pks": chunk}).all()
    _insert(conn, *_documents(conn, new, prepared), [])


def remove(conn: Connection, article_pk: int) -> None:
    """Drop the documents of an article's answers: what a retraction calls,
    in its transaction, before the records go."""
    _insert(conn, [], {}, conn.execute(_GONE, {"pk": article_pk}).all())


def _insert(
    conn: Connection,
    docs: Sequence[tuple[Any, Analysed]],
    frequencies: Mapping[str, int],
    gone: Sequence[Any],
) -> None:
    """Add documents, whose terms `frequencies` counts, drop those of records
    that went, and count their terms."""
    counts: Counter[str] = Counter(frequencies)
    for row in gone:
        counts.subtract(_row_terms(row))
    joined = [_joined(analysed) for _, analysed in docs]
    counts[_COUNT] = len(docs) - len(gone)
    sqlite = conn.dialect.name == "sqlite"
    if gone:
        if sqlite:
            conn.execute(
                _FTS_DELETE,
                [{"pk": row.record_pk, "terms": _joined(row)} for row in gone],
            )
        conn.execute(_DELETE_DOCS, {"pks": [row.record_pk for row in gone]})
    if docs:
        day = _date_parameter(conn.dialect)
        conn.exec_driver_sql(
            _insert_docs(conn),
            [
                (
                    row.pk,
                    row.question_pk,
                    day(row.published),
                    analysed.generic,
                    analysed.question_terms,
                    analysed.answer_terms,
                    analysed.context_terms,
                    analysed.lead_length,
                    analysed.asks,
                )
                for row, analysed in docs
            ],
        )
        if sqlite:
            conn.exec_driver_sql(
                _FTS_INSERT,
                [(row.pk, held) for (row, _), held in zip(docs, joined, strict=True)],
            )
    _count(conn, counts)


@functools.cache
def _date_parameter(dialect: Any) -> Callable[[Any], Any]:
    """A date as the driver takes it for search_docs.published."""
    return bind_processor(dialect, search_docs.c.published) or (lambda value: value)


def _insert_docs(conn: Connection) -> str:
    return _INSERT_DOCS.format(p=_PLACEHOLDERS[conn.dialect.paramstyle])


def rebuild(conn: Connection) -> int:
    """Drop the whole index and make it again from the records; return its size."""
    conn.execute(delete(search_docs))
    conn.execute(delete(search_terms))
    if conn.dialect.name == "sqlite":
        conn.execute(text("INSERT INTO search_fts (search_fts) VALUES ('delete-all')"))
    pks = conn.execute(select(questions.c.pk).order_by(questions.c.pk)).scalars()
    for chunk in _chunks(list(pks)):
        answers = conn.execute(_ANSWERS, {"pks": chunk}).all()
        _insert(conn, *_documents(conn, answers, {}), [])
    return int(conn.execute(_DOCUMENTS).scalar() or 0)


def _count(conn: Connection, counts: Counter[str]) -> None:
    """Add to the frequencies, in term order (so concurrent writers never deadlock)."""
    changed = sorted(counts.items())
    more = [{"term": t, "reversed": t[::-1], "df": n} for t, n in changed if n > 0]
    less = [{"t": t, "n": -n} for t, n in changed if n < 0]
    if more:
        conn.execute(_statements(conn.dialect.name)["more"], more)
    if less:
        conn.execute(_LESS, less)


def _row_terms(row: Any) -> set[str]:
    """A document's distinct terms, what its frequencies count."""
    return set(_joined(row).split())


def _joined(doc: Any) -> str:
    """The text both databases index: the fields' terms, as `tsv` joins them."""
    return " ".join((doc.question_terms, doc.answer_terms, doc.context_terms))


def _documents(
    conn: Connection, new: Sequence[Any], prepared: Prepared
) -> tuple[list[tuple[Any, Analysed]], dict[str, int]]:
    """Each new record with its document, prepared or analysed from the store,
    and how many of the documents hold each term."""
    articles = {row.article_pk for row in new}
    missing = sorted(articles - set(prepared))
    analysed: dict[int, Indexed] = dict(prepared)
    if missing:
        unprepared = [row for row in new if row.article_pk in missing]
        paragraphs: dict[int, list[str]] = {}
        for chunk in _chunks([row.pk for row in unprepared]):
            for row in conn.execute(_PARAGRAPHS, {"pks": chunk}):
                paragraphs[row.pk] = row.paragraphs
        answers: dict[int, dict[int, list[str]]] = {}
        for row in unprepared:
            answers.setdefault(row.article_pk, {})[row.position] = paragraphs[row.pk]
        for chunk in _chunks(missing):
            headings: dict[int, list[str]] = {}
            for row in conn.execute(_HEADINGS, {"pks": chunk}):
                headings.setdefault(row.article_pk, []).append(row.question)
            for lead in conn.execute(_LEADS, {"pks": chunk}):
                analysed[lead.pk] = Indexed(
                    *analyse_article(
                        headings.get(lead.pk, []), lead.lead or "", answers[lead.pk]
                    )
                )
    # Added up by hand: Counter.update of a mapping is slower (a bulk load
    # adds some 2,000 articles' counts a batch).
    frequencies: dict[str, int] = {}
    get = frequencies.get
    for pk in articles:
        for term, n in analysed[pk].frequencies.items():
            frequencies[term] = get(term, 0) + n
    docs = [(row, analysed[row.article_pk].documents[row.position]) for row in new]
    return docs, frequencies


class _Vocabulary:
    """rank.Vocabulary over search_terms."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def documents(self) -> int:
        return int(self._conn.execute(_DOCUMENTS).scalar() or 0)

    def frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        wanted = sorted(set(terms) - {_COUNT})
        if not wanted:
            return {}
        rows = self._conn.execute(_FREQUENCIES, {"terms": wanted})
        return {row.term: row.df for row in rows}

    def extensions(self, term: str, limit: int) -> dict[str, int]:
        found: dict[str, int] = {}
        for statement, key in ((_BEGINNING, term), (_ENDING, term[::-1])):
            rows = self._conn.execute(
                statement,
                {"low": key, "high": key + _END, "length": len(term), "rows": limit},
            )
            found.update({row.term: row.df for row in rows})
        ordered = sorted(found.items(), key=lambda item: (-item[1], item[0]))
        return dict(ordered[:limit])


@dataclass(frozen=True)
class Found:
    """A query's plan and the documents it ranked."""

    plan: rank.Plan
    ranked: list[tuple[float, rank.Document]]


def search(conn: Connection, query: str, *, on: date | None = None) -> Found:
    """Rank the answers in force (latest, or on a date) for a free-text query."""
    plan = rank.plan(query, _Vocabulary(conn))
    terms = plan.retrieval_terms(CANDIDATES)
    if not terms:
        return Found(plan, [])
    statements = _statements(conn.dialect.name)
    params: dict[str, Any] = {
        "match": _match(conn.dialect.name, terms),
        "rows": CANDIDATES,
    }
    if on is None:
        rows = conn.execute(statements["latest"], params).all()
    else:
        rows = conn.execute(statements["on"], {**params, "day": on}).all()
    docs = []
    for (
        record_pk,
        question_pk,
        published,
        generic,
        question,
        answer,
        context,
        lead_length,
        asks,
    ) in rows:
        held = context.split()
        docs.append(
            rank.Document(
                record_pk,
                question_pk,
                published.isoformat(),
                bool(generic),
                question.split(),
                answer.split(),
                held[:lead_length],
                held[lead_length:],
                asks.split(),
            )
        )
    return Found(plan, rank.rank(plan, docs))


class HitRow(TypedDict):
    """What a result shows of an answer: its ids, wording, text and date."""

    record_pk: int
    question_id: str
    question_text: str
    question: str
    paragraphs: list[str]
    published: date
    answer_id: str


def hits(conn: Connection, record_pks: Sequence[int]) -> dict[int, HitRow]:
    """Load the answers behind some results, by record pk."""
    if not record_pks:
        return {}
    rows = conn.execute(_DETAILS, {"pks": list(record_pks)})
    return {
        row.pk: {
            "record_pk": row.pk,
            "question_id": row.question_id,
            "question_text": row.question_text,
            "question": row.question,
            "paragraphs": row.paragraphs,
            "published": row.published,
            "answer_id": answer_id(row.article_id, row.question_id),
        }
        for row in rows
    }
