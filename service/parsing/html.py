"""Read a news explainer web page into the plain-text input format. Pure: bytes in.

The rules (docs/design.md, "Real articles"; how and why in docs/html.md):

1. Main content only: the page's <article>/<main>/articleBody with the most
   text of its own, without navigation, teasers, related links, boxes,
   comments, tables of contents, captions, scripts, share bars and ads.
2. A question is a heading (h2-h6; h1 is the title), <summary>, <dt> or a
   wholly bold paragraph that passes the text reader's heading test. Its
   answer is the paragraph-level blocks after it (a list is one paragraph)
   up to the next question or heading, inside the element that holds the
   question. schema.org FAQPage (microdata in place; JSON-LD when the page
   shows no question) counts too. A question without answer is left out.
3. The text before the first question, after the title, is the lead.
4. Rendered as `date YYYY-MM-DD`, then lead, questions and answers, one line
   each, a blank line between; a paragraph that would read as a heading is
   joined to its neighbour, so the text reader parses exactly what was found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from service.errors import NoPublicationDate, NoQuestionFound
from service.parsing.pagemeta import (
    LinkedData,
    day_of,
    decode_page,
    german_day,
    node_url,
    read_linked_data,
    stand_day,
    url_day,
    zone,
)
from service.parsing.text import is_heading

# Elements that never hold article text.
SKIPPED_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "canvas",
        "iframe",
        "object",
        "embed",
        "video",
        "audio",
        "picture",
        "img",
        "figure",
        "figcaption",
        "form",
        "button",
        "input",
        "select",
        "textarea",
        "label",
        "nav",
        "aside",
        "footer",
        "menu",
        "dialog",
        "head",
        "title",
        "meta",
        "link",
        "source",
        "track",
        "map",
        "area",
        "address",
        "amp-ad",
        "amp-embed",
        "amp-sticky-ad",
        "amp-auto-ads",
        "amp-sidebar",
        "amp-analytics",
        "amp-pixel",
        "amp-social-share",
        "amp-consent",
        "amp-user-notification",
        "amp-iframe",
        "amp-video",
        "amp-youtube",
        "amp-img",
        "amp-anim",
        "amp-lightbox",
        "amp-geo",
        "amp-carousel",
        "amp-story",
    ]
)
# Removed with their content before anything is read.
_STRIPPED_TAGS = ["script", "style", "noscript", "template", "svg", "math", "head"]
BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "details",
        "dialog",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
        "summary",
        "ul",
        "menu",
        "center",
        "amp-accordion",
    ]
)
HEADING_TAGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
_QUESTION_TAGS = "h1,h2,h3,h4,h5,h6,summary,dt,[role=heading]"
_STRUCTURE = "h1,h2,h3,h4,h5,h6,summary,dt,details,[role=heading],p,div,section,table"
_LIST_STRUCTURE = (
    "h1,h2,h3,h4,h5,h6,summary,dt,details,[role=heading],[itemprop=name],"
    "[aria-controls],[aria-expanded]"
)
_BLOCK_SELECTOR = ",".join(sorted(BLOCK_TAGS))

# Class, id, role and data-* words of boxes that are never the article. Strong
# ones go wherever they are; weak ones only when they hold less than half the
# text of the content root (a wrapper such as "layout--has-sidebar" stays).
# Stems match inside a word ("meldungsfooter", "teaserText"); tokens match whole.
STRONG_STEMS = tuple(
    """
    comment kommentar leserbrief newsletter teaser related recommend empfehlung social
    share sharing teilen breadcrumb cookie consent gdpr promo advert anzeige
    werbung sponsor outbrain taboola inhaltsverzeichnis table-of-contents caption
    bildunterschrift contact kontakt feedback popup modal subscribe abonn mostread
    most-read meistgelesen mehr-zum-thema mehrzumthema weitere-artikel auch-interessant
    lesetipp zum-thema zumthema offer-box offerbox umfrage rating bewertung skiplink
    skip-link audioplayer audio-player podcast gallery galerie slideshow carousel
    karussell
    """.split()  # noqa: SIM905 - a word list reads better as text
)
STRONG_TOKENS = frozenset(
    "toc cmp cta search suche poll quiz login skip".split()  # noqa: SIM905
)
WEAK_STEMS = tuple(
    """
    footer sidebar widget banner byline author autor copyright schlagw toolbar
    pagination navigation dateline kicker dachzeile topline overline adslot adunit
    paywall player
    """.split()  # noqa: SIM905
)
WEAK_TOKENS = frozenset(
    """
    nav navi navbar menu aside ad ads meta metadata metatextline credit credits tag
    tags print date datum time label badge
    """.split()  # noqa: SIM905
)
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")
# A "teaser" that is the article's own intro: a paragraph so named, or a box
# whose name says intro or text ("article__teaser", "teaserText",
# "cssBoxTeaserIntro"); teasers of other articles are boxes of links.
_OWN_TEASER = (
    "intro",
    "teasertext",
    "teaser-text",
    "teaser--text",
    "teaser--intro",
    "field-teaser",  # Drupal's field of the article's own teaser
)
# A box named for an image that holds one and little text: the image and its
# caption and credit, wherever the site puts them ("absatzbild", "mediaInfo").
IMAGE_STEMS = ("bild", "image", "img", "media", "foto", "photo", "picture", "video")
MAX_CAPTION_CHARS = 300


def noise(words: str, tag: str = "") -> str | None:
    """ "strong", "weak" or None for the lower-cased class/id/role/data-* words
    of an element (its tag decides whether a "teaser" is the article's own)."""
    if "teaser" in words and (tag == "p" or any(own in words for own in _OWN_TEASER)):
        words = words.replace("teaser", " ")
    # Elementor names every block of a page a widget, the article's text too.
    if "elementor" in words:
        words = words.replace("widget", " ")
    tokens = set(_TOKEN_SPLIT.split(words))
    if any(stem in words for stem in STRONG_STEMS) or not tokens.isdisjoint(
        STRONG_TOKENS
    ):
        return "strong"
    if any(stem in words for stem in WEAK_STEMS) or any(
        token in WEAK_TOKENS or token.startswith(("meta", "nav")) for token in tokens
    ):
        return "weak"
    return None


# Box headings that ask the reader something rather than answer a question.
_BOILERPLATE_QUESTION = re.compile(
    r"^(?:(?:sie haben|haben sie|hast du|noch)\s+(?:noch\s+)?(?:weitere\s+|eine\s+"
    r"|offene\s+)?(?:fragen|frage|anregungen|hinweise)"
    r"|(?:fragen|hinweise|anregungen|feedback)\b"
    r"|.*\b(?:fehler|tippfehler)\s+(?:gefunden|entdeckt|bemerkt)"
    r"|war (?:dieser|der|das) .{0,20}(?:hilfreich|nützlich)"
    r"|wie (?:gefällt|gefiel|fanden|findest) (?:ihnen|sie|du|dir)"
    r"|(?:was|wie) (?:meinen|denken|sehen) sie"
    r"|sie (?:wollen|möchten) (?:nichts|keine)\b.*verpassen"
    r"|(?:sie (?:lesen|hören|sehen|schauen)|(?:lesen|hören|sehen|schauen) sie) gerne?\b"
    r"|.*\bnewsletter\b|diskutieren sie mit|schon abonniert"
    r"|wollen sie (?:mehr|weiter)|möchten sie (?:mehr|weiterlesen)"
    r"|sind sie einverstanden)",
    re.IGNORECASE,
)
# Short lines that belong to the page's furniture, not to an answer.
_BOILERPLATE_PARAGRAPH = re.compile(
    r"^(?:stand\s*:|mit material (?:von|der)|mit informationen (?:von|der)"
    r"|quellen?\s*:\s*[\w .,/&()-]{1,60}$|über dieses thema berichtete"
    # an agency credit alone: "dpa", "RND/dpa", "(AFP)"
    r"|\(?(?:[\w.]{1,12}\s*/\s*)*(?:dpa|afp|ap|rtr|reuters|epd|kna|sid|dts|ddp|apa|sda)"
    r"(?:\s*/\s*[\w.]{1,12})*\)?\.?$|(?:foto|bild|grafik|video)\s*:"
    # an author's initials alone: "(ph)", "(red/dpa)"
    r"|\([a-zäöü]{1,5}(?:\s*/\s*[\w.]{1,12})*\)$"
    r"|lesen sie (?:auch|mehr|hier)|mehr zum thema|auch interessant|mehr dazu\s*:"
    r"|zum thema\s*:|lesetipp|weiterlesen|anzeige$|werbung$|teilen$|zitat$"
    # a broadcast's line: "Sendung am Mo., 3.2.2025 18:00 Uhr, SW3 Aktuell"
    r"|(?:sendung|ausstrahlung|beitrag) (?:am|vom)\s+(?:[a-z]{2,10}\.?,?\s+)?\d"
    # a disclaimer: "Hinweis: Dieser Artikel … ersetzt keine ärztliche Beratung."
    r"|(?:(?:hinweis|wichtig)\s*:\s*)?(?:dieser|der|unser|diese|die)\s+"
    r"(?:artikel|beitrag|text|ratgeber|informationen?)\b[^.!?]*\bersetz(?:t|en)\s+"
    r"(?:keine|nicht)\b"
    r"|dieser (?:artikel|beitrag|text) wurde (?:zuletzt )?aktualisiert"
    # a timestamp line: "Aktualisiert am 21.11.2025 - 08:03 Uhr Lesedauer: 3 Min."
    r"|(?:zuletzt )?(?:aktualisiert|veröffentlicht|erschienen)(?: am)?\s*:?\s*"
    r"\d{1,2}\.\s*(?:\d{1,2}\.|(?:januar|februar|märz|april|mai|juni|juli|august"
    r"|september|oktober|november|dezember)\s)\s*\d{2,4}"
    r"|.*\baffiliate-?links?\b"
    # an audio player's or reading time's line, a byline with its date
    r"|artikel (?:anhören|vorlesen)|(?:lese|hör)(?:zeit|dauer)\s*:?\s*(?:ca\.\s*)?\d"
    r"|von [^.!?]{3,80}[·|•]\s*\d{1,2}\.\s*(?:\d{1,2}\.|[a-zäöü]+)\s*\d{2,4})",
    re.IGNORECASE,
)
MAX_BOILERPLATE_CHARS = 200
# A lead line this short without a sentence end is a kicker, byline or date.
MIN_LEAD_LINE_CHARS = 50
_SENTENCE_END = tuple(".!?:;\u2026\"'\u201c\u201d\u00bb\u00ab)")
LINK_DENSE = 0.5  # share of a block's text inside links that makes it a link block
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e"))
_INVISIBLE.update(dict.fromkeys(range(32)))
# Line breaks and tabs inside a paragraph of the source are spaces, not nothing.
_INVISIBLE.update(dict.fromkeys(map(ord, "\t\n\v\f\r"), " "))
_INVISIBLE.update(dict.fromkeys(range(0x7F, 0xA0)))
_SPACE = re.compile(r"\s+")
_QUESTION_TYPE = re.compile(r"schema\.org/Question$", re.IGNORECASE)


@dataclass(frozen=True)
class ExtractedPage:
    """A page read into the plain-text format, and what the page says of itself."""

    text: str
    source_url: str | None
    title: str | None
    published: date


def extract_article(
    raw: bytes,
    *,
    content_type: str | None = None,
    url: str | None = None,
    timezone: str = "Europe/Berlin",
) -> ExtractedPage:
    """Read one page into an article in the plain-text format.

    Raises:
        NotHtml: empty, binary, a PDF or plain text.
        UndecodableHtml: bytes invalid in the page's declared encoding.
        NoQuestionFound: no question with an answer in the main content.
        NoPublicationDate: no publication date anywhere the rules look.
        ValueError: `timezone` is no IANA time zone name.
    """
    tz = zone(timezone)
    tree = LexborHTMLParser(decode_page(raw, content_type))
    linked = read_linked_data(
        [node.text(deep=True) for node in tree.css('script[type*="ld+json" i]')]
    )
    metas = _metas(tree)
    source_url = _source_url(tree, metas, linked) or url
    title = _title(tree, metas, linked)
    tree.strip_tags(_STRIPPED_TAGS)
    body = tree.body
    if body is None:  # lexbor always builds one; this keeps the type checker honest
        raise NoQuestionFound("the page has no body")
    root = _content_root(body)
    titles = _title_keys(tree, metas, linked)

    lead, records = _Reader(root, titles).read()
    if not records and root is not body:
        lead, records = _Reader(body, titles).read()
    if not records:
        lead, records = [], _faq_records(linked)
    if not records:
        raise NoQuestionFound(
            "no question with an answer in the page's main content: no heading, "
            "<summary>, <dt> or bold paragraph that is one line ending in '?', "
            "and no schema.org FAQPage"
        )
    published = _published(linked, metas, root, body, (source_url, url), tz)
    return ExtractedPage(
        text=render(published, lead, records),
        source_url=source_url,
        title=title,
        published=published,
    )


def answered(
    records: Iterable[tuple[str, list[str]]],
) -> list[tuple[str, list[str]]]:
    """The records whose answer keeps a paragraph once none reads as a heading."""
    out = []
    for question, paragraphs in records:
        if answer := unheaded(paragraphs):
            out.append((question, answer))
    return out


def render(
    published: date, lead: Iterable[str], records: Iterable[tuple[str, list[str]]]
) -> str:
    """Write the article in the input format; every question passes is_heading."""
    blocks = [f"date {published.isoformat()}", *unheaded(list(lead))]
    for question, paragraphs in records:
        answer = unheaded(paragraphs)
        if answer:
            blocks += [question, *answer]
    return "\n\n".join(blocks) + "\n"


def unheaded(paragraphs: list[str]) -> list[str]:
    """Join each paragraph the text reader would take for a heading to a neighbour.

    A one-line "Und was heißt das für Mieter?" between answer paragraphs would
    start a new question in the plain text; joined to the next paragraph (the
    previous one at the end) it stays answer text. A lone one is dropped.
    """
    out = [p for p in paragraphs if p]
    i = 0
    while i < len(out):
        if not is_heading(out[i]):
            i += 1
        elif len(out) == 1:
            return []
        elif i + 1 < len(out):
            out[i : i + 2] = [out[i] + " " + out[i + 1]]
        else:
            out[i - 1 : i + 1] = [out[i - 1] + " " + out[i]]
            i -= 1
    return out


def clean(text: str) -> str:
    """Collapse whitespace (NBSP too) and drop soft hyphens, zero-width and controls."""
    return _SPACE.sub(" ", text.replace("\u00a0", " ").translate(_INVISIBLE)).strip()


def is_question(text: str) -> bool:
    """Tell whether a heading's text is a question (text reader), not a box title."""
    return is_heading(text) and _BOILERPLATE_QUESTION.match(text) is None


# --- the content root -----------------------------------------------------------------


def _content_root(body: LexborNode) -> LexborNode:
    # The deepest of <article>, <main>, articleBody (and body) that holds at least
    # half of the best one's own text: the article, not the page around it; and
    # when that is the body of an <article>, the article with its header.
    candidates = [body, *body.css("main, [role=main], article, [itemprop=articleBody]")]
    scored = [(_own_text(node), _depth(node), node) for node in candidates]
    best = max(score for score, _, _ in scored)
    if best == 0:
        return body
    deepest = max(
        (entry for entry in scored if entry[0] >= best / 2),
        key=lambda entry: (entry[1], entry[0]),
    )[2]
    return _article_of(deepest)


def _own_text(node: LexborNode) -> int:
    # Paragraph text, less teasers' (inside links) and comments': cheap and telling.
    foreign = {
        n.mem_id
        for n in node.css("a p, a dd, [class*=comment] p, [id*=comment] p, aside p")
    }
    return sum(
        len(n.text(deep=True))
        for n in node.css("p, dd, blockquote")
        if n.mem_id not in foreign
    )


def _depth(node: LexborNode) -> int:
    depth = 0
    parent = node.parent
    while parent is not None:
        depth, parent = depth + 1, parent.parent
    return depth


def _words(node: LexborNode) -> str:
    attrs = node.attributes
    words = []
    for name, value in attrs.items():
        if value and (
            name in ("class", "id", "role")
            or (name.startswith("data-") and len(value) <= 40)
        ):
            words.append(value)
    return " ".join(words).lower().replace("_", "-")


# --- reading the content --------------------------------------------------------------


@dataclass
class _Run:
    """Text gathered from inline content: how much of it was bold, how much linked."""

    text: list[str]
    chars: int = 0
    bold: int = 0
    link: int = 0

    def add(self, text: str, *, bold: bool, link: bool) -> None:
        self.text.append(text)
        size = len(text.strip())
        self.chars += size
        self.bold += size if bold else 0
        self.link += size if link else 0


class _Reader:
    """Walk the content root in document order into lead paragraphs and records."""

    def __init__(self, root: LexborNode, titles: frozenset[str] = frozenset()) -> None:
        self.root = root
        self.titles = titles
        self.root_chars = len(root.text(deep=True))
        self.h1_questions = (
            sum(is_question(clean(h.text(deep=True))) for h in root.css("h1")) >= 2
        )
        self.lead: list[str] = []
        self.lead_closed = False
        self.records: list[tuple[str, list[str]]] = []
        self.open: list[str] | None = None  # paragraphs of the question being answered
        self.depth = 0
        self.question_depth = 0
        self.links = 0

    def read(self) -> tuple[list[str], list[tuple[str, list[str]]]]:
        self.container(self.root)
        return self.lead, answered(self.records)

    # events

    def question(self, text: str) -> None:
        self.open = []
        self.records.append((text, self.open))
        self.question_depth = self.depth

    def heading(self, *, title: bool = False, named: bool = False) -> None:
        """A heading that is no question (`named`: a heading element, not a
        <summary>, <dt> or <hr>): it ends the answer, and a named one the lead."""
        self.open = None
        if title and not self.records:
            self.lead = []  # what comes before the title is the page, not the lead
            self.lead_closed = False
        elif named and self.lead:
            self.lead_closed = True  # the lead is what comes before the first heading

    def paragraph(self, text: str, *, link: bool = False) -> None:
        if not text or link:
            return
        if (
            len(text) <= MAX_BOILERPLATE_CHARS
            and _BOILERPLATE_PARAGRAPH.match(text) is not None
        ):
            return
        if self.open is not None:
            self.open.append(text)
        elif (
            not self.records
            and not self.lead_closed
            and (
                text.endswith(_SENTENCE_END)
                or (len(text) >= MIN_LEAD_LINE_CHARS and german_day(text) is None)
            )
        ):
            # Not a kicker, byline or date line ("Stefanie Huber Freitag,
            # 20. Dezember 2024, 06:00 Uhr").
            self.lead.append(text)

    def is_title(self, text: str) -> bool:
        # The headline, maybe after a kicker: "Streik" + "Was der Streik bedeutet".
        key = _key(text)
        return any(key.endswith(title) for title in self.titles)

    # the walk

    def skipped(self, node: LexborNode, tag: str) -> bool:
        if (tag == "figure" and node.css_first("table, blockquote") is not None) or (
            tag == "button" and _toggles(node)
        ):
            return False
        if tag in SKIPPED_TAGS or (tag.startswith("amp-") and tag in SKIPPED_TAGS):
            return True
        words = _words(node)
        if not words:
            return tag in _BOXES and _labelled_ad(node)
        if node.attributes.get("role") in _BOX_ROLES:
            return True
        if "teaser" in words and _unlinked(node):
            # A "teaser" box with no link and no heading is the article's own
            # ("header-teaser"); another article's teaser links to it.
            words = words.replace("teaser", " ")
        if tag in _DATA_TAGS:
            # A test's rating table or legend is content; a rating widget is a box.
            words = words.replace("rating", " ").replace("bewertung", " ")
        kind = noise(words, tag)
        if tag in _BOXES and (_labelled_ad(node) or _link_box(node)):
            return True
        if tag in _FIGURE_BOXES and _is_figure(node, words):
            return True
        return kind == "strong" or (
            kind == "weak" and len(node.text(deep=True)) < self.root_chars / 2
        )

    def container(self, node: LexborNode) -> None:
        """Read a block element's children: blocks, and the inline runs between them."""
        self.depth += 1
        run: list[LexborNode] = []
        child = node.child
        while child is not None:
            tag = child.tag or ""
            if tag == "-text" or (
                tag != "-comment"
                and tag not in BLOCK_TAGS
                and not self.holds_blocks(child)
                and not _toggles(child)
            ):
                if tag != "-comment":
                    run.append(child)
            else:
                if run:
                    self.inline(run)
                    run = []
                if tag != "-comment":
                    self.block(child, tag)
            child = child.next
        if run:
            self.inline(run)
        self.depth -= 1
        if self.open is not None and self.depth < self.question_depth:
            if self.open:
                self.open = None  # the element holding the question has ended
            else:
                self.question_depth = self.depth

    def holds_blocks(self, node: LexborNode) -> bool:
        # An inline element (a teaser's <a>) wrapping headings or paragraphs.
        return node.tag is not None and node.css_first(_BLOCK_SELECTOR) is not None

    def block(self, node: LexborNode, tag: str) -> None:
        if node is not self.root and self.skipped(node, tag):
            return
        link = tag == "a" and _is_link(node)
        self.links += link
        try:
            self.element(node, tag)
        finally:
            self.links -= link

    def element(self, node: LexborNode, tag: str) -> None:
        attrs = node.attributes
        if _QUESTION_TYPE.search(attrs.get("itemtype") or "") and self.microdata(node):
            return
        if _toggles(node) and tag not in HEADING_TAGS:
            # An accordion's toggle outside a heading: Elementor's
            # <div role=button aria-controls=…>, a bare <button aria-expanded>.
            text = clean("".join(self.gather([node], buttons=True).text))
            if not self.links and is_question(text):
                self.question(text)
            elif tag != "button":
                self.container(node)
        elif tag in HEADING_TAGS or attrs.get("role") == "heading":
            run = self.gather([node], buttons=True)
            text = clean("".join(run.text))
            if not self.records and self.is_title(text):
                self.heading(title=True)
            elif (
                (tag != "h1" or self.h1_questions)
                and not self.links
                and run.link < LINK_DENSE * max(run.chars, 1)
                and is_question(text)
            ):
                self.question(text)
            else:
                self.heading(title=tag == "h1", named=True)
        elif tag == "dl" and not any(
            is_question(clean(term.text(deep=True))) for term in node.css("dt")
        ):
            self.definitions_paragraph(node)
        elif tag in ("summary", "dt"):
            run = self.gather([node], buttons=True)
            text = clean("".join(run.text))
            if not self.links and is_question(text):
                self.question(text)
            else:
                self.heading()
        elif tag in ("p", "pre"):
            self.inline(list(_children(node)))
        elif tag in ("ul", "ol"):
            if node.css_first(_LIST_STRUCTURE) is not None:
                self.container(node)
            else:
                self.list_paragraph(node)
        elif tag == "li":
            self.container(node)
        elif tag == "table":
            if _holds(node, _STRUCTURE):
                self.container(node)
            else:
                self.table_paragraph(node)
        elif tag == "hr":
            self.heading()
        else:
            self.container(node)

    def inline(self, nodes: list[LexborNode]) -> None:
        """An inline run: a paragraph, or a bold question and the text after a <br>."""
        segments: list[list[LexborNode]] = [[]]
        for node in nodes:
            if node.tag == "br":
                segments.append([])
            else:
                segments[-1].append(node)
        runs = [self.gather(segment) for segment in segments]
        texts = [clean("".join(run.text)) for run in runs]
        first = next((i for i, text in enumerate(texts) if text), None)
        if first is None:
            return
        head = runs[first]
        if (
            head.bold >= head.chars
            and head.link < LINK_DENSE * max(head.chars, 1)
            and not self.links
            and is_question(texts[first])
        ):
            # <p><strong>Frage?</strong></p>, or <p><b>Frage?</b><br>Antwort</p>
            self.question_here(texts[first])
            texts, runs = texts[first + 1 :], runs[first + 1 :]
        # Two <br> in a row break a paragraph; one is a line break within it.
        paragraph: list[str] = []
        link = chars = 0
        for text, run in zip([*texts, ""], [*runs, _Run([])], strict=True):
            if text:
                paragraph.append(text)
                link, chars = link + run.link, chars + run.chars
            elif paragraph:
                self.paragraph(
                    " ".join(paragraph),
                    link=bool(self.links) or link >= LINK_DENSE * chars,
                )
                paragraph, link, chars = [], 0, 0

    def question_here(self, text: str) -> None:
        # A question inside a paragraph belongs to the element around the paragraph.
        self.question(text)

    def gather(self, nodes: Iterable[LexborNode], *, buttons: bool = False) -> _Run:
        """Inline text; with `buttons`, a <button>'s too (an accordion's heading)."""
        run = _Run([])
        for node in nodes:
            self._gather(node, run, bold=False, link=bool(self.links), buttons=buttons)
        return run

    def _gather(
        self, node: LexborNode, run: _Run, *, bold: bool, link: bool, buttons: bool
    ) -> None:
        tag = node.tag
        if tag == "-text":
            run.add(node.text_content or "", bold=bold, link=link)
            return
        if tag is None or tag == "-comment" or _is_permalink(node) or _decoration(node):
            return
        if tag in SKIPPED_TAGS and not (buttons and tag == "button"):
            return
        if tag == "br":
            run.add(" ", bold=bold, link=link)
            return
        bold = bold or tag in ("b", "strong") or tag in HEADING_TAGS
        link = link or (tag == "a" and _is_link(node))
        block = tag in BLOCK_TAGS
        if block:
            run.add(" ", bold=bold, link=link)
        child = node.child
        while child is not None:
            self._gather(child, run, bold=bold, link=link, buttons=buttons)
            child = child.next
        if block:
            run.add(" ", bold=bold, link=link)

    def list_paragraph(self, node: LexborNode) -> None:
        items: list[str] = []
        link = chars = 0
        for item in _children(node):
            if item.tag != "li":
                continue
            run = self.gather([item])
            text = clean("".join(run.text))
            if text:
                items.append(text)
                link, chars = link + run.link, chars + run.chars
        self.paragraph(
            join_items(items), link=bool(self.links) or link >= LINK_DENSE * chars
        )

    def definitions_paragraph(self, node: LexborNode) -> None:
        # A legend or glossary: each term with its descriptions, like a table's row.
        items: list[str] = []
        for child in _children(node):
            text = clean("".join(self.gather([child]).text))
            if child.tag == "dt" or not items:
                items.append(text)
            elif text:
                items[-1] = f"{items[-1]} {text}".strip()
        self.paragraph(join_items([item for item in items if item]))

    def table_paragraph(self, node: LexborNode) -> None:
        rows = []
        for row in node.css("tr"):
            cells = [
                clean(cell.text(deep=True))
                for cell in row.css("th, td")
                if noise(_words(cell), "td") != "strong"
            ]
            if any(cells):
                rows.append(" ".join(cell for cell in cells if cell))
        self.paragraph(join_items(rows))

    def microdata(self, node: LexborNode) -> bool:
        """A microdata schema.org Question: its name, then its acceptedAnswer's text."""
        name = node.css_first("[itemprop=name]")
        answer = node.css_first("[itemprop=acceptedAnswer] [itemprop=text]")
        answer = answer or node.css_first("[itemprop=acceptedAnswer]")
        if name is None or answer is None:
            return False
        text = clean(name.attributes.get("content") or name.text(deep=True))
        if not is_question(text):
            return False
        self.depth += 1
        self.question(text)
        self.container(answer)
        self.depth -= 1
        self.open = None
        return True


def join_items(items: list[str]) -> str:
    """Join list items on one line: after a sentence end or comma a space, else "; "."""
    out = ""
    for item in items:
        if out:
            out += " " if out.endswith(tuple(".!?:;,\u2026")) else "; "
        out += item
    return out


def _holds(node: LexborNode, selector: str) -> bool:
    """Whether an element below the node (not the node itself) matches."""
    return any(found.mem_id != node.mem_id for found in node.css(selector))


def _children(node: LexborNode) -> Iterator[LexborNode]:
    child = node.child
    while child is not None:
        yield child
        child = child.next


# Boxes that a first line "Anzeige" marks as an ad, whatever their class says.
_BOXES = frozenset(["div", "section", "article"])
_AD_LABELS = frozenset(
    ["anzeige", "werbung", "sponsored", "gesponsert", "advertorial", "promotion"]
)


_FIGURE_BOXES = frozenset(["div", "section", "table", "span"])
# ARIA roles of what is not the article: the page's banner, navigation and
# footer, and boxes beside it ("note": a summary box; "complementary": aside).
_BOX_ROLES = frozenset(["banner", "navigation", "contentinfo", "note", "complementary"])


_DATA_TAGS = frozenset(["table", "dl"])
MAX_LINK_BOX_CHARS = 400


def _link_box(node: LexborNode) -> bool:
    """A small box that is mostly links (a download tip, a "mehr dazu" box):
    its links would be dropped as link paragraphs, its label is no answer."""
    text = clean(node.text(deep=True))
    if not text or len(text) > MAX_LINK_BOX_CHARS or _holds(node, _QUESTION_TAGS):
        return False
    links = [
        clean(link.text(deep=True)) for link in node.css("a[href]") if _is_link(link)
    ]
    label = text
    for link in links:
        label = label.replace(link, " ", 1)
    # "Ja." beside a link to the form is an answer, "Download-Tipp" a label.
    return sum(map(len, links)) >= LINK_DENSE * len(text) and not any(
        char in label for char in ".!?"
    )


def _toggles(node: LexborNode) -> bool:
    """An accordion's toggle: a button that opens a region."""
    attrs = node.attributes
    return (node.tag == "button" or attrs.get("role") == "button") and (
        "aria-controls" in attrs or "aria-expanded" in attrs
    )


def _decoration(node: LexborNode) -> bool:
    """An icon hidden from screen readers: symbols only ("+", "›")."""
    return node.attributes.get("aria-hidden") == "true" and not any(
        char.isalnum() for char in node.text(deep=True)
    )


def _unlinked(node: LexborNode) -> bool:
    return (
        node.css_first("a[href], h1, h2, h3, h4, h5, h6") is None
        and node.text(deep=True).strip() != ""
    )


def _is_figure(node: LexborNode, words: str) -> bool:
    return (
        any(stem in words for stem in IMAGE_STEMS)
        and node.css_first("img, picture, video") is not None
        and len(node.text(deep=True).strip()) <= MAX_CAPTION_CHARS
        and node.css_first("h1, h2, h3, h4, h5, h6, summary, dt") is None
    )


def _labelled_ad(node: LexborNode) -> bool:
    child = node.child
    while child is not None and (
        child.tag == "-comment"
        or (child.tag == "-text" and not (child.text_content or "").strip())
    ):
        child = child.next
    if child is None:
        return False
    text = child.text_content if child.tag == "-text" else child.text(deep=True)
    return clean(text or "").casefold().rstrip(":") in _AD_LABELS


def _is_permalink(node: LexborNode) -> bool:
    # A heading's own anchor ("#", "¶", "🔗"): a symbol linking into the page.
    href = node.attributes.get("href") if node.tag == "a" else None
    return (
        href is not None
        and href.strip().startswith("#")
        and not any(char.isalnum() for char in node.text(deep=True))
    )


def _is_link(node: LexborNode) -> bool:
    # In-page anchors (a heading's permalink, a TOC entry's target) lead nowhere else.
    href = (node.attributes.get("href") or "").strip()
    return bool(href) and not href.startswith("#")


# --- schema.org FAQPage in JSON-LD ----------------------------------------------------


def _faq_records(linked: LinkedData) -> list[tuple[str, list[str]]]:
    records: list[tuple[str, list[str]]] = []
    for faq in linked.faqs:
        entities = faq.get("mainEntity", [])
        for entity in entities if isinstance(entities, list) else [entities]:
            question = _resolve(entity, linked)
            name = question.get("name")
            if not isinstance(name, str) or not is_question(clean(name)):
                continue
            answers = question.get("acceptedAnswer") or question.get("suggestedAnswer")
            paragraphs: list[str] = []
            for answer in answers if isinstance(answers, list) else [answers]:
                text = _resolve(answer, linked).get("text")
                if isinstance(text, str):
                    paragraphs += _answer_paragraphs(text)
            records.append((clean(name), paragraphs))
    return answered(records)


def _resolve(value: Any, linked: LinkedData) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        return {}
    ref = value.get("@id")
    if len(value) == 1 and isinstance(ref, str):
        return linked.by_id.get(ref, {})
    return value


def _answer_paragraphs(text: str) -> list[str]:
    if "<" not in text:
        return [clean(part) for part in re.split(r"\n\s*\n", text) if clean(part)]
    fragment = LexborHTMLParser(f"<body>{text}</body>").body
    if fragment is None:
        return []
    reader = _Reader(fragment)
    reader.question("?")
    reader.container(fragment)
    return reader.records[0][1]


# --- what the page says of itself ----------------------------------------------------


def _metas(tree: LexborHTMLParser) -> dict[str, str]:
    metas: dict[str, str] = {}
    for meta in tree.css("meta[content]"):
        attrs = meta.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        content = attrs.get("content")
        if key and content:
            metas.setdefault(key.strip().lower(), content.strip())
    return metas


def _source_url(
    tree: LexborHTMLParser, metas: Mapping[str, str], linked: LinkedData
) -> str | None:
    for link in tree.css("link[rel][href]"):
        rel = (link.attributes.get("rel") or "").lower().split()
        href = (link.attributes.get("href") or "").strip()
        if "canonical" in rel and href.startswith(("http://", "https://")):
            return href
    og = metas.get("og:url", "")
    if og.startswith(("http://", "https://")):
        return og
    for node in (*linked.articles, *linked.pages):
        if found := node_url(node):
            return found
    return None


def _title(
    tree: LexborHTMLParser, metas: Mapping[str, str], linked: LinkedData
) -> str | None:
    candidates = [metas.get("og:title")]
    candidates += [n.get("headline") for n in linked.articles]
    title = tree.css_first("title")
    candidates.append(title.text(deep=True) if title is not None else None)
    h1 = tree.css_first("h1")
    candidates.append(h1.text(deep=True) if h1 is not None else None)
    for candidate in candidates:
        if isinstance(candidate, str) and (text := clean(candidate)):
            return text
    return None


_TITLE_SEPARATOR = re.compile(r"\s+[|\u2013\u2014:-]{1,2}\s+")
MIN_TITLE_KEY_CHARS = 12


def _title_keys(
    tree: LexborHTMLParser, metas: Mapping[str, str], linked: LinkedData
) -> frozenset[str]:
    """The page's headline in the forms a title heading may take (see _key)."""
    candidates = [metas.get("og:title"), metas.get("twitter:title")]
    candidates += [n.get("headline") for n in linked.articles]
    title = tree.css_first("title")
    if title is not None:
        candidates += _TITLE_SEPARATOR.split(title.text(deep=True))
    keys = {_key(c) for c in candidates if isinstance(c, str)}
    return frozenset(k for k in keys if len(k) >= MIN_TITLE_KEY_CHARS)


def _key(text: str) -> str:
    return "".join(char for char in text.casefold() if char.isalnum())


_MODIFIED = re.compile(r"modif|update|aktualisiert|geändert", re.IGNORECASE)


def _published(
    linked: LinkedData,
    metas: Mapping[str, str],
    root: LexborNode,
    body: LexborNode,
    urls: Iterable[str | None],
    tz: Any,
) -> date:
    """The publication day by the contract's precedence; never dateModified."""
    for node in (*linked.articles, *linked.pages):
        value = node.get("datePublished")
        if isinstance(value, str) and (found := day_of(value, tz)):
            return found
    for key in ("article:published_time", "datepublished", "og:published_time"):
        if (value := metas.get(key)) and (found := day_of(value, tz)):
            return found
    if found := _time_element(root, tz):
        return found
    for key in (
        "date",
        "pubdate",
        "publishdate",
        "dc.date.issued",
        "dc.date.created",
        "dc.date",
    ):
        if (value := metas.get(key)) and (found := day_of(value, tz)):
            return found
    for scope in (root, body):
        if found := stand_day(scope.text(deep=True, separator=" ")):
            return found
    if found := _dated_element(root):
        return found
    for url in urls:
        if url and (found := url_day(url)):
            return found
    raise NoPublicationDate(
        "no publication date: no JSON-LD datePublished, no article:published_time, "
        "no <time datetime> in the article, no visible 'Stand: DD.MM.YYYY' and "
        "no date in the URL"
    )


def _article_of(root: LexborNode) -> LexborNode:
    """The <article> a node lies in (its header holds the standfirst and the
    date, outside the article's body), or the node itself."""
    up: LexborNode | None = root
    while up is not None and up.tag not in ("article", "body"):
        up = up.parent
    return up if up is not None and up.tag == "article" else root


def _time_element(root: LexborNode, tz: Any) -> date | None:
    times = [t for t in root.css("time") if not _in_noise(t, root)]
    times.sort(
        key=lambda t: (
            not (
                t.attributes.get("itemprop") == "datePublished"
                or "pubdate" in t.attributes
            )
        )
    )
    for node in times:
        attrs = node.attributes
        marks = f"{attrs.get('itemprop') or ''} {attrs.get('class') or ''}"
        if _MODIFIED.search(marks) or _MODIFIED.search(_label(node)):
            continue
        value = attrs.get("datetime")
        found = day_of(value, tz) if value else german_day(node.text(deep=True))
        if found:
            return found
    return None


# The words of an element that shows the article's date ("artikel_datum").
_DATED = re.compile(r"dat(?:e|um)|publi|erschien|veroeffentlich|meta")
_MASTHEAD = ("kopf", "masthead", "topbar")


def _dated_element(root: LexborNode) -> date | None:
    """The German date of a short element so named in the article, not in the
    page's header (an old site's masthead shows today's date there)."""
    for node in root.css("[class], [id]"):
        words = _words(node)
        if not _DATED.search(words) or _MODIFIED.search(words):
            continue
        text = node.text(deep=True)
        if len(text) > 120 or _MODIFIED.search(text) or _in_noise(node, root):
            continue
        if any(_at_top(up) for up in _ancestors(node, root)):
            continue
        if found := german_day(text):
            return found
    return None


def _at_top(node: LexborNode) -> bool:
    """The page's header or masthead; an article's own <header> is not."""
    words = _words(node)
    if any(top in words for top in _MASTHEAD):
        return True
    if node.tag == "header" or "header" in words:
        up = node.parent
        while up is not None and up.tag not in ("article", "main"):
            up = up.parent
        return up is None
    return False


def _ancestors(node: LexborNode, root: LexborNode) -> Iterator[LexborNode]:
    parent = node.parent
    while parent is not None and parent.mem_id != root.mem_id:
        yield parent
        parent = parent.parent


def _label(node: LexborNode) -> str:
    """The visible words just before an element ("Aktualisiert:", "Stand")."""
    before = node.prev
    while (
        before is not None
        and before.tag == "-text"
        and not (before.text_content or "").strip()
    ):
        before = before.prev
    if before is None:
        return ""
    text = before.text_content if before.tag == "-text" else before.text(deep=True)
    return (text or "")[-40:]


def _in_noise(node: LexborNode, root: LexborNode) -> bool:
    return any(
        up.tag in ("aside", "nav", "footer")
        or ((words := _words(up)) and noise(words, up.tag or "") == "strong")
        for up in _ancestors(node, root)
    )
