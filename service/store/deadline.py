"""A client-side deadline on every PostgreSQL call: a watchdog cuts off a call past it.

A server stopped dead (SIGSTOP, a frozen VM, a half-open network path) fires
no statement_timeout, and its kernel still acknowledges TCP, so a client
waiting on its socket waits forever, and so does every thread of a worker,
/healthz included. The deadline is therefore the client's: each call to the
database (execute, commit, rollback, the pool's ping) is armed here, and one
watchdog thread per process shuts down the socket of a call that runs past
it. psycopg then raises OperationalError at once, SQLAlchemy sees a
disconnect and drops the connection from its pool, and the request gets a
503 problem.

SQLite needs none of this: its waits are for locks, bounded by busy_timeout.
"""

from __future__ import annotations

import itertools
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine

from service.errors import StoreUnavailable

log = logging.getLogger("briefing.store")
# How often the watchdog looks: a call is cut off at most this late.
TICK_S = 0.1
# The dialect methods that wait on the server; the first argument of each is
# a DBAPI cursor (the do_execute family) or a DBAPI connection.
_CURSOR_CALLS = ("do_execute", "do_executemany", "do_execute_no_params")
_CONNECTION_CALLS = ("do_commit", "do_rollback", "do_ping")


class Watchdog:
    """The deadlines of the calls in flight in this process, and their watchdog."""

    def __init__(self) -> None:
        self._armed: dict[int, tuple[float, Any]] = {}
        self._lock = threading.Lock()
        self._tokens = itertools.count()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._local = threading.local()

    def arm(self, dbapi_conn: Any, timeout: float) -> int | None:
        """Start the clock for a call on `dbapi_conn`; return the token to disarm it."""
        if getattr(self._local, "unbounded", False):
            return None
        if self._pid != os.getpid():  # none yet, or a fork left it behind
            self._start()
        token = next(self._tokens)
        deadline = time.monotonic() + timeout
        with self._lock:
            self._armed[token] = (deadline, dbapi_conn)
        return token

    def disarm(self, token: int | None) -> bool:
        """Stop the clock; tell whether the watchdog cut the call off."""
        if token is None:
            return False
        with self._lock:
            return self._armed.pop(token, None) is None

    @contextmanager
    def unbounded(self) -> Iterator[None]:
        """Let this thread's calls take as long as they take (bulk loads)."""
        before = getattr(self._local, "unbounded", False)
        self._local.unbounded = True
        try:
            yield
        finally:
            self._local.unbounded = before

    def _start(self) -> None:
        with self._lock:
            if self._pid == os.getpid():
                return
            self._armed.clear()  # calls of the parent process
            self._thread = threading.Thread(
                target=self._watch, name="briefing-db-deadline", daemon=True
            )
            self._thread.start()
            self._pid = os.getpid()

    def _watch(self) -> None:
        while True:
            time.sleep(TICK_S)
            now = time.monotonic()
            # Under the lock: a call disarmed meanwhile may close its
            # connection, and its descriptor may then belong to another file.
            with self._lock:
                late = [
                    t for t, (deadline, _) in self._armed.items() if deadline <= now
                ]
                cut = sum(_cut_off(self._armed.pop(token)[1]) for token in late)
            if cut:
                log.warning("database calls cut off after their deadline: %d", cut)


def _cut_off(dbapi_conn: Any) -> bool:
    try:
        fd = dbapi_conn.fileno()
        # A duplicate of the descriptor: shutdown acts on the socket itself,
        # and closing the duplicate leaves psycopg's descriptor to psycopg.
        with socket.socket(fileno=os.dup(fd)) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except Exception:  # already closed or broken: nothing left to cut off
        return False
    return True


WATCHDOG = Watchdog()


class Breaker:
    """Fail fast while the database is known to be unreachable.

    Bounding each wait is not enough: a worker's threads would all spend
    their seconds on a dead server, and /healthz would queue behind them.
    Once a call was cut off, lost its connection or could not connect,
    requests are refused at once (503) for RETRY_S; then one request at a
    time probes, and the first call that succeeds closes the breaker.
    """

    RETRY_S = 1.0

    def __init__(self, timeout: float) -> None:
        # A probe may wait out a cut-off ping and a connect timeout.
        self._probe_s = 3 * timeout + TICK_S
        self._tripped = False
        self._open_until = 0.0
        self._lock = threading.Lock()

    def admit(self) -> None:
        """Let a request use the database, or refuse it while the breaker is open.

        Raises:
            StoreUnavailable: the database failed moments ago.
        """
        if not self._tripped:
            return
        now = time.monotonic()
        with self._lock:
            if now < self._open_until:
                raise StoreUnavailable("the database is unavailable; try again shortly")
            self._open_until = now + self._probe_s  # this request probes

    def trip(self) -> None:
        """The database failed: refuse requests for RETRY_S."""
        with self._lock:
            if not self._tripped:
                log.warning("database unreachable: refusing requests until it answers")
            self._tripped = True
            self._open_until = time.monotonic() + self.RETRY_S

    def succeeded(self) -> None:
        """A call got its answer: the database is back."""
        if self._tripped:
            with self._lock:
                self._tripped = False
            log.warning("database answers again")


def watch(engine: Engine, timeout: float) -> Breaker:
    """Arm the watchdog around every call the engine's dialect makes to the server.

    Returns the engine's breaker, which those calls trip and close.
    """
    breaker = Breaker(timeout)
    dialect = engine.dialect
    for name in _CURSOR_CALLS:
        call = getattr(dialect, name)
        setattr(dialect, name, _guarded(call, timeout, breaker, cursor=True))
    for name in _CONNECTION_CALLS:
        call = getattr(dialect, name)
        setattr(dialect, name, _guarded(call, timeout, breaker, cursor=False))
    connect = dialect.connect

    def connect_or_trip(*args: Any, **kwargs: Any) -> Any:
        # connect_timeout bounds it; a failure means the server is out of reach.
        try:
            return connect(*args, **kwargs)
        except Exception:
            breaker.trip()
            raise

    setattr(dialect, "connect", connect_or_trip)  # noqa: B010 - an instance's method
    return breaker


def _guarded(
    call: Callable[..., Any], timeout: float, breaker: Breaker, *, cursor: bool
) -> Callable[..., Any]:
    def guarded(target: Any, *args: Any, **kwargs: Any) -> Any:
        token = WATCHDOG.arm(target.connection if cursor else target, timeout)
        try:
            result = call(target, *args, **kwargs)
        except BaseException:
            conn = target.connection if cursor else target
            if WATCHDOG.disarm(token) or _lost(conn):
                breaker.trip()
            raise
        WATCHDOG.disarm(token)
        breaker.succeeded()
        return result

    return guarded


def _lost(dbapi_conn: Any) -> bool:
    """Whether a failed call left its connection unusable (psycopg's flags)."""
    return bool(
        getattr(dbapi_conn, "broken", False) or getattr(dbapi_conn, "closed", False)
    )


@contextmanager
def guard(dbapi_conn: Any, timeout: float, breaker: Breaker) -> Iterator[None]:
    """Arm the watchdog around calls made on a raw DBAPI connection."""
    token = WATCHDOG.arm(dbapi_conn, timeout)
    try:
        yield
    except BaseException:
        if WATCHDOG.disarm(token) or _lost(dbapi_conn):
            breaker.trip()
        raise
    WATCHDOG.disarm(token)
    breaker.succeeded()
