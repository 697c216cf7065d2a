"""A client generated from openapi.yaml by openapi-python-client drives every operation.

The client is generated into a temporary folder (no warning allowed), imported,
and run against real gunicorn on loopback, on SQLite with the seeds.
"""

from __future__ import annotations

import datetime
import importlib
import io
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import feedparser
import pytest
import yaml

from tests.conftest import SEEDS, TOKEN, make_article, serve_seeds

ROOT = Path(__file__).parent.parent
OPENAPI = ROOT / "openapi.yaml"
CONFIG = ROOT / "docs" / "openapi-python-client.yaml"
BIN = Path(sys.executable).parent
QUESTION = "was-ist-der-derzeitige-stand-der-friedensgespraeche_f4e79409f3"
ARTICLE = "ff251b4db109e584"
NEWER_ID = f"{ARTICLE}-49f574809900"
OLDER_ID = "c5e0797645e774ad-49f574809900"
SPEC = yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))
# operationId: the tag it is filed under, which names the client's module.
TAGS = {
    operation["operationId"]: operation["tags"][0]
    for item in SPEC["paths"].values()
    for method, operation in item.items()
    if method != "parameters"
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Generate the client package and make it importable; yield its name."""
    folder = tmp_path_factory.mktemp("client")
    result = subprocess.run(
        [
            BIN / "openapi-python-client",
            "generate",
            "--path",
            OPENAPI,
            "--config",
            CONFIG,
            "--meta",
            "none",
            "--output-path",
            folder / "briefing_client",
        ],
        # The generator formats its output with ruff, found on PATH.
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "warning" not in output.lower(), output
    assert "error" not in output.lower(), output
    sys.path.insert(0, str(folder))
    try:
        yield "briefing_client"
    finally:
        sys.path.remove(str(folder))
        for name in [m for m in sys.modules if m.split(".")[0] == "briefing_client"]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """briefing under gunicorn on a SQLite file of its own, with the seeds ingested."""
    with serve_seeds(tmp_path_factory.mktemp("client-server")) as live:
        yield live.url


class Api:
    """The generated client's operations by operationId, and its clients."""

    def __init__(self, package: str, base_url: str) -> None:
        self.package = package
        root = importlib.import_module(package)
        self.models = importlib.import_module(f"{package}.models")
        self.types = importlib.import_module(f"{package}.types")
        self.public = root.Client(base_url=base_url)
        self.writer = root.AuthenticatedClient(base_url=base_url, token=TOKEN)

    def operation(self, name: str) -> ModuleType:
        return importlib.import_module(f"{self.package}.api.{TAGS[name]}.{name}")

    def call(self, name: str, *args: Any, writer: bool = False, **kwargs: Any) -> Any:
        client = self.writer if writer else self.public
        return self.operation(name).sync_detailed(*args, client=client, **kwargs)

    def text(self, data: bytes) -> Any:
        """A text/plain body for ingest_article (a stream: one per request)."""
        return self.types.File(payload=io.BytesIO(data), mime_type="text/plain")

    def problem(self, response: Any, status: int) -> Any:
        """The response's problem, parsed by the client into its Problem model."""
        assert response.status_code == status, response.content
        assert response.headers["Content-Type"] == "application/problem+json"
        assert isinstance(response.parsed, self.models.Problem), response.parsed
        assert response.parsed.status == status
        return response.parsed

    def not_modified(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """Call it plainly, then with each precondition header the client takes."""
        first = self.call(name, *args, **kwargs)
        assert first.status_code == 200, first.content
        etag = first.headers["ETag"]
        again = self.call(name, *args, if_none_match=etag, **kwargs)
        self._is_304_of(again, first)
        self.problem(self.call(name, *args, if_match='"other"', **kwargs), 412)
        assert self.call(name, *args, if_match=etag, **kwargs).status_code == 200
        if "Last-Modified" in first.headers:
            since = first.headers["Last-Modified"]
            again = self.call(name, *args, if_modified_since=since, **kwargs)
            self._is_304_of(again, first)
        return first

    @staticmethod
    def _is_304_of(again: Any, first: Any) -> None:
        """A 304 with an empty body and the headers the contract gives it."""
        assert again.status_code == 304
        assert again.content == b""
        for name in ("ETag", "Cache-Control", "Last-Modified"):
            assert again.headers.get(name) == first.headers.get(name), name
        assert again.headers["X-Request-ID"]


@pytest.fixture(scope="module")
def api(generated: str, server: str) -> Iterator[Api]:
    made = Api(generated, server)
    with made.public, made.writer:
        yield made


def list_questions(api: Api) -> None:
    first = api.not_modified("list_questions", limit=1)
    page = first.parsed
    assert isinstance(page, api.models.QuestionPage)
    assert len(page.items) == 1 and page.next_
    cursor = page.next_.split("cursor=")[1]
    second = api.call("list_questions", limit=1, cursor=cursor).parsed
    assert second.items[0].id != page.items[0].id
    found = api.call("list_questions", q="Friedensgespräche").parsed
    assert [item.id for item in found.items] == [QUESTION]
    # base64url of [1]: a cursor's shape, but not one this list made.
    for cursor in ("WzFd", "not/base64url"):
        problem = api.problem(api.call("list_questions", cursor=cursor), 422)
        assert problem.errors[0].parameter == "cursor"


def get_question(api: Api) -> None:
    question = api.not_modified("get_question", QUESTION).parsed
    assert isinstance(question, api.models.QuestionDetail)
    assert question.answer_count == 2
    assert [entry.published.isoformat() for entry in question.answers] == [
        "2026-01-06",
        "2026-01-09",
    ]
    problem = api.problem(api.call("get_question", "no-such-question"), 404)
    assert "no-such-question" in problem.detail


def list_answers(api: Api) -> None:
    answers = api.not_modified("list_answers", QUESTION).parsed
    assert isinstance(answers, api.models.AnswerList)
    assert [a.provenance.article_id for a in answers.items] == [
        "c5e0797645e774ad",
        ARTICLE,
    ]
    api.problem(api.call("list_answers", "no-such-question"), 404)


def get_answer_on(api: Api) -> None:
    match = api.models.GetAnswerOnMatch
    answer = api.not_modified("get_answer_on", QUESTION, "2026-01-07").parsed
    assert isinstance(answer, api.models.Answer)
    assert answer.published.isoformat() == "2026-01-06"
    exact = api.call("get_answer_on", QUESTION, "2026-01-09", match=match.EXACT)
    assert exact.parsed.provenance.article_id == ARTICLE
    missing = api.call("get_answer_on", QUESTION, "2026-01-07", match=match.EXACT)
    api.problem(missing, 404)
    problem = api.problem(api.call("get_answer_on", QUESTION, "2026-02-30"), 422)
    assert problem.errors[0].parameter == "on"


def get_latest_answer(api: Api) -> None:
    answer = api.not_modified("get_latest_answer", QUESTION).parsed
    assert isinstance(answer, api.models.Answer)
    assert answer.published.isoformat() == "2026-01-09"
    assert answer.text == "\n\n".join(answer.paragraphs)
    assert answer.provenance.url.endswith(f"/v1/articles/{ARTICLE}")


def get_answer(api: Api) -> None:
    version = f"{ARTICLE}-49f574809900"
    first = api.call("get_answer", version)
    assert first.status_code == 200, first.content
    answer = first.parsed
    assert isinstance(answer, api.models.Answer)
    assert answer.id == version and answer.change.kind == "revised"
    assert first.headers["ETag"] == f'W/"{version}"'
    assert first.headers["Memento-Datetime"] == "Fri, 09 Jan 2026 00:00:00 GMT"
    again = api.call("get_answer", version, if_none_match=first.headers["ETag"])
    api._is_304_of(again, first)
    # A weak tag never satisfies If-Match, which compares strongly.
    api.problem(api.call("get_answer", version, if_match=first.headers["ETag"]), 412)
    api.problem(api.call("get_answer", "0123456789abcdef-0123456789ab"), 404)


def get_timegate(api: Api) -> None:
    response = api.call("get_timegate", QUESTION)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/v1/answers/{ARTICLE}-49f574809900")
    assert "accept-datetime" in response.headers["Vary"].lower()
    api.problem(api.call("get_timegate", "no-such-question"), 404)


def get_timemap(api: Api) -> None:
    # The client parses JSON; link-format, the default, is for Memento tools.
    root = importlib.import_module(api.package)
    with root.Client(
        base_url=api.public._base_url, headers={"Accept": "application/json"}
    ) as as_json:
        _timemap_as_json(api, as_json)


def _timemap_as_json(api: Api, as_json: Any) -> None:
    operation = api.operation("get_timemap")
    response = operation.sync_detailed(QUESTION, client=as_json)
    assert response.status_code == 200, response.content
    timemap = response.parsed
    assert isinstance(timemap, api.models.TimeMap)
    assert [m.id for m in timemap.mementos] == [
        "c5e0797645e774ad-49f574809900",
        f"{ARTICLE}-49f574809900",
    ]
    assert timemap.last.uri.endswith(f"/v1/answers/{ARTICLE}-49f574809900")
    missing = operation.sync_detailed("no-such-question", client=as_json)
    api.problem(missing, 404)


def get_diff(api: Api) -> None:
    response = api.not_modified("get_diff", QUESTION)
    diff = response.parsed
    assert isinstance(diff, api.models.Diff)
    assert diff.to.id == f"{ARTICLE}-49f574809900"
    assert {op.op for op in diff.ops} >= {"equal", "replace"}
    api.problem(api.call("get_diff", "no-such-question"), 404)


def search_answers(api: Api) -> None:
    page = api.not_modified("search_answers", q="Friedensgespräche", limit=1).parsed
    assert isinstance(page, api.models.SearchPage)
    assert page.items[0].question.id == QUESTION
    assert page.items[0].answer.published.isoformat() == "2026-01-09"
    assert page.next_ is not None
    cursor = page.next_.split("cursor=")[1]
    second = api.call("search_answers", q="Friedensgespräche", cursor=cursor).parsed
    assert QUESTION not in [item.question.id for item in second.items]
    dated = api.call(
        "search_answers", q="Friedensgespräche", as_of=datetime.date(2026, 1, 7)
    )
    assert dated.parsed.items[0].answer.published.isoformat() == "2026-01-06"
    api.problem(api.call("search_answers", q=""), 422)


def ask_question(api: Api) -> None:
    asked = api.not_modified("ask_question", q="Stand der Friedensgespräche").parsed
    assert isinstance(asked, api.models.Ask)
    assert asked.matches[0].question.id == QUESTION
    assert asked.matches[0].answer.provenance.article_id == ARTICLE
    nothing = api.call("ask_question", q="Wie hoch ist der Rundfunkbeitrag?").parsed
    assert nothing.matches == []
    api.problem(api.call("ask_question", q=""), 422)


def list_articles(api: Api) -> None:
    page = api.not_modified("list_articles").parsed
    assert isinstance(page, api.models.ArticlePage)
    seeds = [item.id for item in page.items if (SEEDS / item.source).exists()]
    assert seeds == [ARTICLE, "c5e0797645e774ad"]
    dates = [item.published for item in page.items]
    assert dates == sorted(dates, reverse=True)
    api.problem(api.call("list_articles", limit=0), 422)


def get_article(api: Api) -> None:
    article = api.not_modified("get_article", ARTICLE).parsed
    assert isinstance(article, api.models.ArticleDetail)
    assert article.source == "000_80820c57a30bb01b.txt"
    assert article.question_count == len(article.records) - sum(
        record.answer_span is None for record in article.records
    )
    api.problem(api.call("get_article", "0000000000000000"), 404)


def get_article_text(api: Api) -> None:
    response = api.not_modified("get_article_text", ARTICLE)
    article = api.call("get_article", ARTICLE).parsed
    assert isinstance(response.parsed, str)
    start, end = (
        article.records[0].question_span.start,
        article.records[0].question_span.end,
    )
    assert response.parsed[start:end] == article.records[0].question
    api.problem(api.call("get_article_text", "0000000000000000"), 404)


def get_article_raw(api: Api) -> None:
    response = api.not_modified("get_article_raw", ARTICLE)
    article = api.call("get_article", ARTICLE).parsed
    assert response.content == (SEEDS / article.source).read_bytes()
    assert response.headers["Content-Type"] == article.raw_media_type
    assert response.headers["ETag"] == f'"{article.raw_sha256}"'
    api.problem(api.call("get_article_raw", "0000000000000000"), 404)


def list_changes(api: Api) -> None:
    page = api.not_modified("list_changes", limit=2).parsed
    assert isinstance(page, api.models.ChangePage)
    assert [item.type_ for item in page.items] == ["article_added", "answer_added"]
    seen = [item.id for item in page.items]
    while page.items:
        cursor = parse_qs(urlsplit(page.next_).query)["cursor"][0]
        page = api.call("list_changes", cursor=cursor, limit=1000).parsed
        seen += [item.id for item in page.items]
    assert seen == sorted(seen) and len(seen) == len(set(seen))
    revised = api.call("list_changes", limit=1000).parsed.items
    answer = next(item for item in revised if item.answer_id == NEWER_ID)
    assert answer.change.kind == "revised"
    assert answer.change.previous == OLDER_ID
    api.problem(api.call("list_changes", limit=0), 422)


def get_changes_feed(api: Api) -> None:
    response = api.not_modified("get_changes_feed")
    feed = feedparser.parse(response.content)
    assert not feed.bozo and feed.entries
    assert all(entry.link.startswith("http") for entry in feed.entries)


def get_home_page(api: Api) -> None:
    response = api.not_modified("get_home_page")
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert f'href="/questions/{QUESTION}"' in response.content.decode()
    api.problem(api.call("get_home_page", cursor="bm9wZQ"), 422)


def get_question_page(api: Api) -> None:
    response = api.not_modified("get_question_page", QUESTION)
    page = response.content.decode()
    assert page.count('<section class="version"') == 2
    assert "<del>einer</del><ins>der</ins>" in page
    api.problem(api.call("get_question_page", "gibt-es-nicht"), 404)


def ingest_article(api: Api) -> None:
    text = make_article("2026-01-20", "Wer zahlt den Wiederaufbau?", "Die EU.")
    created = api.call(
        "ingest_article", writer=True, body=api.text(text), source="plain.txt"
    )
    assert created.status_code == 201, created.content
    assert isinstance(created.parsed, api.models.IngestedArticle)
    assert created.parsed.source == "plain.txt"
    assert created.parsed.warnings == []
    assert created.headers["Location"] == created.parsed.links.self_
    page = (ROOT / "tests" / "pages" / "faz-rente.html").read_bytes()
    # The generator sends every raw body as one media type (text/plain): a
    # page goes through the client's own httpx session.
    html = api.writer.get_httpx_client().post(
        "/v1/articles",
        params={"source": "faz-rente.html"},
        content=page,
        headers={"Content-Type": "text/html"},
    )
    assert html.status_code == 201, html.content
    stored = api.models.IngestedArticle.from_dict(html.json())
    assert stored.raw_media_type == "text/html"
    assert stored.source_url.startswith("https://")
    as_json = api.models.IngestJson(text=text.decode(), source="json.txt")
    again = api.call("ingest_article", writer=True, body=as_json)
    assert again.status_code == 200, again.content
    assert again.parsed.id == created.parsed.id
    json_only = make_article("2026-01-21", "Wer baut?", "Viele.")
    made = api.call(
        "ingest_article",
        writer=True,
        body=api.models.IngestJson(text=json_only.decode(), source="json.txt"),
    )
    assert made.status_code == 201 and made.parsed.source == "json.txt"
    unnamed = make_article("2026-01-22", "Wer plant?", "Alle.")
    named = api.call("ingest_article", writer=True, body=api.text(unnamed))
    assert named.status_code == 201
    assert named.parsed.source == f"{named.parsed.id}.txt"
    bad = api.text(b"date 2026-02-30 Wer?\n\nNie.\n")
    problem = api.problem(api.call("ingest_article", writer=True, body=bad), 422)
    assert problem.line == 1
    api.problem(api.call("ingest_article", body=api.text(text)), 401)


def retract_article(api: Api) -> None:
    text = make_article("2026-01-23", "Wer geht?", "Niemand.")
    created = api.call(
        "ingest_article", writer=True, body=api.text(text), source="gone.txt"
    )
    assert created.status_code == 201, created.content
    article_id = created.parsed.id
    api.problem(api.call("retract_article", article_id), 401)
    gone = api.call("retract_article", article_id, writer=True)
    assert gone.status_code == 204 and gone.content == b""
    api.problem(api.call("get_article", article_id), 410)
    again = api.call("retract_article", article_id, writer=True)
    assert again.status_code == 204
    api.problem(api.call("retract_article", "0123456789abcdef", writer=True), 404)


def get_health(api: Api) -> None:
    response = api.not_modified("get_health")
    assert response.parsed.status == "ok"


def get_readiness(api: Api) -> None:
    response = api.not_modified("get_readiness")
    assert response.parsed.status == "ready"


def get_openapi(api: Api) -> None:
    response = api.not_modified("get_openapi")
    assert yaml.safe_load(response.parsed) == SPEC


def get_docs(api: Api) -> None:
    response = api.not_modified("get_docs")
    assert 'src="/docs/assets/swagger-ui-bundle.js"' in response.content.decode()


def get_metrics(api: Api) -> None:
    response = api.call("get_metrics")
    assert response.status_code == 200
    assert "# TYPE briefing_http_requests_total counter" in response.parsed


DRIVERS: dict[str, Callable[[Api], None]] = {
    driver.__name__: driver
    for driver in (
        list_questions,
        get_question,
        list_answers,
        get_answer_on,
        get_latest_answer,
        get_answer,
        get_timegate,
        get_timemap,
        get_diff,
        list_changes,
        get_changes_feed,
        get_home_page,
        get_question_page,
        search_answers,
        ask_question,
        list_articles,
        get_article,
        get_article_text,
        get_article_raw,
        ingest_article,
        retract_article,
        get_health,
        get_readiness,
        get_openapi,
        get_docs,
        get_metrics,
    )
}


def test_every_operation_of_the_contract_is_driven() -> None:
    assert sorted(TAGS) == sorted(DRIVERS)


@pytest.mark.parametrize("name", sorted(DRIVERS))
def test_the_generated_client_drives(name: str, api: Api) -> None:
    DRIVERS[name](api)
