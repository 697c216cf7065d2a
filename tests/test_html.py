"""The HTML reader against docs/html.md: every test page, the date and charset rules, properties."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service import errors
from service.parsing import is_heading, parse_article
from service.parsing.html import (
    ExtractedPage,
    clean,
    extract_article,
    is_question,
    unheaded,
)

PAGES = Path(__file__).parent / "pages"
ENTRIES = json.loads((PAGES / "pages.json").read_text(encoding="utf-8"))


def page(
    body: str, head: str = "", *, url: str | None = None, **kwargs
) -> ExtractedPage:
    """A small page whose only question is 'Was nun?' unless `body` says otherwise."""
    html = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head>"
        f"<body><main><article>{body}</article></main></body></html>"
    )
    return extract_article(html.encode("utf-8"), url=url, **kwargs)


QA = "<h2>Was nun?</h2><p>Eine Antwort.</p>"
DATED = "<meta property='article:published_time' content='2026-02-12'>"


# --- every test page ------------------------------------------------------------------


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["name"] for e in ENTRIES])
def test_page(entry) -> None:
    raw = (PAGES / f"{entry['name']}.html").read_bytes()
    read = lambda: extract_article(  # noqa: E731
        raw, content_type=entry["content_type"], url=entry["url"]
    )
    if "error" in entry:
        with pytest.raises(getattr(errors, entry["error"])) as caught:
            read()
        assert caught.value.status == 422 and caught.value.detail
        return
    extracted = read()
    assert extracted.text == (PAGES / f"{entry['name']}.expected.txt").read_text(
        encoding="utf-8"
    )
    assert extracted.published.isoformat() == entry["published"]
    assert extracted.source_url == entry["source_url"]
    assert extracted.title == entry["title"]
    parsed = parse_article(extracted.text.encode("utf-8"), source=entry["name"])
    assert parsed.published == extracted.published
    assert parsed.warnings == ()


@pytest.mark.parametrize("name", ["tagesschau-bahnstreik", "tagesschau-grundsteuer"])
def test_the_amp_copy_is_the_same_article(name: str) -> None:
    normal = extract_article((PAGES / f"{name}.html").read_bytes())
    amp = extract_article((PAGES / f"{name}-amp.html").read_bytes())
    assert amp.text == normal.text
    assert amp.source_url == normal.source_url


def test_pages_are_many_and_of_many_kinds() -> None:
    accepted = [e for e in ENTRIES if "error" not in e]
    kinds = {e["name"].split("-")[0] for e in accepted}
    assert len(accepted) >= 25 and len(kinds) >= 8


# --- questions and answers ------------------------------------------------------------


def records(text: str) -> list[tuple[str, tuple[str, ...]]]:
    article = parse_article(text.encode("utf-8"), source="t")
    return [(r.question, r.paragraphs) for r in article.records]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<h3>Was nun?</h3><p>A.</p>", [("Was nun?", ("A.",))]),
        ("<p><strong>Was nun?</strong></p><p>A.</p>", [("Was nun?", ("A.",))]),
        ("<p><b>Was nun?</b><br>A.</p><p>B.</p>", [("Was nun?", ("A.", "B."))]),
        (
            "<details><summary>Was nun?</summary><p>A.</p></details><p>Danach.</p>",
            [("Was nun?", ("A.",))],
        ),
        (
            "<dl><dt>Was nun?</dt><dd>A.</dd><dt>Und dann?</dt><dd><p>B.</p></dd></dl>",
            [("Was nun?", ("A.",)), ("Und dann?", ("B.",))],
        ),
        (
            "<h2>Was nun?</h2><ul><li>eins</li><li>zwei</li></ul>",
            [("Was nun?", ("eins; zwei",))],
        ),
        (
            "<h2>Was nun?</h2><ol><li>Eins.</li><li>Zwei.</li></ol>",
            [("Was nun?", ("Eins. Zwei.",))],
        ),
        (
            "<h2>Was nun?</h2><blockquote>Zitat.</blockquote>",
            [("Was nun?", ("Zitat.",))],
        ),
        # a non-question heading ends the answer; its paragraphs belong to no question
        (
            "<h2>Was nun?</h2><p>A.</p><h2>Hintergrund</h2><p>B.</p>",
            [("Was nun?", ("A.",))],
        ),
        # a question without answer is left out; a teaser headline in a link is no question
        ("<h2>Was nun?</h2><h2>Was dann?</h2><p>A.</p>", [("Was dann?", ("A.",))]),
        (
            "<a href='/x'><h2>Was nun?</h2><p>Teaser.</p></a><h2>Was dann?</h2><p>A.</p>",
            [("Was dann?", ("A.",))],
        ),
        (
            "<h2><a href='/x'>Was nun?</a></h2><p>T.</p><h2><a href='#q'>Was dann?</a></h2><p>A.</p>",
            [("Was dann?", ("A.",))],
        ),
        # the h1 is the title, not a question
        (
            "<h1>Was ist los?</h1><p>Vorspann.</p><h2>Was nun?</h2><p>A.</p>",
            [("Was nun?", ("A.",))],
        ),
        # a box's question and a caption are not the article's
        (
            "<h2>Was nun?</h2><p>A.</p><div class='contact-box'><h3>Sie haben Fragen?</h3><p>Mail.</p></div>",
            [("Was nun?", ("A.",))],
        ),
        (
            "<h2>Was nun?</h2><figure><img src=x><figcaption>Wer ist das?</figcaption></figure><p>A.</p>",
            [("Was nun?", ("A.",))],
        ),
        (
            "<h2>Noch Fragen?</h2><p>Rufen Sie an.</p><h2>Was nun?</h2><p>A.</p>",
            [("Was nun?", ("A.",))],
        ),
        (
            "<h2>Was nun?</h2><p>A.</p><div class='box'><h3>Sie lesen gern die"
            " Zeitung?</h3><p>Dann unterstützen Sie uns.</p></div>",
            [("Was nun?", ("A.",))],
        ),
        (
            "<h2>Was nun?</h2><p>A.</p><div class='box'><h3>Hören Sie gern"
            " Podcasts?</h3><p>Dann abonnieren Sie uns.</p></div>",
            [("Was nun?", ("A.",))],
        ),
        # a line break in the source is a space; an author's initials are furniture
        (
            "<h2>Was nun?</h2><p>eins\nzwei</p><p>(ph)</p>",
            [("Was nun?", ("eins zwei",))],
        ),
        # an accordion's icon hidden from screen readers is not the question's text
        (
            "<details><summary><span>Was nun?</span><span aria-hidden='true'>+</span>"
            "</summary><p>A.</p></details>",
            [("Was nun?", ("A.",))],
        ),
        # an accordion's toggle outside a heading (Elementor), a bare toggle button
        (
            "<div class='elementor-widget elementor-widget-toggle'><div"
            " class='elementor-tab-title' role='button' aria-controls='t1'>"
            "<a class='elementor-toggle-title'>Was nun?</a></div><div id='t1'"
            " role='region'><p>A.</p></div></div>",
            [("Was nun?", ("A.",))],
        ),
        (
            "<div class='faq'><button aria-expanded='false'>Was nun?</button>"
            "<div><p>A.</p></div></div><button aria-expanded='false'>Menü</button>",
            [("Was nun?", ("A.",))],
        ),
        # a figure that holds a table is the table
        (
            "<h2>Was gilt?</h2><p>So:</p><figure class='wp-block-table'><table><tr>"
            "<td>Fahrausweise</td><td>nein</td></tr></table>"
            "<figcaption>Quelle: BMF</figcaption></figure>",
            [("Was gilt?", ("So:", "Fahrausweise nein"))],
        ),
        # two <br> break a paragraph, one does not
        (
            "<h2>Was nun?</h2><div>Erste Zeile<br>gleicher Absatz.<br><br>Zweiter.</div>",
            [("Was nun?", ("Erste Zeile gleicher Absatz.", "Zweiter."))],
        ),
        # a table is one paragraph, its rows joined, also without <tbody>
        (
            "<h2>Wann ist offen?</h2><table><tr><td>Montag</td><td>11 Uhr</td></tr>"
            "<tr><td>Sonntag</td><td>12 Uhr</td></tr></table>",
            [("Wann ist offen?", ("Montag 11 Uhr; Sonntag 12 Uhr",))],
        ),
        # a heading's permalink, before or after its text, is not its text
        (
            "<h2 id='q'><a href='#q' aria-hidden='true'>#</a>Was nun?</h2><p>A.</p>",
            [("Was nun?", ("A.",))],
        ),
        (
            "<h2 id='q'>Was nun?<a class='headerlink' href='#q'>¶</a></h2><p>A.</p>",
            [("Was nun?", ("A.",))],
        ),
        # the accessible accordion: a button in a heading opens a region
        (
            "<h3><button aria-expanded='false' aria-controls='p1'>Was nun?</button></h3>"
            "<div id='p1' role='region' hidden><p>A.</p></div>",
            [("Was nun?", ("A.",))],
        ),
        # a source line, an agency credit and a box labelled as an ad are furniture
        (
            "<h2>Was nun?</h2><p>A.</p><p>Quelle: ZDF, dpa</p><p><i>RND/dpa</i></p>",
            [("Was nun?", ("A.",))],
        ),
        (
            "<h2>Was nun?</h2><p>A.</p><div class='css-8jj1ns'><span>Anzeige</span>"
            "<p>Jetzt Strompreise vergleichen und sparen.</p></div><p>B.</p>",
            [("Was nun?", ("A.", "B."))],
        ),
        # list items ending in a comma read on
        (
            "<h2>Wer nicht?</h2><ul><li>Beamte,</li><li>Minijobber.</li></ul>",
            [("Wer nicht?", ("Beamte, Minijobber.",))],
        ),
        # a dotted day and month end no sentence in a heading
        (
            "<h2>Was passiert am 24.2. in Brüssel?</h2><p>A.</p>",
            [("Was passiert am 24.2. in Brüssel?", ("A.",))],
        ),
    ],
)
def test_questions_and_answers(body: str, expected) -> None:
    assert records(page(body, DATED).text) == expected


def test_json_ld_in_a_cdata_wrapper_is_read() -> None:
    data = json.dumps({"@type": "NewsArticle", "datePublished": "2025-01-09"})
    head = f"<script type='application/ld+json'>//<![CDATA[\n{data}\n//]]></script>"
    assert page(QA, head).published == date(2025, 1, 9)


def test_a_byline_and_a_players_line_are_no_lead_a_sentence_with_von_is() -> None:
    text = page(
        "<p>Artikel anhören · 4 Min.</p><p>Von Anna Muster und Ben Beispiel ·"
        " 27.08.2025, 13.41 Uhr</p><p>Von Anna Muster · 27. August 2025</p>"
        "<p>Von den Plänen ist wenig übrig.</p>" + QA,
        DATED,
    ).text
    assert "anhören" not in text
    assert "Anna Muster" not in text
    assert "Von den Plänen ist wenig übrig." in text


def test_a_time_labelled_as_the_update_is_not_the_publication() -> None:
    body = (
        "<p>Aktualisiert: <time datetime='2025-01-10T08:00:00+01:00'>10.01.</time>"
        " Erstellt: <time datetime='2025-01-09T14:00:00+01:00'>09.01.</time></p>"
    )
    assert page(body + QA).published == date(2025, 1, 9)


def test_the_articles_own_teaser_is_its_lead_and_may_hold_its_date() -> None:
    lead = "Am Dienstag beginnt in Bayern das neue Schuljahr für 1,7 Millionen Kinder."
    extracted = page(
        "<div class='cssBoxTeaserIntro'><time datetime='2025-01-09T14:20:00+01:00'>"
        f"9. Januar</time><h1>Titel</h1></div><p class='article__teaser'>{lead}</p>"
        "<div class='teaser-list'><time datetime='2024-05-01'>1. Mai</time>"
        "<a href='/x'><h3>Was war?</h3></a></div>" + QA
    )
    assert extracted.published == date(2025, 1, 9)
    assert lead in extracted.text
    assert "Was war?" not in extracted.text


def test_a_teaser_box_without_link_or_heading_is_the_articles_own() -> None:
    lead = "Ein Brief vom Inkassobüro macht vielen Menschen Angst, zu Unrecht."
    text = page(
        f"<div class='header-teaser'><p>{lead}</p></div>"
        "<div class='teaser'><p>Ein anderer Text, der hierher verlinkt.</p>"
        "<a href='/x'>mehr</a></div>" + QA,
        DATED,
    ).text
    assert lead in text
    assert "anderer Text" not in text


@pytest.mark.parametrize(
    "box",
    [
        # an image box with its caption and credit, beside the image or around it
        "<div class='absatzbild'><div class='absatzbild__media'><picture><img src=x>"
        "</picture></div><div class='absatzbild__info'><p>Strommasten vor einem"
        " Umspannwerk: Die Netzkosten sind je nach Region sehr unterschiedlich.</p>"
        "<span>Bild: dpa</span></div></div>",
        "<div class='mediaCon'><img src=x><div class='mediaInfo'><p class='subtitle'>"
        "Eine Hausärztin in Halle impft einen Patienten gegen Grippe.</p></div></div>",
        # a layout table of an image and its caption cell
        "<table class='layout'><tr><td><img src=x></td></tr><tr><td"
        " class='bildunterschrift'>Reifenwechsel in einer Werkstatt in Villingen:"
        " Im November wird es eng.</td></tr></table>",
        # a summary box (role=note) and an audio player are beside the article
        "<div role='note'><h2>Das Wichtigste</h2><ul><li>Der Mindestlohn steigt"
        " 2026 auf 13,90 Euro pro Stunde.</li></ul></div>",
        "<div class='audioplayer'><span>03:42 Min.</span> <span>Diese Audioversion"
        " wurde künstlich erzeugt.</span></div>",
        # furniture: a timestamp line with the reading time, an affiliate notice
        "<p>Aktualisiert am 21.11.2025 - 08:03 Uhr Lesedauer: 3 Min.</p>",
        "<p>Aktualisiert am 1. April 2025, 14:20 Uhr: Die Angaben wurden ergänzt.</p>",
        "<div class='wp-block-group'><p><strong>Transparenz:</strong> Dieser Beitrag"
        " enthält Affiliate-Links. Kaufen Sie über einen solchen Link, erhalte ich"
        " eine Provision.</p></div>",
    ],
)
def test_captions_and_furniture_are_no_lead(box: str) -> None:
    lead = "Die Preise steigen zum Jahreswechsel in fast allen Regionen deutlich."
    text = page(f"<p>{lead}</p>{box}" + QA, DATED).text
    assert text == f"date 2026-02-12\n\n{lead}\n\nWas nun?\n\nEine Antwort.\n"


def test_an_answer_with_an_illustration_keeps_its_text() -> None:
    # Only a box named for an image is an image box.
    text = page(
        "<h2>Was nun?</h2><div class='answer'><p>Kurz gesagt: nichts.</p>"
        "<img src='chart.png'></div>",
        DATED,
    ).text
    assert records(text) == [("Was nun?", ("Kurz gesagt: nichts.",))]


def test_a_content_wrapper_named_paywall_is_the_article() -> None:
    # A paywall box is small; a site may name the wrapper of the article so.
    text = page(
        "<div class='body-elements paywall'><h3><button>Was nun?</button></h3>"
        "<div><p>Eine lange Antwort, die den größten Teil des Textes ausmacht.</p>"
        "</div></div><div class='paywall-box'><p>Jetzt weiterlesen mit F+.</p></div>",
        DATED,
    ).text
    assert records(text) == [
        ("Was nun?", ("Eine lange Antwort, die den größten Teil des Textes ausmacht.",))
    ]


def test_a_byline_with_its_date_is_no_lead_and_an_elementor_widget_is_text() -> None:
    lead = "Der Kreis hat die Sperrzone nach einem weiteren Fund erweitert."
    text = page(
        "<div class='info'><span>Stefanie Huber</span> <span>Freitag, 20. Dezember"
        " 2024, 06:00 Uhr</span></div><div class='elementor-widget"
        f" elementor-widget-text-editor' data-element_type='widget'><p>{lead}</p>"
        "</div>" + QA + "<p>" + "Mehr Text der Antwort. " * 20 + "</p>",
        DATED,
    ).text
    assert text.startswith(f"date 2026-02-12\n\n{lead}\n\nWas nun?")


def test_an_element_named_for_the_date_dates_the_article_not_the_masthead() -> None:
    html = (
        "<html><body><div id='kopf'><div id='kopf_datum'>Mittwoch, 3. Dezember"
        " 2025</div></div><div class='artikel'><h1>Titel</h1>"
        "<div class='artikel_datum'>12. November 2025 | Von Anna Muster</div>"
        "<p><b>Was nun?</b></p><p>Eine Antwort.</p></div></body></html>"
    )
    assert extract_article(html.encode()).published == date(2025, 11, 12)
    updated = html.replace("artikel_datum'>", "artikel_datum'>Aktualisiert ")
    with pytest.raises(errors.NoPublicationDate):
        extract_article(updated.encode())


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("<p class='detail-date'>Veröffentlicht: 03.02.2025 - 17:45 Uhr</p>", 3),
        ("<p>Erstellt: 03.02.2025 | Zuletzt geändert: 12.06.2025</p>", 3),
        ("<p class='meta'>Neckarblatt, 3. Februar 2025, 06:00 Uhr | Von A. B.</p>", 3),
    ],
)
def test_a_visible_publication_line_dates_the_article(line: str, expected: int) -> None:
    # In the article's own <header>, which the page's header is not.
    html = f"<html><body><article><header>{line}</header>{QA}</article></body></html>"
    assert extract_article(html.encode()).published == date(2025, 2, expected)


@pytest.mark.parametrize(
    "box",
    [
        # a gallery: its label, counter and captions
        "<div class='gallery'><div><span>Bildergalerie</span> <span>1 / 2</span></div>"
        "<ul><li><img src=x><p>Leere Kartuschen auf einem Parkplatz.</p></li>"
        "<li><img src=y><p>Ein Automat am Bahnhof.</p></li></ul></div>",
        # a video box with its title and length
        "<div class='video-embed'><img src=x><p>Wie läuft die Suche?</p>"
        "<p>03:05 Min.</p><p>Eine Ingenieurin erzählt von ihrer Stelle.</p></div>",
        # a box that is a label and a link
        "<div class='download-box'><p>Download-Tipp</p><a href='/dl/check.html'>"
        "<img src=x><span>PC-Prüfung</span> <span>Windows · kostenlos</span></a></div>",
        # a broadcast's line and a disclaimer
        "<p class='detail-broadcast'>Sendung am Mo., 3.2.2025 18:00 Uhr, SW3 Aktuell"
        "</p>",
        "<p>Hinweis: Dieser Artikel enthält allgemeine Informationen und ersetzt keine"
        " ärztliche Beratung.</p>",
    ],
)
def test_boxes_and_lines_beside_an_answer_are_not_in_it(box: str) -> None:
    text = page(f"<h2>Was nun?</h2><p>Eine Antwort.</p>{box}", DATED).text
    assert records(text) == [("Was nun?", ("Eine Antwort.",))]


def test_a_quote_box_and_a_legend_in_an_answer_are_part_of_it() -> None:
    text = page(
        "<h2>Was nun?</h2><p>Ruhe bewahren.</p><figure class='quote-box'><div>Zitat"
        "</div><blockquote><p>„Lassen Sie sich nicht drängen.“</p></blockquote>"
        "<figcaption>Petra Honsel, Verbraucherzentrale</figcaption></figure>"
        "<p>Die Urteile bedeuten:</p><dl class='ratings-legend'><dt>Gut</dt>"
        "<dd>Mehr als drei Minuten.</dd><dt>Mangelhaft</dt><dd>Unter einer Minute."
        "</dd></dl>",
        DATED,
    ).text
    assert records(text) == [
        (
            "Was nun?",
            (
                "Ruhe bewahren.",
                "„Lassen Sie sich nicht drängen.“",
                "Die Urteile bedeuten:",
                "Gut Mehr als drei Minuten. Mangelhaft Unter einer Minute.",
            ),
        )
    ]


def test_the_lead_ends_at_the_first_heading() -> None:
    # A summary box under its own heading comes after the lead.
    lead = "Ab April gilt beim Elterngeld eine niedrigere Einkommensgrenze für Paare."
    text = page(
        f"<p>{lead}</p><div class='summary-box'><h2>Das Wichtigste in Kürze</h2>"
        "<ul><li>Die Grenze sinkt auf 175.000 Euro.</li></ul></div>" + QA,
        DATED,
    ).text
    assert text == f"date 2026-02-12\n\n{lead}\n\nWas nun?\n\nEine Antwort.\n"


def test_a_short_answer_beside_a_link_is_no_link_box() -> None:
    text = page(
        "<h2>Was nun?</h2><div class='antwort'><p>Ja.</p><p><a href='/form.pdf'>"
        "Zum Antragsformular des Finanzamts (PDF)</a></p></div>",
        DATED,
    ).text
    assert records(text) == [("Was nun?", ("Ja.",))]


def test_a_rule_does_not_end_the_lead() -> None:
    first = "Die Preise steigen zum Jahreswechsel in fast allen Regionen deutlich."
    second = "Wer jetzt wechselt, spart im Schnitt mehr als hundert Euro im Jahr."
    text = page(
        f"<p>{first}</p><hr><p>{second}</p>" + QA,
        DATED,
    ).text
    assert text.startswith(f"date 2026-02-12\n\n{first}\n\n{second}\n\nWas nun?")


def test_the_articles_header_gives_its_standfirst_and_date() -> None:
    # The body is the deepest content root; its article's header is the story's.
    standfirst = (
        "Das Deutschlandticket wird erneut teurer: Ab Januar kostet es 63 Euro."
    )
    html = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><main>"
        "<article><header><h1>Was die Erhöhung bedeutet</h1>"
        f"<div class='summary' itemprop='description'>{standfirst}</div>"
        "<div class='metadata'><time datetime='2025-09-18T17:41:23+02:00'>18."
        " September 2025</time></div></header><div itemprop='articleBody'>"
        "<p>Die Länder haben sich am Donnerstag auf eine Preiserhöhung geeinigt.</p>"
        "<h2>Was nun?</h2><p>Eine Antwort.</p></div></article></main></body></html>"
    )
    found = extract_article(html.encode())
    assert found.published == date(2025, 9, 18)
    assert found.text.startswith(f"date 2025-09-18\n\n{standfirst}\n\nDie Länder")


def test_accordion_buttons_in_a_list_are_questions() -> None:
    text = page(
        "<ul class='faq'><li><button aria-expanded='false' aria-controls='p1'>"
        "<span>Wann muss ich mich melden?</span></button><div id='p1'><p>Früh.</p>"
        "</div></li><li><button aria-expanded='false' aria-controls='p2'>Wo?"
        "</button><div id='p2'><p>Online.</p></div></li></ul>",
        DATED,
    ).text
    assert records(text) == [
        ("Wann muss ich mich melden?", ("Früh.",)),
        ("Wo?", ("Online.",)),
    ]


def test_an_answer_paragraph_that_reads_as_a_heading_is_joined() -> None:
    text = page(
        "<h2>Was nun?</h2><p>Erstens.</p><p>Und dann?</p><p>Zweitens.</p>"
        "<h2>Was dann?</h2><p>Drittens.</p><p>Wer weiß?</p>"
        "<h2>Wer zahlt?</h2><p>Niemand?</p>",
        DATED,
    ).text
    assert records(text) == [
        ("Was nun?", ("Erstens.", "Und dann? Zweitens.")),
        ("Was dann?", ("Drittens. Wer weiß?",)),
    ]


def test_unheaded_leaves_no_heading() -> None:
    assert unheaded(["A?", "B?", "C."]) == ["A? B? C."]
    assert unheaded(["Dazu sagt er:", "Warum?"]) == []  # joined, still one question
    assert unheaded(["Er sagt: Nein.", "Warum?"]) == ["Er sagt: Nein. Warum?"]
    assert unheaded(["Warum?"]) == []


def test_the_heading_test_is_the_text_readers() -> None:
    for text in [
        "Was nun?",
        "Was gilt ab 1. Juli?",
        "Wie geht es weiter, z. B. in Paris?",
    ]:
        assert is_question(text) and is_heading(text)
    for text in ["Erstens. Was nun?", "Stopp! Was nun?", "x" * 250 + "?", "Antwort."]:
        assert not is_question(text) and not is_heading(text)
    assert is_heading("Sie haben Fragen?") and not is_question("Sie haben Fragen?")


def test_text_is_cleaned() -> None:
    text = page(
        "<h2>Was&nbsp;gilt   für Mie&shy;ter?</h2>"
        "<p>Zu&shy;satz&#173;beitrag\u200b und &bdquo;Kassen&ldquo; &amp; mehr,\n  "
        "<b>fett</b>.</p>",
        DATED,
    ).text
    assert records(text) == [
        ("Was gilt für Mieter?", ("Zusatzbeitrag und „Kassen“ & mehr, fett.",))
    ]
    assert clean(" a\u00a0\tb \u2060c\x07 ") == "a b c"


def test_faqpage_json_ld_when_the_page_shows_no_question() -> None:
    faq = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "FAQPage",
                "datePublished": "2026-02-12",
                "mainEntity": [{"@id": "#q1"}],
            },
            {
                "@type": "Question",
                "@id": "#q1",
                "name": "Was nun?",
                "acceptedAnswer": {
                    "@type": "Answer",
                    "text": "Eins.\n\nZwei &amp; drei.",
                },
            },
        ],
    }
    head = f"<script type='application/ld+json'>{json.dumps(faq)}</script>"
    assert records(page("<div id='app'></div>", head).text) == [
        ("Was nun?", ("Eins.", "Zwei &amp; drei."))
    ]
    # the visible questions win over the structured data
    assert records(page("<h2>Was dann?</h2><p>A.</p>", head).text) == [
        ("Was dann?", ("A.",))
    ]


# --- publication date ------------------------------------------------------------------


def ld(**node) -> str:
    return f"<script type='application/ld+json'>{json.dumps(node)}</script>"


@pytest.mark.parametrize(
    ("head", "body", "url", "expected"),
    [
        (
            ld(
                **{
                    "@type": "NewsArticle",
                    "datePublished": "2026-02-10",
                    "dateModified": "2026-02-14",
                }
            )
            + DATED,
            "<time datetime='2026-02-01'>1.2.</time>",
            None,
            date(2026, 2, 10),
        ),
        (
            ld(
                **{
                    "@graph": [
                        {
                            "@type": "ReportageNewsArticle",
                            "datePublished": "2026-02-09T10:00:00+01:00",
                        }
                    ]
                }
            ),
            "",
            None,
            date(2026, 2, 9),
        ),
        (
            ld(**{"@type": "WebPage", "datePublished": "2026-02-08"}),
            "",
            None,
            date(2026, 2, 8),
        ),
        (
            ld(**{"@type": "NewsArticle", "dateModified": "2026-02-14"}) + DATED,
            "",
            None,
            date(2026, 2, 12),
        ),
        (
            "",
            "<time datetime='2026-02-13T10:00'>x</time><p>Stand: 01.01.2026</p>",
            None,
            date(2026, 2, 13),
        ),
        (
            "",
            "<time class='updated' datetime='2026-02-20'>x</time><time datetime='2026-02-13'>y</time>",
            None,
            date(2026, 2, 13),
        ),
        (
            "",
            "<div class='comments'><time datetime='2026-03-01'>x</time></div><p>Stand: 11.02.2026</p>",
            None,
            date(2026, 2, 11),
        ),
        ("", "<p>Stand: 12.02.2026 08:15 Uhr</p>", None, date(2026, 2, 12)),
        ("", "<p>Stand: 12. Februar 2026</p>", None, date(2026, 2, 12)),
        ("", "<p>Stand: 3. März 2026, 10 Uhr</p>", None, date(2026, 3, 3)),
        ("", "", "https://x.example/2026/02/12/fragen.html", date(2026, 2, 12)),
        ("", "", "https://x.example/fragen-2026-02-11.html", date(2026, 2, 11)),
        ("", "", "https://x.example/artikel/20260210-fragen", date(2026, 2, 10)),
    ],
)
def test_date_precedence(head: str, body: str, url: str | None, expected: date) -> None:
    assert page(QA + body, head, url=url).published == expected


@pytest.mark.parametrize(
    ("value", "timezone", "expected"),
    [
        ("2026-02-11T23:30:00Z", "Europe/Berlin", date(2026, 2, 12)),
        ("2026-02-11T23:30:00Z", "UTC", date(2026, 2, 11)),
        ("2026-02-12T00:30:00+01:00", "America/New_York", date(2026, 2, 11)),
        ("2026-06-30T22:30:00.000Z", "Europe/Berlin", date(2026, 7, 1)),
        ("2026-02-12T11:04:00+0100", "Europe/Berlin", date(2026, 2, 12)),
        ("2026-02-12T23:59:00", "UTC", date(2026, 2, 12)),
        ("2026-02-12", "Pacific/Kiritimati", date(2026, 2, 12)),
    ],
)
def test_a_timestamp_is_a_day_in_the_timezone(
    value: str, timezone: str, expected: date
) -> None:
    head = f"<meta property='article:published_time' content='{value}'>"
    assert page(QA, head, timezone=timezone).published == expected


def test_an_impossible_date_falls_through_to_the_next_source() -> None:
    head = "<meta property='article:published_time' content='2026-02-30'>"
    assert page(QA + "<p>Stand: 01.02.2026</p>", head).published == date(2026, 2, 1)


def test_no_date_is_an_error() -> None:
    with pytest.raises(errors.NoPublicationDate, match="no publication date"):
        page(QA, url="https://x.example/artikel/fragen.html")


def test_an_unknown_timezone_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="Mars/Olympus"):
        page(QA, DATED, timezone="Mars/Olympus")


# --- charsets and what is no HTML --------------------------------------------------------

WORDS = "Gebühr für „Zusatzbeiträge“ – 5 €"


def encoded(encoding: str, meta: str = "") -> bytes:
    html = f"<html><head>{meta}{DATED}</head><body><h2>Was nun?</h2><p>{WORDS}.</p></body></html>"
    return html.encode(encoding)


@pytest.mark.parametrize(
    ("raw", "content_type"),
    [
        (encoded("utf-8"), None),
        (encoded("utf-8"), "text/html; charset=UTF-8"),
        (b"\xef\xbb\xbf" + encoded("utf-8"), "text/html; charset=iso-8859-1"),
        (encoded("utf-16"), None),
        (encoded("cp1252"), "text/html; charset=windows-1252"),
        (encoded("cp1252"), 'text/html; charset="ISO-8859-1"'),
        (encoded("cp1252", "<meta charset='windows-1252'>"), None),
        (
            encoded(
                "cp1252",
                "<meta http-equiv='Content-Type' content='text/html; charset=iso-8859-1'>",
            ),
            "text/html",
        ),
        (encoded("cp1252"), None),
        (
            encoded("cp1252", "<meta charset='utf-8'>"),
            "text/html; charset=windows-1252",
        ),
    ],
    ids=[
        "utf8",
        "utf8-header",
        "bom-wins",
        "utf16-bom",
        "cp1252-header",
        "latin1-label",
        "meta-charset",
        "meta-http-equiv",
        "cp1252-fallback",
        "header-beats-meta",
    ],
)
def test_charsets(raw: bytes, content_type: str | None) -> None:
    extracted = extract_article(raw, content_type=content_type)
    assert records(extracted.text) == [("Was nun?", (f"{WORDS}.",))]


def test_bytes_invalid_in_the_declared_charset_are_an_error_with_their_line() -> None:
    raw = b"<html><head><meta charset='utf-8'></head>\n<body><p>Gr\xfc\xdfe</p></body></html>"
    with pytest.raises(errors.UndecodableHtml, match="line 2: byte 0xfc") as caught:
        extract_article(raw)
    assert caught.value.line == 2


@pytest.mark.parametrize(
    ("raw", "content_type", "message"),
    [
        (b"", None, "empty"),
        (b"  \n ", "text/html", "empty"),
        (b"%PDF-1.4\n...", None, "PDF"),
        (b"<html>" + encoded("utf-8"), "application/pdf", "media type"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "text/html", "binary"),
        (b"date 2026-02-12 Was nun?\n\nEine Antwort.\n", None, "no HTML markup"),
    ],
)
def test_not_html(raw: bytes, content_type: str | None, message: str) -> None:
    with pytest.raises(errors.NotHtml, match=message) as caught:
        extract_article(raw, content_type=content_type)
    assert caught.value.to_problem()["status"] == 422


def test_no_question_is_an_error() -> None:
    with pytest.raises(errors.NoQuestionFound, match="no question"):
        page("<h2>Hintergrund</h2><p>Was nun? Das weiß keiner.</p>", DATED)


def test_source_url_precedence() -> None:
    canonical = "<link rel='canonical' href='https://a.example/x'><meta property='og:url' content='https://b.example/x'>"
    assert (
        page(QA, DATED + canonical, url="https://c.example").source_url
        == "https://a.example/x"
    )
    assert (
        page(QA, DATED + canonical[46:], url="https://c.example").source_url
        == "https://b.example/x"
    )
    node = ld(
        **{
            "@type": "NewsArticle",
            "datePublished": "2026-02-12",
            "mainEntityOfPage": {"@id": "https://d.example/x"},
        }
    )
    assert page(QA, node, url="https://c.example").source_url == "https://d.example/x"
    assert page(QA, DATED, url="https://c.example").source_url == "https://c.example"
    assert page(QA, DATED).source_url is None


# --- properties --------------------------------------------------------------------------

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüßABCDÄÖÜ", min_size=1, max_size=9)
PUNCT = st.sampled_from(
    ["", ".", "?", "!", ":", ",", " z. B.", " 1.", "\u00ad", "&nbsp;", "&amp;", "?!"]
)
SENTENCE = st.lists(st.tuples(WORD, PUNCT), min_size=1, max_size=12).map(
    lambda words: " ".join(w + p for w, p in words)
)
BLOCK = st.one_of(
    st.builds(lambda t: f"<h2>{t}</h2>", SENTENCE),
    st.builds(lambda t: f"<h3>{t}?</h3>", SENTENCE),
    st.builds(lambda t: f"<p>{t}</p>", SENTENCE),
    st.builds(lambda t: f"<p>{t}?</p>", SENTENCE),
    st.builds(lambda t: f"<p><strong>{t}?</strong></p>", SENTENCE),
    st.builds(lambda t, u: f"<p><b>{t}?</b><br>{u}</p>", SENTENCE, SENTENCE),
    st.builds(lambda a, b: f"<ul><li>{a}</li><li>{b}?</li></ul>", SENTENCE, SENTENCE),
    st.builds(
        lambda q, a: f"<details><summary>{q}?</summary>{a}</details>",
        SENTENCE,
        SENTENCE,
    ),
    st.builds(lambda q, a: f"<dl><dt>{q}?</dt><dd>{a}</dd></dl>", SENTENCE, SENTENCE),
    st.builds(lambda t: f"<div>{t}<br><br>{t}?</div>", SENTENCE),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(BLOCK, min_size=1, max_size=12))
def test_any_extracted_text_parses_and_keeps_its_questions(blocks: list[str]) -> None:
    try:
        extracted = page("".join(blocks), DATED)
    except errors.NoQuestionFound:
        return
    article = parse_article(extracted.text.encode("utf-8"), source="p")
    assert article.published == date(2026, 2, 12)
    assert article.records and article.warnings == ()
    lines = [line for line in extracted.text.split("\n")[1:] if line]
    questions = [line for line in lines if is_heading(line)]
    assert [r.question for r in article.records] == questions
    assert all(r.paragraphs for r in article.records)
    assert "\u00ad" not in extracted.text and "&nbsp;" not in extracted.text
