"""Readers that turn an article into a ParsedArticle. Pure: no I/O, no Flask, no SQL.

`text` reads the plain-text input format, the canonical form of every article;
`html` turns a web page into that format first (docs/html.md).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from service.parsing.text import (
    ABBREVIATIONS,
    MAX_HEADING_CHARS,
    PARSER_VERSION,
    ParsedArticle,
    ParsedRecord,
    Span,
    canonical_text,
    is_heading,
    parse_article,
    read_header,
    split_blocks,
)

# The media types read as web pages; everything else is the plain-text format.
HTML_TYPES = frozenset(("text/html", "application/xhtml+xml"))
HTML_SUFFIXES = frozenset((".html", ".htm"))
MAX_URL_CHARS = 2048


def read_article(
    data: bytes,
    *,
    html: bool,
    source: str,
    content_type: str | None = None,
    max_questions: int | None = None,
    timezone: str = "Europe/Berlin",
) -> tuple[ParsedArticle, str | None]:
    """Parse an article from the bytes it came as; also return its page's link.

    A web page is read into the plain-text format first (html.extract_article),
    and that text is what is parsed: the canonical text, whichever copy of
    the page it came from. Its source is `source`, else the page's canonical
    link. The link is kept only when it is an http(s) URL of sensible length.

    Raises:
        ArticleParseError: the bytes break a rule of the format, or the page
            has no date or no question, or is no web page.
    """
    if not html:
        return parse_article(data, source=source, max_questions=max_questions), None
    # Imported here: a reader of plain text never loads the HTML parser.
    from service.parsing.html import extract_article

    # A source that is the page's address also tells a date in its path.
    url = source if urlsplit(source).scheme in ("http", "https") else None
    page = extract_article(data, content_type=content_type, url=url, timezone=timezone)
    link = page.source_url
    if link is not None and (
        len(link) > MAX_URL_CHARS or urlsplit(link).scheme not in ("http", "https")
    ):
        link = None
    parsed = parse_article(
        page.text.encode("utf-8"),
        source=source or link or "",
        max_questions=max_questions,
    )
    return parsed, link


__all__ = [
    "HTML_SUFFIXES",
    "HTML_TYPES",
    "read_article",
    "ABBREVIATIONS",
    "MAX_HEADING_CHARS",
    "PARSER_VERSION",
    "ParsedArticle",
    "ParsedRecord",
    "Span",
    "canonical_text",
    "is_heading",
    "parse_article",
    "read_header",
    "split_blocks",
]
