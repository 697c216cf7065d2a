"""questions.latest_pk: the record of each question's latest answer

A search without a date looks at each question's latest answer. Each
document of the index carried a flag for it, so every new answer rewrote the
row of the answer it replaced, somewhere in a large table. The question's row,
which every write rewrites anyway, now names the record; the flag goes. So
does the index of documents by question: a retraction drops its article's
documents by record, and nothing else looked documents up by question.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-12
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

LATEST = (
    "(SELECT pk FROM records WHERE records.question_pk = questions.pk"
    " AND records.answer_start IS NOT NULL"
    " ORDER BY published DESC, article_pk DESC, position DESC LIMIT 1)"
)


def upgrade() -> None:
    op.add_column("questions", sa.Column("latest_pk", sa.Integer(), nullable=True))
    op.execute(f"UPDATE questions SET latest_pk = {LATEST}")
    op.drop_index("ix_search_docs_question_pk", table_name="search_docs")
    _drop("search_docs", "latest")


def downgrade() -> None:
    op.add_column(
        "search_docs",
        sa.Column("latest", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.execute(
        "UPDATE search_docs SET latest = EXISTS (SELECT 1 FROM questions"
        " WHERE questions.pk = search_docs.question_pk"
        " AND questions.latest_pk = search_docs.record_pk)"
    )
    op.create_index("ix_search_docs_question_pk", "search_docs", ["question_pk"])
    _drop("questions", "latest_pk")


def _drop(table: str, column: str) -> None:
    # SQLite drops a column in place (3.35 and later); alembic would copy the table.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    else:
        op.drop_column(table, column)
