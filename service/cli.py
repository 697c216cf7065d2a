"""The `briefing` command: parse, ingest, db upgrade, serve (plus Flask's own)."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext

from service.errors import ArticleParseError
from service.parsing import ParsedArticle, parse_article
from service.store import get_engine, upgrade
from service.store.ingest import checkpoint, save_articles

# Articles per write transaction. Bigger batches write each hot index page to
# the WAL fewer times: 1,000,000 answers took 112 s in batches of 500 and 99 s
# in batches of 2,000, which hold SQLite's write lock about a second each.
INGEST_BATCH = 2000


def main() -> None:
    """The console script: Flask's command group around create_app."""
    from service import create_app
    from service.config import ConfigError, from_env

    try:
        from_env(os.environ)
    except ConfigError as exc:
        click.echo(f"briefing: {exc}", err=True)
        sys.exit(2)

    cli = FlaskGroup(
        create_app=create_app,
        add_version_option=False,
        help="briefing: a versioned question-and-answer store for news explainers.",
    )
    try:
        cli.main(prog_name="briefing")
    except ConfigError as exc:  # raised by create_app, e.g. no instance folder
        click.echo(f"briefing: {exc}", err=True)
        sys.exit(2)


def init_app(app: Flask) -> None:
    """Add briefing's commands to the app's command group."""
    for command in (
        parse_command,
        ingest_command,
        db_group,
        serve_command,
        openapi_yaml_command,
    ):
        app.cli.add_command(command)


@click.command("parse")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def parse_command(file: Path) -> None:
    """Parse one article and print it as JSON (no database)."""
    parsed = _read_and_parse(file)
    if isinstance(parsed, str):
        raise click.ClickException(f"{file}: {parsed}")
    click.echo(json.dumps(parsed_json(parsed), ensure_ascii=False, indent=2))


def parsed_json(parsed: ParsedArticle) -> dict[str, Any]:
    """Return the `briefing parse` JSON of DESIGN.md."""
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


@click.command("ingest")
@with_appcontext
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def ingest_command(paths: Sequence[Path]) -> None:
    """Ingest article files and the .txt files in folders (default: the seeds dir).

    Each article is stored all or nothing; articles are written in batches of
    INGEST_BATCH per transaction. Exits 1 if any file was rejected.
    """
    if not paths:
        seeds = current_app.config["SEEDS_DIR"]
        if not seeds:
            raise click.UsageError("give files or folders, or set BRIEFING_SEEDS_DIR")
        paths = [Path(seeds)]
    files = list(_article_files(paths))
    engine = get_engine()
    outcome: dict[str, list[str]] = {"new": [], "unchanged": [], "rejected": []}
    batch: list[tuple[Path, ParsedArticle]] = []

    def flush() -> None:
        with engine.begin() as conn:
            results = save_articles(
                conn, [parsed for _, parsed in batch], ingested_at=datetime.now(UTC)
            )
        for (file, _), result in zip(batch, results, strict=True):
            if isinstance(result, Exception):
                outcome["rejected"].append(f"{file}: {result}")
            else:
                kind = "new" if result.created else "unchanged"
                outcome[kind].append(f"{file}: article {result.article_id}")
        batch.clear()

    # Parsing runs in other processes while this one writes. One parser per
    # core: this process waits on them half of the time, so it needs none.
    parsers = max(1, min(4, os.cpu_count() or 2))
    with (
        ProcessPoolExecutor(parsers) as pool,
        click.progressbar(length=len(files), label="ingesting", file=sys.stderr) as bar,
    ):
        for file, parsed in zip(
            files, pool.map(_read_and_parse, files, chunksize=64), strict=True
        ):
            bar.update(1)
            if isinstance(parsed, str):
                outcome["rejected"].append(f"{file}: {parsed}")
                continue
            batch.append((file, parsed))
            if len(batch) >= INGEST_BATCH:
                flush()
        if batch:
            flush()
    checkpoint(engine)
    for kind, lines in outcome.items():
        for line in lines:
            click.echo(f"{kind:<9} {line}", err=kind == "rejected")
    click.echo(", ".join(f"{len(lines)} {kind}" for kind, lines in outcome.items()))
    if outcome["rejected"]:
        sys.exit(1)


def _read_and_parse(file: Path) -> ParsedArticle | str:
    """Parse one file; a reason (str) when it cannot be read or parsed."""
    try:
        return parse_article(file.read_bytes(), source=file.name)
    except OSError as exc:
        return exc.strerror or str(exc)
    except ArticleParseError as exc:
        return exc.detail


def _article_files(paths: Iterable[Path]) -> Iterable[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.txt") if p.is_file())
        else:
            yield path  # a missing file is reported as rejected


@click.group("db", cls=AppGroup)
def db_group() -> None:
    """Database schema commands."""


@db_group.command("upgrade")
def upgrade_command() -> None:
    """Bring the database schema to the newest migration."""
    upgrade(get_engine())
    click.echo("database schema is current")


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
