"""/v1/changes: the change log, as JSON pages to poll and as an Atom feed."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.wrappers import Response
from flask_smorest import Blueprint

from service.api import docs, render
from service.api.http import decode_cursor, link_header, next_link, respond
from service.api.schemas import ChangeListArgsSchema, ChangePageSchema
from service.store import changes, get_conn

bp = Blueprint(
    "changes",
    __name__,
    url_prefix="/v1",
    description="What was written, in order: to poll, or to read in a feed reader.",
)

ATOM = "application/atom+xml"
FEED_ENTRIES = 50


@bp.get("/changes")
@bp.arguments(ChangeListArgsSchema, location="query")
@docs.ok(bp, ChangePageSchema, extra_headers=("Link",))
def list_changes(args: dict[str, Any]) -> Response:
    """List the change log's events, oldest first.

    `article_added` and `answer_added` (with its change against the version
    before it) for every article stored or restored, `article_retracted` (with
    the versions it ended) for every retraction. `next` is always set: on the
    last page it is the URL to poll for newer events, and an event never
    appears below a position a poller has already read past.
    """
    after = decode_cursor(args["cursor"], (int,))[0] if args.get("cursor") else 0
    found = changes.list_changes(get_conn(), after=after, limit=args["limit"])
    next_url = next_link(found.after)
    return respond(
        {"items": [render.event(row) for row in found.items], "next": next_url},
        cacheable=True,
        headers=link_header(next_url),
    )


@bp.get("/changes.atom")
@docs.ok(bp, {"type": "string"}, mimetype=ATOM)
def get_changes_feed() -> Response:
    """The latest answer changes as an Atom 1.0 feed, newest first.

    An entry per `answer_added` event (the latest 50): titled with the
    question, linking the answer version, `updated` when it was written.
    """
    entries = changes.newest_answers(get_conn(), limit=FEED_ENTRIES)
    return respond(
        render.atom_feed(entries, self_url=request.base_url),
        cacheable=True,
        mimetype=ATOM,
    )
