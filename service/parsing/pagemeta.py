"""What a web page says about itself: its encoding, its JSON-LD, its publication day.

Pure helpers of the HTML reader (docs/html.md): bytes and strings in, plain
values out. The DOM work stays in `service.parsing.html`.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from service.errors import NotHtml, UndecodableHtml

# How far the encoding prescan looks, as a browser's does (WHATWG "prescan").
PRESCAN_BYTES = 4096
# Labels browsers read as windows-1252 (WHATWG Encoding): pages labelled latin-1
# are written in windows-1252 in practice (€ „ “ – are 0x80-0x9F there).
_WINDOWS_1252_LABELS = frozenset(
    [
        "ascii",
        "us-ascii",
        "iso-8859-1",
        "iso8859-1",
        "latin1",
        "latin-1",
        "l1",
        "cp819",
        "ibm819",
        "iso-ir-100",
        "csisolatin1",
        "iso_8859-1",
        "windows-1252",
        "cp1252",
        "x-cp1252",
    ]
)
_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
_CONTENT_TYPE_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([^"';\s]+)""", re.I)
_HTML_MEDIA_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "application/xml",
        "text/xml",
        "application/octet-stream",
        "application/x-www-form-urlencoded",  # what curl -d sends when nobody said
    }
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MARKUP_START = re.compile(r"\s*<(?:[!?/]|[A-Za-z])")
_XML_DECLARATION = re.compile(r"\s*<\?xml[^>]*>")


def decode_page(raw: bytes, content_type: str | None) -> str:
    """Decode a page: BOM, else the charset of `content_type`, else <meta>, else UTF-8.

    Without any label, bytes that are no UTF-8 are read as windows-1252.

    Raises:
        NotHtml: empty, binary (a PDF, an image), or plain text without markup.
        UndecodableHtml: the bytes are invalid in the encoding the page names.
    """
    if not raw or raw.isspace():
        raise NotHtml("the page is empty")
    if raw.startswith(b"%PDF"):
        raise NotHtml("the page is a PDF document, not HTML")
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type and media_type not in _HTML_MEDIA_TYPES:
        raise NotHtml(f"the media type {media_type!r} is not HTML")

    encoding, origin = _encoding_of(raw, content_type)
    if origin == "bom":
        for bom, _ in _BOMS:
            if raw.startswith(bom):
                raw = raw[len(bom) :]
                break
    if encoding is None:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode(raw, "windows-1252", "no charset given; windows-1252")
    else:
        text = _decode(raw, encoding, f"{encoding} (from the {origin})")
    if "\x00" in text[:PRESCAN_BYTES]:
        raise NotHtml("the page is binary data (NUL bytes), not HTML")
    if _MARKUP_START.match(text) is None:
        raise NotHtml("the page holds no HTML markup (it does not start with a tag)")
    declaration = _XML_DECLARATION.match(text)
    return text[declaration.end() :] if declaration else text


def _encoding_of(raw: bytes, content_type: str | None) -> tuple[str | None, str]:
    # A BOM is the strongest evidence there is, as in browsers (WHATWG: BOM first).
    for bom, bom_codec in _BOMS:
        if raw.startswith(bom):
            return bom_codec, "bom"
    if content_type:
        label = _CONTENT_TYPE_CHARSET.search(content_type)
        if label and (declared := _codec(label.group(1))):
            return declared, "Content-Type charset"
    meta = _META_CHARSET.search(raw[:PRESCAN_BYTES])
    if meta and (named := _codec(meta.group(1).decode("ascii", "replace"))):
        # A page that reaches the prescan as ASCII bytes cannot be UTF-16.
        return ("utf-8" if named.startswith("utf-16") else named), "<meta> charset"
    return None, "default"


def _codec(label: str) -> str | None:
    label = label.strip().lower()
    if label in _WINDOWS_1252_LABELS:
        return "windows-1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _decode(raw: bytes, encoding: str, said: str) -> str:
    try:
        if encoding == "windows-1252":
            return raw.decode("cp1252", errors="_briefing_whatwg_1252")
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UndecodableHtml(
            f"byte 0x{raw[exc.start]:02x} at offset {exc.start} is invalid in {said}",
            line=line,
        ) from exc


def _whatwg_1252(exc: UnicodeError) -> tuple[str, int]:
    # Python's cp1252 leaves 0x81 0x8D 0x8F 0x90 0x9D undefined; WHATWG maps them
    # to the C1 controls of the same number, which the reader then drops.
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return chr(exc.object[exc.start]), exc.start + 1


codecs.register_error("_briefing_whatwg_1252", _whatwg_1252)


# --- JSON-LD ------------------------------------------------------------------------

# Types whose datePublished is the article's (schema.org Article kinds, WebPage).
_ARTICLE_TYPE = re.compile(r"Article$|^(?:BlogPosting|LiveBlogPosting|Report)$")
_PAGE_TYPE = re.compile(r"Page$")


@dataclass(frozen=True)
class LinkedData:
    """The JSON-LD nodes of a page that matter here, out of lists and @graph."""

    articles: tuple[Mapping[str, Any], ...] = ()
    pages: tuple[Mapping[str, Any], ...] = ()
    faqs: tuple[Mapping[str, Any], ...] = ()
    by_id: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


# The CDATA wrapper some CMSs still put around a script, commented for JS:
# "//<![CDATA[" ... "//]]>".
_CDATA = re.compile(
    r"^\s*(?://|/\*)?\s*<!\[CDATA\[(?:\s*\*/)?|(?://|/\*)?\s*\]\]>(?:\s*\*/)?\s*$"
)


def read_linked_data(scripts: Sequence[str]) -> LinkedData:
    """Collect Article-like, WebPage-like and FAQPage nodes; broken JSON is skipped."""
    articles: list[Mapping[str, Any]] = []
    pages: list[Mapping[str, Any]] = []
    faqs: list[Mapping[str, Any]] = []
    by_id: dict[str, Mapping[str, Any]] = {}
    for script in scripts:
        try:
            data = json.loads(_CDATA.sub("", script), strict=False)
        except ValueError:
            continue
        for node in _nodes(data):
            types = _types(node)
            node_id = node.get("@id")
            if isinstance(node_id, str):
                by_id.setdefault(node_id, node)
            if "FAQPage" in types:
                faqs.append(node)
            if any(_ARTICLE_TYPE.search(t) for t in types):
                articles.append(node)
            elif any(_PAGE_TYPE.search(t) for t in types):
                pages.append(node)
    return LinkedData(tuple(articles), tuple(pages), tuple(faqs), by_id)


def _nodes(data: Any, depth: int = 0) -> Iterator[Mapping[str, Any]]:
    if depth > 8:  # JSON-LD that deep is no article's metadata
        return
    if isinstance(data, list):
        for item in data:
            yield from _nodes(item, depth + 1)
    elif isinstance(data, dict):
        if "@type" in data:
            yield data
        for key, value in data.items():
            if isinstance(value, dict | list) and key != "acceptedAnswer":
                yield from _nodes(value, depth + 1)


def _types(node: Mapping[str, Any]) -> list[str]:
    value = node.get("@type", [])
    values = value if isinstance(value, list) else [value]
    return [v.rsplit("/", 1)[-1] for v in values if isinstance(v, str)]


def node_url(node: Mapping[str, Any]) -> str | None:
    """The page URL a JSON-LD node names: `url`, else `mainEntityOfPage`."""
    for key in ("url", "mainEntityOfPage"):
        value = node.get(key)
        if isinstance(value, dict):
            value = value.get("@id") or value.get("url")
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return value
    return None


# --- dates --------------------------------------------------------------------------

_ISO = re.compile(
    r"\s*(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?\s*",
    re.IGNORECASE,
)
MONTHS = {
    "januar": 1, "jan": 1, "jänner": 1, "februar": 2, "feb": 2, "märz": 3,
    "maerz": 3, "mär": 3, "mrz": 3, "april": 4, "apr": 4, "mai": 5, "juni": 6,
    "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "dezember": 12, "dez": 12,
}  # fmt: skip
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_GERMAN_NUMERIC = re.compile(r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})(?!\d)")
_GERMAN_NAMED = re.compile(
    rf"(\d{{1,2}})\.\s*({_MONTH_NAMES})\.?\s+(\d{{4}})(?!\d)", re.IGNORECASE
)
_STAND = re.compile(
    rf"\b(?:Stand|Veröffentlicht|Erschienen|Publiziert|Erstellt)\s*:?\s*(?:vom\s+|am\s+)?"
    rf"((?:\d{{1,2}}\.\s?\d{{1,2}}\.\s?(?:\d{{4}}|\d{{2}}))(?!\d)"
    rf"|\d{{1,2}}\.\s*(?:{_MONTH_NAMES})\.?\s+\d{{4}})",
    re.IGNORECASE,
)
_URL_DASHED = re.compile(r"(?<!\d)((?:19|20)\d{2})[/_-](\d{1,2})[/_-](\d{1,2})(?!\d)")
_URL_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)")


@lru_cache(maxsize=16)
def zone(name: str) -> ZoneInfo:
    """The IANA time zone `name` (raises ValueError for an unknown one)."""
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def day_of(value: str, tz: ZoneInfo) -> date | None:
    """The day a date or timestamp names, in `tz` when it carries an offset."""
    match = _ISO.fullmatch(value)
    if match is None:
        return german_day(value)
    year, month, day, hour, minute, second, offset = match.groups()
    try:
        if hour is None or offset is None:
            # A bare date, or a local time without offset: the day as written.
            return date(int(year), int(month), int(day))
        if offset.upper() == "Z":
            offset = "+00:00"
        elif len(offset) == 3:
            offset += ":00"
        elif ":" not in offset:
            offset = offset[:3] + ":" + offset[3:]
        stamp = datetime.fromisoformat(
            f"{year}-{month}-{day}T{hour}:{minute}:{second or '00'}{offset}"
        )
    except ValueError:
        return None
    return stamp.astimezone(tz).date()


def german_day(text: str) -> date | None:
    """The first German date in `text`: 12.02.2026 or 12. Februar 2026."""
    numeric = _GERMAN_NUMERIC.search(text)
    named = _GERMAN_NAMED.search(text)
    if numeric and (named is None or numeric.start() <= named.start()):
        day, month, year = (int(g) for g in numeric.groups())
    elif named:
        day, year = int(named.group(1)), int(named.group(3))
        month = MONTHS[named.group(2).lower()]
    else:
        return None
    if year < 100:
        year += 2000
    try:
        return date(year, month, day)
    except ValueError:
        return None


def stand_day(text: str) -> date | None:
    """The day of a visible "Stand: 12.02.2026 08:15 Uhr" (or "12. Februar 2026")."""
    for match in _STAND.finditer(text):
        found = german_day(match.group(1))
        if found is not None:
            return found
    return None


def url_day(url: str) -> date | None:
    """A day written into a URL: /2026/02/12/, 2026-02-12 or 20260212."""
    for pattern in (_URL_DASHED, _URL_COMPACT):
        for match in pattern.finditer(url):
            year, month, day = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                continue
    return None
