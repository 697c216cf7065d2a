"""The `briefing` command: parse, ingest, db upgrade."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskCliRunner

from service.store import queries
from tests.conftest import SEEDS, make_article


def test_parse_prints_the_design_json(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["parse", str(SEEDS / "002_50c63c787d68af43.txt")])
    assert result.exit_code == 0, result.output
    parsed = json.loads(result.stdout)
    assert list(parsed) == ["published", "sha256", "source", "records", "warnings"]
    assert parsed["published"] == "2026-01-06"
    assert parsed["source"] == "002_50c63c787d68af43.txt"
    assert list(parsed["records"][0]) == [
        "question",
        "key",
        "question_id",
        "paragraphs",
        "question_span",
        "answer_span",
    ]
    assert parsed["records"][0]["question_span"] == {"start": 17, "end": 92}
    assert parsed["records"][0]["answer_span"] == {"start": 94, "end": 491}
    assert [len(r["paragraphs"]) for r in parsed["records"]] == [1, 3, 2]


def test_parse_error_goes_to_stderr_with_its_line(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\ndate 2026-02-30 Wer zahlt?\n\nDie EU.\n")
    result = runner.invoke(args=["parse", str(bad)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "line 2: 2026-02-30 is not a calendar date" in result.stderr


def test_parse_of_a_missing_file_fails_cleanly(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(args=["parse", str(tmp_path / "missing.txt")])
    assert result.exit_code == 1
    assert "missing.txt" in result.stderr


def test_parse_shows_headings_without_answer(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    article = tmp_path / "a.txt"
    article.write_bytes(
        make_article("2026-03-01", "Wer zahlt?", "Was nun?", "Abwarten.")
    )
    parsed = json.loads(runner.invoke(args=["parse", str(article)]).stdout)
    assert parsed["records"][0]["answer_span"] is None
    assert parsed["warnings"] == [
        "line 3: question 'Wer zahlt?' has no answer; kept in the parse, not stored as an answer"
    ]


def test_ingest_folder_then_again(runner: FlaskCliRunner, engine: sa.Engine) -> None:
    first = runner.invoke(args=["ingest", str(SEEDS)])
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[-1] == "2 new, 0 unchanged, 0 rejected"
    again = runner.invoke(args=["ingest", str(SEEDS)])
    assert again.exit_code == 0
    assert again.stdout.splitlines()[-1] == "0 new, 2 unchanged, 0 rejected"
    with engine.connect() as conn:
        assert queries.counts(conn) == {"articles": 2, "questions": 4, "answers": 5}


def test_one_bad_file_does_not_stop_the_good_ones(
    runner: FlaskCliRunner, engine: sa.Engine, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_bytes(
        make_article("2026-03-01", "Wer zahlt?", "Die EU.")
    )
    (tmp_path / "b.txt").write_bytes(b"date 2026-03 Wer?\n\nNiemand.\n")
    (tmp_path / "c.txt").write_bytes(b"date 2026-03-02\n\n\xff\n")
    (tmp_path / "notes.md").write_text("not an article")
    result = runner.invoke(args=["ingest", str(tmp_path), str(tmp_path / "gone.txt")])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "1 new, 0 unchanged, 3 rejected"
    assert "b.txt: line 1: date '2026-03' has no day" in result.stderr
    assert "c.txt: line 3: invalid UTF-8" in result.stderr
    assert "gone.txt" in result.stderr
    with engine.connect() as conn:
        assert queries.counts(conn)["articles"] == 1


def test_ingest_without_paths_uses_the_seeds_dir(runner: FlaskCliRunner, app) -> None:
    app.config["SEEDS_DIR"] = str(SEEDS)
    result = runner.invoke(args=["ingest"])
    assert result.exit_code == 0, result.output
    app.config["SEEDS_DIR"] = None
    assert runner.invoke(args=["ingest"]).exit_code == 2


def test_db_upgrade_is_idempotent(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "current" in result.stdout


def test_lines_come_in_file_order(runner: FlaskCliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(make_article("2026-03-01", "Wer?", "Die EU."))
    (tmp_path / "b.txt").write_bytes(b"no header\n")
    (tmp_path / "c.txt").write_bytes(make_article("2026-03-02", "Wo?", "Hier."))
    (tmp_path / "d.txt").write_bytes(make_article("2026-03-01", "Wer?", "Die EU."))
    result = runner.invoke(args=["ingest", str(tmp_path)])
    assert result.exit_code == 1
    lines = [
        line.split()[:2]
        for line in result.output.splitlines()
        if line.split()[:1] in (["new"], ["unchanged"], ["rejected"])
    ]
    assert [(kind, Path(name.rstrip(":")).name) for kind, name in lines] == [
        ("new", "a.txt"),
        ("rejected", "b.txt"),
        ("new", "c.txt"),
        ("unchanged", "d.txt"),
    ]


def test_a_folder_over_the_batch_bytes_is_written_in_several_transactions(
    runner: FlaskCliRunner, tmp_path: Path, engine: sa.Engine, monkeypatch
) -> None:
    from service import cli

    monkeypatch.setattr(cli, "INGEST_BATCH_BYTES", 1)  # every article its own batch
    for day in range(1, 4):
        (tmp_path / f"{day}.txt").write_bytes(
            make_article(f"2026-03-0{day}", "Wer?", f"Die EU, Fassung {day}.")
        )
    result = runner.invoke(args=["ingest", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "3 new, 0 unchanged, 0 rejected" in result.output
    with engine.connect() as conn:
        instants = conn.execute(sa.text("SELECT DISTINCT ingested_at FROM articles"))
        assert len(instants.all()) == 3  # one instant per write transaction


def test_ingest_and_parse_refuse_what_the_api_refuses(
    runner: FlaskCliRunner,
    app,
    engine: sa.Engine,
    tmp_path: Path,
) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(make_article("2026-03-01", "Wie groß?", "x" * 2_000_000))
    many = tmp_path / "many.txt"
    many.write_bytes(
        make_article("2026-03-01", *[b for n in range(6) for b in (f"F{n}?", "A.")])
    )
    app.config["MAX_QUESTIONS"] = 5
    result = runner.invoke(args=["ingest", str(big), str(many)])
    assert result.exit_code == 1
    assert (
        "big.txt: larger than BRIEFING_MAX_ARTICLE_BYTES (1048576 bytes)"
        in result.stderr
    )
    assert "many.txt: line 23: more than 5 question headings" in result.stderr
    with engine.connect() as conn:
        assert queries.counts(conn)["articles"] == 0
    parse = runner.invoke(args=["parse", str(big)])
    assert parse.exit_code == 1
    assert "larger than BRIEFING_MAX_ARTICLE_BYTES" in parse.stderr


def test_ingest_before_db_upgrade_says_what_to_run(tmp_path: Path) -> None:
    from service import create_app

    app = create_app(
        {"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'new.db'}"}
    )
    result = app.test_cli_runner().invoke(args=["ingest", str(SEEDS)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: the database schema is missing or out of date: "
        "run `briefing db upgrade` first"
    )
    app.extensions["briefing.engine"].dispose()


def _briefing(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    return subprocess.run(
        [str(Path(sys.executable).parent / "briefing"), *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "args", "words"),
    [
        (
            {"BRIEFING_DATABASE_URL": "garbage"},
            ("db", "upgrade"),
            "briefing: BRIEFING_DATABASE_URL must be a sqlite:/// or postgresql+psycopg:// URL, got 'garbage'",
        ),
        (
            {
                "BRIEFING_DATABASE_URL": "postgresql+psycopg://nobody:secret@127.0.0.1:1/x"
            },
            ("db", "upgrade"),
            "Error: the database at BRIEFING_DATABASE_URL (postgresql+psycopg://nobody:***@127.0.0.1:1/x) failed: ",
        ),
        (
            {
                "BRIEFING_DATABASE_URL": "postgresql+psycopg://nobody:secret@127.0.0.1:1/x"
            },
            ("ingest", str(SEEDS)),
            "Error: the database at BRIEFING_DATABASE_URL (postgresql+psycopg://nobody:***@127.0.0.1:1/x) failed: ",
        ),
    ],
)
def test_a_newcomers_mistake_is_one_line(env, args, words) -> None:
    result = _briefing(*args, **env)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith(words), result.stderr
    assert "secret" not in result.stderr


def test_version_and_help_are_briefings_own() -> None:
    from service import __version__

    version = _briefing("--version")
    assert version.returncode == 0
    assert version.stdout.strip() == f"briefing, version {__version__}"
    help_text = _briefing("--help").stdout
    commands = help_text.split("Commands:")[1].split()
    assert {"parse", "ingest", "db", "serve", "openapi-yaml"} <= set(commands)
    assert not {"run", "shell", "routes"} & set(commands)
