"""/v1/questions: the questions, their timelines and their answers by date."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask.wrappers import Response
from flask_smorest import Blueprint

from service.api import docs, memento, render
from service.api.http import (
    JSON,
    decode_cursor,
    link_header,
    next_link,
    parse_day,
    preferred,
    respond,
)
from service.api.render import JSON_LD
from service.api.schemas import (
    AnswerListSchema,
    AnswerOnArgsSchema,
    AnswerSchema,
    DiffArgsSchema,
    DiffSchema,
    QuestionDetailSchema,
    QuestionListArgsSchema,
    QuestionPageSchema,
)
from service.errors import AnswerNotFound, QuestionNotFound
from service.keys import question_key
from service.store import get_conn, queries, versions
from service.store.queries import VersionRow
from service.store.versions import History, Match

# The representations of a question and of its latest answer; JSON unless
# Accept prefers JSON-LD. Both vary on Accept, for shared caches to know.
NEGOTIATED = (JSON, JSON_LD)
VARY = {"Vary": "Accept"}
bp = Blueprint(
    "questions",
    __name__,
    url_prefix="/v1/questions",
    description="Questions and their answers over time.",
)


@bp.get("")
@bp.arguments(QuestionListArgsSchema, location="query")
@docs.ok(bp, QuestionPageSchema, extra_headers=("Link",))
def list_questions(args: dict[str, Any]) -> Response:
    """List the questions that have at least one answer.

    Ordered by id; `q` keeps those whose normalised text contains it.
    """
    after = decode_cursor(args["cursor"], (str,)) if args.get("cursor") else None
    found = queries.list_questions(
        get_conn(),
        limit=args["limit"],
        key_contains=question_key(args["q"]) if "q" in args else None,
        after=after[0] if after else None,
    )
    next_url = next_link(found.after)
    return respond(
        render.page([render.question(row) for row in found.items], next_url),
        cacheable=True,
        headers=link_header(next_url),
    )


@bp.get("/<question_id:question_id>")
@docs.ok(
    bp, QuestionDetailSchema, extra_headers=("Last-Modified", "Vary"), problems=(404,)
)
def get_question(question_id: str) -> Response:
    """Get one question with its timeline of answers."""
    question = queries.find_question(get_conn(), question_id)
    if question is None:
        raise _unknown(question_id)
    as_json_ld = preferred(NEGOTIATED) == JSON_LD
    if as_json_ld:
        found = versions.history(get_conn(), question_id)
        if found is None:
            raise _unknown(question_id)
        body = render.question_jsonld(question, found)
    else:
        body = render.question_detail(question)
    return respond(
        body,
        mimetype=JSON_LD if as_json_ld else JSON,
        cacheable=True,
        last_modified=question["changed_at"],
        headers=VARY,
    )


@bp.get("/<question_id:question_id>/answers")
@docs.ok(bp, AnswerListSchema, extra_headers=("Last-Modified",), problems=(404,))
def list_answers(question_id: str) -> Response:
    """List every answer version of a question, oldest first."""
    found = versions.history(get_conn(), question_id)
    if found is None:
        raise _unknown(question_id)
    answers = versions.answers(get_conn(), found)
    return respond(
        {"items": [render.answer(answer) for answer in answers]},
        cacheable=True,
        last_modified=answers[0]["changed_at"],
    )


@bp.get("/<question_id:question_id>/answers/<day:on>")
@bp.arguments(AnswerOnArgsSchema, location="query")
@docs.ok(bp, AnswerSchema, extra_headers=("Last-Modified", "Link"), problems=(404,))
def get_answer_on(args: dict[str, Any], question_id: str, on: str) -> Response:
    """Get the answer a date picks.

    `match=as_of` (default): the latest published on or before the date;
    `exact`: published on it; `nearest`: the closest publication either side
    (a tie goes to the earlier); `after`: the first on or after it. A date
    outside the history is a 404 problem that says so (`no-answer-yet`,
    `no-later-answer`) and links the first or last version; never a clamp.
    """
    day = parse_day("on", on)
    match = Match(args["match"])
    found = versions.history(get_conn(), question_id)
    if found is None:
        raise _unknown(question_id)
    index = found.pick(day, match)
    if index is None:
        raise _outside(found, day, match)
    answer = versions.answer(get_conn(), found, index)
    return _answer_response(answer)


@bp.get("/<question_id:question_id>/latest")
@docs.ok(
    bp,
    AnswerSchema,
    extra_headers=("Last-Modified", "Link", "Vary"),
    problems=(404,),
)
def get_latest_answer(question_id: str) -> Response:
    """Get the latest answer to a question, with its provenance.

    The original resource of RFC 7089: `Link` names its TimeGate and TimeMap.
    JSON-LD (a schema.org Answer) when `Accept` prefers `application/ld+json`.
    """
    found = versions.history(get_conn(), question_id)
    if found is None:
        raise _unknown(question_id)
    answer = versions.answer(get_conn(), found, len(found.versions) - 1)
    links = {"Link": memento.original_links(found), **VARY}
    if preferred(NEGOTIATED) == JSON_LD:
        return respond(
            render.answer_jsonld(answer),
            mimetype=JSON_LD,
            cacheable=True,
            last_modified=answer["changed_at"],
            headers=links,
        )
    return _answer_response(answer, headers=links)


@bp.get("/<question_id:question_id>/diff")
@bp.arguments(DiffArgsSchema, location="query")
@docs.ok(bp, DiffSchema, problems=(404,))
def get_diff(args: dict[str, Any], question_id: str) -> Response:
    """Show what changed between two answers of a question, word by word.

    `to` and `from` are dates, each resolved as of that date; `to` defaults to
    the latest answer, `from` to the version before `to`.
    """
    found = versions.history(get_conn(), question_id)
    if found is None:
        raise _unknown(question_id)
    newer = _as_of(found, args.get("to"), len(found.versions) - 1)
    older = _as_of(found, args.get("from_"), newer - 1)
    if older < 0:
        raise AnswerNotFound(
            f"question {question_id!r} has no answer before the one of "
            f"{found.versions[newer].published.isoformat()} to compare it with"
        )
    old = versions.answer(get_conn(), found, older)
    new = versions.answer(get_conn(), found, newer)
    return respond(render.diff(old, new), cacheable=True)


def _as_of(found: History, day: date | None, default: int) -> int:
    if day is None:
        return default
    index = found.pick(day, Match.AS_OF)
    if index is None:
        raise _outside(found, day, Match.AS_OF)
    return index


def _answer_response(
    answer: VersionRow, headers: dict[str, str] | None = None
) -> Response:
    return respond(
        render.answer(answer),
        cacheable=True,
        last_modified=answer["changed_at"],
        headers=headers,
    )


def _outside(found: History, day: date, match: Match) -> AnswerNotFound:
    """Why a date picks no version: before the first, after the last, or a gap."""
    question_id = found.question_id
    if day < found.first.published:
        return memento.no_answer_yet(
            found, f"question {question_id!r} has no answer yet on {day.isoformat()}"
        )
    if day > found.last.published:
        return memento.no_later_answer(
            found,
            f"question {question_id!r} has no answer on or after {day.isoformat()}",
        )
    return AnswerNotFound(
        f"question {question_id!r} has no answer published on {day.isoformat()}"
    )


def _unknown(question_id: str) -> QuestionNotFound:
    return QuestionNotFound(f"no question with id {question_id!r} has an answer")
