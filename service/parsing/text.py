"""Parse one briefing article: bytes in, a frozen ParsedArticle out. Pure.

The input format (docs/design.md, "Input format and parse rules"):

     date 2026-01-06 Wie geht es in Paris weiter?

    Erster Absatz der Antwort.

    Was sagt Moskau?

1. Canonical text: strict UTF-8, one leading BOM dropped, CRLF and CR turned
   into LF. Offsets are code points into this text; its SHA-256 is the
   article's fingerprint.
2. Header: the first non-blank line is `date YYYY-MM-DD`, optionally followed
   by the first question. Paragraphs before the first heading are the lead.
3. Blocks are runs of non-blank lines (blank: whitespace only, NBSP included).
   A block is a heading when it is one line, ends in `?`, has at most
   MAX_HEADING_CHARS characters and is one sentence (no `.` or `!` sentence end
   before the final `?`; ordinals and abbreviations end no sentence). Every
   other block is one answer paragraph.
4. An answer is the paragraphs after a heading up to the next heading. A heading
   without paragraphs is kept with a warning; an article without any heading
   is an error.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from datetime import date

from service.errors import ArticleParseError
from service.keys import question_id, question_key

PARSER_VERSION = "1"
MAX_HEADING_CHARS = 250
MAX_ORDINAL_DIGITS = (
    3  # "1. Juli", "20. Jahrhundert"; "2026." is a year ending a sentence
)

# Words whose trailing dot ends no sentence (compared casefolded, without the dot).
ABBREVIATIONS = frozenset(
    """
    abs abschn abt akad allg anm art bd bspw bzgl bzw ca chr co corp dipl dr ebd
    etc evtl ff fr frl gebr gem gen ggf gov hl hr hrsg inc inkl insb jh jhd jr kap
    kfz lt ltd max min mio mr mrd mrs ms nr o.a orig pkt prof rep s sen sog sr st
    std str tel u.a usw v.a vgl vs zb zit zt zzgl jan feb mär märz apr jun jul aug
    sep sept okt oct nov dez dec
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_HEADER = re.compile(r"\s*date\s+(\S+)(?:\s+(.*?))?\s*", re.IGNORECASE)
_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH_ONLY = re.compile(r"\d{4}-\d{1,2}")
# A run of . or ! (with closing quotes or brackets) followed by whitespace.
_STOP = re.compile(
    r"([.!\u2026]+)[\"'\u201c\u201d\u201e\u00bb\u00ab\u2019\u2018)\]]*(?=\s)"
)
_OPENERS = "\"'\u201c\u201d\u201e\u00bb\u00ab\u2019\u2018(["
_ROMAN = re.compile(r"[IVXLCDM]+")
_INITIALS = re.compile(r"(?:\w\.)+\w", re.UNICODE)
# A day and month written with dots ("am 24.2. in Brüssel"): the last dot is
# an ordinal's.
_DAY_MONTH = re.compile(r"\d{1,2}\.\d{1,2}")


@dataclass(frozen=True)
class Span:
    """Half-open code-point range [start, end) into the canonical text."""

    start: int
    end: int


@dataclass(frozen=True)
class ParsedRecord:
    """One question heading and the paragraphs that answer it (maybe none)."""

    question: str
    key: str
    question_id: str
    question_span: Span
    paragraphs: tuple[str, ...]
    answer_span: Span | None
    line: int


@dataclass(frozen=True)
class ParsedArticle:
    sha256: str
    published: date
    source: str
    text: str
    records: tuple[ParsedRecord, ...]
    lead: tuple[str, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class _Block:
    line: int
    start: int
    end: int
    single_line: bool


def parse_article(
    data: bytes, *, source: str, max_questions: int | None = None
) -> ParsedArticle:
    """Parse one article; at most `max_questions` headings, if given.

    Raises:
        ArticleParseError: the bytes break a rule of the format, or hold more
            headings than allowed; `line` says where.
    """
    text = canonical_text(data)
    header_line, published, first_question = read_header(text)
    blocks = split_blocks(text, after=header_line.end)
    if first_question is not None:
        blocks.insert(0, first_question)

    lead: list[str] = []
    warnings: list[str] = []
    pending: list[tuple[_Block, list[_Block]]] = []
    for block in blocks:
        block_text = text[block.start : block.end]
        if block.single_line and is_heading(block_text):
            if max_questions is not None and len(pending) == max_questions:
                raise ArticleParseError(
                    f"more than {max_questions} question headings in one article "
                    f"(BRIEFING_MAX_QUESTIONS); heading {max_questions + 1} is here",
                    line=block.line,
                )
            pending.append((block, []))
        elif pending:
            pending[-1][1].append(block)
        else:
            lead.append(block_text)
            if block is first_question:
                warnings.append(
                    f"line {block.line}: the text after the date is no question "
                    "heading; kept as the article's lead"
                )
    if not pending:
        raise ArticleParseError(
            "no question heading (a single line ending in '?') in the article",
            line=header_line.line,
        )

    records = []
    for heading, paragraphs in pending:
        question = text[heading.start : heading.end]
        key, id_ = _identity(question)
        if not paragraphs:
            warnings.append(
                f"line {heading.line}: question {question!r} has no answer; "
                "kept in the parse, not stored as an answer"
            )
        records.append(
            ParsedRecord(
                question=question,
                key=key,
                question_id=id_,
                question_span=Span(heading.start, heading.end),
                paragraphs=tuple(text[p.start : p.end] for p in paragraphs),
                answer_span=(
                    Span(paragraphs[0].start, paragraphs[-1].end)
                    if paragraphs
                    else None
                ),
                line=heading.line,
            )
        )
    return ParsedArticle(
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        published=published,
        source=source,
        text=text,
        records=tuple(records),
        lead=tuple(lead),
        warnings=tuple(warnings),
    )


@functools.lru_cache(maxsize=131_072)
def _identity(question: str) -> tuple[str, str]:
    """A heading's key and question id. Headings recur from article to article
    and are at most MAX_HEADING_CHARS long: each is keyed once per process."""
    key = question_key(question)
    return key, question_id(key)


def canonical_text(data: bytes) -> str:
    """Decode strict UTF-8, drop a leading BOM and turn CRLF and CR into LF.

    Raises:
        ArticleParseError: invalid UTF-8, a NUL character, or nothing but space.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = _newlines(data[: exc.start].decode("utf-8"))
        raise ArticleParseError(
            f"invalid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            line=good.count("\n") + 1,
        ) from exc
    text = _newlines(text.removeprefix("\ufeff"))
    if not text.strip():
        raise ArticleParseError("the article is empty", line=1)
    nul = text.find("\x00")
    if nul >= 0:
        # PostgreSQL text cannot hold NUL, and no article needs one.
        raise ArticleParseError(
            "NUL character in the text", line=text.count("\n", 0, nul) + 1
        )
    return text


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_header(text: str) -> tuple[_Block, date, _Block | None]:
    """Return the header line, its date and the question it carries, if any.

    Raises:
        ArticleParseError: no header, or a malformed, month-only or impossible date.
    """
    start = 0
    number = 1
    while True:
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if text[start:end].strip():
            break
        start, number = end + 1, number + 1
    line = text[start:end]
    header = _Block(line=number, start=start, end=end, single_line=True)
    match = _HEADER.fullmatch(line)
    if match is None:
        shown = line.strip()
        shown = shown if len(shown) <= 40 else shown[:40] + "..."
        raise ArticleParseError(
            f"expected the header 'date YYYY-MM-DD', found {shown!r}", line=number
        )
    token = match.group(1)
    if _FULL_DATE.fullmatch(token):
        try:
            published = date.fromisoformat(token)
        except ValueError as exc:
            raise ArticleParseError(
                f"{token} is not a calendar date", line=number
            ) from exc
    elif _MONTH_ONLY.fullmatch(token):
        raise ArticleParseError(
            f"date {token!r} has no day; expected 'date YYYY-MM-DD'", line=number
        )
    else:
        raise ArticleParseError(
            f"date {token!r} is not of the form YYYY-MM-DD", line=number
        )
    question = None
    if match.group(2):
        question = _Block(number, start + match.start(2), start + match.end(2), True)
    return header, published, question


def split_blocks(text: str, *, after: int) -> list[_Block]:
    """Split the text after offset `after` into blocks of non-blank lines."""
    blocks: list[_Block] = []
    number = text.count("\n", 0, after) + 1
    current: _Block | None = None
    start = after + 1
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end]
        number += 1
        if line.strip():
            line_end = start + len(line.rstrip())
            if current is None:
                line_start = end - len(line.lstrip())
                current = _Block(number, line_start, line_end, True)
            else:
                current = _Block(current.line, current.start, line_end, False)
        elif current is not None:
            blocks.append(current)
            current = None
        start = end + 1
    if current is not None:
        blocks.append(current)
    return blocks


def is_heading(block_text: str) -> bool:
    """Tell whether a one-line block is a question heading (rule 3)."""
    return (
        block_text.endswith("?")
        and len(block_text) <= MAX_HEADING_CHARS
        and any(char.isalnum() for char in block_text)
        and not any(
            _ends_sentence(block_text, stop) for stop in _STOP.finditer(block_text)
        )
    )


def _ends_sentence(text: str, stop: re.Match[str]) -> bool:
    marks = stop.group(1)
    if "!" in marks:
        return True
    if marks != ".":
        return False  # an ellipsis pauses, it does not end the heading
    words = text[: stop.start()].split()
    word = words[-1].lstrip(_OPENERS) if words else ""
    return not (
        (word.isdigit() and len(word) <= MAX_ORDINAL_DIGITS)
        or _ROMAN.fullmatch(word) is not None
        or (len(word) == 1 and word.isalpha())
        or _INITIALS.fullmatch(word) is not None
        or _DAY_MONTH.fullmatch(word) is not None
        or word.casefold() in ABBREVIATIONS
    )
