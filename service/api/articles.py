"""/v1/articles: the stored articles, their text, ingestion and retraction."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import orjson
from flask import current_app, request, url_for
from flask.wrappers import Response
from flask_smorest import Blueprint

from service import metrics
from service.api import docs, render
from service.api.http import (
    decode_cursor,
    link_header,
    next_link,
    read_body,
    require_token,
    respond,
)
from service.api.schemas import (
    ArticleDetailSchema,
    ArticlePageSchema,
    IngestArgsSchema,
    IngestedArticleSchema,
    IngestJsonSchema,
    PageArgsSchema,
)
from service.errors import (
    ArticleNotFound,
    ArticleParseError,
    Retracted,
    UnsupportedMediaType,
    ValidationFailed,
)
from service.keys import article_id
from service.parsing import HTML_TYPES, read_article
from service.store import get_conn, queries, transaction
from service.store.ingest import PLAIN_TEXT, Retraction, delete_article, save_article

bp = Blueprint(
    "articles",
    __name__,
    url_prefix="/v1/articles",
    description="Articles: the sources of every answer.",
)
_WRITE: dict[str, Any] = {"security": [{"bearerAuth": []}]}
_ARTICLE_BODY = {
    "required": True,
    # A generated client that sends every raw body with one media type (as
    # openapi-python-client does) takes the last: text/plain.
    "content": {
        "text/html": {"schema": {"type": "string", "format": "binary"}},
        "text/plain; charset=utf-8": {"schema": {"type": "string", "format": "binary"}},
        "application/json": {"schema": IngestJsonSchema},
    },
}
_TEXT_SCHEMA = {"type": "string"}
# What /raw answers with: the media type the article arrived as.
RAW_MEDIA_TYPES = ("text/plain", "text/html")
# Built once: building a schema costs more than loading with it.
_INGEST_JSON = IngestJsonSchema()


@bp.get("")
@bp.arguments(PageArgsSchema, location="query")
@docs.ok(bp, ArticlePageSchema, extra_headers=("Link",))
def list_articles(args: dict[str, Any]) -> Response:
    """List the stored articles, newest publication first."""
    after = decode_cursor(args["cursor"], (date, int)) if args.get("cursor") else None
    found = queries.list_articles(get_conn(), limit=args["limit"], after=after)
    next_url = next_link(found.after)
    return respond(
        render.page([render.article(row) for row in found.items], next_url),
        cacheable=True,
        headers=link_header(next_url),
    )


@bp.get("/<article_id:article_id>")
@docs.ok(bp, ArticleDetailSchema, extra_headers=("Last-Modified",), problems=(404, 410))
def get_article(article_id: str) -> Response:
    """Get one article with its question/answer records.

    Headings without answer are included, with a null answer_span.
    """
    article = queries.find_article(get_conn(), article_id)
    if article is None:
        raise _unknown(article_id)
    _refuse_retracted(article_id, article["retracted_at"])
    return respond(
        render.article_detail(article),
        cacheable=True,
        last_modified=article["ingested_at"],
    )


@bp.get("/<article_id:article_id>/text")
@docs.ok(
    bp,
    _TEXT_SCHEMA,
    mimetype="text/plain",
    extra_headers=("Last-Modified",),
    problems=(404, 410),
)
def get_article_text(article_id: str) -> Response:
    """Get an article's canonical text, the text every span points into.

    Its SHA-256 is the article's `sha256`, also sent as the ETag.
    """
    found = queries.article_text(get_conn(), article_id)
    if found is None:
        raise _unknown(article_id)
    _refuse_retracted(article_id, found["retracted_at"])
    return respond(
        found["text"].encode("utf-8"),
        mimetype="text/plain",
        etag=found["sha256"],
        last_modified=found["ingested_at"],
        cacheable=True,
    )


@bp.get("/<article_id:article_id>/raw")
@docs.ok(
    bp,
    _TEXT_SCHEMA,
    mimetype=RAW_MEDIA_TYPES[0],
    extra_headers=("Last-Modified",),
    problems=(404, 410),
)
def get_article_raw(article_id: str) -> Response:
    """Get the bytes an article arrived as, with the media type they came with.

    For an HTML page, the page (its canonical text is the article extracted
    from it); for plain text, the text as posted. Their SHA-256 is the
    article's `raw_sha256`, also sent as the ETag.
    """
    found = queries.article_raw(get_conn(), article_id)
    if found is None:
        raise _unknown(article_id)
    _refuse_retracted(article_id, found["retracted_at"])
    return respond(
        found["raw"],
        content_type=found["media_type"],
        etag=found["sha256"],
        last_modified=found["ingested_at"],
        cacheable=True,
    )


@bp.post("")
@bp.arguments(IngestArgsSchema, location="query")
@bp.doc(**_WRITE, requestBody=_ARTICLE_BODY)
@docs.ok(
    bp,
    IngestedArticleSchema,
    status=201,
    conditional=False,
    extra_headers=("Location",),
    problems=(401, 403, 413, 415, 422),
)
@bp.alt_response(
    200,
    schema=IngestedArticleSchema,
    headers=docs.headers("Location", "X-Request-ID"),
    description="The same text is already stored.",
    success=True,
)
def ingest_article(args: dict[str, Any]) -> Response:
    """Ingest one article.

    Send the text as `text/plain` (UTF-8) with an optional `?source=`, as
    JSON `{"text", "source"}`, or a web page as `text/html` (its charset, or
    the page's own `<meta charset>`): the page's main content is read into
    the text format, which becomes the article's canonical text; the page's
    bytes are kept as its raw bytes, its canonical link as `source_url`. 201
    when new, 200 when the same text is stored already (an AMP copy of a
    stored page, say); `warnings` says what the parser kept but did not
    store. Without a source the article is named by its id,
    `<article id>.txt` (a page: by its canonical link, else `<id>.html`).
    """
    require_token()
    data, source, media_type = _read_article(current_app.config["MAX_ARTICLE_BYTES"])
    html = media_type != PLAIN_TEXT
    try:
        parsed, link = read_article(
            data,
            html=html,
            source=source or args.get("source") or "",
            content_type=media_type,
            max_questions=current_app.config["MAX_QUESTIONS"],
            timezone=current_app.config["TIMEZONE"],
        )
    except ArticleParseError:
        metrics.INGESTS.labels("rejected").inc()
        raise
    if not parsed.source:
        suffix = "html" if html else "txt"
        parsed = replace(parsed, source=f"{article_id(parsed.sha256)}.{suffix}")
    with transaction() as conn:
        result = save_article(
            conn,
            parsed,
            ingested_at=datetime.now(UTC),
            raw=data,
            media_type=media_type,
            source_url=link,
        )
    metrics.INGESTS.labels("new" if result.created else "unchanged").inc()
    article = queries.find_article(get_conn(), result.article_id)
    if article is None:
        raise _unknown(result.article_id)
    _refuse_retracted(result.article_id, article["retracted_at"])  # since our commit
    location = url_for(".get_article", article_id=result.article_id, _external=True)
    body = {**render.article_detail(article), "warnings": list(parsed.warnings)}
    return respond(
        body,
        status=201 if result.created else 200,
        cacheable=False,
        headers={"Location": location},
    )


@bp.delete("/<article_id:article_id>")
@bp.doc(**_WRITE)
@docs.ok(
    bp,
    None,
    status=204,
    mimetype=None,
    conditional=False,
    problems=(401, 403, 404),
)
def retract_article(article_id: str) -> Response:
    """Retract an article and its answers.

    A tombstone stays: the article's URLs and its answers' versions answer 410,
    and posting the same text again restores it. A question left without
    answers disappears from the lists. Retracting it again is a 204 too.
    """
    require_token()
    with transaction() as conn:
        outcome = delete_article(conn, article_id, deleted_at=datetime.now(UTC))
    if outcome is Retraction.MISSING:
        raise _unknown(article_id)
    # Retracting a retracted article again changes nothing and says so: 204.
    response = Response(status=204)
    del response.headers["Content-Type"]  # no body, so no media type
    return response


def _read_article(limit: int) -> tuple[bytes, str | None, str]:
    """Return the article bytes, for a JSON body its source, and their media type.

    The media type is checked before the body is read (415 uploads nothing).
    """
    if request.mimetype in HTML_TYPES:
        charset = request.mimetype_params.get("charset")
        media_type = "text/html" + (f"; charset={charset[:40]}" if charset else "")
        return read_body(limit), None, media_type
    if request.mimetype == "text/plain":
        charset = request.mimetype_params.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise UnsupportedMediaType(
                f"articles are UTF-8; charset {charset!r} is not accepted"
            )
        return read_body(limit), None, PLAIN_TEXT
    if request.mimetype == "application/json":
        try:
            payload = orjson.loads(read_body(limit))
        except orjson.JSONDecodeError as exc:
            raise ValidationFailed(
                "the body is not valid JSON",
                errors=[{"pointer": "", "detail": str(exc)}],
            ) from exc
        loaded = _INGEST_JSON.load(payload)
        # surrogatepass: a lone surrogate becomes bytes the parser rejects by line
        text = loaded["text"].encode("utf-8", "surrogatepass")
        return text, loaded.get("source"), PLAIN_TEXT
    raise UnsupportedMediaType(
        "send text/plain, application/json or text/html, not "
        + (request.mimetype or "a body without Content-Type")
    )


def _refuse_retracted(article_id: str, retracted_at: datetime | None) -> None:
    if retracted_at is not None:
        raise Retracted(
            f"article {article_id!r} was retracted; post its text again to restore it",
            retracted_at=retracted_at.isoformat(),
        )


def _unknown(article_id: str) -> ArticleNotFound:
    return ArticleNotFound(f"no article with id {article_id!r}")
