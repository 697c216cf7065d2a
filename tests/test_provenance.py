"""Provenance a machine can verify: raw bytes, their hash and URL, span selectors.

Every answer of every version is re-derived from what the API serves: the
article's canonical text and raw bytes (their SHA-256s), the spans, and the
W3C Web Annotation selectors (position and quote) of each answer.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.api import security
from service.keys import article_id
from service.parsing import parse_article
from service.store import queries
from service.store.ingest import (
    PLAIN_TEXT,
    Received,
    delete_article,
    save_article,
    save_articles,
)
from service.store.tables import articles
from tests.conftest import SEEDS, latest_answer, make_article

BASE = "http://localhost"
HTML = "text/html; charset=windows-1252"
PAGE_URL = "https://www.example.de/politik/ukraine-fragen-und-antworten-100.html"
# Plain text as a client may send it: a BOM, CRLF, blank lines of spaces and
# NBSP, several blank lines, characters outside the BMP and combining marks.
AWKWARD = (
    "\ufeffdate 2026-02-02 Wer verhandelt über die Waffenruhe?\r\n\r\n"
    "Delegationen aus Kiew 🇺🇦 und Washington treffen sich in Genf.\r\n"
    "Moskau schickt niemanden.\r\n"
    " \u00a0 \r\n\r\n\r\n"
    "Die Gespräche beginnen am 3. Februar; e\u0301 und 𝔘 sind Zeichen wie andere.\r\n"
    "\r\n"
    "Was kostet der Wiederaufbau?\r\n"
    "\r\n"
    "Mehr als 500 Milliarden Euro.\r\n"
).encode()


@pytest.fixture
def client(seeded: Flask) -> FlaskClient:
    return seeded.test_client()


def _post(client: FlaskClient, auth: dict[str, str], data: bytes):
    response = client.post(
        "/v1/articles?source=t.txt", data=data, content_type="text/plain", headers=auth
    )
    assert response.status_code in (200, 201), response.get_json()
    return response


def _store(app: Flask, data: bytes, **received: Any) -> str:
    """Save an article in the store directly, as the HTML path will."""
    from service.store import get_engine

    parsed = parse_article(data, source="page.html")
    with app.app_context(), get_engine().begin() as conn:
        result = save_article(conn, parsed, ingested_at=datetime.now(UTC), **received)
    return result.article_id


# -- raw bytes ------------------------------------------------------------------


def test_the_raw_bytes_are_what_was_posted(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    created = _post(client, auth, AWKWARD).get_json()
    assert created["raw_sha256"] == hashlib.sha256(AWKWARD).hexdigest()
    assert created["raw_sha256"] != created["sha256"]  # BOM and CRLF are gone
    assert created["raw_media_type"] == PLAIN_TEXT
    assert created["source_url"] is None
    assert created["links"]["raw"] == f"{BASE}/v1/articles/{created['id']}/raw"
    raw = client.get(f"/v1/articles/{created['id']}/raw")
    assert raw.status_code == 200
    assert raw.get_data() == AWKWARD
    assert raw.headers["Content-Type"] == PLAIN_TEXT
    assert raw.headers["ETag"] == f'"{created["raw_sha256"]}"'
    assert raw.headers["Cache-Control"].startswith("public, max-age=")
    assert raw.headers["Last-Modified"]
    again = client.get(raw.request.path, headers={"If-None-Match": raw.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    text = client.get(f"/v1/articles/{created['id']}/text").get_data()
    assert hashlib.sha256(text).hexdigest() == created["sha256"]


def test_json_posts_keep_the_text_they_carried(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    text = make_article("2026-02-03", "Wer zahlt?", "Die EU.").decode()
    created = client.post("/v1/articles", json={"text": text}, headers=auth)
    assert created.status_code == 201
    article = created.get_json()
    raw = client.get(f"/v1/articles/{article['id']}/raw")
    assert raw.get_data() == text.encode()
    assert article["raw_sha256"] == article["sha256"]


def test_bytes_that_are_the_text_are_kept_once(
    client: FlaskClient, auth: dict[str, str], engine: sa.Engine
) -> None:
    canonical = make_article("2026-02-04", "Wer zahlt?", "Die EU.")
    created = _post(client, auth, canonical).get_json()
    awkward = _post(client, auth, AWKWARD).get_json()
    with engine.connect() as conn:
        stored = dict(
            conn.execute(
                sa.select(articles.c.id, articles.c.raw).where(
                    articles.c.id.in_([created["id"], awkward["id"]])
                )
            ).all()
        )
    assert bytes(stored[created["id"]]) == b""  # the text is the copy
    assert bytes(stored[awkward["id"]]) == AWKWARD
    raw = client.get(f"/v1/articles/{created['id']}/raw")
    assert raw.get_data() == canonical
    assert raw.headers["ETag"] == f'"{_sha(canonical)}"' == f'"{created["raw_sha256"]}"'


def test_the_seeds_arrived_as_their_canonical_text(client: FlaskClient) -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        data = path.read_bytes()
        found = client.get(f"/v1/articles/{article_id(_sha(data))}/raw")
        assert found.status_code == 200
        assert found.get_data() == data


def test_briefing_ingest_keeps_the_file_s_bytes(
    app: Flask, runner: Any, tmp_path: Path
) -> None:
    path = tmp_path / "awkward.txt"
    path.write_bytes(AWKWARD)
    result = runner.invoke(args=["ingest", str(path)])
    assert result.exit_code == 0, result.output
    stored = article_id(parse_article(AWKWARD, source="x").sha256)
    raw = app.test_client().get(f"/v1/articles/{stored}/raw")
    assert raw.get_data() == AWKWARD
    assert raw.headers["ETag"] == f'"{_sha(AWKWARD)}"'


def test_an_html_page_is_kept_as_it_arrived(seeded: Flask) -> None:
    """The HTML path passes the page and its canonical link beside the extracted text."""
    text = make_article("2026-02-04", "Was will Kiew?", "Sicherheitsgarantien.")
    page = "<html><meta charset=windows-1252><p>Was will Kiew?</p>Stra\xdfe".encode(
        "cp1252"
    )
    stored = _store(seeded, text, raw=page, media_type=HTML, source_url=PAGE_URL)
    client = seeded.test_client()
    raw = client.get(f"/v1/articles/{stored}/raw")
    assert raw.status_code == 200
    assert raw.get_data() == page
    assert raw.headers["Content-Type"] == HTML
    assert raw.headers["ETag"] == f'"{_sha(page)}"'
    # A page from elsewhere, opened from here, runs nothing and is an origin of its own.
    assert raw.headers["Content-Security-Policy"] == security.RAW_POLICY
    assert "sandbox" in security.RAW_POLICY
    assert raw.headers["X-Content-Type-Options"] == "nosniff"
    article = client.get(f"/v1/articles/{stored}").get_json()
    assert article["raw_media_type"] == HTML
    assert article["raw_sha256"] == _sha(page)
    assert article["source_url"] == PAGE_URL
    assert client.get(f"/v1/articles/{stored}/text").get_data() == text
    latest = client.get("/v1/questions/was-will-kiew/latest").get_json()
    provenance = latest["provenance"]
    assert provenance["raw_media_type"] == HTML
    assert provenance["raw_sha256"] == _sha(page)
    assert provenance["source_url"] == PAGE_URL
    assert provenance["sha256"] == _sha(text)


def test_a_batch_mixes_parses_and_received_pages(engine: sa.Engine) -> None:
    plain = parse_article(make_article("2026-02-05", "Wer?", "Sie."), source="a.txt")
    page = parse_article(make_article("2026-02-05", "Wo?", "Hier."), source="b.html")
    with engine.begin() as conn:
        outcomes = save_articles(
            conn,
            [plain, Received(page, b"<p>Wo?</p>", HTML, PAGE_URL)],
            ingested_at=datetime.now(UTC),
        )
    with engine.connect() as conn:
        one, two = (
            queries.article_raw(conn, outcome.article_id)  # type: ignore[union-attr]
            for outcome in outcomes
        )
    assert one is not None and two is not None
    assert (one["raw"], one["media_type"]) == (plain.text.encode(), PLAIN_TEXT)
    assert one["sha256"] == plain.sha256
    assert (two["raw"], two["media_type"]) == (b"<p>Wo?</p>", HTML)
    assert two["sha256"] == _sha(b"<p>Wo?</p>")


def test_the_first_copy_of_a_text_keeps_its_bytes(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    """The same article again (an AMP copy, a plain copy) stores nothing new."""
    first = _post(client, auth, AWKWARD).get_json()
    canonical = client.get(f"/v1/articles/{first['id']}/text").get_data()
    again = _post(client, auth, canonical)
    assert again.status_code == 200
    assert client.get(f"/v1/articles/{first['id']}/raw").get_data() == AWKWARD


def test_a_retraction_empties_the_raw_bytes_and_keeps_their_hash(
    client: FlaskClient, auth: dict[str, str], engine: sa.Engine
) -> None:
    created = _post(client, auth, AWKWARD).get_json()
    path = f"/v1/articles/{created['id']}/raw"
    retracted = client.delete(f"/v1/articles/{created['id']}", headers=auth)
    assert retracted.status_code == 204
    gone = client.get(path)
    assert gone.status_code == 410
    assert gone.content_type == "application/problem+json"
    assert gone.get_json()["retracted_at"]
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(
                articles.c.raw,
                articles.c.raw_sha256,
                articles.c.raw_media_type,
                articles.c.text,
            ).where(articles.c.id == created["id"])
        ).one()
    assert (bytes(row.raw), row.text) == (b"", "")
    assert row.raw_sha256 == hashlib.sha256(AWKWARD).hexdigest()
    assert row.raw_media_type == PLAIN_TEXT
    # Posting it again (here as its canonical text) restores it with those bytes.
    canonical = parse_article(AWKWARD, source="t").text.encode()
    assert _post(client, auth, canonical).status_code == 201
    assert client.get(path).get_data() == canonical
    restored = client.get(f"/v1/articles/{created['id']}").get_json()
    assert restored["raw_sha256"] == _sha(canonical) == restored["sha256"]


@pytest.mark.parametrize(
    "path", ["/v1/articles/0000000000000000/raw", "/v1/articles/nothex/raw"]
)
def test_an_unknown_article_has_no_raw_bytes(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"


def test_a_store_made_before_raw_bytes_is_filled_in(database_url: str) -> None:
    """Migration 0006 on SQLite and PostgreSQL: each article arrived as its text."""
    from alembic import command

    from service.store import _alembic_config, make_engine

    engine = make_engine(database_url)
    config = _alembic_config(engine)
    texts = {}
    try:
        command.upgrade(config, "0004")
        with engine.begin() as conn:
            for path in sorted(SEEDS.glob("*.txt")):
                parsed = parse_article(path.read_bytes(), source=path.name)
                texts[article_id(parsed.sha256)] = parsed
                conn.execute(
                    sa.text(
                        "INSERT INTO articles (id, sha256, source, published,"
                        " ingested_at, parser_version, text, retracted_at) VALUES"
                        " (:id, :sha, :source, :published, :at, '1', :text, :gone)"
                    ),
                    {
                        "id": article_id(parsed.sha256),
                        "sha": parsed.sha256,
                        "source": parsed.source,
                        "published": parsed.published,
                        "at": datetime.now(UTC),
                        # The second seed is a tombstone: its text is gone.
                        "text": "" if len(texts) == 2 else parsed.text,
                        "gone": datetime.now(UTC) if len(texts) == 2 else None,
                    },
                )
        for _ in range(2):  # and again after a downgrade
            command.upgrade(config, "head")
            with engine.connect() as conn:
                for stored_id, parsed in texts.items():
                    found = queries.article_raw(conn, stored_id)
                    assert found is not None
                    assert found["media_type"] == PLAIN_TEXT
                    assert found["sha256"] == parsed.sha256
                    live = found["retracted_at"] is None
                    assert found["raw"] == (parsed.text.encode() if live else b"")
                    if live:
                        assert _sha(found["raw"]) == found["sha256"]
            command.downgrade(config, "0004")
            with engine.connect() as conn:
                columns = {c["name"] for c in sa.inspect(conn).get_columns("articles")}
                assert not columns & {"raw", "raw_sha256", "raw_media_type"}
                assert conn.execute(sa.text("SELECT count(*) FROM articles")).scalar()
    finally:
        engine.dispose()


# -- selectors ------------------------------------------------------------------

TRICKY = [
    AWKWARD,
    # The answer at the very end, without a final newline: an empty suffix.
    b"date 2026-02-06 Wer entscheidet?\n\nDas Parlament.",
    # A long lead and a first answer far into the text; a list as one paragraph.
    make_article(
        "2026-02-07",
        "Ein Vorspann, der lang genug ist, um mehr als zweiunddreißig Zeichen vor "
        "die erste Frage zu stellen.",
        "Welche Länder liefern Waffen?",
        "- Deutschland\n- Frankreich\n- Großbritannien",
        "Was ist der derzeitige Stand der Friedensgespräche?",
        "Unverändert: Man spricht über Gebiete – und über 🕊️.",
    ),
]


def test_every_answer_of_every_version_is_re_derived_from_what_is_served(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    for data in TRICKY:
        _post(client, auth, data)
    checked = 0
    questions = client.get("/v1/questions?limit=100").get_json()["items"]
    assert len(questions) >= 7
    for question in questions:
        versions = client.get(question["links"]["answers"].removeprefix(BASE))
        assert versions.status_code == 200
        for answer in versions.get_json()["items"]:
            one = client.get(answer["links"]["self"].removeprefix(BASE)).get_json()
            assert one["provenance"] == answer["provenance"]
            _check_provenance(client, answer)
            checked += 1
        latest = client.get(question["links"]["latest"].removeprefix(BASE))
        _check_provenance(client, latest.get_json())
    assert checked >= 9


def _check_provenance(client: FlaskClient, answer: dict[str, Any]) -> None:
    provenance = answer["provenance"]
    article = client.get(provenance["url"].removeprefix(BASE)).get_json()
    text_bytes = client.get(article["links"]["text"].removeprefix(BASE)).get_data()
    raw = client.get(article["links"]["raw"].removeprefix(BASE)).get_data()
    assert _sha(text_bytes) == provenance["sha256"] == article["sha256"]
    assert _sha(raw) == provenance["raw_sha256"] == article["raw_sha256"]
    assert provenance["raw_media_type"] == article["raw_media_type"]
    assert provenance["source_url"] == article["source_url"]
    text = text_bytes.decode("utf-8")
    span = provenance["answer_span"]
    position, quote = provenance["selectors"]
    assert position == {
        "type": "TextPositionSelector",
        "start": span["start"],
        "end": span["end"],
    }
    start, end = position["start"], position["end"]
    assert quote["type"] == "TextQuoteSelector"
    assert set(quote) == {"type", "exact", "prefix", "suffix"}
    assert quote["exact"] == text[start:end]
    assert quote["prefix"] == text[max(0, start - 32) : start]
    assert quote["suffix"] == text[end : end + 32]
    assert len(quote["prefix"]) <= 32 and len(quote["suffix"]) <= 32
    # The quote finds the span again in the text, as a Web Annotation client would.
    found = text.find(quote["prefix"] + quote["exact"] + quote["suffix"])
    assert found + len(quote["prefix"]) == start
    # Every paragraph lies, in order, inside the span; the first opens it.
    assert quote["exact"].startswith(answer["paragraphs"][0])
    assert quote["exact"].endswith(answer["paragraphs"][-1])
    at = 0
    for paragraph in answer["paragraphs"]:
        at = quote["exact"].index(paragraph, at) + len(paragraph)
    question = provenance["question_span"]
    assert text[question["start"] : question["end"]] == answer["question"]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_retracted_article_s_answers_keep_no_quote(
    client: FlaskClient, auth: dict[str, str], engine: sa.Engine
) -> None:
    """What a tombstone keeps is no text: its versions answer 410, not a quote."""
    created = _post(client, auth, AWKWARD).get_json()
    version = client.get(
        f"/v1/questions/{created['records'][0]['question_id']}/latest"
    ).get_json()
    with engine.begin() as conn:
        delete_article(conn, created["id"], deleted_at=datetime.now(UTC))
    assert client.get(version["links"]["self"].removeprefix(BASE)).status_code == 410


# Words of German news text and the characters that make code points differ
# from UTF-8 bytes and from UTF-16 units: umlauts, a flag, a combining accent,
# a letter outside the BMP, dashes and quotes.
WORDS = st.sampled_from(
    [
        "Gespräche",
        "Straße",
        "über",
        "Kiew",
        "🇺🇦",
        "e\u0301",
        "𝔘",
        "–",
        "„so“",
        "90",
        "z. B.",
    ]
)
PARAGRAPH = (
    st.lists(WORDS, min_size=1, max_size=12).map(" ".join).map(lambda p: p + ".")
)
SEPARATOR = st.sampled_from(["\n\n", "\n\n\n", "\n \u00a0\n", "\n\t\n\n"])


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    lead=st.lists(PARAGRAPH, max_size=2),
    answer=st.lists(PARAGRAPH, min_size=1, max_size=4),
    separators=st.lists(SEPARATOR, min_size=8, max_size=8),
    after=st.lists(PARAGRAPH, max_size=1),
)
def test_the_database_cuts_quotes_as_python_slices_code_points(
    engine: sa.Engine,
    lead: list[str],
    answer: list[str],
    separators: list[str],
    after: list[str],
) -> None:
    heading = f"Wer verhandelt {uuid.uuid4().hex[:10]}?"
    blocks = ["date 2026-03-01", *lead, heading, *answer]
    if after:
        blocks += ["Und danach?", *after]
    text = blocks[0]
    for block, separator in zip(blocks[1:], separators * 2, strict=False):
        text += separator + block
    parsed = parse_article(text.encode(), source="p.txt")
    record = next(r for r in parsed.records if r.question == heading)
    assert record.answer_span is not None
    with engine.begin() as conn:
        save_article(conn, parsed, ingested_at=datetime.now(UTC))
    with engine.connect() as conn:
        row = latest_answer(conn, record.question_id)
    assert row is not None
    start, end = record.answer_span.start, record.answer_span.end
    assert row["quote"] == {
        "exact": parsed.text[start:end],
        "prefix": parsed.text[max(0, start - 32) : start],
        "suffix": parsed.text[end : end + 32],
    }
