"""Alembic environment: runs migrations on the engine handed over by store.upgrade()."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from service.store.migrations_lock import MIGRATION_LOCK
from service.store.tables import metadata

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        # Replicas may all run `briefing db upgrade` at start; on PostgreSQL they
        # take turns, and all but the first find the schema current.
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
            )
        context.run_migrations()
