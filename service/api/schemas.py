"""marshmallow schemas: the JSON shapes of docs/design.md, in and out."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import EXCLUDE, RAISE, Schema, fields, validate

QUESTION_ID_PATTERN = r"^[a-z0-9_-]{1,160}$"
ARTICLE_ID_PATTERN = r"^[0-9a-f]{16}$"
ANSWER_ID_PATTERN = r"^[0-9a-f]{16}-[0-9a-f]{12}$"
MAX_QUERY_CHARS = 250
MAX_SOURCE_CHARS = 255
# encode_cursor's alphabet: base64url (RFC 4648, section 5) without padding.
CURSOR_PATTERN = r"^[A-Za-z0-9_-]*$"
URI = {"format": "uri"}
_NO_NUL = validate.Regexp(r"^[^\x00]*$", error="must not contain NUL characters")


class SpanSchema(Schema):
    start = fields.Integer(required=True, dump_only=True)
    end = fields.Integer(required=True, dump_only=True)


class QuestionLinksSchema(Schema):
    self = fields.String(required=True, dump_only=True, metadata=URI)
    answers = fields.String(required=True, dump_only=True, metadata=URI)
    latest = fields.String(required=True, dump_only=True, metadata=URI)


class QuestionSchema(Schema):
    id = fields.String(required=True, dump_only=True)
    text = fields.String(
        required=True, dump_only=True, metadata={"description": "The newest wording."}
    )
    answer_count = fields.Integer(required=True, dump_only=True)
    first_published = fields.Date(required=True, dump_only=True)
    last_published = fields.Date(required=True, dump_only=True)
    links = fields.Nested(QuestionLinksSchema, required=True, dump_only=True)


class QuestionPageSchema(Schema):
    items = fields.List(fields.Nested(QuestionSchema), required=True, dump_only=True)
    next = fields.String(required=True, dump_only=True, allow_none=True, metadata=URI)


class TimelineEntrySchema(Schema):
    published = fields.Date(required=True, dump_only=True)
    article_id = fields.String(required=True, dump_only=True)
    url = fields.String(required=True, dump_only=True, metadata=URI)


class QuestionDetailSchema(QuestionSchema):
    answers = fields.List(
        fields.Nested(TimelineEntrySchema), required=True, dump_only=True
    )


class TextPositionSelectorSchema(Schema):
    type = fields.String(
        required=True, dump_only=True, validate=validate.OneOf(["TextPositionSelector"])
    )
    start = fields.Integer(required=True, dump_only=True)
    end = fields.Integer(required=True, dump_only=True)


class TextQuoteSelectorSchema(Schema):
    type = fields.String(
        required=True, dump_only=True, validate=validate.OneOf(["TextQuoteSelector"])
    )
    exact = fields.String(
        required=True,
        dump_only=True,
        metadata={"description": "The text of the span, text[start:end]."},
    )
    prefix = fields.String(
        required=True,
        dump_only=True,
        metadata={"description": "Up to 32 code points right before it."},
    )
    suffix = fields.String(
        required=True,
        dump_only=True,
        metadata={"description": "Up to 32 code points right after it."},
    )


# The names the selector schemas are registered under (docs.register_components).
SELECTOR_SCHEMAS = {
    "TextPositionSelector": TextPositionSelectorSchema,
    "TextQuoteSelector": TextQuoteSelectorSchema,
}
RAW_MEDIA_TYPE = {
    "description": "The media type the article arrived as: that of "
    "/v1/articles/{id}/raw (e.g. `text/plain; charset=utf-8`)."
}
RAW_SHA256 = {"description": "SHA-256 of those bytes, /v1/articles/{id}/raw."}
SOURCE_URL = {
    "description": "Where the article was published: an HTML page's canonical "
    "link; null when unknown.",
    "format": "uri",
}


class ProvenanceSchema(Schema):
    article_id = fields.String(required=True, dump_only=True)
    source = fields.String(required=True, dump_only=True)
    published = fields.Date(required=True, dump_only=True)
    sha256 = fields.String(
        required=True,
        dump_only=True,
        metadata={"description": "SHA-256 of the article's canonical text."},
    )
    question_span = fields.Nested(SpanSchema, required=True, dump_only=True)
    answer_span = fields.Nested(
        SpanSchema,
        required=True,
        dump_only=True,
        metadata={"description": "Code-point offsets into /v1/articles/{id}/text."},
    )
    selectors = fields.List(
        fields.Raw(
            metadata={
                "oneOf": [
                    {"$ref": f"#/components/schemas/{name}"}
                    for name in SELECTOR_SCHEMAS
                ]
            }
        ),
        required=True,
        dump_only=True,
        metadata={
            "description": "W3C Web Annotation selectors of the answer span in "
            "/v1/articles/{id}/text: its position (code points), then its quote.",
            "minItems": 2,
            "maxItems": 2,
        },
    )
    ingested_at = fields.AwareDateTime(required=True, dump_only=True)
    parser_version = fields.String(required=True, dump_only=True)
    raw_media_type = fields.String(
        required=True, dump_only=True, metadata=RAW_MEDIA_TYPE
    )
    raw_sha256 = fields.String(required=True, dump_only=True, metadata=RAW_SHA256)
    source_url = fields.String(
        required=True, dump_only=True, allow_none=True, metadata=SOURCE_URL
    )
    url = fields.String(required=True, dump_only=True, metadata=URI)


class ChangeSchema(Schema):
    kind = fields.String(
        required=True,
        dump_only=True,
        validate=validate.OneOf(["first", "revised", "unchanged"]),
        metadata={
            "description": "first: no earlier version; unchanged: the same "
            "paragraphs as the previous version; revised: other paragraphs."
        },
    )
    previous = fields.String(
        required=True,
        dump_only=True,
        allow_none=True,
        metadata={"description": "The previous version's id."},
    )
    similarity = fields.Float(
        required=True,
        dump_only=True,
        metadata={
            "description": "Share of words kept, in order, from the previous "
            "version (0 to 1; 0 for the first)."
        },
    )


class AnswerLinksSchema(Schema):
    self = fields.String(required=True, dump_only=True, metadata=URI)
    question = fields.String(required=True, dump_only=True, metadata=URI)
    previous = fields.String(
        required=True, dump_only=True, allow_none=True, metadata=URI
    )
    next = fields.String(required=True, dump_only=True, allow_none=True, metadata=URI)
    timemap = fields.String(required=True, dump_only=True, metadata=URI)


class AnswerSchema(Schema):
    id = fields.String(
        required=True,
        dump_only=True,
        metadata={"description": "The version's id: its article's id and a hash."},
    )
    question_id = fields.String(required=True, dump_only=True)
    question = fields.String(
        required=True,
        dump_only=True,
        metadata={"description": "The wording in that article."},
    )
    published = fields.Date(required=True, dump_only=True)
    text = fields.String(
        required=True,
        dump_only=True,
        metadata={"description": "Paragraphs joined by a blank line."},
    )
    paragraphs = fields.List(fields.String(), required=True, dump_only=True)
    change = fields.Nested(ChangeSchema, required=True, dump_only=True)
    links = fields.Nested(AnswerLinksSchema, required=True, dump_only=True)
    provenance = fields.Nested(ProvenanceSchema, required=True, dump_only=True)


class AnswerListSchema(Schema):
    items = fields.List(fields.Nested(AnswerSchema), required=True, dump_only=True)


class DiffArgsSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    from_ = fields.Date(
        data_key="from",
        metadata={
            "description": "The older version: the one in force on this date "
            "(default: the version before `to`)."
        },
    )
    to = fields.Date(
        metadata={
            "description": "The newer version: the one in force on this date "
            "(default: the latest)."
        }
    )


class DiffSideSchema(Schema):
    id = fields.String(required=True, dump_only=True)
    published = fields.Date(required=True, dump_only=True)


class DiffSpanSchema(Schema):
    text = fields.String(required=True, dump_only=True)
    start = fields.Integer(required=True, dump_only=True)
    end = fields.Integer(required=True, dump_only=True)


class DiffOpSchema(Schema):
    op = fields.String(
        required=True,
        dump_only=True,
        validate=validate.OneOf(["equal", "insert", "delete", "replace"]),
    )
    from_ = fields.Nested(
        DiffSpanSchema,
        data_key="from",
        required=True,
        dump_only=True,
        allow_none=True,
        metadata={"description": "Code points into the older version's `text`."},
    )
    to = fields.Nested(
        DiffSpanSchema,
        required=True,
        dump_only=True,
        allow_none=True,
        metadata={"description": "Code points into the newer version's `text`."},
    )


class DiffSchema(Schema):
    question_id = fields.String(required=True, dump_only=True)
    from_ = fields.Nested(
        DiffSideSchema, data_key="from", required=True, dump_only=True
    )
    to = fields.Nested(DiffSideSchema, required=True, dump_only=True)
    similarity = fields.Float(required=True, dump_only=True)
    ops = fields.List(
        fields.Nested(DiffOpSchema),
        required=True,
        dump_only=True,
        metadata={
            "description": "The `from` texts, in order, are exactly the older "
            "text; the `to` texts the newer one."
        },
    )


class MementoSchema(Schema):
    id = fields.String(required=True, dump_only=True)
    datetime = fields.String(
        required=True,
        dump_only=True,
        metadata={"description": "HTTP date: the publication day, 00:00:00 GMT."},
    )
    uri = fields.String(required=True, dump_only=True, metadata=URI)


class TimeMapSchema(Schema):
    original = fields.String(required=True, dump_only=True, metadata=URI)
    timegate = fields.String(required=True, dump_only=True, metadata=URI)
    first = fields.Nested(MementoSchema, required=True, dump_only=True)
    last = fields.Nested(MementoSchema, required=True, dump_only=True)
    mementos = fields.List(fields.Nested(MementoSchema), required=True, dump_only=True)


class ArticleLinksSchema(Schema):
    self = fields.String(required=True, dump_only=True, metadata=URI)
    text = fields.String(required=True, dump_only=True, metadata=URI)
    raw = fields.String(required=True, dump_only=True, metadata=URI)


class ArticleSchema(Schema):
    id = fields.String(required=True, dump_only=True)
    source = fields.String(required=True, dump_only=True)
    published = fields.Date(required=True, dump_only=True)
    sha256 = fields.String(required=True, dump_only=True)
    ingested_at = fields.AwareDateTime(required=True, dump_only=True)
    parser_version = fields.String(required=True, dump_only=True)
    raw_media_type = fields.String(
        required=True, dump_only=True, metadata=RAW_MEDIA_TYPE
    )
    raw_sha256 = fields.String(required=True, dump_only=True, metadata=RAW_SHA256)
    source_url = fields.String(
        required=True, dump_only=True, allow_none=True, metadata=SOURCE_URL
    )
    question_count = fields.Integer(required=True, dump_only=True)
    links = fields.Nested(ArticleLinksSchema, required=True, dump_only=True)


class ArticlePageSchema(Schema):
    items = fields.List(fields.Nested(ArticleSchema), required=True, dump_only=True)
    next = fields.String(required=True, dump_only=True, allow_none=True, metadata=URI)


class RecordSchema(Schema):
    question = fields.String(required=True, dump_only=True)
    question_id = fields.String(required=True, dump_only=True)
    paragraphs = fields.List(fields.String(), required=True, dump_only=True)
    question_span = fields.Nested(SpanSchema, required=True, dump_only=True)
    answer_span = fields.Nested(
        SpanSchema,
        required=True,
        dump_only=True,
        allow_none=True,
        metadata={"description": "null for a heading without answer."},
    )


class ArticleDetailSchema(ArticleSchema):
    records = fields.List(fields.Nested(RecordSchema), required=True, dump_only=True)


class IngestedArticleSchema(ArticleDetailSchema):
    warnings = fields.List(
        fields.String(),
        required=True,
        dump_only=True,
        metadata={
            "description": "What the parser kept but did not store, by line "
            "(e.g. a heading without answer)."
        },
    )


class EventChangeSchema(ChangeSchema):
    similarity = fields.Float(
        required=True,
        dump_only=True,
        allow_none=True,
        metadata={
            "description": "As on the Answer; null once the previous version or "
            "this one has been retracted (there is nothing left to compare)."
        },
    )


class EventSchema(Schema):
    id = fields.Integer(
        required=True,
        dump_only=True,
        metadata={"description": "Increasing; the log is read in this order."},
    )
    type = fields.String(
        required=True,
        dump_only=True,
        validate=validate.OneOf(["article_added", "answer_added", "article_retracted"]),
    )
    at = fields.AwareDateTime(
        required=True, dump_only=True, metadata={"description": "When it was written."}
    )
    article_id = fields.String(required=True, dump_only=True)
    question_id = fields.String(
        required=True,
        dump_only=True,
        allow_none=True,
        metadata={"description": "answer_added: the question answered."},
    )
    answer_id = fields.String(
        required=True,
        dump_only=True,
        allow_none=True,
        metadata={"description": "answer_added: the new version's id."},
    )
    change = fields.Nested(
        EventChangeSchema,
        required=True,
        dump_only=True,
        allow_none=True,
        metadata={
            "description": "answer_added: how the answer differed from the version "
            "before it when it was written."
        },
    )
    ended = fields.List(
        fields.String(),
        required=True,
        dump_only=True,
        allow_none=True,
        metadata={"description": "article_retracted: the versions it ended."},
    )
    links = fields.Nested("EventLinksSchema", required=True, dump_only=True)


class EventLinksSchema(Schema):
    article = fields.String(required=True, dump_only=True, metadata=URI)
    answer = fields.String(required=True, dump_only=True, allow_none=True, metadata=URI)


class ChangePageSchema(Schema):
    items = fields.List(fields.Nested(EventSchema), required=True, dump_only=True)
    next = fields.String(
        required=True,
        dump_only=True,
        metadata={
            **URI,
            "description": "The next page; on the last page, the URL to poll for "
            "newer events (never null).",
        },
    )


class StrictInteger(fields.Integer):
    """An integer in plain digits; int() would also take " 4", "4_0" or "\\x854"."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Any, **kwargs: Any
    ) -> int:
        if isinstance(value, str) and not re.fullmatch(r"-?[0-9]{1,9}", value):
            raise self.make_error("invalid")
        result: int = super()._deserialize(value, attr, data, **kwargs)
        return result


class CursorArgsSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    cursor = fields.String(
        validate=[
            validate.Length(max=200),
            validate.Regexp(CURSOR_PATTERN, error="not a cursor this API made"),
        ],
        metadata={
            "description": (
                "Where the page starts: an opaque base64url string (no padding) "
                "made by this API; take it from `next` or the Link header. "
                "Absent or empty: the first page."
            )
        },
    )


class PageArgsSchema(CursorArgsSchema):
    limit = StrictInteger(load_default=20, validate=validate.Range(1, 100))


class ChangeListArgsSchema(PageArgsSchema):
    limit = StrictInteger(load_default=100, validate=validate.Range(1, 1000))


class QuestionListArgsSchema(PageArgsSchema):
    q = fields.String(
        validate=[validate.Length(min=1, max=MAX_QUERY_CHARS), _NO_NUL],
        metadata={"description": "Only questions whose normalised text contains this."},
    )


class AnswerOnArgsSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    match = fields.String(
        load_default="as_of",
        validate=validate.OneOf(["as_of", "exact", "nearest", "after"]),
        metadata={
            "description": "as_of: in force on the date; exact: published on it; "
            "nearest: the closest publication either side (a tie goes to the "
            "earlier); after: the first published on or after it."
        },
    )


class IngestArgsSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    source = fields.String(
        validate=[validate.Length(min=1, max=MAX_SOURCE_CHARS), _NO_NUL],
        metadata={
            "description": "Source name of a text/plain body; "
            "`<article id>.txt` when left out."
        },
    )


class IngestJsonSchema(Schema):
    class Meta:
        unknown = RAISE

    text = fields.String(required=True)
    source = fields.String(
        validate=[validate.Length(min=1, max=MAX_SOURCE_CHARS), _NO_NUL],
        metadata={"description": "Source name; `<article id>.txt` when left out."},
    )


class AskArgsSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    q = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=MAX_QUERY_CHARS), _NO_NUL],
        metadata={"description": "What the reader asks, in their own words."},
    )
    as_of = fields.Date(
        metadata={
            "description": "Look at the answers in force on this date "
            "(default: the latest answers)."
        }
    )


class HomePageArgsSchema(CursorArgsSchema):
    q = fields.String(
        validate=[validate.Length(max=MAX_QUERY_CHARS), _NO_NUL],
        metadata={
            "description": "Search: the questions and answers these words ask "
            "for (empty: no search)."
        },
    )


class SearchArgsSchema(PageArgsSchema):
    q = AskArgsSchema._declared_fields["q"]
    as_of = AskArgsSchema._declared_fields["as_of"]


class SearchQuestionSchema(Schema):
    id = fields.String(required=True, dump_only=True)
    text = fields.String(
        required=True, dump_only=True, metadata={"description": "The newest wording."}
    )
    links = fields.Nested(QuestionLinksSchema, required=True, dump_only=True)


class SearchAnswerLinksSchema(Schema):
    self = fields.String(required=True, dump_only=True, metadata=URI)
    question = fields.String(required=True, dump_only=True, metadata=URI)


class SearchAnswerSchema(Schema):
    id = fields.String(required=True, dump_only=True)
    published = fields.Date(required=True, dump_only=True)
    links = fields.Nested(SearchAnswerLinksSchema, required=True, dump_only=True)


class HighlightSchema(Schema):
    field = fields.String(
        required=True, dump_only=True, validate=validate.OneOf(["question", "answer"])
    )
    text = fields.String(
        required=True,
        dump_only=True,
        metadata={
            "description": "An HTML fragment: the text escaped, the words that "
            "matched in <mark>; of an answer, the sentence that matched most."
        },
    )


class SearchItemSchema(Schema):
    question = fields.Nested(SearchQuestionSchema, required=True, dump_only=True)
    answer = fields.Nested(SearchAnswerSchema, required=True, dump_only=True)
    score = fields.Float(
        required=True,
        dump_only=True,
        metadata={"description": "How well it matches, about 0 to 1.2; higher first."},
    )
    highlights = fields.List(
        fields.Nested(HighlightSchema), required=True, dump_only=True
    )


class SearchPageSchema(Schema):
    query = fields.String(required=True, dump_only=True)
    items = fields.List(fields.Nested(SearchItemSchema), required=True, dump_only=True)
    next = fields.String(required=True, dump_only=True, allow_none=True, metadata=URI)


class AskMatchSchema(Schema):
    question = fields.Nested(SearchQuestionSchema, required=True, dump_only=True)
    answer = fields.Nested(AnswerSchema, required=True, dump_only=True)
    score = fields.Float(required=True, dump_only=True)


class AskSchema(Schema):
    query = fields.String(required=True, dump_only=True)
    matches = fields.List(
        fields.Nested(AskMatchSchema),
        required=True,
        dump_only=True,
        metadata={"description": "At most 3, best first; empty when none is sure."},
    )


class ProblemErrorSchema(Schema):
    detail = fields.String(required=True)
    parameter = fields.String()
    pointer = fields.String()
    header = fields.String()


class ProblemSchema(Schema):
    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    instance = fields.String()
    line = fields.Integer(metadata={"description": "Parse errors: the 1-based line."})
    errors = fields.List(
        fields.Nested(ProblemErrorSchema),
        metadata={"description": "Validation errors."},
    )
    first_published = fields.Date(
        metadata={"description": "no-answer-yet: the date of the first answer."}
    )
    last_published = fields.Date(
        metadata={"description": "no-later-answer: the date of the last answer."}
    )
    retracted_at = fields.AwareDateTime(
        metadata={"description": "retracted: when the article was retracted."}
    )


class HealthSchema(Schema):
    status = fields.String(required=True, dump_only=True)
