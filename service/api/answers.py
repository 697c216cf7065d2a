"""/v1/answers/{answer_id}: one answer version, a URL whose content never changes."""

from __future__ import annotations

from flask.wrappers import Response
from flask_smorest import Blueprint

from service.api import docs, render
from service.api.http import JSON, preferred, respond
from service.api.memento import memento_datetime, memento_links
from service.api.render import JSON_LD
from service.api.schemas import AnswerSchema
from service.errors import AnswerNotFound, Retracted
from service.store import get_conn, versions

bp = Blueprint(
    "answers",
    __name__,
    url_prefix="/v1/answers",
    description="Answer versions: each answer at a URL of its own (a Memento).",
)


@bp.get("/<answer_id:answer_id>")
@docs.ok(
    bp,
    AnswerSchema,
    extra_headers=("Last-Modified", "Link", "Memento-Datetime", "Vary"),
    problems=(404, 410),
)
def get_answer(answer_id: str) -> Response:
    """Get one answer version (a Memento of its question's latest answer).

    Its content never changes; a retraction of its article ends it (410).
    Its weak ETag is the version id: links to newer versions may be added.
    JSON-LD (a schema.org Answer) when `Accept` prefers `application/ld+json`,
    with the weak ETag `<version id>.jsonld`.
    """
    conn = get_conn()
    found = versions.locate(conn, answer_id)
    if found is None:
        raise AnswerNotFound(f"no answer version with id {answer_id!r}")
    if found.history is None or found.index is None:
        raise Retracted(
            f"answer {answer_id!r} was retracted with its article",
            retracted_at=found.retracted_at.isoformat(),
        )
    answer = versions.answer(conn, found.history, found.index)
    as_json_ld = preferred((JSON, JSON_LD)) == JSON_LD
    return respond(
        render.answer_jsonld(answer) if as_json_ld else render.answer(answer),
        mimetype=JSON_LD if as_json_ld else JSON,
        cacheable=True,
        # Each representation has its own tag (RFC 9110, section 8.8.3).
        etag=f"{answer_id}.jsonld" if as_json_ld else answer_id,
        weak=True,
        last_modified=answer["ingested_at"],
        headers={
            "Memento-Datetime": memento_datetime(answer["published"]),
            "Link": memento_links(found.history, found.index),
            "Vary": "Accept",
        },
    )
