"""Pages for people: the questions, and a question's history with what changed.

Server-rendered HTML (Jinja2 templates in api/templates/), in German, with no
script and no asset from anywhere: the stylesheet is inline, allowed by its
hash in the pages' Content-Security-Policy (service.api.security).
"""

from __future__ import annotations

import base64
import hashlib
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask import render_template, url_for
from flask.wrappers import Response
from flask_smorest import Blueprint
from markupsafe import Markup

from service.api import docs
from service.api.http import decode_cursor, encode_cursor, respond
from service.api.schemas import HomePageArgsSchema
from service.diff import diff
from service.errors import QuestionNotFound
from service.search.rank import highlight
from service.store import get_conn, queries, search, versions

TEMPLATES = Path(__file__).with_name("templates")
CSS = (TEMPLATES / "page.css").read_text(encoding="utf-8")
_CSS_HASH = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
POLICY = (
    f"default-src 'none'; style-src 'sha256-{_CSS_HASH}'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
PAGE_SIZE = 50
SEARCH_RESULTS = 20
MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)

bp = Blueprint(
    "pages",
    __name__,
    template_folder="templates",
    description="Pages for people: HTML in German, no script, nothing from elsewhere.",
)
_HTML = {"type": "string"}


def is_page(path: str) -> bool:
    return path == "/" or path.startswith("/questions/")


@bp.app_template_filter("day")
def german_day(day: date) -> str:
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


@bp.get("/")
@bp.arguments(HomePageArgsSchema, location="query")
@docs.ok(bp, _HTML, mimetype="text/html")
def get_home_page(args: dict[str, Any]) -> Response:
    """The questions, the most recently changed first (an HTML page).

    Fifty a page; "Weitere Fragen" links the next. With `q`, a search box's
    words: the twenty best matching questions with their answers in force.
    """
    words = args.get("q", "").strip()
    if words:
        return _page("index.html", q=words, results=_search(words))
    after = _position(args.get("cursor"))
    found = queries.recent_questions(get_conn(), limit=PAGE_SIZE, after=after)
    next_url = None
    if found.after is not None:
        next_url = "?cursor=" + encode_cursor(found.after)
    return _page("index.html", questions=found.items, next_url=next_url)


@bp.get("/questions/<question_id:question_id>")
@docs.ok(
    bp, _HTML, mimetype="text/html", extra_headers=("Last-Modified",), problems=(404,)
)
def get_question_page(question_id: str) -> Response:
    """A question's history (an HTML page).

    Every version, newest first, with its date and source, the words changed
    since the version before it in `<ins>` and `<del>`, and links to its
    article and the article's text.
    """
    conn = get_conn()
    found = queries.find_question(conn, question_id)
    history = versions.history(conn, question_id)
    if found is None or history is None:
        raise QuestionNotFound(f"no question with id {question_id!r}")
    loaded = versions.answers(conn, history)
    shown = []
    for index, answer in enumerate(loaded):
        text = "\n\n".join(answer["paragraphs"])
        before = "\n\n".join(loaded[index - 1]["paragraphs"]) if index else text
        shown.append(
            {
                "id": answer["id"],
                "published": answer["published"],
                "source": answer["source"],
                "kind": answer["change"]["kind"],
                "similarity": answer["change"]["similarity"],
                "pieces": list(_pieces(before, text)),
                "url": url_for("answers.get_answer", answer_id=answer["id"]),
                "article_url": url_for(
                    "articles.get_article", article_id=answer["article_id"]
                ),
                "text_url": url_for(
                    "articles.get_article_text", article_id=answer["article_id"]
                ),
            }
        )
    return _page(
        "question.html",
        question=found,
        versions=list(reversed(shown)),
        last_modified=found["changed_at"],
    )


def _search(words: str) -> list[dict[str, Any]]:
    conn = get_conn()
    found = search.search(conn, words)
    best = found.ranked[:SEARCH_RESULTS]
    rows = search.hits(conn, [doc.record_pk for _, doc in best])
    results = []
    for _, doc in best:
        row = rows[doc.record_pk]
        answer = highlight("\n\n".join(row["paragraphs"]), found.plan.terms)
        question = highlight(row["question_text"], found.plan.terms, whole=True)
        results.append(
            {
                "question_id": row["question_id"],
                "question": Markup(question) if question else row["question_text"],
                "published": row["published"],
                # An escaped HTML fragment: the matched words in <mark>.
                "answer": Markup(answer) if answer else None,
            }
        )
    return results


def _pieces(old: str, new: str) -> Any:
    """The new text in runs: kept, inserted, and deleted words of the old one."""
    for op in diff(old, new):
        if op["op"] in ("delete", "replace"):
            yield {"op": "delete", "text": op["from"]["text"]}
        if op["op"] in ("insert", "replace"):
            yield {"op": "insert", "text": op["to"]["text"]}
        if op["op"] == "equal":
            yield {"op": "equal", "text": op["to"]["text"]}


def _position(cursor: str | None) -> tuple[datetime, int] | None:
    if not cursor:
        return None
    changed_at, pk = decode_cursor(cursor, (datetime, int))
    return changed_at, pk


def _page(
    template: str, *, last_modified: datetime | None = None, **context: Any
) -> Response:
    html = render_template(template, css=CSS, **context)
    return respond(
        html.encode("utf-8"),
        cacheable=True,
        mimetype="text/html",
        last_modified=last_modified,
    )
