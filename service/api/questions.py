"""/v1/questions: the questions, their timelines and their answers by date."""

from __future__ import annotations

from typing import Any

from flask.wrappers import Response
from flask_smorest import Blueprint

from service.api import docs, render
from service.api.http import (
    decode_cursor,
    link_header,
    next_link,
    parse_day,
    respond,
)
from service.api.schemas import (
    AnswerListSchema,
    AnswerOnArgsSchema,
    AnswerSchema,
    QuestionDetailSchema,
    QuestionListArgsSchema,
    QuestionPageSchema,
)
from service.errors import AnswerNotFound, QuestionNotFound
from service.keys import question_key
from service.store import get_conn, queries
from service.store.queries import AnswerRow

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
@docs.ok(bp, QuestionDetailSchema, extra_headers=("Last-Modified",), problems=(404,))
def get_question(question_id: str) -> Response:
    """Get one question with its timeline of answers."""
    question = queries.find_question(get_conn(), question_id)
    if question is None:
        raise _unknown(question_id)
    return respond(
        render.question_detail(question),
        cacheable=True,
        last_modified=question["changed_at"],
    )


@bp.get("/<question_id:question_id>/answers")
@docs.ok(bp, AnswerListSchema, extra_headers=("Last-Modified",), problems=(404,))
def list_answers(question_id: str) -> Response:
    """List every answer to a question, oldest first."""
    answers = queries.list_answers(get_conn(), question_id)
    if not answers:
        raise _unknown(question_id)
    return respond(
        {"items": [render.answer(answer) for answer in answers]},
        cacheable=True,
        last_modified=answers[0]["changed_at"],
    )


@bp.get("/<question_id:question_id>/answers/<day:on>")
@bp.arguments(AnswerOnArgsSchema, location="query")
@docs.ok(bp, AnswerSchema, extra_headers=("Last-Modified",), problems=(404,))
def get_answer_on(args: dict[str, Any], question_id: str, on: str) -> Response:
    """Get the answer in force on a date.

    The latest answer published on or before the date; with `match=exact`,
    only one published on that date.
    """
    day = parse_day("on", on)
    exact = args["match"] == "exact"
    answer = queries.answer_on(get_conn(), question_id, day, exact=exact)
    if answer is None:
        if not queries.question_exists(get_conn(), question_id):
            raise _unknown(question_id)
        kind = "published on" if exact else "in force on"
        raise AnswerNotFound(
            f"question {question_id!r} has no answer {kind} {day.isoformat()}"
        )
    return _answer_response(answer)


@bp.get("/<question_id:question_id>/latest")
@docs.ok(bp, AnswerSchema, extra_headers=("Last-Modified",), problems=(404,))
def get_latest_answer(question_id: str) -> Response:
    """Get the latest answer to a question, with its provenance."""
    answer = queries.latest_answer(get_conn(), question_id)
    if answer is None:
        raise _unknown(question_id)
    return _answer_response(answer)


def _answer_response(answer: AnswerRow) -> Response:
    return respond(
        render.answer(answer), cacheable=True, last_modified=answer["changed_at"]
    )


def _unknown(question_id: str) -> QuestionNotFound:
    return QuestionNotFound(f"no question with id {question_id!r} has an answer")
