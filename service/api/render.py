"""One representation per resource: rows from the store in, JSON-ready bodies out.

Each function here is the only place its resource's JSON shape is built (the
marshmallow schemas in api/schemas.py document the same shapes for the
contract; tests hold the two together). A second media type for a resource
is a second renderer of the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, overload

from flask import url_for

from service.diff import diff as word_diff
from service.diff import similarity as words_alike
from service.store.queries import (
    ArticleDetailRow,
    ArticleRow,
    QuestionDetailRow,
    QuestionRow,
    VersionRow,
)
from service.store.search import HitRow


def page(items: Sequence[dict[str, Any]], next_url: str | None) -> dict[str, Any]:
    """A page of a list: its items and the URL of the next page, if any."""
    return {"items": list(items), "next": next_url}


def question(row: QuestionRow) -> dict[str, Any]:
    """A question as listed: its newest wording, answer count, dates and links."""
    ref = _question_ref(row["id"], row["text"])
    return {
        "id": ref["id"],
        "text": ref["text"],
        "answer_count": row["answer_count"],
        "first_published": row["first_published"],
        "last_published": row["last_published"],
        "links": ref["links"],
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


def search_page(
    query: str, items: Sequence[dict[str, Any]], next_url: str | None
) -> dict[str, Any]:
    """A page of search results: the query, its items and the next page's URL."""
    return {"query": query, "items": list(items), "next": next_url}


def search_item(
    hit: HitRow, score: float, highlights: Sequence[dict[str, str]]
) -> dict[str, Any]:
    """A search result: the question, the answer version found, score, highlights."""
    question_id = hit["question_id"]
    return {
        "question": _question_ref(question_id, hit["question_text"]),
        "answer": {
            "id": hit["answer_id"],
            "published": hit["published"],
            "links": {
                "self": _version_url(hit["answer_id"]),
                "question": _url("questions.get_question", question_id=question_id),
            },
        },
        "score": round(score, 4),
        "highlights": list(highlights),
    }


def ask(
    query: str, matches: Sequence[tuple[HitRow, float, VersionRow]]
) -> dict[str, Any]:
    """The stored questions a free-text question asks, each with its full answer."""
    return {
        "query": query,
        "matches": [
            {
                "question": _question_ref(hit["question_id"], hit["question_text"]),
                "answer": answer(version),
                "score": round(score, 4),
            }
            for hit, score, version in matches
        ],
    }


def _question_ref(question_id: str, text: str) -> dict[str, Any]:
    return {
        "id": question_id,
        "text": text,
        "links": {
            "self": _url("questions.get_question", question_id=question_id),
            "answers": _url("questions.list_answers", question_id=question_id),
            "latest": _url("questions.get_latest_answer", question_id=question_id),
        },
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


@overload
def _version_url(answer_id: str) -> str: ...
@overload
def _version_url(answer_id: None) -> None: ...
def _version_url(answer_id: str | None) -> str | None:
    if answer_id is None:
        return None
    return _url("answers.get_answer", answer_id=answer_id)


def _article_url(article_id: str) -> str:
    return _url("articles.get_article", article_id=article_id)


def _url(endpoint: str, **values: str) -> str:
    return url_for(endpoint, **values, _external=True)
