"""Time travel by RFC 7089 (Memento), pattern 2.1, on a question's answers.

URI-R is a question's `/latest`; its TimeGate `/timegate` answers 302 to the
URI-M, the version (`/v1/answers/{id}`) in force at the instant the client
names in `Accept-Datetime`; its TimeMap `/timemap` lists every version. A
version's Memento-Datetime is its publication date at 00:00:00 GMT.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from flask import request, url_for
from flask.wrappers import Response
from flask_smorest import Blueprint
from werkzeug.http import http_date, parse_accept_header, parse_date

from service.api import docs
from service.api.http import redirect, respond
from service.api.schemas import TimeMapSchema
from service.errors import (
    InvalidAcceptDatetime,
    NoAnswerYet,
    NoLaterAnswer,
    QuestionNotFound,
)
from service.store import get_conn, versions
from service.store.versions import History, Match, Version

bp = Blueprint(
    "memento",
    __name__,
    url_prefix="/v1/questions",
    description="Time travel (RFC 7089): a question's TimeGate and TimeMap.",
)
LINK_FORMAT = "application/link-format"


def memento_datetime(published: date) -> str:
    """The HTTP date of a version: its publication day, 00:00:00 GMT."""
    return http_date(datetime.combine(published, time(), UTC))


def memento_links(found: History, index: int | None) -> str:
    """The Link header of a version or a TimeGate's answer: original, TimeGate,
    TimeMap, and the first, last, previous and next mementos around `index`.

    Relations that name the same URI are joined into one link, as RFC 8288 lets.
    """
    question_id = found.question_id
    links: dict[str, dict[str, Any]] = {}

    def add(uri: str, rel: str, **params: str) -> None:
        entry = links.setdefault(uri, {"rels": [], "params": {}})
        entry["rels"].append(rel)
        entry["params"].update(params)

    add(_original(question_id), "original")
    add(_timegate(question_id), "timegate")
    add(_timemap(question_id), "timemap", type=LINK_FORMAT)
    around = {"first": 0, "last": len(found.versions) - 1}
    if index is not None:
        around["self"] = index
        if index > 0:
            around["prev"] = index - 1
        if index + 1 < len(found.versions):
            around["next"] = index + 1
    for rel in ("first", "last", "prev", "next", "self"):
        if rel in around:
            version = found.versions[around[rel]]
            add(
                version_url(version.id),
                "memento" if rel == "self" else f"{rel} memento",
                datetime=memento_datetime(version.published),
            )
    return ", ".join(_link(uri, entry) for uri, entry in links.items())


def original_links(found: History) -> str:
    """The Link header of the original resource (`/latest`): TimeGate and TimeMap."""
    question_id = found.question_id
    return (
        f'<{_original(question_id)}>; rel="original", '
        f'<{_timegate(question_id)}>; rel="timegate", '
        f'<{_timemap(question_id)}>; rel="timemap"; type="{LINK_FORMAT}"'
    )


def _link(uri: str, entry: dict[str, Any]) -> str:
    rels: list[str] = []
    for rel in entry["rels"]:
        rels.extend(word for word in rel.split() if word not in rels)
    if "memento" in rels:  # "first last memento": memento once, at the end
        rels = [rel for rel in rels if rel != "memento"] + ["memento"]
    params = "".join(f'; {name}="{value}"' for name, value in entry["params"].items())
    return f'<{uri}>; rel="{" ".join(rels)}"{params}'


@bp.get("/<question_id:question_id>/timegate")
@docs.ok(
    bp,
    None,
    status=302,
    mimetype=None,
    conditional=False,
    extra_headers=("Location", "Link"),
    problems=(400, 404),
)
def get_timegate(question_id: str) -> Response:
    """Go to the version in force at the `Accept-Datetime` instant (RFC 7089).

    Without `Accept-Datetime`, to the latest version. An instant before the
    first answer is a 404 problem linking the first version.
    """
    found = _history(question_id)
    raw = request.headers.get("Accept-Datetime")
    if raw is None:
        index: int | None = len(found.versions) - 1
    else:
        instant = parse_date(raw)
        if instant is None:
            raise InvalidAcceptDatetime(
                "Accept-Datetime must be an HTTP date such as "
                f"'Fri, 09 Jan 2026 12:00:00 GMT', got {raw[:60]!r}"
            )
        index = found.pick(instant.astimezone(UTC).date(), Match.AS_OF)
    if index is None:
        raise no_answer_yet(found, f"no answer to {question_id!r} before {raw}")
    version = found.versions[index]
    return redirect(
        version_url(version.id),
        headers={"Vary": "Accept-Datetime", "Link": memento_links(found, index)},
    )


@bp.get("/<question_id:question_id>/timemap")
@docs.ok(bp, TimeMapSchema, extra_headers=("Vary",), problems=(404,))
def get_timemap(question_id: str) -> Response:
    """List every version of a question (a TimeMap, RFC 7089).

    `application/link-format` (RFC 6690) unless `Accept` prefers JSON.
    """
    found = _history(question_id)
    vary = {"Vary": "Accept"}
    accept = parse_accept_header(request.headers.get("Accept"))
    if accept.best_match([LINK_FORMAT, "application/json"]) == "application/json":
        return respond(timemap_json(found), cacheable=True, headers=vary)
    return respond(
        timemap_link_format(found).encode("utf-8"),
        mimetype=LINK_FORMAT,
        cacheable=True,
        headers=vary,
    )


def timemap_link_format(found: History) -> str:
    """The TimeMap as RFC 6690 link-format, one link a line."""
    question_id = found.question_id
    lines = [
        f'<{_original(question_id)}>; rel="original"',
        f'<{_timegate(question_id)}>; rel="timegate"',
        f'<{_timemap(question_id)}>; rel="self"; type="{LINK_FORMAT}"',
    ]
    last = len(found.versions) - 1
    for index, version in enumerate(found.versions):
        rel = " ".join(
            [*(["first"] if index == 0 else []), *(["last"] if index == last else [])]
            + ["memento"]
        )
        lines.append(
            f'<{version_url(version.id)}>; rel="{rel}"; '
            f'datetime="{memento_datetime(version.published)}"'
        )
    return ",\n".join(lines) + "\n"


def timemap_json(found: History) -> dict[str, Any]:
    """The TimeMap as JSON: the original, the TimeGate and every memento."""
    mementos = [
        {
            "id": version.id,
            "datetime": memento_datetime(version.published),
            "uri": version_url(version.id),
        }
        for version in found.versions
    ]
    return {
        "original": _original(found.question_id),
        "timegate": _timegate(found.question_id),
        "first": mementos[0],
        "last": mementos[-1],
        "mementos": mementos,
    }


def no_answer_yet(found: History, detail: str) -> NoAnswerYet:
    """The 404 for a date before the first answer, linking the first version."""
    first = found.first
    return NoAnswerYet(
        detail,
        first_published=first.published.isoformat(),
        link=_edge_link(first, "first"),
    )


def no_later_answer(found: History, detail: str) -> NoLaterAnswer:
    """The 404 for a date after the last answer, linking the last version."""
    last = found.last
    return NoLaterAnswer(
        detail,
        last_published=last.published.isoformat(),
        link=_edge_link(last, "last"),
    )


def _edge_link(version: Version, rel: str) -> str:
    return (
        f'<{version_url(version.id)}>; rel="{rel} memento"; '
        f'datetime="{memento_datetime(version.published)}"'
    )


def version_url(version_id: str) -> str:
    return url_for("answers.get_answer", answer_id=version_id, _external=True)


def _history(question_id: str) -> History:
    found = versions.history(get_conn(), question_id)
    if found is None:
        raise QuestionNotFound(f"no question with id {question_id!r} has an answer")
    return found


def _original(question_id: str) -> str:
    return url_for(
        "questions.get_latest_answer", question_id=question_id, _external=True
    )


def _timegate(question_id: str) -> str:
    return url_for("memento.get_timegate", question_id=question_id, _external=True)


def _timemap(question_id: str) -> str:
    return url_for("memento.get_timemap", question_id=question_id, _external=True)
