"""/v1/search and /v1/ask: the answers in force that a reader's words ask for."""

from __future__ import annotations

from typing import Any

from flask.wrappers import Response
from flask_smorest import Blueprint

from service.api import docs, render
from service.api.http import decode_cursor, link_header, next_link, respond
from service.api.schemas import (
    AskArgsSchema,
    AskSchema,
    SearchArgsSchema,
    SearchPageSchema,
)
from service.errors import ValidationFailed
from service.search.rank import ask, highlight
from service.store import get_conn, search, versions
from service.store.search import HitRow

bp = Blueprint(
    "search",
    __name__,
    url_prefix="/v1",
    description="Finding answers: German full-text search and questions asked freely.",
)


@bp.get("/search")
@bp.arguments(SearchArgsSchema, location="query")
@docs.ok(bp, SearchPageSchema, extra_headers=("Link",))
def search_answers(args: dict[str, Any]) -> Response:
    """Search the questions and answers in force, best match first.

    German words match in any inflection, with or without umlauts, as parts
    of compounds and with one typo in longer words; the question's wording
    weighs more than the answer text. One item per question: its answer in
    force today, or on `as_of`.
    """
    offset = decode_cursor(args["cursor"], (int,))[0] if args.get("cursor") else 0
    if offset < 0:
        raise ValidationFailed(
            "the cursor is not valid; take it from a `next` link",
            errors=[{"parameter": "cursor", "detail": "not a cursor this API made"}],
        )
    conn = get_conn()
    found = search.search(conn, args["q"], on=args.get("as_of"))
    limit = args["limit"]
    page = found.ranked[offset : offset + limit]
    rows = search.hits(conn, [doc.record_pk for _, doc in page])
    items = [
        render.search_item(
            rows[doc.record_pk],
            score,
            _highlights(rows[doc.record_pk], found.plan.terms),
        )
        for score, doc in page
    ]
    more = offset + limit < len(found.ranked)
    next_url = next_link((offset + limit,) if more else None)
    return respond(
        render.search_page(args["q"], items, next_url),
        cacheable=True,
        headers=link_header(next_url),
    )


@bp.get("/ask")
@bp.arguments(AskArgsSchema, location="query")
@docs.ok(bp, AskSchema)
def ask_question(args: dict[str, Any]) -> Response:
    """Answer a question asked freely with the stored questions it asks.

    At most three, best first, each with its full answer in force (today, or on
    `as_of`); none when no stored question is close enough: no guessing.
    """
    conn = get_conn()
    found = search.search(conn, args["q"], on=args.get("as_of"))
    chosen = ask(found.plan, found.ranked)
    rows = search.hits(conn, [doc.record_pk for _, doc in chosen])
    matches = []
    for score, doc in chosen:
        row = rows[doc.record_pk]
        history = versions.history(conn, row["question_id"])
        index = history.index_of(row["answer_id"]) if history else None
        if history is None or index is None:  # pragma: no cover - same transaction
            continue
        matches.append((row, score, versions.answer(conn, history, index)))
    return respond(render.ask(args["q"], matches), cacheable=True)


def _highlights(row: HitRow, terms: set[str]) -> list[dict[str, str]]:
    found = [
        ("question", highlight(row["question"], terms, whole=True)),
        ("answer", highlight("\n\n".join(row["paragraphs"]), terms)),
    ]
    return [{"field": field, "text": text} for field, text in found if text]
