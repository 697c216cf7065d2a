"""search_docs.lead_length: an article's lead apart from its other headings

A document's context held its article's lead and other headings as one field,
weighed alike. The lead names the topic of every answer; another heading is
what another answer answers. context_terms now holds the lead's terms first,
and lead_length counts them. Existing answers are indexed again here, with
today's code: the last migration to change the documents does it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-14
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from service.store import search

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "search_docs",
        sa.Column("lead_length", sa.Integer(), nullable=False, server_default="0"),
    )
    search.rebuild(op.get_bind())


def downgrade() -> None:
    # The terms stay: 0008's context is the same terms in another order.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE search_docs DROP COLUMN lead_length")
    else:
        op.drop_column("search_docs", "lead_length")
