"""search: an index of every answer's analysed terms, and their vocabulary

search_docs holds each answer's terms by field (service.search.text);
search_terms their document frequencies. Candidates are found by SQLite's
FTS5 table search_fts, or PostgreSQL's GIN-indexed tsvector column `tsv`
('simple' configuration: the terms are analysed already). Existing answers
are indexed by 0009, the last migration to change the documents, with today's
code.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TERM = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "search_docs",
        sa.Column("record_pk", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("question_pk", sa.Integer(), nullable=False),
        sa.Column("published", sa.Date(), nullable=False),
        # Dropped by 0008.
        sa.Column("latest", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("generic", sa.Boolean(), nullable=False),
        sa.Column("question_terms", sa.Text(), nullable=False),
        sa.Column("answer_terms", sa.Text(), nullable=False),
        sa.Column("context_terms", sa.Text(), nullable=False),
        sa.Column("asks", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("record_pk", name=op.f("pk_search_docs")),
    )
    op.create_index(op.f("ix_search_docs_question_pk"), "search_docs", ["question_pk"])
    op.create_table(
        "search_terms",
        sa.Column("term", TERM, nullable=False),
        sa.Column("reversed", TERM, nullable=False),
        sa.Column("df", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("term", name=op.f("pk_search_terms")),
    )
    op.create_index(op.f("ix_search_terms_reversed"), "search_terms", ["reversed"])
    if op.get_bind().dialect.name == "sqlite":
        # Contentless, without positions: it only says which documents hold a term.
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "terms, content='', detail=none, columnsize=0, tokenize='ascii')"
        )
    else:
        op.execute(
            "ALTER TABLE search_docs ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
            "(to_tsvector('simple'::regconfig, question_terms || ' ' || "
            "answer_terms || ' ' || context_terms)) STORED"
        )
        op.execute("CREATE INDEX ix_search_docs_tsv ON search_docs USING gin (tsv)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_fts")
    op.drop_table("search_terms")
    op.drop_table("search_docs")
