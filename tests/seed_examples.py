"""The examples of the OpenAPI document: real bodies served from the seeds.

`python -m tests.seed_examples` rewrites service/api/examples.yaml;
tests/test_contract.py checks that the file still holds what the app serves.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from flask.testing import FlaskClient

from service import create_app
from service.api.docs import EXAMPLES
from service.store import generation_reader, get_engine, upgrade

SEEDS = Path(__file__).parent.parent / "seeds"
BASE_URL = "http://127.0.0.1:8000"
QUESTION = "was-ist-der-derzeitige-stand-der-friedensgespraeche_f4e79409f3"
ARTICLE = "ff251b4db109e584"
POSTED = "002_50c63c787d68af43.txt"  # ingested through the API, the other by the CLI
POSTED_ID = "c5e0797645e774ad"
TOKEN = "example-token-0123456789"
PARAMETERS = {
    "question_id": QUESTION,
    "article_id": ARTICLE,
    "on": "2026-01-07",
    "match": "as_of",
    "limit": 1,
    "q": "Friedensgespräche",
    "source": POSTED,
    "as_of": "2026-01-07",
}
# operationId: the GET that shows its 200 (None: documented without a body).
GETS = {
    "list_questions": "/v1/questions?limit=1",
    "get_question": f"/v1/questions/{QUESTION}",
    "list_answers": f"/v1/questions/{QUESTION}/answers",
    "get_answer_on": f"/v1/questions/{QUESTION}/answers/2026-01-07",
    "get_latest_answer": f"/v1/questions/{QUESTION}/latest",
    "get_answer": f"/v1/answers/{ARTICLE}-49f574809900",
    "get_timemap": f"/v1/questions/{QUESTION}/timemap",
    "get_diff": f"/v1/questions/{QUESTION}/diff",
    "list_changes": "/v1/changes?limit=3",
    "get_changes_feed": "/v1/changes.atom",
    "get_home_page": "/",
    "get_question_page": f"/questions/{QUESTION}",
    "search_answers": "/v1/search?q=Friedensgespräche&limit=1",
    "ask_question": "/v1/ask?q=Friedensgespräche",
    "list_articles": "/v1/articles?limit=1",
    "get_article": f"/v1/articles/{ARTICLE}",
    "get_article_text": f"/v1/articles/{ARTICLE}/text",
    "get_article_raw": f"/v1/articles/{ARTICLE}/raw",
    "get_health": "/healthz",
    "get_readiness": "/readyz",
    "get_docs": "/docs",
    "get_openapi": "/openapi.yaml",
    "get_metrics": "/metrics",
}
# The operations that also answer JSON-LD when Accept prefers it.
JSON_LD_GETS = ("get_question", "get_latest_answer", "get_answer")
JSON_LD = "application/ld+json"
PAGE = Path(__file__).parent / "pages" / "tagesschau-bahnstreik.html"
_SUMMARY = "From the seeds, as served after `briefing ingest seeds/`"


def _example(value: Any, summary: str = _SUMMARY) -> dict[str, Any]:
    return {"summary": summary, "value": value}


def _body(response: Any) -> Any:
    if response.is_json:
        return response.get_json()
    return response.get_data(as_text=True)


def build(client: FlaskClient) -> dict[str, Any]:
    """Make every example against an app that holds the first seed only."""
    text = (SEEDS / POSTED).read_text(encoding="utf-8")
    auth = {"Authorization": f"Bearer {TOKEN}"}
    created = client.post(
        f"/v1/articles?source={POSTED}",
        data=text.encode(),
        content_type="text/plain; charset=utf-8",
        headers=auth,
        base_url=BASE_URL,
    )
    again = client.post(
        "/v1/articles",
        json={"text": text, "source": POSTED},
        headers=auth,
        base_url=BASE_URL,
    )
    assert (created.status_code, again.status_code) == (201, 200)
    operations: dict[str, Any] = {
        "ingest_article": {
            "request": {
                "text/plain; charset=utf-8": _example(text, f"The seed {POSTED}"),
                "application/json": _example(
                    {"text": text, "source": POSTED}, f"The seed {POSTED}"
                ),
                "text/html": _example(
                    PAGE.read_text(encoding="utf-8"),
                    "A web page: its main content becomes the article's text",
                ),
            },
            "responses": {
                "201": {"application/json": _example(created.get_json())},
                "200": {"application/json": _example(again.get_json())},
            },
        },
        "retract_article": {"parameters": {"article_id": POSTED_ID}},
    }
    for name, path in GETS.items():
        response = client.get(path, base_url=BASE_URL)
        assert response.status_code == 200, (path, response.status_code)
        mimetype, body = response.mimetype, _body(response)
        if name == "get_timemap":
            as_json = client.get(
                path, base_url=BASE_URL, headers={"Accept": "application/json"}
            )
            operations[name] = {
                "responses": {
                    "200": {
                        mimetype: _example(body),
                        "application/json": _example(as_json.get_json()),
                    }
                }
            }
            continue
        summary = _SUMMARY
        if name == "get_openapi":
            body = body.split("\npaths:\n")[0] + "\n"
            summary = "Its beginning, up to `paths`"
        elif name == "get_metrics":
            body = "".join(
                line + "\n"
                for line in body.splitlines()
                if line.startswith(("# HELP briefing_", "# TYPE briefing_"))
            )
            summary = "The names of briefing's own metrics (their samples vary)"
        operations[name] = {"responses": {"200": {mimetype: _example(body, summary)}}}
    for name in JSON_LD_GETS:
        as_json_ld = client.get(
            GETS[name], base_url=BASE_URL, headers={"Accept": JSON_LD}
        )
        assert as_json_ld.mimetype == JSON_LD, (name, as_json_ld.mimetype)
        operations[name]["responses"]["200"][JSON_LD] = _example(as_json_ld.get_json())
    questions_page = operations["list_questions"]["responses"]["200"]
    cursor = questions_page["application/json"]["value"]["next"].split("cursor=")[1]
    operations["list_questions"]["parameters"] = {"cursor": cursor}
    return {"parameters": PARAMETERS, "operations": operations}


@contextmanager
def seeded_client(folder: Path) -> Iterator[FlaskClient]:
    """A test client of an app on a fresh SQLite file holding the first seed."""
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{folder / 'briefing.sqlite3'}",
            "API_TOKENS": (TOKEN,),
        }
    )
    with app.app_context():
        upgrade(get_engine())
    first = next(path for path in sorted(SEEDS.glob("*.txt")) if path.name != POSTED)
    result = app.test_cli_runner().invoke(args=["ingest", str(first)])
    assert result.exit_code == 0, result.output
    try:
        yield app.test_client()
    finally:
        generation_reader(app).close()
        with app.app_context():
            get_engine().dispose()


def render(examples: dict[str, Any]) -> str:
    """examples.yaml's text."""
    return (
        "# Examples of the OpenAPI document, taken from the seeds; made by\n"
        "# `python -m tests.seed_examples`, checked by tests/test_contract.py.\n"
        + yaml.safe_dump(examples, sort_keys=False, allow_unicode=True, width=100)
    )


_WRITTEN = ("ingested_at", "at")
_INSTANT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z")


def timeless(value: Any) -> Any:
    """The value with every write time blanked: the one part that is not the seeds'.

    Those are the ingested_at and at fields, and instants in a text (the feed's).
    """
    if isinstance(value, dict):
        return {
            key: "" if key in _WRITTEN else timeless(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [timeless(item) for item in value]
    if isinstance(value, str):
        return _INSTANT.sub("", value)
    return value


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder, seeded_client(Path(folder)) as client:
        made = build(client)
    stored = yaml.safe_load(EXAMPLES.read_text(encoding="utf-8"))
    # Only the ingestion times would change: the file stays as it is.
    if timeless(made) != timeless(stored):
        EXAMPLES.write_text(render(made), encoding="utf-8")
