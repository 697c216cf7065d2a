"""Readers that turn an article into a ParsedArticle. Pure: no I/O, no Flask, no SQL.

`text` reads the plain-text input format, the canonical form of every article;
`html` turns a web page into that format first (docs/html.md).
"""

from __future__ import annotations

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

__all__ = [
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
