"""Fixtures: the app on SQLite always and on PostgreSQL when BRIEFING_TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from flask import Flask

from service import create_app
from service.store import generation_reader, get_engine, upgrade

POSTGRES_URL = os.environ.get("BRIEFING_TEST_DATABASE_URL")
SEEDS = Path(__file__).parent.parent / "seeds"
TOKEN = "test-token-0123456789"
DATABASES = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(
                not POSTGRES_URL, reason="BRIEFING_TEST_DATABASE_URL is not set"
            ),
        ],
    ),
]


def make_article(day: str, *blocks: str, question: str = "") -> bytes:
    """Build an article: the header (with an optional question), then blank-line separated blocks."""
    header = f"date {day} {question}".rstrip()
    return "\n\n".join([header, *blocks]).encode("utf-8") + b"\n"


@pytest.fixture(autouse=True)
def _no_briefing_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's BRIEFING_* settings never leak into a test."""
    for name in list(os.environ):
        if name.startswith("BRIEFING_"):
            monkeypatch.delenv(name)


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A URL for a fresh PostgreSQL schema of its own, dropped afterwards."""
    assert POSTGRES_URL
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'briefing.sqlite3'}"
        return
    with postgres_schema() as url:
        yield url


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "API_TOKENS": (TOKEN,),
        }
    )
    with app.app_context():
        upgrade(get_engine())
    yield app
    generation_reader(app).close()
    with app.app_context():
        get_engine().dispose()


@pytest.fixture
def engine(app: Flask) -> sa.Engine:
    with app.app_context():
        return get_engine()


@pytest.fixture
def seeded(app: Flask, runner) -> Flask:
    result = runner.invoke(args=["ingest", str(SEEDS)])
    assert result.exit_code == 0, result.output
    return app


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class LiveServer:
    url: str
    log: Path


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """briefing under real gunicorn (the project's settings) on SQLite with the seeds.

    Shared by the session: tests that write (schemathesis among them) change
    what it holds. A test that needs the seeds as they are takes `seeded_server`.
    """
    with serve_seeds(tmp_path_factory.mktemp("live")) as server:
        yield server


@pytest.fixture(scope="module")
def seeded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A live server of the module's own, holding the seeds and nothing else."""
    with serve_seeds(tmp_path_factory.mktemp("seeded")) as server:
        yield server


def wait_until_healthy(
    base: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 30
) -> None:
    """Wait for a started server's /healthz; its log in the error if it dies first."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(log.read_text()) from None
            time.sleep(0.1)


@contextmanager
def serve_seeds(folder: Path) -> Iterator[LiveServer]:
    """Run briefing under real gunicorn on a SQLite file in `folder`, with the seeds."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")},
        "BRIEFING_DATABASE_URL": f"sqlite:///{folder / 'briefing.sqlite3'}",
        "BRIEFING_API_TOKENS": TOKEN,
        # Shared by many tests (schemathesis sends hundreds of 401s): the limit
        # on failed authentication is tested on servers of its own.
        "BRIEFING_AUTH_FAILURE_LIMIT": "100000 per minute",
    }
    bin_dir = Path(sys.executable).parent
    for args in (["db", "upgrade"], ["ingest", str(SEEDS)]):
        subprocess.run(
            [bin_dir / "briefing", *args], env=env, check=True, capture_output=True
        )
    port = free_port()
    log = (folder / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [
            bin_dir / "gunicorn",
            "-c",
            "python:service.gunicorn_conf",
            "--bind",
            f"127.0.0.1:{port}",
            "service:create_app()",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, server, folder / "gunicorn.log")
        yield LiveServer(base, folder / "gunicorn.log")
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def latest_answer(conn: sa.Connection, question_id: str):
    """The latest version of a question, or None (store-level, for tests)."""
    from service.store import versions

    found = versions.history(conn, question_id)
    if found is None:
        return None
    return versions.answer(conn, found, len(found.versions) - 1)


def answer_on(conn: sa.Connection, question_id: str, day, *, exact: bool = False):
    """The version a date picks (as of it, or published exactly on it), or None."""
    from service.store import versions

    found = versions.history(conn, question_id)
    if found is None:
        return None
    index = found.pick(day, versions.Match.EXACT if exact else versions.Match.AS_OF)
    return None if index is None else versions.answer(conn, found, index)


def list_answers(conn: sa.Connection, question_id: str):
    """Every version of a question, oldest first (empty when it has none)."""
    from service.store import versions

    found = versions.history(conn, question_id)
    return [] if found is None else versions.answers(conn, found)
