"""Web pages in: POST text/html and `briefing ingest` of .html files, on both databases."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import TOKEN

PAGES = Path(__file__).parent / "pages"
ENTRIES = {e["name"]: e for e in json.loads((PAGES / "pages.json").read_text())}
READ = sorted(name for name in ENTRIES if not name.startswith("reject-"))
REJECTED = sorted(name for name in ENTRIES if name.startswith("reject-"))
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _post(client, name: str, content_type: str | None = None, **query: str):
    return client.post(
        "/v1/articles",
        query_string=query,
        data=(PAGES / f"{name}.html").read_bytes(),
        headers={**AUTH, "Content-Type": content_type or ENTRIES[name]["content_type"]},
    )


def test_a_posted_page_is_stored_with_its_raw_bytes_and_link(app: Flask) -> None:
    client = app.test_client()
    name = "tagesschau-bahnstreik"
    entry = ENTRIES[name]
    raw = (PAGES / f"{name}.html").read_bytes()
    created = _post(client, name)
    assert created.status_code == 201, created.get_json()
    article = created.get_json()
    assert article["source"] == entry["source_url"]  # no ?source=: the link
    assert article["source_url"] == entry["source_url"]
    assert article["published"] == entry["published"]
    assert article["raw_media_type"] == "text/html; charset=utf-8"
    assert article["raw_sha256"] == hashlib.sha256(raw).hexdigest()
    text = client.get(f"/v1/articles/{article['id']}/text")
    expected = (PAGES / f"{name}.expected.txt").read_text(encoding="utf-8")
    assert text.get_data(as_text=True) == expected
    assert article["sha256"] == hashlib.sha256(expected.encode()).hexdigest()
    served = client.get(f"/v1/articles/{article['id']}/raw")
    assert served.data == raw
    assert served.headers["Content-Type"] == "text/html; charset=utf-8"

    # Every answer's provenance points into the canonical text exactly.
    for record in article["records"]:
        if record["answer_span"] is None:
            continue
        start, end = record["answer_span"]["start"], record["answer_span"]["end"]
        version = client.get(f"/v1/questions/{record['question_id']}/latest").get_json()
        assert version["text"] == expected[start:end]
        position, quote = version["provenance"]["selectors"]
        assert (position["start"], position["end"]) == (start, end)
        assert quote["exact"] == expected[start:end]

    # The AMP copy is the same article: the same canonical text.
    again = _post(client, f"{name}-amp")
    assert again.status_code == 200
    assert again.get_json()["id"] == article["id"]


def test_a_windows_1252_page_is_read_by_its_charset(app: Flask) -> None:
    client = app.test_client()
    created = _post(client, "cp1252-declared", source="seite.html")
    assert created.status_code == 201, created.get_json()
    article = created.get_json()
    assert article["source"] == "seite.html"
    assert article["raw_media_type"] == ENTRIES["cp1252-declared"]["content_type"]
    expected = (PAGES / "cp1252-declared.expected.txt").read_text(encoding="utf-8")
    assert (
        client.get(f"/v1/articles/{article['id']}/text").get_data(as_text=True)
        == expected
    )


@pytest.mark.parametrize("name", REJECTED)
def test_a_page_that_is_no_article_is_a_422_and_changes_nothing(
    app: Flask, name: str
) -> None:
    client = app.test_client()
    before = client.get("/v1/changes").get_json()["items"]
    # Sent as a web page, whatever it is: the reader says why it is none.
    response = _post(client, name, content_type="text/html")
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.content_type == "application/problem+json"
    assert response.get_json()["detail"]
    assert client.get("/v1/articles").get_json()["items"] == []
    assert client.get("/v1/changes").get_json()["items"] == before
    if not ENTRIES[name]["content_type"].startswith("text/"):
        assert _post(client, name).status_code == 415  # its own type is refused


def test_briefing_ingest_reads_a_folder_of_pages(
    app: Flask, runner, tmp_path: Path
) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for name in READ:
        shutil.copy(PAGES / f"{name}.html", folder / f"{name}.html")
    shutil.copy(PAGES / "reject-no-date.html", folder / "reject-no-date.htm")
    result = runner.invoke(args=["ingest", str(folder)])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    # A file has no address: a page dated only by its URL has no date there.
    undated = {"reject-no-date.htm", "bold-mindestlohn.html"}
    rejected = {
        line.split()[1].rsplit("/", 1)[1].rstrip(":")
        for line in lines
        if line.startswith("rejected")
    }
    assert rejected == undated
    # A page and its AMP copy: one article, stored once.
    for name in (n for n in READ if n.endswith("-amp")):
        pair = [
            line
            for line in lines
            if f"/{name}.html" in line or f"/{name[:-4]}.html" in line
        ]
        assert sorted(line.split()[0] for line in pair) == ["new", "unchanged"], pair
        assert len({line.split()[-1] for line in pair}) == 1, pair
    client = app.test_client()
    stored = client.get("/v1/articles?limit=100").get_json()["items"]
    # One article per canonical text (an AMP copy, a page in another charset).
    texts = {
        (PAGES / f"{n}.expected.txt").read_bytes()
        for n in READ
        if f"{n}.html" not in undated
    }
    assert len(stored) == len(texts)
    one = next(a for a in stored if a["source"] == "faz-rente.html")
    raw = client.get(f"/v1/articles/{one['id']}/raw")
    assert raw.data == (PAGES / "faz-rente.html").read_bytes()
    assert raw.headers["Content-Type"].startswith("text/html")


def test_briefing_parse_reads_a_page(runner) -> None:
    result = runner.invoke(args=["parse", str(PAGES / "sz-glatteis.html")])
    assert result.exit_code == 0, result.output
    parsed = json.loads(result.output)
    assert parsed["published"] == ENTRIES["sz-glatteis"]["published"]
    expected = (PAGES / "sz-glatteis.expected.txt").read_text(encoding="utf-8")
    assert parsed["sha256"] == hashlib.sha256(expected.encode()).hexdigest()
    bad = runner.invoke(args=["parse", str(PAGES / "reject-no-question.html")])
    assert bad.exit_code != 0
