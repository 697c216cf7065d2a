"""Faults against real servers: a frozen or stopped PostgreSQL, SQLite lock contention,
SIGTERM under keep-alive traffic, kill -9 mid-ingest, racing replicas, and logs.

The PostgreSQL here is a private server started for this module (initdb and
pg_ctl on a free port), so it can be frozen and stopped without touching any
other.
"""

from __future__ import annotations

import glob
import http.client
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import SEEDS, TOKEN, free_port, make_article

BIN = Path(sys.executable).parent
INITDB = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
PG_BIN = Path(INITDB[-1]).parent if INITDB else None
MARKER = "Geheimnisvolle-Markierung-7f3a9c"
STAND = "was-ist-der-derzeitige-stand-der-friedensgespraeche_f4e79409f3"

pytestmark = pytest.mark.faults
needs_postgres = pytest.mark.skipif(
    PG_BIN is None, reason="PostgreSQL's server binaries (initdb) are not installed"
)


# --- A private PostgreSQL server -------------------------------------------


@dataclass
class PrivatePostgres:
    """A PostgreSQL server of this module's own, to freeze, stop and start."""

    folder: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _as_owner(self, *args: str) -> list[str]:
        # initdb and the server refuse to run as root.
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return [*prefix, *args]

    def _pg_ctl(self, *args: str) -> None:
        assert PG_BIN
        subprocess.run(
            self._as_owner(str(PG_BIN / "pg_ctl"), "-D", str(self.folder), *args),
            check=True,
            capture_output=True,
        )

    def init(self) -> None:
        assert PG_BIN
        self.folder.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        subprocess.run(
            self._as_owner(
                str(PG_BIN / "initdb"),
                "-D",
                str(self.folder),
                "-U",
                "postgres",
                "--auth=trust",
                "--no-sync",
            ),
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off"
        )
        self._pg_ctl("-o", options, "-w", "-l", str(self.folder / "log"), "start")

    def stop(self) -> None:
        self._pg_ctl("-m", "fast", "-w", "stop")

    def pids(self) -> list[int]:
        """The postmaster and every process it started (backends, writers)."""
        master = int((self.folder / "postmaster.pid").read_text().split()[0])
        children = []
        for stat in glob.glob("/proc/[0-9]*/stat"):
            with suppress(OSError, IndexError, ValueError):
                fields = Path(stat).read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == master:
                    children.append(int(Path(stat).parent.name))
        return [master, *children]

    def signal(self, signum: int) -> None:
        for pid in self.pids():
            with suppress(ProcessLookupError):
                os.kill(pid, signum)

    @contextmanager
    def frozen(self) -> Iterator[None]:
        """The whole server stopped dead (SIGSTOP), as a frozen VM would be."""
        self.signal(signal.SIGSTOP)
        try:
            yield
        finally:
            self.signal(signal.SIGCONT)


@pytest.fixture(scope="module")
def private_postgres() -> Iterator[PrivatePostgres]:
    if PG_BIN is None:
        pytest.skip("PostgreSQL's server binaries (initdb) are not installed")
    # Not under pytest's temporary folder: as root, that is closed to the
    # postgres user the server runs as.
    top = Path(tempfile.mkdtemp(prefix="briefing-pg-"))
    top.chmod(0o755)
    server = PrivatePostgres(top / "data", free_port())
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.signal(signal.SIGCONT)
        with suppress(subprocess.CalledProcessError, OSError):
            server.stop()
        shutil.rmtree(top, ignore_errors=True)


def fresh_postgres_database(server: PrivatePostgres, name: str) -> str:
    admin = sa.create_engine(server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return server.url.rsplit("/", 1)[0] + f"/{name}"


# --- gunicorn ----------------------------------------------------------------


def briefing_env(database_url: str, **extra: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")},
        "BRIEFING_DATABASE_URL": database_url,
        "BRIEFING_API_TOKENS": TOKEN,
        **extra,
    }


def briefing(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "briefing"), *args], env=env, capture_output=True, text=True
    )


@dataclass
class Gunicorn:
    process: subprocess.Popen[bytes]
    port: int
    stdout: Path
    stderr: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def logs(self) -> str:
        return self.stdout.read_text(errors="replace") + self.stderr.read_text(
            errors="replace"
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_gunicorn(
    env: dict[str, str], folder: Path, name: str = "gunicorn"
) -> Gunicorn:
    port = free_port()
    stdout, stderr = folder / f"{name}.out", folder / f"{name}.err"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "-c",
                "python:service.gunicorn_conf",
                "--bind",
                f"127.0.0.1:{port}",
                "service:create_app()",
            ],
            env=env,
            stdout=out,
            stderr=err,
        )
    server = Gunicorn(process, port, stdout, stderr)
    deadline = time.monotonic() + 30
    while True:
        try:
            if call(server.url, "GET", "/healthz").status == 200:
                return server
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(server.logs())
        time.sleep(0.1)


@contextmanager
def serving(
    env: dict[str, str], folder: Path, name: str = "gunicorn"
) -> Iterator[Gunicorn]:
    server = start_gunicorn(env, folder, name)
    try:
        yield server
    finally:
        server.stop()


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float = 0.0

    def problem(self) -> dict[str, Any]:
        assert self.headers.get("content-type") == "application/problem+json", self
        problem: dict[str, Any] = json.loads(self.body)
        return problem


def call(
    base: str,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> Reply:
    """One request on a connection of its own."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    started = time.monotonic()
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        found = {k.lower(): v for k, v in response.getheaders()}
        return Reply(response.status, found, data, time.monotonic() - started)
    finally:
        conn.close()


AUTH = {"Authorization": f"Bearer {TOKEN}"}


def post_article(base: str, text: bytes, source: str = "fault.txt") -> Reply:
    return call(
        base,
        "POST",
        f"/v1/articles?source={source}",
        text,
        {**AUTH, "Content-Type": "text/plain"},
    )


def is_503_problem(reply: Reply) -> bool:
    return reply.status == 503 and reply.problem()["status"] == 503


# --- a frozen PostgreSQL -----------------------------------------------------


@needs_postgres
@pytest.mark.slow
def test_a_frozen_postgresql_gets_503s_in_seconds_and_healthz_answers(
    private_postgres: PrivatePostgres, tmp_path: Path
) -> None:
    """SIGSTOP on the whole server: every request is a 503 problem long before it thaws."""
    url = fresh_postgres_database(private_postgres, "frozen")
    env = briefing_env(url)
    assert briefing(env, "db", "upgrade").returncode == 0
    assert briefing(env, "ingest", str(SEEDS)).returncode == 0
    freeze_s = 10.0
    with serving(env, tmp_path) as server:
        paths = [
            "/v1/questions",
            f"/v1/questions/{STAND}",
            f"/v1/questions/{STAND}/latest",
            "/v1/articles",
            "/readyz",
        ]
        for path in paths:  # every worker thread has a pooled connection
            assert call(server.url, "GET", path).status == 200
        with private_postgres.frozen(), ThreadPoolExecutor(12) as pool:
            started = time.monotonic()
            # More requests than the 2 workers x 4 threads: a bound that only
            # freed threads once the database thawed would starve /healthz.
            gets = [
                pool.submit(call, server.url, "GET", paths[i % 5]) for i in range(10)
            ]
            text = make_article("2026-05-01", "Wer?", "Er.")
            posted = pool.submit(post_article, server.url, text)
            time.sleep(0.5)
            health = call(server.url, "GET", "/healthz", timeout=freeze_s)
            replies = [f.result() for f in gets]
            write = posted.result()
            elapsed = time.monotonic() - started
        print(
            "\nfrozen PostgreSQL: GET latencies "
            f"{sorted(round(r.seconds, 2) for r in replies)} s, "
            f"POST {write.seconds:.2f} s, /healthz {health.seconds:.3f} s"
        )
        assert elapsed < freeze_s, "requests waited for the database to thaw"
        for reply in [*replies, write]:
            assert is_503_problem(reply), reply
        assert health.status == 200
        # Thawed, the same processes serve again: the cut-off connections
        # were dropped from the pools.
        # Each worker closes its own breaker on its first success: wait until
        # passes in a row (which meet both workers) all succeed.
        deadline, in_a_row = time.monotonic() + 15, 0
        while time.monotonic() < deadline and in_a_row < 5:
            ok = all(call(server.url, "GET", p).status == 200 for p in paths)
            in_a_row = in_a_row + 1 if ok else 0
            time.sleep(0.1 if ok else 0.3)
        assert in_a_row == 5, "the service did not recover after the thaw"
        assert "Traceback" not in server.stderr.read_text()


@needs_postgres
@pytest.mark.slow
def test_postgresql_stopped_and_restarted_under_load_gives_503s_then_recovers(
    private_postgres: PrivatePostgres, tmp_path: Path
) -> None:
    url = fresh_postgres_database(private_postgres, "restarted")
    env = briefing_env(url)
    assert briefing(env, "db", "upgrade").returncode == 0
    assert briefing(env, "ingest", str(SEEDS)).returncode == 0
    replies: list[Reply] = []
    stop = threading.Event()

    def load(worker: int) -> None:
        n = 0
        while not stop.is_set():
            n += 1
            if n % 5 == 0:
                text = make_article("2026-06-01", f"Frage {worker} {n}?", "Antwort.")
                replies.append(post_article(server.url, text))
            else:
                replies.append(call(server.url, "GET", f"/v1/questions/{STAND}"))

    with serving(env, tmp_path) as server:
        threads = [threading.Thread(target=load, args=(i,)) for i in range(4)]
        for thread in threads:
            thread.start()
        try:
            time.sleep(1)
            private_postgres.stop()
            time.sleep(3)
            private_postgres.start()
            time.sleep(3)
        finally:
            stop.set()
            for thread in threads:
                thread.join()
        statuses = [r.status for r in replies]
        print(
            f"\nstop/start under load: {len(replies)} replies, {statuses.count(503)} 503s"
        )
        assert 503 in statuses
        for reply in replies:
            assert reply.status in (200, 201) or is_503_problem(reply), reply
        # Recovered without a restart of the service.
        # Each worker closes its own breaker: wait for 8 successes in a row.
        deadline, in_a_row = time.monotonic() + 15, 0
        path = f"/v1/questions/{STAND}"
        while in_a_row < 8:
            assert time.monotonic() < deadline, "no recovery after the restart"
            ok = call(server.url, "GET", path).status == 200
            in_a_row = in_a_row + 1 if ok else 0
            time.sleep(0.05 if ok else 0.2)
        assert (
            post_article(server.url, make_article("2026-06-02", "Neu?", "Ja.")).status
            == 201
        )


# --- no article text or token in any log ------------------------------------


@contextmanager
def sqlite_write_lock(path: Path) -> Iterator[None]:
    """Another process's writer holding SQLite's write lock."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


@contextmanager
def postgres_table_lock(url: str) -> Iterator[None]:
    """Another session holding the articles table: an INSERT waits for its lock."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        conn.exec_driver_sql("LOCK TABLE articles IN EXCLUSIVE MODE")
        try:
            yield
        finally:
            conn.rollback()
    engine.dispose()


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=needs_postgres)]
)
def test_a_failed_write_logs_neither_article_text_nor_token(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    if backend == "sqlite":
        path = tmp_path / "briefing.sqlite3"
        url = f"sqlite:///{path}"
        locked: Callable[[], Any] = lambda: sqlite_write_lock(path)  # noqa: E731
    else:
        server: PrivatePostgres = request.getfixturevalue("private_postgres")
        url = fresh_postgres_database(server, "logs")
        locked = lambda: postgres_table_lock(url)  # noqa: E731
    env = briefing_env(url, BRIEFING_DB_TIMEOUT="1", BRIEFING_LOG_LEVEL="DEBUG")
    assert briefing(env, "db", "upgrade").returncode == 0
    text = make_article("2026-07-01", f"Was steht in {MARKER}?", f"Das: {MARKER}.")
    with serving(env, tmp_path) as gunicorn:
        with locked():
            reply = post_article(gunicorn.url, text, source=f"{MARKER}.txt")
        assert is_503_problem(reply), reply
        logs = gunicorn.logs()
    assert "database unavailable" in logs  # the failure was logged ...
    assert MARKER not in logs  # ... without the text or the source
    assert TOKEN not in logs


# --- SQLite under concurrent writers ------------------------------------------


def write_articles(
    folder: Path, count: int, records: Callable[[int], int]
) -> list[bytes]:
    folder.mkdir(exist_ok=True)
    texts = []
    for i in range(count):
        blocks = []
        for r in range(records(i)):
            blocks += [f"Frage {r} zu Nummer {i}?", f"Antwort {r} auf {i}."]
        text = make_article(f"20{10 + i % 15:02d}-0{1 + i % 9}-1{i % 10}", *blocks)
        (folder / f"{i:05d}.txt").write_bytes(text)
        texts.append(text)
    return texts


@pytest.mark.slow
def test_concurrent_deletes_on_sqlite_all_succeed(tmp_path: Path) -> None:
    """Writers take SQLite's write lock up front, so they queue instead of failing."""
    env = briefing_env(f"sqlite:///{tmp_path / 'briefing.sqlite3'}")
    assert briefing(env, "db", "upgrade").returncode == 0
    statuses: list[int] = []
    with serving(env, tmp_path) as server:
        for round_ in range(3):
            texts = [
                make_article(
                    f"2026-08-{i + 1:02d}", f"Runde {round_} Frage {i}?", "Ja."
                )
                for i in range(20)
            ]
            ids = [post_article(server.url, t).headers["location"] for t in texts]
            barrier = threading.Barrier(len(ids))

            def delete(location: str, barrier: threading.Barrier = barrier) -> int:
                barrier.wait()
                return call(server.url, "DELETE", location, headers=AUTH).status

            with ThreadPoolExecutor(len(ids)) as pool:
                statuses += pool.map(delete, ids)
    print(f"\nconcurrent DELETEs on SQLite: {statuses.count(204)}/{len(statuses)} 204")
    assert statuses == [204] * 60


@pytest.mark.slow
def test_concurrent_db_upgrades_of_a_fresh_sqlite_file_all_succeed(
    tmp_path: Path,
) -> None:
    for attempt in range(3):
        path = tmp_path / f"fresh-{attempt}.sqlite3"
        env = briefing_env(f"sqlite:///{path}")
        upgrades = [
            subprocess.Popen(
                [str(BIN / "briefing"), "db", "upgrade"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
            for _ in range(10)
        ]
        outputs = [u.communicate(timeout=120)[0].decode() for u in upgrades]
        failed = [o for u, o in zip(upgrades, outputs, strict=True) if u.returncode]
        assert failed == [], failed[0]
        check = briefing(env, "db", "upgrade")
        assert check.returncode == 0, check.stderr


# --- SIGTERM under keep-alive traffic ------------------------------------------


@dataclass
class Tally:
    answered: int = 0
    refused: int = 0
    # Requests sent again, once, on a new connection: theirs was closed or
    # reset before any response (RFC 9112 section 9.3.1).
    retried: int = 0
    errors: list[str] = field(default_factory=list)


def keep_alive_client(port: int, tally: Tally, lock: threading.Lock) -> None:
    """Requests in a loop on one kept-alive connection, reconnecting when told to close.

    Ends at the first refused connect: the server has gone. A GET whose
    connection is closed or reset before any response is sent again once on
    a new connection, as HTTP clients may (RFC 9112 section 9.3.1): a worker
    closing its listener resets a connection the kernel queued after the
    worker's last accept, and no server can close one without that race. A
    second failure counts.
    """
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    again = False
    while True:
        if conn.sock is None:
            try:
                conn.connect()
            except ConnectionRefusedError:
                with lock:
                    tally.refused += 1
                return
        try:
            conn.request("GET", f"/v1/questions/{STAND}")
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"status {response.status}")
        except (ConnectionResetError, http.client.RemoteDisconnected) as exc:
            conn.close()
            with lock:
                if not again:
                    tally.retried += 1
                    again = True
                    continue
                tally.errors.append(repr(exc))
            return
        except Exception as exc:  # noqa: BLE001 - every failure is counted
            with lock:
                tally.errors.append(repr(exc))
            conn.close()
            return
        again = False
        with lock:
            tally.answered += 1


@pytest.mark.slow
def test_sigterm_under_keep_alive_traffic_resets_no_connection(tmp_path: Path) -> None:
    """Every request is answered, or its connection refused at connect (a
    request whose connection was reset before any response is sent again
    once, and then must be answered or refused)."""
    env = briefing_env(f"sqlite:///{tmp_path / 'briefing.sqlite3'}")
    assert briefing(env, "db", "upgrade").returncode == 0
    assert briefing(env, "ingest", str(SEEDS)).returncode == 0
    results = []
    for run in range(3):
        server = start_gunicorn(env, tmp_path, f"gunicorn-{run}")
        tally, lock = Tally(), threading.Lock()
        clients = [
            threading.Thread(target=keep_alive_client, args=(server.port, tally, lock))
            for _ in range(8)
        ]
        for client in clients:
            client.start()
        time.sleep(1.0)
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=30)
        for client in clients:
            client.join(timeout=30)
        results.append(tally)
        assert server.process.returncode == 0, server.logs()
    print(
        "\nSIGTERM under keep-alive traffic: "
        + "; ".join(
            f"{t.answered} answered, {t.refused} refused, {t.retried} retried, "
            f"{len(t.errors)} errors"
            for t in results
        )
    )
    for tally in results:
        assert tally.errors == []
        assert tally.answered > 0


# --- kill -9 during a bulk ingest ---------------------------------------------


def stored_record_counts(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT a.sha256, COUNT(r.pk) FROM articles a "
            "LEFT JOIN records r ON r.article_pk = a.pk GROUP BY a.sha256"
        ).all()
    engine.dispose()
    return {sha: count for sha, count in rows}


def article_count(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return int(
                conn.exec_driver_sql("SELECT COUNT(*) FROM articles").scalar_one()
            )
    except sa.exc.DBAPIError:
        return 0
    finally:
        engine.dispose()


@pytest.mark.slow
@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=needs_postgres)]
)
def test_kill_9_during_bulk_ingest_leaves_no_partial_article(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    import hashlib

    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'briefing.sqlite3'}"
    else:
        server: PrivatePostgres = request.getfixturevalue("private_postgres")
        url = fresh_postgres_database(server, "killed")
    env = briefing_env(url)
    assert briefing(env, "db", "upgrade").returncode == 0
    texts = write_articles(tmp_path / "bulk", 3000, lambda i: 1 + i % 4)
    expected = {hashlib.sha256(t).hexdigest(): 1 + i % 4 for i, t in enumerate(texts)}
    ingest = subprocess.Popen(
        [str(BIN / "briefing"), "ingest", str(tmp_path / "bulk")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    # Killed once a batch is in: the next one is then being written.
    deadline = time.monotonic() + 60
    while article_count(url) == 0 and time.monotonic() < deadline:
        assert ingest.poll() is None, "the ingest ended before it could be killed"
        time.sleep(0.05)
    os.killpg(ingest.pid, signal.SIGKILL)
    ingest.wait()
    stored = stored_record_counts(url)
    print(
        f"\nkill -9 mid-ingest ({backend}): {len(stored)} of {len(texts)} articles stored"
    )
    assert 0 < len(stored) < len(texts)
    assert {sha: count for sha, count in stored.items()} == {
        sha: expected[sha] for sha in stored
    }


# --- the same article at once to two replicas ---------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=needs_postgres)]
)
def test_the_same_article_posted_at_once_to_two_replicas_is_stored_once(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'briefing.sqlite3'}"
    else:
        server: PrivatePostgres = request.getfixturevalue("private_postgres")
        url = fresh_postgres_database(server, "replicas")
    env = briefing_env(url)
    assert briefing(env, "db", "upgrade").returncode == 0
    with serving(env, tmp_path, "a") as first, serving(env, tmp_path, "b") as second:
        for i in range(5):
            text = make_article(
                f"2026-09-{i + 1:02d}", "Wer war zuerst?", f"Nummer {i}."
            )
            barrier = threading.Barrier(2)

            def post(
                base: str, body: bytes = text, barrier: threading.Barrier = barrier
            ) -> Reply:
                barrier.wait()
                return post_article(base, body)

            with ThreadPoolExecutor(2) as pool:
                replies = list(pool.map(post, [first.url, second.url]))
            assert sorted(r.status for r in replies) == [200, 201], replies
            first_path, second_path = (
                r.headers["location"].split("/", 3)[3] for r in replies
            )
            assert first_path == second_path
    assert article_count(url) == 5
