"""briefing_ingest_articles_total counts POST /v1/articles alone, and says so."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskCliRunner

from tests.conftest import SEEDS, make_article

NAME = "briefing_ingest_articles_total"


def counted(text: str) -> dict[str, float]:
    """The counter's value per outcome in a /metrics text."""
    found = {"new": 0.0, "unchanged": 0.0, "rejected": 0.0}
    for outcome, value in re.findall(
        rf'^{NAME}\{{outcome="(\w+)"\}} (\S+)$', text, re.M
    ):
        found[outcome] = float(value)
    return found


def test_the_counter_counts_the_api_not_briefing_ingest(
    app: Flask, runner: FlaskCliRunner, auth: dict[str, str]
) -> None:
    client = app.test_client()
    before = counted(client.get("/metrics").get_data(as_text=True))
    result = runner.invoke(args=["ingest", str(SEEDS)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "2 new, 0 unchanged, 0 rejected"
    assert counted(client.get("/metrics").get_data(as_text=True)) == before
    article = make_article("2026-06-03", "Zählt die API?", "Ja, jeder Aufruf.")
    response = client.post(
        "/v1/articles?source=api",
        data=article,
        headers={**auth, "Content-Type": "text/plain"},
    )
    assert response.status_code == 201
    after = counted(client.get("/metrics").get_data(as_text=True))
    assert after == {**before, "new": before["new"] + 1}


def test_the_help_line_says_what_is_counted(app: Flask) -> None:
    text = app.test_client().get("/metrics").get_data(as_text=True)
    [help_line] = [
        line for line in text.splitlines() if line.startswith(f"# HELP {NAME} ")
    ]
    assert "POST /v1/articles" in help_line
    assert "`briefing ingest` is not counted" in help_line
