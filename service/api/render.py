"""One representation per resource: rows from the store in, JSON-ready bodies out.

Each function here is the only place its resource's JSON shape is built (the
marshmallow schemas in api/schemas.py document the same shapes for the
contract; tests hold the two together). A second media type for a resource
is a second renderer of the same rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, overload
from xml.etree import ElementTree

from flask import url_for

from service.diff import diff as word_diff
from service.diff import similarity as words_alike
from service.store.changes import EventRow, FeedEntryRow
from service.store.queries import (
    ArticleDetailRow,
    ArticleRow,
    QuestionDetailRow,
    QuestionRow,
    VersionRow,
)


def page(items: Sequence[dict[str, Any]], next_url: str | None) -> dict[str, Any]:
    """A page of a list: its items and the URL of the next page, if any."""
    return {"items": list(items), "next": next_url}


def question(row: QuestionRow) -> dict[str, Any]:
    """A question as listed: its newest wording, answer count, dates and links."""
    question_id = row["id"]
    return {
        "id": question_id,
        "text": row["text"],
        "answer_count": row["answer_count"],
        "first_published": row["first_published"],
        "last_published": row["last_published"],
        "links": {
            "self": _url("questions.get_question", question_id=question_id),
            "answers": _url("questions.list_answers", question_id=question_id),
            "latest": _url("questions.get_latest_answer", question_id=question_id),
        },
    }


def question_detail(row: QuestionDetailRow) -> dict[str, Any]:
    """A question with its timeline: each answer's date and article."""
    return {
        **question(row),
        "answers": [
            {
                "published": entry["published"],
                "article_id": entry["article_id"],
                "url": _article_url(entry["article_id"]),
            }
            for entry in row["answers"]
        ],
    }


def answer(row: VersionRow) -> dict[str, Any]:
    """An answer version: its id and links, its change, its provenance."""
    question_id = row["question_id"]
    return {
        "id": row["id"],
        "question_id": question_id,
        "question": row["question"],
        "published": row["published"],
        "text": "\n\n".join(row["paragraphs"]),
        "paragraphs": row["paragraphs"],
        "change": row["change"],
        "links": {
            "self": _version_url(row["id"]),
            "question": _url("questions.get_question", question_id=question_id),
            "previous": _version_url(row["previous_id"]),
            "next": _version_url(row["next_id"]),
            "timemap": _url("memento.get_timemap", question_id=question_id),
        },
        "provenance": {
            "article_id": row["article_id"],
            "source": row["source"],
            "published": row["published"],
            "sha256": row["sha256"],
            "question_span": row["question_span"],
            "answer_span": row["answer_span"],
            "ingested_at": row["ingested_at"],
            "parser_version": row["parser_version"],
            "url": _article_url(row["article_id"]),
        },
    }


def diff(old: VersionRow, new: VersionRow) -> dict[str, Any]:
    """What changed from one version of a question to another, word by word."""
    before = "\n\n".join(old["paragraphs"])
    after = "\n\n".join(new["paragraphs"])
    return {
        "question_id": new["question_id"],
        "from": {"id": old["id"], "published": old["published"]},
        "to": {"id": new["id"], "published": new["published"]},
        "similarity": words_alike(old["paragraphs"], new["paragraphs"]),
        "ops": word_diff(before, after),
    }


def article(row: ArticleRow) -> dict[str, Any]:
    """An article as listed: its source, date, fingerprint and links."""
    article_id = row["id"]
    return {
        "id": article_id,
        "source": row["source"],
        "published": row["published"],
        "sha256": row["sha256"],
        "ingested_at": row["ingested_at"],
        "parser_version": row["parser_version"],
        "question_count": row["question_count"],
        "links": {
            "self": _article_url(article_id),
            "text": _url("articles.get_article_text", article_id=article_id),
        },
    }


def article_detail(row: ArticleDetailRow) -> dict[str, Any]:
    """An article with its records, headings without answer included."""
    return {**article(row), "records": row["records"]}


def event(row: EventRow) -> dict[str, Any]:
    """One change-log event, with links to its article and its version."""
    return {
        "id": row["id"],
        "type": row["type"],
        "at": row["at"],
        "article_id": row["article_id"],
        "question_id": row["question_id"],
        "answer_id": row["answer_id"],
        "change": row["change"],
        "ended": row["ended"],
        "links": {
            "article": _article_url(row["article_id"]),
            "answer": _version_url(row["answer_id"]),
        },
    }


_ATOM = "http://www.w3.org/2005/Atom"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_CHANGE_WORDS = {
    "first": "Erste Antwort",
    "revised": "Neue Fassung",
    "unchanged": "Unveränderte Antwort",
}


def atom_feed(entries: Sequence[FeedEntryRow], *, self_url: str) -> bytes:
    """The latest answer changes as an Atom 1.0 feed (RFC 4287), newest first.

    An entry per answer_added event: titled with the question, linking the
    version, `updated` at the write. Entry ids are URNs made from the event
    and version ids, the same under any host name.
    """
    ElementTree.register_namespace("", _ATOM)

    def add(
        parent: ElementTree.Element, tag: str, text: str | None = None, **attrs: str
    ) -> ElementTree.Element:
        element = ElementTree.SubElement(parent, f"{{{_ATOM}}}{tag}", attrs)
        element.text = text
        return element

    feed = ElementTree.Element(f"{{{_ATOM}}}feed", {"xml:lang": "de"})
    add(feed, "id", f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'briefing:changes')}")
    add(feed, "title", "briefing: neue Antworten")
    add(feed, "updated", _rfc3339(max((e["at"] for e in entries), default=_EPOCH)))
    add(add(feed, "author"), "name", "briefing")
    add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    add(
        feed,
        "link",
        rel="alternate",
        type="application/json",
        href=_url("changes.list_changes"),
    )
    for entry in entries:
        change = entry["change"] or {"kind": "first"}
        version = _version_url(entry["answer_id"] or "")
        item = add(feed, "entry")
        name = f"briefing:{entry['id']}:{entry['answer_id']}"
        add(item, "id", f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}")
        add(item, "title", entry["question"] or entry["question_id"])
        add(item, "updated", _rfc3339(entry["at"]))
        add(item, "link", rel="alternate", href=version)
        add(item, "summary", _CHANGE_WORDS.get(change["kind"], change["kind"]))
        if entry["text"] is not None:
            add(item, "content", entry["text"], type="text")
    xml: bytes = ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)
    return xml


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


@overload
def _version_url(answer_id: str) -> str: ...
@overload
def _version_url(answer_id: None) -> None: ...
@overload
def _version_url(answer_id: str | None) -> str | None: ...
def _version_url(answer_id: str | None) -> str | None:
    if answer_id is None:
        return None
    return _url("answers.get_answer", answer_id=answer_id)


def _article_url(article_id: str) -> str:
    return _url("articles.get_article", article_id=article_id)


def _url(endpoint: str, **values: str) -> str:
    return url_for(endpoint, **values, _external=True)
