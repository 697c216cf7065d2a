"""Metrics added up across gunicorn workers, and one JSON log line per request."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from flask.testing import FlaskClient

from tests.conftest import TOKEN, LiveServer, make_article


def metric(text: str, name: str, **labels: str) -> float:
    """Sum the samples of a metric whose labels include these."""
    total = 0.0
    for line in text.splitlines():
        match = re.fullmatch(rf"{name}\{{(.*)\}} (\S+)", line)
        if match and all(f'{k}="{v}"' in match.group(1) for k, v in labels.items()):
            total += float(match.group(2))
    return total


def fetch(
    url: str, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_metrics_add_up_across_two_gunicorn_workers(live_server: LiveServer) -> None:
    def scrape() -> str:
        status, body = fetch(live_server.url + "/metrics")
        assert status == 200
        return body.decode()

    before = scrape()
    with ThreadPoolExecutor(8) as pool:
        statuses = list(
            pool.map(lambda _: fetch(live_server.url + "/v1/articles")[0], range(60))
        )
    assert statuses == [200] * 60
    after = [
        scrape() for _ in range(4)
    ]  # whichever worker answers, the sum is the same
    labels = {"method": "GET", "route": "/v1/articles", "status": "200"}
    for text in after:
        counted = metric(text, "briefing_http_requests_total", **labels) - metric(
            before, "briefing_http_requests_total", **labels
        )
        assert counted == 60
        assert (
            metric(
                text,
                "briefing_http_request_duration_seconds_count",
                route="/v1/articles",
                status="200",
            )
            >= 60
        )


def test_ingest_outcomes_are_counted(live_server: LiveServer) -> None:
    def outcomes() -> dict[str, float]:
        text = fetch(live_server.url + "/metrics")[1].decode()
        return {
            o: metric(text, "briefing_ingest_articles_total", outcome=o)
            for o in ("new", "unchanged", "rejected")
        }

    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/plain"}
    before = outcomes()
    article = make_article("2026-06-01", "Wird das gezählt?", "Ja, einmal als neu.")
    assert fetch(live_server.url + "/v1/articles?source=m", article, auth)[0] == 201
    assert fetch(live_server.url + "/v1/articles?source=m", article, auth)[0] == 200
    assert (
        fetch(live_server.url + "/v1/articles?source=m", b"kein Artikel", auth)[0]
        == 422
    )
    after = outcomes()
    assert {k: after[k] - before[k] for k in after} == {
        "new": 1,
        "unchanged": 1,
        "rejected": 1,
    }


def test_one_json_log_line_per_request_without_secrets(live_server: LiveServer) -> None:
    secret_body = make_article(
        "2026-06-02", "Steht das im Log?", "GEHEIMER-ARTIKELTEXT"
    )
    headers = {
        "Authorization": f"Bearer {TOKEN}",
        "Content-Type": "text/plain",
        "X-Request-ID": "log-check-1",
    }
    fetch(live_server.url + "/v1/articles?source=log", secret_body, headers)
    lines = live_server.log.read_text().splitlines()
    entries = [json.loads(line) for line in lines if line.startswith("{")]
    mine = [e for e in entries if e.get("request_id") == "log-check-1"]
    assert len(mine) == 1
    entry = mine[0]
    assert (
        entry["method"] == "POST"
        and entry["route"] == "/v1/articles"
        and entry["status"] == 201
    )
    assert entry["client"] == "127.0.0.1" and entry["duration_ms"] >= 0
    text = live_server.log.read_text()
    assert TOKEN not in text and "GEHEIMER-ARTIKELTEXT" not in text


def test_metrics_endpoint_in_process(client: FlaskClient) -> None:
    client.get("/healthz")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    assert "briefing_http_requests_total" in response.get_data(as_text=True)
