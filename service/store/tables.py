"""The schema as SQLAlchemy Core tables; Alembic migrations create it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect


def bind_processor(
    dialect: Dialect, column: Column[Any]
) -> Callable[[Any], Any] | None:
    """How a column's value goes to the driver (None: as it is): for
    statements a bulk write sends through the driver itself."""
    return column.type.dialect_impl(dialect).bind_processor(dialect)


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC instant on every database (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        return None if value is None else value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        aware: datetime = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# pk is the ingestion order: on the same date, the later-ingested article wins.
articles = Table(
    "articles",
    metadata,
    Column("pk", Integer, primary_key=True),
    Column("id", String(16), nullable=False, unique=True),
    # id is the sha256's prefix and the key of idempotent ingestion.
    Column("sha256", String(64), nullable=False),
    Column("source", Text, nullable=False),
    Column("published", Date, nullable=False),
    Column("ingested_at", UtcDateTime(), nullable=False),
    Column("parser_version", String(16), nullable=False),
    # Empty once retracted: the row stays as a tombstone (id, sha256, source,
    # dates), with when it was retracted and the ids of the answers it ended.
    Column("text", Text, nullable=False),
    Column("retracted_at", UtcDateTime(), nullable=True),
    Column("retracted_answers", JSON, nullable=True),
    # The article as it arrived (the page for HTML, the posted bytes for plain
    # text), its media type and SHA-256, and the page's canonical link. raw is
    # last: SQLite reads the columns before a long value without its overflow
    # pages. raw is empty when the bytes are the text's UTF-8 (kept once; rows
    # written before keep their copy, read alike). A tombstone empties raw and
    # text, and keeps the rest.
    Column("raw_media_type", Text, nullable=False),
    Column("raw_sha256", String(64), nullable=False),
    Column("source_url", Text, nullable=True),
    Column("raw", LargeBinary, nullable=False),
    Index(None, "published", "pk"),
)

# text, answer_count, the dates and changed_at are derived from records and refreshed by
# every write, so listing questions is one indexed scan.
questions = Table(
    "questions",
    metadata,
    Column("pk", Integer, primary_key=True),
    Column("id", String(128), nullable=False, unique=True),
    Column("key", Text, nullable=False, unique=True),
    Column("text", Text, nullable=False),
    Column("answer_count", Integer, nullable=False),
    Column("first_published", Date, nullable=True),
    Column("last_published", Date, nullable=True),
    # When a write last touched this question: an honest Last-Modified for
    # everything read through it, retractions included.
    Column("changed_at", UtcDateTime(), nullable=False),
    # The record of the latest answer (None: no answer), set with the columns
    # above by every write: what a search without a date looks at. No foreign
    # key: a retraction deletes records before the write sets this anew.
    Column("latest_pk", Integer, nullable=True),
    # The page for people lists the most recently changed questions first.
    Index(None, "changed_at", "pk"),
)

# One row per heading of an article. A heading without answer has no answer
# span and is never an answer (store.queries filters on answer_start).
records = Table(
    "records",
    metadata,
    Column("pk", Integer, primary_key=True),
    Column(
        "article_pk",
        Integer,
        ForeignKey("articles.pk", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("position", Integer, nullable=False),
    Column("question_pk", Integer, ForeignKey("questions.pk"), nullable=False),
    Column("published", Date, nullable=False),
    Column("question", Text, nullable=False),
    Column("question_start", Integer, nullable=False),
    Column("question_end", Integer, nullable=False),
    Column("answer_start", Integer, nullable=True),
    Column("answer_end", Integer, nullable=True),
    Column("paragraphs", JSON, nullable=False),
    UniqueConstraint("article_pk", "position"),
    # A question's records in answer order, with whether each is an answer:
    # the latest answer and the derived question columns are read from the
    # index alone, and one row at most is fetched per question.
    Index(
        "ix_records_question_order",
        "question_pk",
        "published",
        "article_pk",
        "position",
        "answer_start",
    ),
)

# The change log: one row per event, appended in the transaction of the write
# that caused it (service.store.ingest) and never changed. Ids become visible in
# order, so a poller that read up to an id misses nothing below it, and the
# greatest id tells every response cache whether what it rendered is current.
changes = Table(
    "changes",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    # article_added | answer_added | article_retracted
    Column("type", String(32), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("article_id", String(16), nullable=False),
    # answer_added: the version, and the version before it when it was written
    # with how it differs ("first", "revised" or "unchanged").
    Column("question_id", String(128), nullable=True),
    Column("answer_id", String(32), nullable=True),
    Column("previous_id", String(32), nullable=True),
    Column("kind", String(16), nullable=True),
    # article_retracted: the ids of the answers it ended.
    Column("ended", JSON, nullable=True),
)

# Terms are compared byte by byte on PostgreSQL too, so a range of terms (those
# beginning with a stem) is the same on both databases.
_TERM = Text().with_variant(Text(collation="C"), "postgresql")

# The search index (service.store.search): one row per stored answer, its
# analysed terms by field. Derived from records by every write; SQLite's FTS5
# table `search_fts` (rowid = record_pk) and PostgreSQL's `tsv` column (a
# GIN-indexed tsvector of the same terms) find the candidates, which the
# scorer of service.search.rank ranks from these columns alone.
search_docs = Table(
    "search_docs",
    metadata,
    Column("record_pk", Integer, primary_key=True, autoincrement=False),
    Column("question_pk", Integer, nullable=False),
    Column("published", Date, nullable=False),
    Column("generic", Boolean, nullable=False),
    Column("question_terms", Text, nullable=False),
    Column("answer_terms", Text, nullable=False),
    # The lead's terms, then those only the article's other headings hold:
    # lead_length counts the lead's.
    Column("context_terms", Text, nullable=False),
    Column("lead_length", Integer, nullable=False),
    Column("asks", Text, nullable=False),
)

# The index's vocabulary: each term's document frequency; `reversed` finds the
# terms a stem ends (stored compounds). The empty term counts the documents.
search_terms = Table(
    "search_terms",
    metadata,
    Column("term", _TERM, primary_key=True),
    Column("reversed", _TERM, nullable=False, index=True),
    Column("df", Integer, nullable=False),
)

# What migration 0007 makes per database, outside these tables: SQLite's FTS5
# table (and its shadow tables), PostgreSQL's generated `tsv` column and its
# GIN index. Schema comparisons leave them out.
UNDECLARED = frozenset(
    {
        "search_fts",
        "search_fts_config",
        "search_fts_data",
        "search_fts_idx",
        "tsv",
        "ix_search_docs_tsv",
    }
)
