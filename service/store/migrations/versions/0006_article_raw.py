"""articles: the bytes an article arrived as, their media type and SHA-256, its URL

An HTML page's canonical text is the article extracted from it, so the page
itself is kept beside it, to be served as it was and checked against its
hash. Articles stored before arrived as plain UTF-8 text and are filled in as
such: raw is the canonical text's UTF-8 bytes, and their SHA-256 is the
article's own. A tombstone's raw stays empty, its hash and media type stay.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

PLAIN_TEXT = "text/plain; charset=utf-8"


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    # SQLite adds a NOT NULL column only with a default, and dropping a default
    # would copy the whole table: there the defaults stay (every write names
    # these columns anyway). The columns come in this order so that raw, the
    # long one, is the last of the row.
    op.add_column(
        "articles",
        sa.Column(
            "raw_media_type", sa.Text(), nullable=False, server_default=PLAIN_TEXT
        ),
    )
    op.add_column(
        "articles",
        sa.Column("raw_sha256", sa.String(64), nullable=False, server_default=""),
    )
    op.add_column("articles", sa.Column("source_url", sa.Text(), nullable=True))
    op.add_column(
        "articles",
        sa.Column(
            "raw",
            sa.LargeBinary(),
            nullable=False,
            server_default=sa.text("''" if postgresql else "x''"),
        ),
    )
    # The text's UTF-8 bytes, computed by the database: no row travels.
    utf8 = "convert_to(text, 'UTF8')" if postgresql else "CAST(text AS BLOB)"
    op.execute(f"UPDATE articles SET raw = {utf8}, raw_sha256 = sha256")
    if postgresql:
        for name in ("raw_media_type", "raw_sha256", "raw"):
            op.alter_column("articles", name, server_default=None)


def downgrade() -> None:
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch copy of the table
    # would drop the old one, and with it, by cascade, every record.
    for name in ("raw", "source_url", "raw_sha256", "raw_media_type"):
        op.drop_column("articles", name)
