"""The store: engine and per-request connection, migrations, schema checks.

SQLite (the default, a file in the instance folder) and PostgreSQL (by URL)
run the same code; see tables.py, ingest.py and queries.py.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from flask import Flask, current_app, g
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000
SQLITE_CACHE_KIB = 128
_ENGINE = "briefing.engine"
_GENERATION = "briefing.generation"


def make_engine(url: str) -> Engine:
    """Create the engine for a database URL, with the SQLite pragmas we rely on."""
    # JSON columns (a record's paragraphs) through orjson, not the json module.
    json = {"json_serializer": _json_text, "json_deserializer": orjson.loads}
    if make_url(url).get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **json)
    engine = create_engine(
        url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **json
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin, so a
        # transaction is exactly what `with conn.begin()` says it is.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # The OS page cache holds the file. SQLite's own default of 2 MiB per
        # connection, two connections per thread, made a worker up to 10 MB
        # bigger and lookups at 1,000,000 answers hardly faster (16.4 us
        # against 17.6 us with 128 KiB).
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


def _json_text(value: Any) -> str:
    return orjson.dumps(value).decode()


class GenerationReader:
    """Read the data generation cheaply, on a connection of each thread's own.

    The response cache asks on every request, so this skips SQLAlchemy's
    per-execution work: a raw DBAPI cursor on an autocommit connection kept
    outside the pool.
    """

    QUERY = "SELECT value FROM generation WHERE id = 1"

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._local = threading.local()
        self._opened: list[Any] = []
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close every thread's connection (when the app is done, e.g. in tests)."""
        with self._lock:
            opened, self._opened = self._opened, []
        for conn in opened:
            conn.close()  # a detached connection really closes
        self._local = threading.local()

    def read(self) -> int:
        """Return the current generation.

        Raises:
            sqlalchemy.exc.DBAPIError: the database did not answer.
        """
        conn = getattr(self._local, "conn", None)
        try:
            if conn is None:
                conn = self._engine.raw_connection()
                if self._engine.dialect.name == "postgresql":
                    conn.driver_connection.autocommit = True  # type: ignore[union-attr]
                conn.detach()
                self._local.conn = conn
                with self._lock:
                    self._opened.append(conn)
            cursor = conn.cursor()
            cursor.execute(self.QUERY)
            row = cursor.fetchone()
            cursor.close()
        except Exception:
            self._local.conn = None
            if conn is not None:
                conn.close()
            raise
        return int(row[0]) if row else 0


def init_app(app: Flask) -> None:
    """Create the app's engine and close each request's connection after it."""
    app.extensions[_ENGINE] = make_engine(app.config["DATABASE_URL"])
    app.extensions[_GENERATION] = GenerationReader(app.extensions[_ENGINE])
    # Per request, not per app context: a read transaction never outlives its
    # request, even where one app context serves several (tests, CLI).
    app.teardown_request(_close_conn)
    app.teardown_appcontext(_close_conn)


def get_engine() -> Engine:
    engine: Engine = current_app.extensions[_ENGINE]
    return engine


def generation_reader(app: Flask) -> GenerationReader:
    reader: GenerationReader = app.extensions[_GENERATION]
    return reader


def get_conn() -> Connection:
    """Return this request's connection, opened on first use."""
    if "db_conn" not in g:
        g.db_conn = get_engine().connect()
    conn: Connection = g.db_conn
    return conn


@contextmanager
def transaction() -> Iterator[Connection]:
    """Open a write transaction on a connection of its own; commit or roll back."""
    with get_engine().begin() as conn:
        yield conn


def _close_conn(_exc: BaseException | None) -> None:
    conn = g.pop("db_conn", None)
    if conn is not None:
        conn.close()


def _alembic_config(engine: Engine) -> Config:
    # Alembic is imported where it is used: serving requests never needs it
    # but /readyz, and each worker saves its memory.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration."""
    from alembic import command

    command.upgrade(_alembic_config(engine), "head")


def schema_is_current(conn: Connection) -> bool:
    """Tell whether the database is at the newest migration."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config(conn.engine)).get_current_head()
    return MigrationContext.configure(conn).get_current_revision() == head
