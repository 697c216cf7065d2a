"""The store: engine and per-request connection, migrations, schema checks.

SQLite (the default, a file in the instance folder) and PostgreSQL (by URL)
run the same code; see tables.py, ingest.py and queries.py.
"""

from __future__ import annotations

import logging
import math
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from flask import Flask, current_app, g
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from service.store import deadline

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
# The longest a request waits on the database by default (BRIEFING_DB_TIMEOUT):
# to connect, for a lock, for a statement. Past it the request gets a 503.
DB_TIMEOUT_S = 2
# How long `briefing db upgrade` waits for another's: a migration may rightly
# run long (an index on a big table).
UPGRADE_TIMEOUT_S = 10 * 60
SQLITE_CACHE_KIB = 128
# How long a bulk load's batch waits for SQLite's write lock (another batch, or
# a back-fill running beside the service).
BULK_BUSY_TIMEOUT_MS = 60_000
# An execution option of a connection whose transaction will write: on SQLite
# it begins with BEGIN IMMEDIATE, taking the write lock before the first read.
WRITE = "briefing_write"
log = logging.getLogger("briefing.store")
_ENGINE = "briefing.engine"
_GENERATION = "briefing.generation"
# PostgreSQL engines' breakers (deadline.Breaker); SQLite has none.
_BREAKERS: weakref.WeakKeyDictionary[Engine, deadline.Breaker] = (
    weakref.WeakKeyDictionary()
)


def make_engine(url: str, *, timeout: float = DB_TIMEOUT_S) -> Engine:
    """Create the engine for a database URL; no wait on it lasts over `timeout` s.

    SQLite gets the pragmas we rely on; PostgreSQL gets connect, statement and
    lock timeouts and the client-side deadline of deadline.py.
    """
    # JSON columns (a record's paragraphs) through orjson, not the json module.
    # hide_parameters: an error's message must never carry article text (the
    # parameters of an INSERT) into a log line.
    common: dict[str, Any] = {
        "json_serializer": _json_text,
        "json_deserializer": orjson.loads,
        "hide_parameters": True,
    }
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(
            url,
            pool_pre_ping=True,
            pool_timeout=timeout,
            connect_args=_postgres_connect_args(parsed, timeout),
            **common,
        )
        _BREAKERS[engine] = deadline.watch(engine, timeout)
        return engine
    engine = create_engine(url, connect_args={"timeout": timeout}, **common)
    busy_timeout_ms = round(timeout * 1000)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin, so a
        # transaction is exactly what `with conn.begin()` says it is.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # The OS page cache holds the file. SQLite's own default of 2 MiB per
        # connection, two connections per thread, made a worker up to 10 MB
        # bigger and lookups at 1,000,000 answers hardly faster (16.4 us
        # against 17.6 us with 128 KiB).
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A read transaction that later writes cannot wait for the write lock:
        # SQLite fails it at once with "database is locked" (its snapshot may
        # be stale). A writer therefore takes the lock first, and waits for it
        # up to the busy timeout.
        write = conn.get_execution_options().get(WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _postgres_connect_args(url: URL, timeout: float) -> dict[str, Any]:
    """psycopg's connect, statement and lock timeouts, beside the URL's `options`."""
    milliseconds = round(timeout * 1000)
    given = url.query.get("options")
    options = [given] if isinstance(given, str) else list(given or ())
    options += [
        f"-c statement_timeout={milliseconds}",
        f"-c lock_timeout={milliseconds}",
    ]
    # libpq counts whole seconds, and at least 2.
    return {"connect_timeout": max(2, math.ceil(timeout)), "options": " ".join(options)}


@contextmanager
def begin_write(engine: Engine, *, bulk: bool = False) -> Iterator[Connection]:
    """Open a write transaction on a connection of its own; commit or roll back.

    `bulk` (the command line's batches of articles) lifts the statement
    deadline: a batch may rightly take longer than a request may wait.
    """
    with engine.connect() as conn:
        conn.execution_options(**{WRITE: True})
        sqlite_busy_ms = None
        if bulk and conn.dialect.name == "sqlite":
            # Wait for the write lock as long as a batch may hold it.
            sqlite_busy_ms = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
            conn.exec_driver_sql(f"PRAGMA busy_timeout={BULK_BUSY_TIMEOUT_MS}")
            conn.commit()
        try:
            with (
                deadline.WATCHDOG.unbounded() if bulk else nullcontext(),
                conn.begin(),
            ):
                if bulk and conn.dialect.name == "postgresql":
                    conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
                yield conn
        finally:
            if sqlite_busy_ms is not None:
                conn.exec_driver_sql(f"PRAGMA busy_timeout={sqlite_busy_ms}")
                conn.commit()


def _json_text(value: Any) -> str:
    return orjson.dumps(value).decode()


class GenerationReader:
    """Read the data generation cheaply, on a connection of each thread's own.

    The generation is the greatest id in the change log: every write appends
    to it, and its ids become visible in order (ingest._append_changes).
    The response cache asks on every request, so this skips SQLAlchemy's
    per-execution work: a raw DBAPI cursor on an autocommit connection kept
    outside the pool.
    """

    QUERY = "SELECT max(id) FROM changes"

    def __init__(self, engine: Engine, *, timeout: float = DB_TIMEOUT_S) -> None:
        self._engine = engine
        self._timeout = timeout
        # Every GET reads the generation first: on a frozen PostgreSQL this
        # read must give up by the deadline like any other (deadline.py).
        self._breaker = _BREAKERS.get(engine)
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
            StoreUnavailable: it failed moments ago (PostgreSQL's breaker is open).
        """
        conn = getattr(self._local, "conn", None)
        breaker = self._breaker  # only PostgreSQL has one
        if breaker is not None:
            breaker.admit()
        try:
            if conn is None:
                conn = self._engine.raw_connection()
                if breaker is not None:
                    conn.driver_connection.autocommit = True  # type: ignore[union-attr]
                conn.detach()
                self._local.conn = conn
                with self._lock:
                    self._opened.append(conn)
            with (
                deadline.guard(conn.dbapi_connection, self._timeout, breaker)
                if breaker is not None
                else nullcontext()
            ):
                cursor = conn.cursor()
                cursor.execute(self.QUERY)
                row = cursor.fetchone()
                cursor.close()
        except Exception:
            self._local.conn = None
            if conn is not None:
                self._discard(conn)
            raise
        return int(row[0]) if row and row[0] is not None else 0

    def _discard(self, conn: Any) -> None:
        """Drop a connection that failed: no rollback on a socket that may be cut."""
        with self._lock:
            if conn in self._opened:
                self._opened.remove(conn)
        raw = conn.dbapi_connection
        conn.invalidate()
        if raw is not None:
            with suppress(Exception):
                raw.close()


def init_app(app: Flask) -> None:
    """Create the app's engine and close each request's connection after it."""
    timeout = app.config["DB_TIMEOUT"]
    app.extensions[_ENGINE] = make_engine(app.config["DATABASE_URL"], timeout=timeout)
    app.extensions[_GENERATION] = GenerationReader(
        app.extensions[_ENGINE], timeout=timeout
    )
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
        engine = get_engine()
        _admit(engine)
        g.db_conn = engine.connect()
    conn: Connection = g.db_conn
    return conn


@contextmanager
def transaction() -> Iterator[Connection]:
    """Open a write transaction on a connection of its own; commit or roll back."""
    engine = get_engine()
    _admit(engine)
    with begin_write(engine) as conn:
        yield conn


def _admit(engine: Engine) -> None:
    breaker = _BREAKERS.get(engine)
    if breaker is not None:
        breaker.admit()


def _close_conn(_exc: BaseException | None) -> None:
    conn = g.pop("db_conn", None)
    if conn is None:
        return
    try:
        conn.close()  # rolls the read transaction back
    except DBAPIError:
        # The database went away after the view read from it: the response
        # stands, and the connection is not given back to the pool.
        log.warning("database lost while a request's connection closed")
        with suppress(SQLAlchemyError):
            conn.invalidate()


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

    database = engine.url.database
    own = engine.dialect.name == "sqlite" and database not in (None, "", ":memory:")
    if own:
        # Replicas that upgrade at once wait for each other from the first
        # statement on: the pragmas a connection runs as it opens (its switch
        # to WAL on a file no upgrade has committed to yet) included, which an
        # engine of the request timeout would give up on after 2 s.
        engine = make_engine(
            engine.url.render_as_string(hide_password=False),
            timeout=UPGRADE_TIMEOUT_S,
        )
    try:
        with deadline.WATCHDOG.unbounded():
            command.upgrade(_alembic_config(engine), "head")
    finally:
        if own:
            engine.dispose()


def schema_is_current(conn: Connection) -> bool:
    """Tell whether the database is at the newest migration."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config(conn.engine)).get_current_head()
    return MigrationContext.configure(conn).get_current_revision() == head
