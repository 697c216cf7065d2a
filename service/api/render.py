"""One representation per resource: rows from the store in, JSON-ready bodies out.

Each function here is the only place its resource's JSON shape is built (the
marshmallow schemas in api/schemas.py document the same shapes for the
contract; tests hold the two together). A second media type for a resource
is a second renderer of the same rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any, overload
from urllib.parse import quote
from xml.etree import ElementTree

from flask import g, request, url_for

from service.diff import diff as word_diff
from service.diff import similarity as words_alike
from service.store.changes import EventRow, FeedEntryRow
from service.store.ingest import PLAIN_TEXT
from service.store.queries import (
    AnswerRow,
    ArticleDetailRow,
    ArticleRow,
    QuestionDetailRow,
    QuestionRow,
    VersionRow,
)
from service.store.search import HitRow
from service.store.versions import History


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
            "selectors": selectors(row),
            "ingested_at": row["ingested_at"],
            "parser_version": row["parser_version"],
            "raw_media_type": row["raw_media_type"],
            "raw_sha256": row["raw_sha256"],
            "source_url": row["source_url"],
            "url": _article_url(row["article_id"]),
        },
    }


def selectors(row: AnswerRow) -> list[dict[str, Any]]:
    """W3C Web Annotation selectors of the answer span in the canonical text.

    Positions count code points, as the spans do; the quote's prefix and suffix
    hold up to 32 of them (https://www.w3.org/TR/annotation-model/#selectors).
    """
    span, quote = row["answer_span"], row["quote"]
    return [
        {"type": "TextPositionSelector", "start": span["start"], "end": span["end"]},
        {
            "type": "TextQuoteSelector",
            "exact": quote["exact"],
            "prefix": quote["prefix"],
            "suffix": quote["suffix"],
        },
    ]


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
        "raw_media_type": row["raw_media_type"],
        "raw_sha256": row["raw_sha256"],
        "source_url": row["source_url"],
        "question_count": row["question_count"],
        "links": {
            "self": _article_url(article_id),
            "text": _text_url(article_id),
            "raw": _raw_url(article_id),
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


def _text_url(article_id: str) -> str:
    return _url("articles.get_article_text", article_id=article_id)


def _raw_url(article_id: str) -> str:
    return _url("articles.get_article_raw", article_id=article_id)


# A path value no route's URL quotes or holds otherwise: what `_url` replaces.
_SLOT = "0briefing0slot0"
# How werkzeug quotes a path value (BaseConverter.to_url, which the id
# converters keep).
_PATH_SAFE = "!$&'()*+,/:;=@"


def _url(endpoint: str, **values: str) -> str:
    """The absolute URL of an endpoint (with at most one path value).

    url_for runs once per endpoint and request (some 4 us each: a page of
    100 questions links each three times); the value then takes its place.
    """
    if len(values) != 1:
        return url_for(endpoint, **values, _external=True)
    ((name, value),) = values.items()
    # The app context is the request's, or one that outlives several (tests):
    # the root (scheme, host, script root) is part of the key.
    templates: dict[tuple[str, ...], list[str]] = g.setdefault("url_templates", {})
    key = (endpoint, name, request.url_root)
    template = templates.get(key)
    if template is None:
        built = url_for(endpoint, **{name: _SLOT}, _external=True)
        template = templates[key] = built.split(_SLOT)
    return quote(value, safe=_PATH_SAFE).join(template)


# JSON-LD (https://www.w3.org/TR/json-ld11/): schema.org says what a resource
# is, PROV-O where it came from, the Web Annotation vocabulary which span of the
# article's text an answer quotes. The context is inline, so a processor needs
# no network, and it names every key: expanding a body loses nothing.
JSON_LD = "application/ld+json"
_SCHEMA = "http://schema.org/"
_DATE = {"@type": "xsd:date"}
_REFERENCE = {"@type": "@id"}
_LIST = {"@container": "@set"}
JSON_LD_CONTEXT: dict[str, Any] = {
    "schema": _SCHEMA,
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "Question": "schema:Question",
    "Answer": "schema:Answer",
    "NewsArticle": "schema:NewsArticle",
    "MediaObject": "schema:MediaObject",
    "SpecificResource": "oa:SpecificResource",
    "TextPositionSelector": "oa:TextPositionSelector",
    "TextQuoteSelector": "oa:TextQuoteSelector",
    "identifier": "schema:identifier",
    "name": "schema:name",
    "text": "schema:text",
    "url": {"@id": "schema:url", **_REFERENCE},
    "dateCreated": {"@id": "schema:dateCreated", **_DATE},
    "dateModified": {"@id": "schema:dateModified", **_DATE},
    "datePublished": {"@id": "schema:datePublished", **_DATE},
    "answerCount": "schema:answerCount",
    "acceptedAnswer": "schema:acceptedAnswer",
    "suggestedAnswer": {"@id": "schema:suggestedAnswer", **_LIST},
    "parentItem": "schema:parentItem",
    "isBasedOn": "schema:isBasedOn",
    "encoding": {"@id": "schema:encoding", **_LIST},
    "contentUrl": {"@id": "schema:contentUrl", **_REFERENCE},
    "encodingFormat": "schema:encodingFormat",
    "sha256": "schema:sha256",
    "source": {"@id": "oa:hasSource", **_REFERENCE},
    "selector": {"@id": "oa:hasSelector", **_LIST},
    "start": "oa:start",
    "end": "oa:end",
    "exact": "oa:exact",
    "prefix": "oa:prefix",
    "suffix": "oa:suffix",
}


def answer_jsonld(row: VersionRow) -> dict[str, Any]:
    """An answer version as a schema.org Answer, derived from and quoting its article.

    `prov:wasRevisionOf` names the previous version, when there is one.
    """
    article_id = row["article_id"]
    question_id = row["question_id"]
    span, quote = row["answer_span"], row["quote"]
    node: dict[str, Any] = {
        "@context": JSON_LD_CONTEXT,
        "@id": _version_url(row["id"]),
        "@type": "Answer",
        "identifier": row["id"],
        "text": "\n\n".join(row["paragraphs"]),
        "dateCreated": row["published"],
        "parentItem": {
            "@id": _url("questions.get_question", question_id=question_id),
            "@type": "Question",
            "identifier": question_id,
            "text": row["question"],
        },
        "isBasedOn": {
            **_news_article(article_id, row["published"]),
            **({"url": row["source_url"]} if row["source_url"] else {}),
            "encoding": [
                _media_object(_text_url(article_id), PLAIN_TEXT, row["sha256"]),
                _media_object(
                    _raw_url(article_id), row["raw_media_type"], row["raw_sha256"]
                ),
            ],
        },
        "prov:wasDerivedFrom": {"@id": _article_url(article_id)},
        "prov:wasQuotedFrom": {
            "@type": "SpecificResource",
            "source": _text_url(article_id),
            "selector": [
                {
                    "@type": "TextPositionSelector",
                    "start": span["start"],
                    "end": span["end"],
                },
                {"@type": "TextQuoteSelector", **quote},
            ],
        },
    }
    if row["previous_id"] is not None:
        node["prov:wasRevisionOf"] = {"@id": _version_url(row["previous_id"])}
    return node


def question_jsonld(row: QuestionDetailRow, found: History) -> dict[str, Any]:
    """A question as a schema.org Question: its latest answer accepted, the others
    suggested, oldest first, each a `prov:wasRevisionOf` the one before."""
    question_id = row["id"]
    answers = [_version_node(found, index) for index in range(len(found.versions))]
    node: dict[str, Any] = {
        "@context": JSON_LD_CONTEXT,
        "@id": _url("questions.get_question", question_id=question_id),
        "@type": "Question",
        "identifier": question_id,
        "name": row["text"],
        "text": row["text"],
        "answerCount": len(answers),
        "dateCreated": row["first_published"],
        "dateModified": row["last_published"],
        "acceptedAnswer": answers[-1],
    }
    if len(answers) > 1:
        node["suggestedAnswer"] = answers[:-1]
    return node


def _version_node(found: History, index: int) -> dict[str, Any]:
    version = found.versions[index]
    node: dict[str, Any] = {
        "@id": _version_url(version.id),
        "@type": "Answer",
        "identifier": version.id,
        "dateCreated": version.published,
        "isBasedOn": _news_article(version.article_id, version.published),
        "prov:wasDerivedFrom": {"@id": _article_url(version.article_id)},
    }
    if index > 0:
        node["prov:wasRevisionOf"] = {"@id": _version_url(found.versions[index - 1].id)}
    return node


def _news_article(article_id: str, published: date) -> dict[str, Any]:
    return {
        "@id": _article_url(article_id),
        "@type": "NewsArticle",
        "identifier": article_id,
        "datePublished": published,
    }


def _media_object(url: str, media_type: str, sha256: str) -> dict[str, Any]:
    return {
        "@id": url,
        "@type": "MediaObject",
        "contentUrl": url,
        "encodingFormat": media_type,
        "sha256": sha256,
    }
