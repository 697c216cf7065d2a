"""Alembic environment: runs migrations on the engine handed over by store.upgrade()."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from service.store import UPGRADE_TIMEOUT_S, WRITE
from service.store.migrations_lock import MIGRATION_LOCK
from service.store.tables import metadata

# A migration waits for another replica's and may rightly run long (an index on
# a big table): no busy timeout of a request's length on SQLite, and on
# PostgreSQL no statement or lock timeout (store.upgrade lifts the deadline).
UPGRADE_BUSY_TIMEOUT_MS = UPGRADE_TIMEOUT_S * 1000

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        busy_timeout = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
        connection.exec_driver_sql(f"PRAGMA busy_timeout={UPGRADE_BUSY_TIMEOUT_MS}")
        connection.commit()
    # Replicas may all run `briefing db upgrade` at start; they take turns, and
    # all but the first find the schema current. On SQLite the transaction
    # takes the write lock before Alembic reads its version table (BEGIN
    # IMMEDIATE); on PostgreSQL an advisory lock does.
    connection.execution_options(**{WRITE: True})
    try:
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
                connection.exec_driver_sql("SET LOCAL lock_timeout = 0")
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
                )
            context.configure(
                connection=connection,
                target_metadata=metadata,
                render_as_batch=sqlite,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        if sqlite:
            connection.exec_driver_sql(f"PRAGMA busy_timeout={busy_timeout}")
            connection.commit()
