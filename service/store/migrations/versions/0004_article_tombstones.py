"""articles: a retraction keeps a tombstone

A retracted article's row stays, with its text emptied, `retracted_at` and
the ids of the answers it ended, so its URLs answer 410 Gone rather than 404
and posting the same text again restores it. Existing rows are live articles.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from service.store.tables import UtcDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("retracted_at", UtcDateTime(), nullable=True))
    op.add_column("articles", sa.Column("retracted_answers", sa.JSON(), nullable=True))


def downgrade() -> None:
    # Tombstones have no text; without their columns they would pass for articles.
    op.execute("DELETE FROM articles WHERE retracted_at IS NOT NULL")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("retracted_answers")
        batch.drop_column("retracted_at")
