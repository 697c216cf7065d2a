"""records: one index covering a question's answer order and its answered test

The latest answer and the refresh of a question's derived columns then read
the index alone and fetch one record at most, instead of every record of the
question (at 1,000,000 answers, the refresh took half of each ingest batch).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_records_question_order",
        "records",
        ["question_pk", "published", "article_pk", "position", "answer_start"],
    )
    op.drop_index("ix_records_question_pk_published_article_pk", table_name="records")


def downgrade() -> None:
    op.create_index(
        "ix_records_question_pk_published_article_pk",
        "records",
        ["question_pk", "published", "article_pk"],
    )
    op.drop_index("ix_records_question_order", table_name="records")
