"""The `briefing` command: parse, ingest, db upgrade, serve (plus Flask's own)."""

from __future__ import annotations

import functools
import gc
import itertools
import json
import os
import shutil
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext
from sqlalchemy.exc import DBAPIError

from service.errors import ArticleParseError
from service.parsing import HTML_SUFFIXES, ParsedArticle, read_article
from service.store import begin_write, get_engine, schema_is_current, search, upgrade
from service.store.ingest import Received, StoreRefused, checkpoint, save_articles

# Articles per write transaction. Bigger batches write each hot index page to
# the WAL fewer times, and hold SQLite's write lock longer: a batch of 2,000
# takes about a second on a small store, 4 to 5 s at 1,000,000 answers.
INGEST_BATCH = 2000
# A batch is written early once it holds this many bytes of articles: web
# pages of 150 kB would otherwise wait for 300 MB of them, in memory, before
# the first write, and the writer would idle while the parsers work.
INGEST_BATCH_BYTES = 8 * 1024 * 1024
# Files per task sent to a parser, and how many files may be parsed ahead of
# the writer: enough to keep the parsers busy through a batch's write, few
# enough that a large folder's parses never pile up in memory.
PARSE_CHUNK = 64
PARSED_AHEAD = 2 * INGEST_BATCH
# What `briefing ingest` takes from a folder: articles and web pages.
ARTICLE_SUFFIXES = frozenset((".txt", *HTML_SUFFIXES))
P = ParamSpec("P")
R = TypeVar("R")


def main() -> None:
    """The console script: briefing's commands around create_app, nothing of Flask's."""
    from service import __version__, create_app
    from service.config import ConfigError, from_env

    try:
        from_env(os.environ)
    except ConfigError as exc:
        click.echo(f"briefing: {exc}", err=True)
        sys.exit(2)

    cli = FlaskGroup(
        create_app=create_app,
        add_default_commands=False,
        add_version_option=False,
        load_dotenv=False,
        help="briefing: a versioned question-and-answer store for news explainers.",
    )
    click.version_option(__version__, "--version", prog_name="briefing")(cli)
    try:
        cli.main(prog_name="briefing")
    except ConfigError as exc:  # raised by create_app, e.g. no instance folder
        click.echo(f"briefing: {exc}", err=True)
        sys.exit(2)


def _store_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a database failure into one line naming the database, not a traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except DBAPIError as exc:
            url = get_engine().url.render_as_string(hide_password=True)
            reason = str(exc.orig or exc).strip().splitlines()
            raise click.ClickException(
                f"the database at BRIEFING_DATABASE_URL ({url}) failed: "
                + (reason[0] if reason else type(exc).__name__)
            ) from None

    return wrapper


def init_app(app: Flask) -> None:
    """Add briefing's commands to the app's command group."""
    for command in (
        parse_command,
        ingest_command,
        db_group,
        index_group,
        serve_command,
        openapi_yaml_command,
    ):
        app.cli.add_command(command)


@click.command("parse")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def parse_command(file: Path) -> None:
    """Parse one article and print it as JSON (no database)."""
    received = _read_and_parse(
        file,
        max_bytes=current_app.config["MAX_ARTICLE_BYTES"],
        max_questions=current_app.config["MAX_QUESTIONS"],
        timezone=current_app.config["TIMEZONE"],
    )
    if isinstance(received, str):
        raise click.ClickException(f"{file}: {received}")
    output = parsed_json(received.parsed)
    click.echo(json.dumps(output, ensure_ascii=False, indent=2))


def parsed_json(parsed: ParsedArticle) -> dict[str, Any]:
    """Return the `briefing parse` JSON of docs/design.md."""
    return {
        "published": parsed.published.isoformat(),
        "sha256": parsed.sha256,
        "source": parsed.source,
        "records": [
            {
                "question": record.question,
                "key": record.key,
                "question_id": record.question_id,
                "paragraphs": list(record.paragraphs),
                "question_span": asdict(record.question_span),
                "answer_span": asdict(record.answer_span)
                if record.answer_span
                else None,
            }
            for record in parsed.records
        ],
        "warnings": list(parsed.warnings),
    }


@contextmanager
def _few_collections() -> Iterator[None]:
    """Let the garbage collector run seldom, and never over what came before.

    A batch's parsed articles live until it is written, beside a stream of
    short-lived rows and statements: the default thresholds rescan the batch
    again and again (15% of a 10k load).
    """
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(100_000, 50, 1_000)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


@click.command("ingest")
@with_appcontext
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_store_errors
def ingest_command(paths: Sequence[Path]) -> None:
    """Ingest articles: files, and the .txt, .html and .htm files in folders.

    Each article is stored all or nothing; articles are written in batches of
    INGEST_BATCH per transaction. Files larger than BRIEFING_MAX_ARTICLE_BYTES
    are rejected, as the API rejects them. Exits 1 if any file was rejected.
    """
    if not paths:
        seeds = current_app.config["SEEDS_DIR"]
        if not seeds:
            raise click.UsageError("give files or folders, or set BRIEFING_SEEDS_DIR")
        paths = [Path(seeds)]
    engine = get_engine()
    with engine.connect() as conn:
        if not schema_is_current(conn):
            raise click.ClickException(
                "the database schema is missing or out of date: "
                "run `briefing db upgrade` first"
            )
    files = list(_article_files(paths))
    # The parsers analyse each article's search documents too: the writer
    # only inserts them.
    read = functools.partial(
        _read_and_parse,
        max_bytes=current_app.config["MAX_ARTICLE_BYTES"],
        max_questions=current_app.config["MAX_QUESTIONS"],
        timezone=current_app.config["TIMEZONE"],
        analyse=True,
    )
    # One line per file, in file order, once its batch is written.
    lines: list[tuple[str, str] | None] = [None] * len(files)
    counts = dict.fromkeys(("new", "unchanged", "rejected"), 0)
    batch: list[tuple[int, Received]] = []
    batch_bytes = 0

    def note(index: int, kind: str, text: str) -> None:
        lines[index] = (kind, f"{files[index]}: {text}")
        counts[kind] += 1

    def flush() -> None:
        nonlocal batch_bytes
        with begin_write(engine, bulk=True) as conn:
            results = save_articles(
                conn, [item for _, item in batch], ingested_at=datetime.now(UTC)
            )
        for (index, _), result in zip(batch, results, strict=True):
            if isinstance(result, StoreRefused):
                note(index, "rejected", result.reason)
            else:
                kind = "new" if result.created else "unchanged"
                note(index, kind, f"article {result.article_id}")
        batch.clear()
        batch_bytes = 0

    # Parsing runs in other processes while this one writes. The writer is
    # the slower side: it keeps a core to itself, the parsers share the rest
    # (on 2 cores, one parser: a second one's share of the writer's core cost
    # the 1M load 6 %). A load of one batch is parsed before anything is
    # written: a parser per core (2,000 articles: 1.9 s against 2.3 s).
    cores = os.cpu_count() or 2
    parsers = max(1, min(4, cores if len(files) <= INGEST_BATCH else cores - 1))
    with (
        _few_collections(),
        ProcessPoolExecutor(parsers) as pool,
        click.progressbar(length=len(files), label="ingesting", file=sys.stderr) as bar,
    ):
        for index, item in enumerate(_parsed_in_order(pool, read, files)):
            bar.update(1)
            if isinstance(item, str):
                note(index, "rejected", item)
                continue
            batch.append((index, item))
            batch_bytes += len(item.parsed.text) + len(item.raw or b"")
            if len(batch) >= INGEST_BATCH or batch_bytes >= INGEST_BATCH_BYTES:
                flush()
        if batch:
            flush()
    checkpoint(engine)
    for line in lines:
        if line is not None:
            kind, text = line
            click.echo(f"{kind:<9} {text}", err=kind == "rejected")
    click.echo(", ".join(f"{count} {kind}" for kind, count in counts.items()))
    if counts["rejected"]:
        sys.exit(1)


def _parsed_in_order(
    pool: ProcessPoolExecutor,
    read: Callable[[Path], Received | str],
    files: Sequence[Path],
) -> Iterator[Received | str]:
    """Each file's parse, in order, with at most PARSED_AHEAD files in flight.

    (Executor.map submits every file at once: with a writer slower than its
    parsers, a million parses would wait in this process's memory.)
    """
    starts = iter(range(0, len(files), PARSE_CHUNK))
    pending: deque[Future[list[Received | str]]] = deque()

    def submit(start: int) -> None:
        pending.append(pool.submit(_read_all, read, files[start : start + PARSE_CHUNK]))

    for start in itertools.islice(starts, max(1, PARSED_AHEAD // PARSE_CHUNK)):
        submit(start)
    while pending:
        parsed = pending.popleft().result()
        following = next(starts, None)
        if following is not None:
            submit(following)
        yield from parsed


def _read_all(
    read: Callable[[Path], Received | str], files: Sequence[Path]
) -> list[Received | str]:
    return [read(file) for file in files]


def _read_and_parse(
    file: Path,
    *,
    max_bytes: int,
    max_questions: int | None = None,
    timezone: str = "Europe/Berlin",
    analyse: bool = False,
) -> Received | str:
    """Parse one file; a reason (str) when it cannot be read or parsed.

    A `.html` or `.htm` file is a web page (read into the text format first).
    The file's bytes are kept as the article's raw bytes; when they are the
    canonical text's own, they are not sent back twice. With `analyse`, its
    search documents come along (search.analyse).
    """
    html = file.suffix.lower() in HTML_SUFFIXES
    try:
        with file.open("rb") as stream:
            data = stream.read(max_bytes + 1)
        if len(data) > max_bytes:
            return (
                f"larger than BRIEFING_MAX_ARTICLE_BYTES ({max_bytes} bytes), "
                "the limit the API applies too"
            )
        parsed, link = read_article(
            data,
            html=html,
            source=file.name,
            max_questions=max_questions,
            timezone=timezone,
        )
    except OSError as exc:
        return exc.strerror or str(exc)
    except ArticleParseError as exc:
        return exc.detail
    documents = search.analyse(parsed) if analyse else None
    if html:
        return Received(
            parsed,
            raw=data,
            media_type="text/html",
            source_url=link,
            documents=documents,
        )
    as_text = data == parsed.text.encode("utf-8")
    return Received(parsed, raw=None if as_text else data, documents=documents)


def _article_files(paths: Iterable[Path]) -> Iterable[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
            )
        else:
            yield path  # a missing file is reported as rejected


@click.group("db", cls=AppGroup)
def db_group() -> None:
    """Database schema commands."""


@db_group.command("upgrade")
@_store_errors
def upgrade_command() -> None:
    """Bring the database schema to the newest migration."""
    upgrade(get_engine())
    click.echo("database schema is current")


@click.group("index", cls=AppGroup)
def index_group() -> None:
    """Search index commands."""


@index_group.command("rebuild")
@_store_errors
def index_rebuild_command() -> None:
    """Analyse every stored answer again and rebuild the search index."""
    engine = get_engine()
    with begin_write(engine, bulk=True) as conn:
        documents = search.rebuild(conn)
    checkpoint(engine)
    click.echo(f"search index rebuilt: {documents} answers")


@click.command("serve", context_settings={"ignore_unknown_options": True})
@click.argument("gunicorn_args", nargs=-1, type=click.UNPROCESSED)
def serve_command(gunicorn_args: Sequence[str]) -> None:
    """Serve the API with gunicorn and the project's settings.

    Extra arguments go to gunicorn, e.g. `briefing serve --bind 0.0.0.0:8000`.
    """
    gunicorn = (
        shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
    )
    args = [
        gunicorn,
        "-c",
        "python:service.gunicorn_conf",
        *gunicorn_args,
        "service:create_app()",
    ]
    os.execv(gunicorn, args) if os.path.isabs(gunicorn) else os.execvp(gunicorn, args)


@click.command("openapi-yaml")
@with_appcontext
def openapi_yaml_command() -> None:
    """Print the OpenAPI document the app serves at /openapi.yaml."""
    from service.api.ops import openapi_yaml

    click.echo(openapi_yaml(), nl=False)
