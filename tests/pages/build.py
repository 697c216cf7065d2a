"""Write the test pages: each article of articles.py in the markup of one kind of site.

    python tests/pages/build.py    (from the project root; rewrites tests/pages/)

Every page gets the chrome its kind of site has (navigation, teasers whose
headlines are questions, boxes, comments, captions, scripts) and an
`.expected.txt` holding the canonical text a correct reader must produce,
rendered from the article itself, not from any reader. pages.json lists each
page with its expected date, title, source URL, or the error it must raise.
"""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from service.parsing.text import is_heading  # noqa: E402
from tests.pages.articles import ARTICLES  # noqa: E402

e = html.escape


def paragraphs_of(
    article: dict[str, Any],
) -> tuple[list[str], list[tuple[str, list[str]]]]:
    return article["lead"], article["qa"]


# --- the expected text ------------------------------------------------------------


def one_line(paragraph: str) -> str:
    """A list paragraph as the reader renders it: items joined on one line."""
    if not paragraph.startswith("* "):
        return paragraph
    items = [item.removeprefix("* ").strip() for item in paragraph.split("\n")]
    out = items[0]
    for item in items[1:]:
        out += (" " if out[-1] in ".!?:;\u2026" else "; ") + item
    return out


def unheaded(paragraphs: list[str]) -> list[str]:
    """Merge a paragraph that would read as a heading into its neighbour."""
    out = list(paragraphs)
    i = 0
    while i < len(out):
        if is_heading(out[i]):
            if len(out) == 1:
                return []
            if i + 1 < len(out):
                out[i : i + 2] = [out[i] + " " + out[i + 1]]
            else:
                out[i - 1 : i + 1] = [out[i - 1] + " " + out[i]]
                i -= 1
            continue
        i += 1
    return out


def expected_text(slug: str, day: str, *, with_lead: bool | list[str]) -> str:
    lead, qa = paragraphs_of(ARTICLES[slug])
    blocks = [f"date {day}"]
    if isinstance(with_lead, list):
        blocks += with_lead
    elif with_lead:
        blocks += unheaded([one_line(p) for p in lead])
    for question, answer in qa:
        paragraphs = unheaded([one_line(p) for p in answer])
        if paragraphs:
            blocks += [question, *paragraphs]
    return "\n\n".join(blocks) + "\n"


# --- shared chrome ------------------------------------------------------------------

TRACKING = """<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js',new Date());gtag('config','G-XYZ123');</script>
<script async src="https://cdn.example.net/consent/cmp.js"></script>
<style>.hidden{display:none}.teaser h3{font-size:1.1rem}body{margin:0;font-family:sans-serif}</style>"""

COOKIE = """<div id="cmp-banner" class="cmp-container" role="dialog" aria-label="Einwilligung">
<p>Wir verwenden Cookies und ähnliche Technologien. Sind Sie einverstanden?</p>
<button class="cmp-accept">Alle akzeptieren</button><button class="cmp-settings">Einstellungen</button>
</div>"""


def teaser_list(
    heading: str, items: list[tuple[str, str]], cls: str = "teaser-list"
) -> str:
    lis = "\n".join(
        f'<li class="teaser"><a href="{href}"><h3 class="teaser__headline">{e(title)}</h3>'
        f'<p class="teaser__text">Die Hintergründe im Überblick.</p></a></li>'
        for title, href in items
    )
    return f'<section class="{cls}"><h2>{e(heading)}</h2><ul>{lis}</ul></section>'


QUESTION_TEASERS = [
    ("Was bedeutet die Reform für Rentner?", "/wirtschaft/rente-reform-100.html"),
    ("Wie sicher ist das Sparbuch noch?", "/wirtschaft/sparbuch-zinsen-102.html"),
    ("Droht im Sommer ein Wassermangel?", "/wissen/klima/wasser-104.html"),
    ("Was tun, wenn der Flug ausfällt?", "/ratgeber/flug-ausfall-106.html"),
]


def main_nav(items: list[str], cls: str = "main-nav") -> str:
    lis = "".join(f'<li><a href="/{i.lower()}/">{i}</a></li>' for i in items)
    return f'<nav class="{cls}" aria-label="Hauptnavigation"><ul>{lis}</ul></nav>'


NAV_ITEMS = [
    "Startseite",
    "Inland",
    "Ausland",
    "Wirtschaft",
    "Wissen",
    "Sport",
    "Kultur",
    "Investigativ",
    "Faktenfinder",
    "Regional",
    "Wetter",
    "Video",
]

FOOTER = """<footer class="page-footer"><div class="footer__links"><a href="/impressum">Impressum</a> <a href="/datenschutz">Datenschutz</a> <a href="/kontakt">Kontakt</a> <a href="/barrierefreiheit">Barrierefreiheit</a></div>
<p class="footer__copy">© 2026 Beispielverlag GmbH. Alle Rechte vorbehalten.</p>
<div class="footer__faq"><h3>Haben Sie Fragen zu Ihrem Abo?</h3><p>Unser Leserservice ist montags bis freitags von 8 bis 18 Uhr erreichbar.</p></div></footer>"""


def jsonld(obj: object) -> str:
    return (
        '<script type="application/ld+json">'
        + json.dumps(obj, ensure_ascii=False)
        + "</script>"
    )


def ul(paragraph: str, cls: str = "") -> str:
    items = [item.removeprefix("* ").strip() for item in paragraph.split("\n")]
    attr = f' class="{cls}"' if cls else ""
    return f"<ul{attr}>" + "".join(f"<li>{e(i)}</li>" for i in items) + "</ul>"


def is_list(p: str) -> bool:
    return p.startswith("* ")


# --- the kinds of sites ---------------------------------------------------------------


def tagesschau(slug: str, *, url: str, published: str, modified: str) -> str:
    art = ARTICLES[slug]
    lead, qa = paragraphs_of(art)
    body = []
    for p in lead:
        body.append(
            f'<p class="textabsatz columns twelve m-ten m-offset-one l-eight l-offset-two"><strong>{e(p)}</strong></p>'
        )
    for n, (q, answer) in enumerate(qa):
        body.append(
            f'<h2 id="{slug}-{n}" class="meldung__subhead columns twelve m-ten m-offset-one l-eight l-offset-two">{e(q)}</h2>'
        )
        for p in answer:
            if is_list(p):
                body.append(
                    '<div class="textabsatz columns twelve m-ten m-offset-one l-eight l-offset-two">'
                    + ul(p)
                    + "</div>"
                )
            else:
                body.append(
                    f'<p class="textabsatz columns twelve m-ten m-offset-one l-eight l-offset-two">{e(p)}</p>'
                )
        if n == 1:
            body.append(
                '<div class="teaser-absatz columns twelve m-ten m-offset-one l-eight l-offset-two"><div class="teaser-absatz__teaserinfo">'
                '<a href="/inland/gesellschaft/streik-fragen-101.html" class="teaser-absatz__link"><div class="teaser-absatz__image"><img src="/img/x.jpg" alt=""></div>'
                '<span class="teaser-absatz__topline">Tarifkonflikt</span><h3 class="teaser-absatz__headline">Wann kommt die nächste Streikwelle?</h3>'
                '<p class="teaser-absatz__shorttext">Die Gewerkschaften drohen mit weiteren Ausständen. mehr</p></a></div></div>'
            )
        if n == 2:
            body.append(
                '<div class="absatzbild columns twelve m-ten m-offset-one l-eight l-offset-two"><figure><img src="/img/bahnhof.jpg" alt="Anzeigetafel">'
                '<figcaption class="absatzbild__caption"><p class="absatzbild__caption__text">Was fährt noch? Eine Anzeigetafel im Hauptbahnhof. Bild: dpa</p></figcaption></figure></div>'
            )
    ld = jsonld(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": art["title"],
            "datePublished": published,
            "dateModified": modified,
            "mainEntityOfPage": url,
            "publisher": {"@type": "Organization", "name": "tagesschau"},
        }
    )
    return f"""<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<title>{e(art["title"])} | tagesschau.de</title>
<link rel="canonical" href="{url}">
<link rel="amphtml" href="{url.replace(".html", "~amp.html")}">
<meta property="og:url" content="{url}">
<meta property="og:title" content="{e(art["title"])}">
<meta name="description" content="{e(lead[0] if lead else art["title"])}">
{ld}
{TRACKING}
</head>
<body>
{COOKIE}
<div class="skiplinks"><a href="#content">Zum Inhalt springen</a></div>
<header class="header" role="banner"><a class="header__logo" href="/">tagesschau</a>{main_nav(NAV_ITEMS, "header__navigation")}
<form class="searchbar" action="/suche"><input name="q" placeholder="Suchbegriff eingeben"></form></header>
<main id="content" class="content-wrapper">
<div class="breadcrumb"><a href="/">Startseite</a> &gt; <a href="/inland/">Inland</a></div>
<article class="container content-wrapper__group">
<div class="seitenkopf__data">
<h1 class="seitenkopf__headline"><span class="seitenkopf__topline">FAQ</span><span class="seitenkopf__headline--text">{e(art["title"])}</span></h1>
<p class="metatextline">Stand: 12.02.2026 08:15 Uhr</p>
</div>
{"".join(body)}
<div class="meldungsfooter"><p class="meldungsfooter__text">Über dieses Thema berichtete Das Erste am 12. Februar 2026 um 20:00 Uhr in der tagesschau.</p></div>
<div class="social-bar"><a href="https://share.example/?u={url}">Teilen</a> <a href="mailto:?subject=x">E-Mail</a></div>
</article>
{teaser_list("Mehr zum Thema", QUESTION_TEASERS)}
<section class="comments" id="kommentare"><h2>Kommentare</h2><div class="comment"><h4>Warum fahren die Züge nicht einfach trotzdem?</h4><p>Kann mir das mal jemand erklären? Ich verstehe es nicht.</p></div></section>
</main>
{FOOTER}
<script src="/resources/js/app.bundle.js"></script>
</body>
</html>
"""


def tagesschau_amp(slug: str, *, url: str, published: str, modified: str) -> str:
    art = ARTICLES[slug]
    lead, qa = paragraphs_of(art)
    body = []
    for p in lead:
        body.append(f'<p class="text"><strong>{e(p)}</strong></p>')
    for n, (q, answer) in enumerate(qa):
        body.append(f'<h2 class="subtitle">{e(q)}</h2>')
        for p in answer:
            body.append(ul(p, "text") if is_list(p) else f'<p class="text">{e(p)}</p>')
        if n == 0:
            body.append(
                '<amp-ad width="300" height="250" type="doubleclick" data-slot="/123/tagesschau"><div placeholder>Anzeige</div></amp-ad>'
            )
        if n == 2:
            body.append(
                '<figure class="bild"><amp-img src="/img/bahnhof.jpg" width="640" height="360" layout="responsive" alt="Anzeigetafel"></amp-img>'
                "<figcaption>Was fährt noch? Eine Anzeigetafel im Hauptbahnhof.</figcaption></figure>"
            )
    ld = jsonld(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": art["title"],
            "datePublished": published,
            "dateModified": modified,
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        }
    )
    return f"""<!doctype html>
<html ⚡ lang="de">
<head>
<meta charset="utf-8">
<script async src="https://cdn.ampproject.org/v0.js"></script>
<script async custom-element="amp-ad" src="https://cdn.ampproject.org/v0/amp-ad-0.1.js"></script>
<title>{e(art["title"])}</title>
<link rel="canonical" href="{url}">
<meta name="viewport" content="width=device-width">
{ld}
<style amp-boilerplate>body{{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both}}</style>
<style amp-custom>.subtitle{{font-size:1.2em}}</style>
</head>
<body>
<amp-sidebar id="sidebar" layout="nodisplay" side="left"><ul><li><a href="/">Startseite</a></li><li><a href="/inland/">Inland</a></li><li><a href="/faq/">Wie funktioniert die Bahn?</a></li></ul></amp-sidebar>
<header class="amp-header"><button on="tap:sidebar.toggle">Menü</button><a href="/">tagesschau</a></header>
<article>
<h1>{e(art["title"])}</h1>
<div class="meta">Stand: 12.02.2026 08:15 Uhr</div>
{"".join(body)}
</article>
<amp-social-share type="whatsapp"></amp-social-share>
<div class="related"><h3>Mehr zum Thema</h3><ul><li><a href="/x-101~amp.html">Wann kommt die nächste Streikwelle?</a></li></ul></div>
<footer><a href="/impressum">Impressum</a></footer>
<amp-analytics type="googleanalytics"><script type="application/json">{{"vars": {{"account": "UA-1"}}}}</script></amp-analytics>
</body>
</html>
"""


def spiegel(slug: str, *, url: str, published: str) -> str:
    art = ARTICLES[slug]
    lead, qa = paragraphs_of(art)
    parts = []

    def rich(inner: str) -> str:
        return f'<div data-sara-click-el="body_element" class="lg:w-8/12 md:w-10/12 lg:mx-auto md:mx-auto lg:px-24 md:px-24 sm:px-16"><div class="RichText RichText--sans leading-loose lg:text-xl md:text-xl sm:text-l mb-24">{inner}</div></div>'

    for p in lead:
        parts.append(rich(f"<p>{e(p)}</p>"))
    for n, (q, answer) in enumerate(qa):
        parts.append(
            f'<h3 class="lg:w-8/12 md:w-10/12 lg:mx-auto md:mx-auto font-sansUI font-bold text-xl">{e(q)}</h3>'
        )
        for p in answer:
            parts.append(rich(ul(p) if is_list(p) else f"<p>{e(p)}</p>"))
        if n == 0:
            parts.append(
                '<section class="relative" data-area="related_articles" aria-label="Mehr zum Thema"><div class="font-sansUI">Mehr zum Thema</div>'
                '<article aria-label="Was bedeutet der Streik für die Wirtschaft?"><a href="/wirtschaft/streik-a-1.html" title="Was bedeutet der Streik für die Wirtschaft?">'
                '<h2><span class="font-bold">Tarifkonflikt:</span> <span>Was bedeutet der Streik für die Wirtschaft?</span></h2></a></article></section>'
            )
        if n == 1:
            parts.append(
                '<div data-area="paywall_hint" class="offer-box"><p>Lesen Sie jetzt weiter mit SPIEGEL+. Sie haben bereits ein Digital-Abo?</p><a href="/abo">Jetzt abonnieren</a></div>'
            )
    ld = jsonld(
        [
            {
                "@context": "http://schema.org",
                "@type": "NewsArticle",
                "headline": art["title"],
                "url": url,
                "datePublished": published,
                "dateModified": published,
                "author": [{"@type": "Person", "name": "Anna Beispiel"}],
            },
            {
                "@context": "http://schema.org",
                "@type": "BreadcrumbList",
                "itemListElement": [],
            },
        ]
    )
    return f"""<!DOCTYPE html><html lang="de" class="no-js"><head><meta charset="UTF-8">
<title>{e(art["title"])} - DER SPIEGEL</title>
<meta name="date" content="{published}">
<meta property="og:url" content="{url}">
<link rel="canonical" href="{url}">
{ld}
{TRACKING}
<script>window.SPIEGEL = {{"page":{{"type":"article","channel":"wirtschaft"}},"user":{{"loggedIn":false}}}};</script>
</head>
<body class="bg-white">
<div data-area="navigation_bar"><nav aria-label="Ressorts">{main_nav(NAV_ITEMS, "flex")}</nav></div>
<main id="Inhalt">
<article aria-label="{e(art["title"])}" data-area="article">
<header data-area="intro"><div class="lg:w-8/12"><h2 class="font-brandUI"><span class="text-primary-base">Streik</span><span class="align-middle">{e(art["title"])}</span></h2>
<div class="font-sansUI"><time datetime="{published.replace("T", " ")[:19]}" class="timeformat">12.02.2026, 18.02 Uhr</time></div>
<div class="RichText">Fragen und Antworten zum Ausstand</div></div></header>
<section class="relative" data-area="body">
{"".join(parts)}
</section>
<div data-area="article_footer"><div class="share"><button>Artikel teilen</button></div>
<p class="author-info">Von Anna Beispiel</p></div>
<section data-area="comments"><h2>Diskutieren Sie mit</h2><p>Wie sehen Sie das? Kommentare sind für diesen Artikel geschlossen.</p></section>
</article>
<section data-area="article-teaser-list"><h2>Auch interessant</h2>
<article><h2><a href="/x">Wie teuer wird das Bahnfahren noch?</a></h2><p>Die Preise steigen seit Jahren.</p></article>
<article><h2><a href="/y">Was wird aus dem Deutschlandticket?</a></h2><p>Bund und Länder streiten.</p></article></section>
</main>
<footer data-area="footer">{FOOTER}</footer>
</body></html>
"""


ZEIT_SUMMARY = "Was Sie jetzt wissen müssen – ein Überblick."


def zeit(slug: str, *, url: str, published: str) -> str:
    art = ARTICLES[slug]
    lead, qa = paragraphs_of(art)
    items = []
    for p in lead:
        items.append(f'<p class="paragraph article__item">{e(p)}</p>')
    for n, (q, answer) in enumerate(qa):
        items.append(f'<h2 class="article__subheading article__item">{e(q)}</h2>')
        for p in answer:
            items.append(
                ul(p, "article__item")
                if is_list(p)
                else f'<p class="paragraph article__item">{e(p)}</p>'
            )
        if n == 1:
            items.append(
                '<aside class="article__item article__item--rimless"><div class="zon-teaser-standard"><a href="/wirtschaft/2026-02/fragen"><span class="zon-teaser-standard__kicker">Energiepreise</span>'
                '<span class="zon-teaser-standard__title">Wie lange bleibt Heizen so teuer?</span></a></div></aside>'
            )
    return f"""<!DOCTYPE html>
<html lang="de" class="no-js">
<head>
<meta charset="UTF-8">
<title>{e(art["title"])} | ZEIT ONLINE</title>
<meta property="article:published_time" content="{published}">
<meta property="article:modified_time" content="2026-02-14T09:00:00+01:00">
<meta property="og:url" content="{url}">
{TRACKING}
</head>
<body data-page-type="article">
<header class="header" data-ct-area="topnav"><a href="/index" class="header__logo">ZEIT ONLINE</a>
<nav class="nav" data-ct-area="ressortnavi">{main_nav(["Politik", "Gesellschaft", "Wirtschaft", "Kultur", "Wissen", "Digital", "Campus", "Arbeit"])}</nav></header>
<main class="main main--article" id="main">
<article class="article article--padded" id="js-article" itemscope itemtype="http://schema.org/Article">
<header class="article-header">
<h1 class="article-heading" itemprop="headline"><span class="article-heading__kicker">Fragen und Antworten</span><span class="article-heading__title">{e(art["title"])}</span></h1>
<div class="summary" itemprop="description">{ZEIT_SUMMARY}</div>
<div class="metadata"><time class="metadata__date" datetime="{published}">12. Februar 2026, 14:27 Uhr</time>
<a class="metadata__commentcount" href="#comments">132 Kommentare</a></div>
<div class="byline">Von <a href="/autoren/x">Max Beispiel</a></div>
</header>
<nav class="article-toc" aria-label="Inhalt"><h2>Inhalt</h2><ol>{"".join(f'<li><a href="#q{i}">{e(q)}</a></li>' for i, (q, _) in enumerate(qa))}</ol></nav>
<div class="article-body article-body--article" itemprop="articleBody">
{"".join(items)}
</div>
<div class="article-pagination"><a href="?page=2">Nächste Seite</a></div>
</article>
<section class="comment-section" id="comments"><h2 class="comment-section__headline">132 Kommentare</h2>
<article class="comment"><div class="comment__body"><p><strong>Warum erfährt man das erst jetzt?</strong></p><p>Das hätte man auch früher sagen können.</p></div></article>
<article class="comment"><div class="comment__body"><p>Sehr hilfreicher Artikel, danke!</p></div></article>
</section>
</main>
<footer class="footer">{FOOTER}</footer>
</body>
</html>
"""


def sz(slug: str, *, url: str, published: str) -> str:
    art = ARTICLES[slug]
    lead, qa = paragraphs_of(art)
    items = []
    for p in lead:
        items.append(f'<p class="css-1ncq9at" data-manual="paragraph">{e(p)}</p>')
    for n, (q, answer) in enumerate(qa):
        items.append(f'<h3 class="css-1jo9jph" data-manual="subheadline">{e(q)}</h3>')
        for p in answer:
            items.append(
                ul(p, "css-1q0v2fh")
                if is_list(p)
                else f'<p class="css-1ncq9at" data-manual="paragraph">{e(p)}</p>'
            )
        if n == 0:
            items.append(
                '<div class="css-10x0w8u" data-manual="newsletter-box"><h3 class="css-1d2xy3">Sie wollen nichts verpassen?</h3>'
                '<p class="css-1ncq9at">Der Newsletter am Morgen: Alle wichtigen Nachrichten des Tages kompakt in Ihrem Postfach.</p><a href="/newsletter">Jetzt anmelden</a></div>'
            )
        if n == 1:
            items.append(
                '<figure class="css-8atqhb" data-manual="image"><picture><img src="/img/y.jpg" alt=""></picture>'
                '<figcaption class="css-1a2b3c"><span>Wer räumt hier? Ein Gehweg in München am Morgen.</span> <span class="css-copyright">(Foto: Peter Beispiel)</span></figcaption></figure>'
            )
    ld = jsonld(
        {
            "@context": "https://schema.org",
            "@graph": [
                {
                    "@type": "WebSite",
                    "@id": "https://www.sueddeutsche.de/#website",
                    "name": "Süddeutsche Zeitung",
                },
                {
                    "@type": "NewsArticle",
                    "headline": art["title"],
                    "datePublished": published,
                    "dateModified": "2026-02-13T07:10:00.000Z",
                    "mainEntityOfPage": {"@type": "WebPage", "@id": url},
                },
            ],
        }
    )
    return f"""<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"/>
<title>{e(art["title"])} - SZ.de</title>
<link rel="canonical" href="{url}"/>
{ld}
<script id="__NEXT_DATA__" type="application/json">{{"props":{{"pageProps":{{"article":{{"id":"sz.1.123","title":{json.dumps(art["title"], ensure_ascii=False)}}}}}}}}}</script>
{TRACKING}
</head><body>
<div id="__next"><div class="css-1s3v4p" data-manual="header"><a href="/">Süddeutsche Zeitung</a>{main_nav(["Politik", "Wirtschaft", "Meinung", "Panorama", "Sport", "München", "Bayern", "Kultur", "Leben", "Wissen"], "css-abcd12")}</div>
<div class="css-1dvxzs3" data-manual="article">
<header class="css-1tczpuz"><h2 class="css-1ss5kar" data-manual="title"><span class="css-1tm5due" data-manual="overline">Ratgeber</span><span class="css-1bhnxuf">{e(art["title"])}</span></h2>
<p class="css-1psf6fh" data-manual="teaserText">Alles Wichtige auf einen Blick.</p>
<time class="css-1r5gb7q" datetime="{published[:19].replace("T", " ")}">12. Februar 2026 | Lesezeit: 3 Min.</time>
<div class="css-1wlnxe" data-manual="author">Von Lena Beispiel</div></header>
<div itemprop="articleBody" class="css-1ncj3sf">
{"".join(items)}
</div>
<div class="css-q1w2e3" data-manual="article-share"><button>Teilen</button><button>Feedback</button></div>
</div>
<div class="css-0recm" data-manual="recommendations"><h2>Das könnte Sie auch interessieren</h2>
<a href="/x"><h3>Darf mein Vermieter die Nebenkosten so stark erhöhen?</h3></a><a href="/y"><h3>Wie heize ich am günstigsten?</h3></a></div>
<div class="css-ftr" data-manual="footer">{FOOTER}</div></div>
</body></html>
"""


def faz(slug: str, *, url: str, published: str, modified: str) -> str:
    art = ARTICLES[slug]
    lead, qa = paragraphs_of(art)
    items = []
    for p in lead:
        items.append(f'<p class="body-elements__paragraph">{e(p)}</p>')
    for n, (q, answer) in enumerate(qa):
        items.append(f'<h3 class="body-elements__subheadline">{e(q)}</h3>')
        for p in answer:
            items.append(
                ul(p, "body-elements__list")
                if is_list(p)
                else f'<p class="body-elements__paragraph">{e(p)}</p>'
            )
        if n == 0:
            items.append(
                '<div class="body-elements__teaser teaser-object"><a href="/aktuell/finanzen/x.html" class="teaser-object__link">'
                '<span class="teaser-object__kicker">Altersvorsorge</span><span class="teaser-object__headline">Wie viel Rente bekomme ich wirklich?</span></a></div>'
            )
        if n == 1:
            items.append(
                '<div class="ad-container ad--mobile" id="ad-mobile-2"><p>Anzeige</p></div>'
            )
    ld = jsonld(
        {
            "@context": "http://schema.org",
            "@type": "NewsArticle",
            "headline": art["title"],
            "datePublished": published,
            "dateModified": modified,
            "url": url,
            "isAccessibleForFree": "True",
        }
    )
    return f"""<!DOCTYPE html>
<html lang="de">
<head><meta charset="utf-8">
<title>{e(art["title"])}</title>
<meta property="og:url" content="{url}">
{ld}
{TRACKING}
</head>
<body>
<div class="header-container"><header class="page-header">{main_nav(["Politik", "Wirtschaft", "Finanzen", "Feuilleton", "Karriere", "Sport", "Gesellschaft", "Stil", "Rhein-Main", "Technik"], "page-header__nav")}</header></div>
<div class="page-content">
<article class="article" data-external-selector="article">
<div class="header-detail"><h1 class="header-title"><span class="header-label">Fragen und Antworten</span><span class="header-title__text">{e(art["title"])}</span></h1>
<div class="header-detail__meta"><span class="header-detail__date">Aktualisiert am 14.02.2026 - 09:12</span></div></div>
<div class="article-share"><a href="#">Merken</a><a href="#">Teilen</a></div>
<div class="body-elements">
{"".join(items)}
</div>
<div class="article-contact-box"><h3>Sie haben Fragen?</h3><p>Schreiben Sie an unsere Finanzredaktion: finanzen@example.de</p></div>
</article>
<aside class="sidebar"><h3>Meistgelesen</h3><ol><li><a href="/a">Lohnt sich jetzt noch ein Bausparvertrag?</a></li><li><a href="/b">Warum die Zinsen wieder steigen</a></li></ol></aside>
</div>
{FOOTER}
</body>
</html>
"""


def regional(slug: str, *, url: str, stand: str) -> str:
    """A regional paper: <h3 class="subheadline">, the date only as visible "Stand"."""
    art = ARTICLES[slug]
    lead, qa = paragraphs_of(art)
    items = []
    for p in lead:
        items.append(f'<p class="text intro"><b>{e(p)}</b></p>')
    for n, (q, answer) in enumerate(qa):
        items.append(f'<h3 class="subheadline">{e(q)}</h3>')
        for p in answer:
            items.append(ul(p) if is_list(p) else f"<p>{e(p)}</p>")
        if n == 0:
            items.append(
                '<p class="related-inline">Lesen Sie auch: <a href="/lokales/streupflicht-wer-zahlt.html">Streupflicht: Wer zahlt, wenn der Hausmeister nicht kommt?</a></p>'
            )
    return f"""<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<title>{e(art["title"])} | Neue Lokalzeitung</title>
<meta property="og:title" content="{e(art["title"])}">
</head>
<body class="article-page">
<div id="top"><div class="logo">Neue Lokalzeitung</div>
<ul class="menu"><li><a href="/lokales/">Lokales</a></li><li><a href="/region/">Region</a></li><li><a href="/sport/">Sport</a></li><li><a href="/service/">Service</a></li></ul></div>
<div class="wrapper">
<div class="col-main">
<div class="article">
<div class="kicker">Winterdienst</div>
<h1 class="headline">{e(art["title"])}</h1>
<div class="article-meta"><span class="author">Von Jana Muster</span> | <span class="date">{stand}</span></div>
<div class="article-text">
{"".join(items)}
</div>
<div class="box box-newsletter"><h4>Täglich informiert?</h4><p>Abonnieren Sie unseren kostenlosen Newsletter mit den wichtigsten Nachrichten aus der Region.</p></div>
</div>
<div class="comments"><h3>Was meinen Sie?</h3><div class="comment-item"><p>Bei uns wird nie geräumt. Wer ist da eigentlich zuständig?</p></div></div>
</div>
<div class="col-side"><h3>Meistgelesen</h3><ul><li><a href="/x">Wann kommt der nächste Schnee?</a></li><li><a href="/y">Unfall auf der B27</a></li></ul></div>
</div>
<div id="footer">© Neue Lokalzeitung 2026 | <a href="/impressum">Impressum</a></div>
</body>
</html>
"""


def gutenberg(slug: str, *, url: str, published: str) -> str:
    """A WordPress post: wp-block-heading for some questions, wp-block-details for others."""
    art = ARTICLES[slug]
    lead, qa = paragraphs_of(art)
    items = []
    for p in lead:
        items.append(f"<p>{e(p)}</p>")
    items.append(
        '<div class="wp-block-rank-math-toc-block" id="rank-math-toc"><h2>Inhaltsverzeichnis</h2><nav><ul>'
        + "".join(
            f'<li><a href="#frage-{i}">{e(q)}</a></li>' for i, (q, _) in enumerate(qa)
        )
        + "</ul></nav></div>"
    )
    half = (len(qa) + 1) // 2
    for n, (q, answer) in enumerate(qa):
        inner = "".join(
            ul(p, "wp-block-list") if is_list(p) else f"<p>{e(p)}</p>" for p in answer
        )
        if n < half:
            items.append(
                f'<h2 class="wp-block-heading" id="frage-{n}">{e(q)}</h2>\n{inner}'
            )
        else:
            items.append(
                f'<details class="wp-block-details"><summary>{e(q)}</summary>{inner}</details>'
            )
        if n == 0:
            items.append(
                '<figure class="wp-block-image size-large"><img src="/wp-content/uploads/2026/02/x.jpg" alt="">'
                '<figcaption class="wp-element-caption">Wer zahlt am Ende? Symbolbild: Pixabay</figcaption></figure>'
            )
    return f"""<!DOCTYPE html>
<html lang="de-DE">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(art["title"])} &#8211; Stadtblog Musterstadt</title>
<link rel="canonical" href="{url}">
<meta property="og:type" content="article">
<meta property="article:published_time" content="{published}">
<meta property="article:modified_time" content="2026-02-15T10:00:00+00:00">
<link rel="stylesheet" id="wp-block-library-css" href="/wp-includes/css/dist/block-library/style.min.css" media="all">
<script src="/wp-includes/js/jquery/jquery.min.js" id="jquery-core-js"></script>
</head>
<body class="post-template-default single single-post postid-4711 single-format-standard">
<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#content">Zum Inhalt springen</a>
<header id="masthead" class="site-header"><p class="site-title"><a href="/">Stadtblog Musterstadt</a></p>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu"><li><a href="/politik/">Politik</a></li><li><a href="/verkehr/">Verkehr</a></li><li><a href="/ratgeber/">Ratgeber</a></li></ul></nav></header>
<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">
<article id="post-4711" class="post-4711 post type-post status-publish format-standard has-post-thumbnail hentry category-ratgeber">
<header class="entry-header"><h1 class="entry-title">{e(art["title"])}</h1>
<div class="entry-meta"><span class="posted-on">Veröffentlicht am <time class="entry-date published" datetime="{published}">12. Februar 2026</time><time class="updated" datetime="2026-02-15T10:00:00+00:00">15. Februar 2026</time></span></div></header>
<div class="entry-content">
{chr(10).join(items)}
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Teilen mit:</h3><ul><li><a href="?share=facebook">Facebook</a></li><li><a href="?share=x">X</a></li></ul></div>
</div>
<footer class="entry-footer"><span class="cat-links">Veröffentlicht in <a href="/ratgeber/">Ratgeber</a></span></footer>
</article>
<nav class="navigation post-navigation"><h2 class="screen-reader-text">Beitragsnavigation</h2><div class="nav-previous"><a href="/x/">Was kostet das Parken in der Innenstadt?</a></div></nav>
<div id="comments" class="comments-area"><h2 class="comments-title">3 Gedanken zu „{e(art["title"])}“</h2>
<ol class="comment-list"><li class="comment"><article class="comment-body"><div class="comment-content"><p>Gibt es dazu auch eine Übersicht für unsere Stadt?</p></div></article></li></ol>
<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Schreibe einen Kommentar</h3><form><textarea></textarea></form></div></div>
</main></div>
<aside id="secondary" class="widget-area"><section class="widget widget_recent_entries"><h2 class="widget-title">Neueste Beiträge</h2><ul><li><a href="/a/">Wann öffnet das neue Hallenbad?</a></li></ul></section></aside>
</div>
<footer id="colophon" class="site-footer"><div class="site-info">Stolz präsentiert von WordPress</div></footer>
</div>
</body>
</html>
"""


def yoast(slug: str, *, url: str, published: str) -> str:
    """The Yoast FAQ block: <strong class="schema-faq-question"> in a div, and FAQPage JSON-LD."""
    art = ARTICLES[slug]
    lead, qa = paragraphs_of(art)
    sections = []
    for n, (q, answer) in enumerate(qa):
        ans = " ".join(one_line(p) if is_list(p) else p for p in answer[:1])
        answer_html = "".join(
            f'<p class="schema-faq-answer">{e(p)}</p>' if not is_list(p) else ul(p)
            for p in answer
        )
        sections.append(
            f'<div class="schema-faq-section" id="faq-question-{1700000000 + n}"><strong class="schema-faq-question">{e(q)}</strong> {answer_html} </div>'
        )
        del ans
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": ["WebPage", "FAQPage"],
                "@id": url,
                "url": url,
                "name": art["title"],
                "datePublished": published,
                "dateModified": "2026-02-20T08:00:00+00:00",
                "mainEntity": [
                    {"@id": f"{url}#faq-question-{1700000000 + n}"}
                    for n in range(len(qa))
                ],
            },
            *[
                {
                    "@type": "Question",
                    "@id": f"{url}#faq-question-{1700000000 + n}",
                    "position": n + 1,
                    "url": f"{url}#faq-question-{1700000000 + n}",
                    "name": q,
                    "answerCount": 1,
                    "acceptedAnswer": {
                        "@type": "Answer",
                        "text": "".join(f"<p>{e(one_line(p))}</p>" for p in answer),
                        "inLanguage": "de",
                    },
                    "inLanguage": "de",
                }
                for n, (q, answer) in enumerate(qa)
            ],
            {
                "@type": "Article",
                "@id": url + "#article",
                "headline": art["title"],
                "datePublished": published,
                "isPartOf": {"@id": url},
            },
        ],
    }
    lead_html = "".join(f"<p>{e(p)}</p>" for p in lead)
    return f"""<!doctype html>
<html lang="de-DE">
<head>
<meta charset="utf-8">
<title>{e(art["title"])} - Ratgeber Geld</title>
<!-- This site is optimized with the Yoast SEO plugin v24.1 - https://yoast.com/wordpress/plugins/seo/ -->
<link rel="canonical" href="{url}" />
<meta property="og:url" content="{url}" />
<meta property="article:published_time" content="{published}" />
<script type="application/ld+json" class="yoast-schema-graph">{json.dumps(graph, ensure_ascii=False)}</script>
<!-- / Yoast SEO plugin. -->
</head>
<body class="post-template-default single single-post">
<header class="site-header"><div class="site-branding">Ratgeber Geld</div><nav class="nav-primary"><ul><li><a href="/steuern/">Steuern</a></li><li><a href="/versicherung/">Versicherung</a></li></ul></nav></header>
<div class="site-inner"><div class="content-sidebar-wrap"><main class="content" id="genesis-content">
<article class="post-812 post type-post entry" itemscope itemtype="https://schema.org/CreativeWork">
<header class="entry-header"><h1 class="entry-title" itemprop="headline">{e(art["title"])}</h1><p class="entry-meta"><time class="entry-time" itemprop="datePublished" datetime="{published}">12. Februar 2026</time> von <span class="entry-author">Redaktion</span></p></header>
<div class="entry-content" itemprop="text">
{lead_html}
<div class="schema-faq wp-block-yoast-faq-block">{"".join(sections)}</div>
<div class="newsletter-box"><h3>Sie wollen keine Spartipps mehr verpassen?</h3><p>Dann abonnieren Sie unseren Newsletter.</p></div>
<p>Weitere Ratgeber finden Sie in unserer <a href="/ratgeber/">Übersicht</a>.</p>
</div>
</article>
<section class="author-box"><h4>Über den Autor</h4><p>Unsere Redaktion schreibt seit 2012 über Steuern und Finanzen.</p></section>
</main><aside class="sidebar sidebar-primary widget-area"><section class="widget"><h4 class="widget-title">Beliebte Fragen</h4><ul><li><a href="/x/">Wie hoch ist der Grundfreibetrag?</a></li></ul></section></aside></div></div>
<footer class="site-footer"><p>Copyright © 2026 Ratgeber Geld</p></footer>
</body>
</html>
"""


def broadcaster(slug: str, *, url: str, published: str) -> str:
    """A public broadcaster's FAQ: each question a <details> accordion with an <h3> in its <summary>."""
    art = ARTICLES[slug]
    lead, qa = paragraphs_of(art)
    acc = []
    for n, (q, answer) in enumerate(qa):
        inner = "".join(ul(p) if is_list(p) else f"<p>{e(p)}</p>" for p in answer)
        acc.append(
            f'<details class="accordion__item" id="faq-{n}"><summary class="accordion__summary"><h3 class="accordion__title">{e(q)}</h3>'
            f'<span class="accordion__icon" aria-hidden="true"></span></summary><div class="accordion__content"><div class="richtext">{inner}</div></div></details>'
        )
    lead_html = "".join(f'<p class="einleitung">{e(p)}</p>' for p in lead)
    return f"""<!DOCTYPE html>
<html lang="de" dir="ltr">
<head>
<meta charset="utf-8">
<title>{e(art["title"])} - Nachrichten - Rundfunk Süd</title>
<link rel="canonical" href="{url}">
<meta name="robots" content="index,follow">
{TRACKING}
</head>
<body>
<a class="skip" href="#main">Direkt zum Inhalt</a>
<div class="site-header"><div class="brand">Rundfunk Süd</div>
<ul class="navigation"><li><a href="/fernsehen">Fernsehen</a></li><li><a href="/radio">Radio</a></li><li><a href="/nachrichten">Nachrichten</a></li><li><a href="/sport">Sport</a></li></ul></div>
<main id="main">
<div class="breadcrumbs"><ol><li><a href="/">Startseite</a></li><li><a href="/nachrichten/">Nachrichten</a></li></ol></div>
<div class="article-container">
<div class="article-head"><span class="dachzeile">Fragen und Antworten</span><h1>{e(art["title"])}</h1>
<div class="article-meta">Stand: <time datetime="{published}">12.02.2026, 11:30 Uhr</time> | Von Redaktion Nachrichten</div></div>
<div class="article-body">
{lead_html}
<div class="media-container"><figure><img src="/bild.jpg" alt=""><figcaption>Wo kann man die Spiele sehen? Ein Fernseher in einer Kneipe. Bild: Rundfunk Süd</figcaption></figure></div>
<div class="accordion">{"".join(acc)}</div>
<div class="info-contact box"><h2>Sie haben Fragen?</h2><p>Schreiben Sie uns über unser Kontaktformular. Wir antworten so schnell wie möglich.</p></div>
</div></div>
<div class="teaser-group"><h2>Mehr zum Thema</h2>
<div class="teaser"><a href="/x"><h3>Wer gewinnt die meisten Medaillen?</h3></a><p>Eine Prognose.</p></div>
<div class="teaser"><a href="/y"><h3>Welche Sportarten sind neu im Programm?</h3></a></div></div>
</main>
<div class="site-footer"><ul><li><a href="/impressum">Impressum</a></li><li><a href="/datenschutz">Datenschutz</a></li></ul><p>© Rundfunk Süd 2026</p></div>
</body>
</html>
"""


def ministry(slug: str, *, url: str, stand: str) -> str:
    """A ministry FAQ: <dl>, the date only as "Stand" at the bottom."""
    art = ARTICLES[slug]
    lead, qa = paragraphs_of(art)
    dl = []
    for q, answer in qa:
        dd = "".join(ul(p) if is_list(p) else f"<p>{e(p)}</p>" for p in answer)
        dl.append(
            f'<dt class="faq-question">{e(q)}</dt><dd class="faq-answer">{dd}</dd>'
        )
    return f"""<!DOCTYPE html>
<html lang="de">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<title>Bundesministerium für Beispiele - FAQ: {e(art["title"])}</title>
<meta name="DC.title" content="{e(art["title"])}">
<link rel="stylesheet" href="/SiteGlobals/css/screen.css">
</head>
<body>
<div id="wrapperOuter"><div id="wrapperInner">
<div id="navSecondary"><h2 class="aural">Navigation</h2><ul><li><a href="/DE/Themen/">Themen</a></li><li><a href="/DE/Service/FAQ/">Häufige Fragen</a></li><li><a href="/DE/Presse/">Presse</a></li></ul></div>
<div id="content" role="main">
<h1 class="isFirstInSlot">{e(art["title"])}</h1>
<div class="text">
<dl class="docData"><dt>Datum</dt><dd>Februar 2026</dd></dl>
<dl class="faq">{"".join(dl)}</dl>
</div>
<p class="stand">Stand: {stand}</p>
<div class="linkBox"><h2>Weiterführende Informationen</h2><ul><li><a href="/a">Wer hat Anspruch auf Förderung?</a></li><li><a href="/b">Broschüre (PDF, 2 MB)</a></li></ul></div>
</div>
<div id="footer"><ul><li><a href="/impressum">Impressum</a></li><li><a href="/kontakt">Kontakt</a></li><li><a href="/leichte-sprache">Leichte Sprache</a></li></ul></div>
</div></div>
</body>
</html>
"""


def vzbv(slug: str, *, url: str, published: str) -> str:
    """A consumer centre: <dl> inside the article, article:published_time, a contact box."""
    art = ARTICLES[slug]
    lead, qa = paragraphs_of(art)
    dl = []
    for q, answer in qa:
        dd = "".join(ul(p) if is_list(p) else f"<p>{e(p)}</p>" for p in answer)
        dl.append(f"<dt><h3>{e(q)}</h3></dt><dd>{dd}</dd>")
    lead_html = "".join(f'<p class="lead">{e(p)}</p>' for p in lead)
    return f"""<!DOCTYPE html>
<html lang="de" dir="ltr" prefix="og: https://ogp.me/ns#">
<head>
<meta charset="utf-8" />
<title>{e(art["title"])} | Verbraucherzentrale</title>
<link rel="canonical" href="{url}" />
<meta property="article:published_time" content="{published}" />
<script>var drupalSettings={{"path":{{"baseUrl":"/"}}}};</script>
</head>
<body class="path-node page-node-type-article">
<div class="dialog-off-canvas-main-canvas">
<header role="banner"><div class="region-header"><a href="/" rel="home">Verbraucherzentrale</a></div>
<nav role="navigation" aria-label="Hauptnavigation"><ul class="menu"><li><a href="/geld-versicherungen">Geld &amp; Versicherungen</a></li><li><a href="/energie">Energie</a></li><li><a href="/gesundheit-pflege">Gesundheit</a></li></ul></nav></header>
<main role="main"><div class="region-content">
<article role="article" class="node node--type-article">
<h1 class="page-title"><span>{e(art["title"])}</span></h1>
<div class="field--name-field-teaser">{lead_html}</div>
<div class="field--name-body"><h2>Das Wichtigste in Kürze</h2>
<ul><li>Viele Kassen haben ihre Beiträge erhöht.</li><li>Ein Wechsel ist einfach.</li></ul>
<h2>Häufige Fragen</h2>
<dl class="ckeditor-accordion">{"".join(dl)}</dl></div>
<div class="block-contact"><h2>Sie haben Fragen?</h2><p>Unsere Beratungsstellen helfen Ihnen persönlich weiter. Termin vereinbaren unter 0211 123456.</p></div>
</article>
<div class="related-content"><h2>Auch interessant</h2><div class="teaser"><h3><a href="/x">Was tun, wenn die Krankenkasse nicht zahlt?</a></h3></div></div>
</div></main>
<footer role="contentinfo"><p>© Verbraucherzentrale</p></footer>
</div>
</body>
</html>
"""


def bold_paragraphs(slug: str, *, url: str) -> str:
    """An old CMS: questions as <p><strong>…?</strong></p>, no date but in the URL."""
    art = ARTICLES[slug]
    lead, qa = paragraphs_of(art)
    items = []
    for p in lead:
        items.append(f"<p>{e(p)}</p>")
    for q, answer in qa:
        items.append(f"<p><strong>{e(q)}</strong></p>")
        for p in answer:
            items.append(ul(p) if is_list(p) else f"<p>{e(p)}</p>")
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html>
<head>
<meta http-equiv="content-type" content="text/html; charset=utf-8">
<title>{e(art["title"])} - Kreisbote Online</title>
</head>
<body>
<table width="100%" class="layout"><tr><td class="leftnav" width="160">
<a href="/">Startseite</a><br><a href="/lokales">Lokales</a><br><a href="/vereine">Vereine</a><br><a href="/fragen">Leser fragen: Was ist los in der Stadt?</a>
</td><td class="main">
<div class="artikel">
<h1>{e(art["title"])}</h1>
<div class="artikeltext">
{chr(10).join(items)}
<p><i>Mit Material von dpa</i></p>
</div>
<div class="leserbriefe"><h3>Leserbriefe</h3><p><strong>Wer soll das alles bezahlen?</strong></p><p>Das fragt sich ein Leser aus der Nachbarstadt.</p></div>
</div>
</td></tr></table>
<div class="fuss">Kreisbote Online · <a href="/impressum.html">Impressum</a></div>
</body>
</html>
"""


def bold_break(slug: str, *, url: str, published: str) -> str:
    """Questions as <p><b>…?</b><br>answer</p>: the answer's first paragraph shares the <p>."""
    art = ARTICLES[slug]
    lead, qa = paragraphs_of(art)
    items = []
    for p in lead:
        items.append(f'<p class="intro">{e(p)}</p>')
    for q, answer in qa:
        first, rest = answer[0], answer[1:]
        if is_list(first):
            items.append(f"<p><b>{e(q)}</b></p>" + ul(first))
        else:
            items.append(f"<p><b>{e(q)}</b><br>\n{e(first)}</p>")
        for p in rest:
            items.append(ul(p) if is_list(p) else f"<p>{e(p)}</p>")
    return f"""<!DOCTYPE html>
<html lang="de">
<head><meta charset="utf-8"><title>{e(art["title"])}</title>
<meta name="author" content="Redaktion">
<meta property="og:url" content="{url}">
<meta property="article:published_time" content="{published}">
</head>
<body>
<div class="top-bar"><a href="/abo">Abo</a> | <a href="/epaper">E-Paper</a> | <a href="/login">Anmelden</a></div>
<div class="container"><div class="row"><div class="col-md-8 story">
<h1>{e(art["title"])}</h1>
<div class="story-body">
{chr(10).join(items)}
</div>
<div class="story-tags">Schlagworte: <a href="/tag/rente">Rente</a> <a href="/tag/steuern">Steuern</a></div>
</div>
<div class="col-md-4"><div class="widget-most-read"><h4>Meistgelesen</h4><p><a href="/a">Wann kommt die Rentenerhöhung aufs Konto?</a></p></div></div></div></div>
<footer class="site-footer">Ein Angebot der Musterverlag KG</footer>
</body>
</html>
"""


def jsonld_only(slug: str, *, url: str, published: str) -> str:
    """A client-rendered page: the Q&A exists only as FAQPage JSON-LD."""
    art = ARTICLES[slug]
    lead, qa = paragraphs_of(art)
    data = {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "name": art["title"],
        "url": url,
        "datePublished": published,
        "mainEntity": [
            {
                "@type": "Question",
                "name": q,
                "acceptedAnswer": {
                    "@type": "Answer",
                    "text": "".join(
                        f"<p>{e(p)}</p>" if not is_list(p) else ul(p) for p in answer
                    ),
                },
            }
            for q, answer in qa
        ],
    }
    return f"""<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<title>{e(art["title"])}</title>
<link rel="canonical" href="{url}">
<script type="application/ld+json">{json.dumps(data, ensure_ascii=False, indent=2)}</script>
<script type="module" src="/assets/index-4f2a9c.js"></script>
<link rel="stylesheet" href="/assets/index-91bd.css">
</head>
<body>
<noscript>Bitte aktivieren Sie JavaScript, um diese Seite zu nutzen.</noscript>
<div id="root"></div>
</body>
</html>
"""


def microdata(slug: str, *, url: str, published: str) -> str:
    """A FAQ marked up with schema.org microdata; the question is a <div>, no heading."""
    art = ARTICLES[slug]
    lead, qa = paragraphs_of(art)
    items = []
    for q, answer in qa:
        inner = "".join(ul(p) if is_list(p) else f"<p>{e(p)}</p>" for p in answer)
        items.append(
            '<div class="faq-item" itemscope itemprop="mainEntity" itemtype="https://schema.org/Question">'
            f'<div class="faq-item__question" itemprop="name">{e(q)}</div>'
            '<div class="faq-item__answer" itemscope itemprop="acceptedAnswer" itemtype="https://schema.org/Answer">'
            f'<div itemprop="text">{inner}</div></div></div>'
        )
    return f"""<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<title>{e(art["title"])} | Stadtwerke Beispielstadt</title>
<meta property="og:url" content="{url}">
</head>
<body>
<header class="header"><nav class="nav">{main_nav(["Privatkunden", "Geschäftskunden", "Service", "Karriere"])}</nav></header>
<main>
<h1>{e(art["title"])}</h1>
<p class="date">Veröffentlicht: <time datetime="{published}">12.02.2026</time></p>
<div class="faq" itemscope itemtype="https://schema.org/FAQPage">
{"".join(items)}
</div>
<div class="cta-box"><h2>Noch Fragen?</h2><p>Unser Kundenservice ist rund um die Uhr für Sie da.</p></div>
</main>
<footer class="footer"><p>© Stadtwerke Beispielstadt</p></footer>
</body>
</html>
"""


def sections(slug: str, *, url: str, published: str) -> str:
    """HTML5 sectioning: each question a <section> with its heading in a <header>."""
    art = ARTICLES[slug]
    lead, qa = paragraphs_of(art)
    secs = []
    for q, answer in qa:
        inner = "".join(ul(p) if is_list(p) else f"<p>{e(p)}</p>" for p in answer)
        secs.append(
            f'<section class="qa-block"><header><h2 class="qa-block__question">{e(q)}</h2></header>{inner}</section>'
        )
    lead_html = "".join(f"<p>{e(p)}</p>" for p in lead)
    return f"""<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<title>{e(art["title"])} | MDR-Beispiel</title>
<link rel="canonical" href="{url}">
<meta property="og:url" content="{url}">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"ReportageNewsArticle","headline":{json.dumps(art["title"], ensure_ascii=False)},"datePublished":"{published}","url":"{url}"}}</script>
</head>
<body>
<header class="page-header"><a href="/">MDR-Beispiel</a><nav><a href="/nachrichten">Nachrichten</a> <a href="/sport">Sport</a> <a href="/ratgeber">Ratgeber</a></nav></header>
<main>
<article class="article">
<header class="article__header"><p class="article__kicker">Fragen und Antworten</p><h1>{e(art["title"])}</h1><p class="article__date"><time datetime="{published}">12. Februar 2026</time></p></header>
<div class="article__body">
{lead_html}
{"".join(secs)}
</div>
<aside class="article__related"><h2>Passend zum Thema</h2><ul><li><a href="/a">Wie funktioniert die Briefwahl in Sachsen?</a></li></ul></aside>
</article>
</main>
<footer><p>© 2026</p></footer>
</body>
</html>
"""


def old_cms_cp1252(slug: str, *, meta: str | None, stand: str) -> str:
    """An old CMS in windows-1252: <font>, <b> questions, a table layout."""
    art = ARTICLES[slug]
    lead, qa = paragraphs_of(art)
    items = []
    for p in lead:
        items.append(f"<p>{e(p)}</p>")
    for q, answer in qa:
        items.append(f'<h2><font face="Arial">{e(q)}</font></h2>')
        for p in answer:
            items.append(ul(p) if is_list(p) else f"<p>{e(p)}</p>")
    meta_tag = (
        f'<meta http-equiv="Content-Type" content="text/html; charset={meta}">'
        if meta
        else ""
    )
    return f"""<html>
<head>
{meta_tag}
<title>{e(art["title"])}</title>
</head>
<body bgcolor="#ffffff">
<table width="780" border="0"><tr><td colspan="2" class="kopf"><img src="/logo.gif" alt="Heimatblatt"></td></tr>
<tr><td valign="top" width="150" class="navi"><a href="/">Startseite</a><br><a href="/archiv">Archiv</a><br><a href="/kontakt">Kontakt &amp; Impressum</a></td>
<td valign="top">
<h1>{e(art["title"])}</h1>
{chr(10).join(items)}
<p><small>Stand: {stand}</small></p>
</td></tr></table>
</body>
</html>
"""


# --- the pages ----------------------------------------------------------------------

PAGES: list[dict[str, object]] = []


def page(
    name: str,
    markup: str | bytes,
    *,
    slug: str | None = None,
    day: str | None = None,
    with_lead: bool | list[str] = True,
    source_url: str | None = None,
    title: str | None = None,
    url: str | None = None,
    content_type: str | None = "text/html; charset=utf-8",
    error: str | None = None,
    encoding: str = "utf-8",
) -> None:
    data = (
        markup
        if isinstance(markup, bytes)
        else markup.encode(encoding, "xmlcharrefreplace")
    )
    (HERE / f"{name}.html").write_bytes(data)
    entry: dict[str, object] = {"name": name, "content_type": content_type, "url": url}
    if error:
        entry["error"] = error
    else:
        assert slug and day
        entry.update(published=day, source_url=source_url, title=title)
        (HERE / f"{name}.expected.txt").write_text(
            expected_text(slug, day, with_lead=with_lead),
            encoding="utf-8",
            newline="\n",
        )
    PAGES.append(entry)


def build() -> None:
    for old in HERE.glob("*.html"):
        old.unlink()
    for old in HERE.glob("*.expected.txt"):
        old.unlink()

    u = "https://www.tagesschau.de/inland/gesellschaft/gdl-streik-fragen-antworten-100.html"
    t = ARTICLES["bahnstreik"]["title"]
    kw = dict(
        url=u, published="2026-02-11T23:30:00Z", modified="2026-02-12T10:00:00+01:00"
    )
    page(
        "tagesschau-bahnstreik",
        tagesschau("bahnstreik", **kw),
        slug="bahnstreik",
        day="2026-02-12",
        source_url=u,
        title=t,
        url=u,
    )
    page(
        "tagesschau-bahnstreik-amp",
        tagesschau_amp("bahnstreik", **kw),
        slug="bahnstreik",
        day="2026-02-12",
        source_url=u,
        title=t,
        url=u.replace(".html", "~amp.html"),
    )
    u = "https://www.tagesschau.de/wirtschaft/verbraucher/grundsteuer-bescheid-faq-102.html"
    t = ARTICLES["grundsteuer"]["title"]
    kw = dict(
        url=u,
        published="2026-02-09T06:02:11+01:00",
        modified="2026-02-10T16:00:00+01:00",
    )
    page(
        "tagesschau-grundsteuer",
        tagesschau("grundsteuer", **kw),
        slug="grundsteuer",
        day="2026-02-09",
        source_url=u,
        title=t,
    )
    page(
        "tagesschau-grundsteuer-amp",
        tagesschau_amp("grundsteuer", **kw),
        slug="grundsteuer",
        day="2026-02-09",
        source_url=u,
        title=t,
    )

    u = "https://www.spiegel.de/wirtschaft/service/deutschlandticket-preis-63-euro-fragen-a-4f1c2d.html"
    t = ARTICLES["deutschlandticket"]["title"]
    page(
        "spiegel-deutschlandticket",
        spiegel("deutschlandticket", url=u, published="2026-01-31T18:02:11+01:00"),
        slug="deutschlandticket",
        day="2026-01-31",
        source_url=u,
        title=t,
    )
    u = "https://www.spiegel.de/politik/deutschland/wehrdienst-fragebogen-a-77aa10.html"
    t = ARTICLES["wehrdienst"]["title"]
    page(
        "spiegel-wehrdienst",
        spiegel("wehrdienst", url=u, published="2026-01-05T07:45:00+01:00"),
        slug="wehrdienst",
        day="2026-01-05",
        source_url=u,
        title=t,
    )

    u = "https://www.zeit.de/wirtschaft/2026-02/co2-preis-benzin-heizen-faq"
    t = ARTICLES["co2preis"]["title"]
    page(
        "zeit-co2preis",
        zeit("co2preis", url=u, published="2026-02-03T14:27:46+01:00"),
        slug="co2preis",
        day="2026-02-03",
        source_url=u,
        title=f"{t} | ZEIT ONLINE",
        # The summary in the article's header is its standfirst: the lead's start.
        with_lead=[
            ZEIT_SUMMARY,
            *(one_line(p) for p in paragraphs_of(ARTICLES["co2preis"])[0]),
        ],
    )
    u = "https://www.zeit.de/gesundheit/2026-01/grippewelle-impfung-fragen"
    t = ARTICLES["grippewelle"]["title"]
    page(
        "zeit-grippewelle",
        zeit("grippewelle", url=u, published="2026-01-20T00:30:00+01:00"),
        slug="grippewelle",
        day="2026-01-20",
        source_url=u,
        title=f"{t} | ZEIT ONLINE",
        # The summary in the article's header is its standfirst: the lead's start.
        with_lead=[
            ZEIT_SUMMARY,
            *(one_line(p) for p in paragraphs_of(ARTICLES["grippewelle"])[0]),
        ],
    )

    u = "https://www.sueddeutsche.de/muenchen/glatteis-raeumpflicht-fragen-antworten-lux.4Hk2"
    t = ARTICLES["glatteis"]["title"]
    page(
        "sz-glatteis",
        sz("glatteis", url=u, published="2026-01-14T16:33:00+01:00"),
        slug="glatteis",
        day="2026-01-14",
        source_url=u,
        title=t,
    )
    u = "https://www.sueddeutsche.de/wirtschaft/heizungsgesetz-oelheizung-gasheizung-lux.9Pq"
    t = ARTICLES["heizungsgesetz"]["title"]
    page(
        "sz-heizungsgesetz",
        sz("heizungsgesetz", url=u, published="2026-02-01T22:50:00Z"),
        slug="heizungsgesetz",
        day="2026-02-01",
        source_url=u,
        title=t,
    )

    u = "https://www.faz.net/aktuell/finanzen/rentenerhoehung-juli-2026-fragen-110123456.html"
    t = ARTICLES["rente"]["title"]
    page(
        "faz-rente",
        faz(
            "rente",
            url=u,
            published="2026-02-12T11:04:00+0100",
            modified="2026-02-14T09:12:00+0100",
        ),
        slug="rente",
        day="2026-02-12",
        source_url=u,
        title=t,
    )
    u = "https://www.faz.net/aktuell/wirtschaft/us-zoelle-eu-deutschland-fragen-110654321.html"
    t = ARTICLES["zoelle"]["title"]
    page(
        "faz-zoelle",
        faz(
            "zoelle",
            url=u,
            published="2026-02-06",
            modified="2026-02-07T08:00:00+01:00",
        ),
        slug="zoelle",
        day="2026-02-06",
        source_url=u,
        title=t,
    )

    t = ARTICLES["glatteis"]["title"]
    page(
        "regional-glatteis",
        regional("glatteis", url="", stand="Stand: 15.01.2026, 06:45 Uhr"),
        slug="glatteis",
        day="2026-01-15",
        source_url=None,
        title=t,
    )
    t = ARTICLES["karneval"]["title"]
    page(
        "regional-karneval",
        regional("karneval", url="", stand="Stand: 12. Februar 2026"),
        slug="karneval",
        day="2026-02-12",
        source_url="https://www.lokalzeitung.example/koeln/karneval-faq-123.html",
        title=t,
        url="https://www.lokalzeitung.example/koeln/karneval-faq-123.html",
    )

    u = "https://stadtblog.example/2026/02/mietpreisbremse-verlaengert/"
    t = ARTICLES["mietpreisbremse"]["title"]
    page(
        "wordpress-mietpreisbremse",
        gutenberg("mietpreisbremse", url=u, published="2026-02-12T07:00:00+00:00"),
        slug="mietpreisbremse",
        day="2026-02-12",
        source_url=u,
        title=f"{t} \u2013 Stadtblog Musterstadt",
    )
    u = "https://ratgeber-geld.example/steuererklaerung-2025-fristen/"
    t = ARTICLES["steuererklaerung"]["title"]
    page(
        "yoast-steuererklaerung",
        yoast("steuererklaerung", url=u, published="2026-01-28T09:15:00+00:00"),
        slug="steuererklaerung",
        day="2026-01-28",
        source_url=u,
        title=t,
    )

    u = "https://www.rundfunk-sued.example/nachrichten/olympia-2026-fragen-100.html"
    t = ARTICLES["olympia"]["title"]
    page(
        "broadcaster-olympia",
        broadcaster("olympia", url=u, published="2026-02-05T11:30:00+01:00"),
        slug="olympia",
        day="2026-02-05",
        source_url=u,
        title=f"{t} - Nachrichten - Rundfunk Süd",
    )
    u = "https://www.rundfunk-sued.example/nachrichten/vogelgrippe-stallpflicht-100.html"
    t = ARTICLES["vogelgrippe"]["title"]
    page(
        "broadcaster-vogelgrippe",
        broadcaster("vogelgrippe", url=u, published="2026-01-09"),
        slug="vogelgrippe",
        day="2026-01-09",
        source_url=u,
        title=f"{t} - Nachrichten - Rundfunk Süd",
    )

    u = "https://www.bmfsfj.example/faq/elterngeld"
    t = ARTICLES["elterngeld"]["title"]
    page(
        "ministry-elterngeld",
        ministry("elterngeld", url=u, stand="03.02.2026"),
        slug="elterngeld",
        day="2026-02-03",
        source_url=u,
        title=f"Bundesministerium für Beispiele - FAQ: {t}",
        url=u,
        with_lead=False,
    )
    u = "https://www.verbraucherzentrale.example/wissen/krankenkasse-wechseln-12345"
    t = ARTICLES["krankenkasse"]["title"]
    page(
        "vzbv-krankenkasse",
        vzbv("krankenkasse", url=u, published="2026-01-12T10:00:00+01:00"),
        slug="krankenkasse",
        day="2026-01-12",
        source_url=u,
        title=f"{t} | Verbraucherzentrale",
        # The Drupal teaser field is the article's own intro; the list under
        # "Das Wichtigste in Kürze" comes after a heading, so it is no lead.
        with_lead=[
            *(one_line(p) for p in paragraphs_of(ARTICLES["krankenkasse"])[0]),
        ],
    )

    u = "https://www.kreisbote.example/lokales/2026/01/22/mindestlohn-fragen.html"
    t = ARTICLES["mindestlohn"]["title"]
    page(
        "bold-mindestlohn",
        bold_paragraphs("mindestlohn", url=u),
        slug="mindestlohn",
        day="2026-01-22",
        source_url=u,
        title=f"{t} - Kreisbote Online",
        url=u,
    )
    u = "https://www.musterzeitung.example/politik/stromsteuer-gesenkt-fragen-id4711.html"
    t = ARTICLES["stromsteuer"]["title"]
    page(
        "boldbreak-stromsteuer",
        bold_break("stromsteuer", url=u, published="2026-01-02T08:00:00+01:00"),
        slug="stromsteuer",
        day="2026-01-02",
        source_url=u,
        title=t,
    )

    u = "https://www.krankenkasse.example/ratgeber/patientenakte-faq"
    t = ARTICLES["patientenakte"]["title"]
    page(
        "jsonld-only-patientenakte",
        jsonld_only("patientenakte", url=u, published="2026-01-15T08:00:00+01:00"),
        slug="patientenakte",
        day="2026-01-15",
        source_url=u,
        title=t,
    )
    u = "https://www.stadtwerke.example/service/co2-preis-faq"
    t = ARTICLES["co2preis"]["title"]
    page(
        "microdata-co2preis",
        microdata("co2preis", url=u, published="2026-01-30"),
        slug="co2preis",
        day="2026-01-30",
        source_url=u,
        title=f"{t} | Stadtwerke Beispielstadt",
    )
    u = "https://www.mdr-beispiel.example/nachrichten/landtagswahl-bw-fragen-100.html"
    t = ARTICLES["wahl-bw"]["title"]
    page(
        "sections-wahl",
        sections("wahl-bw", url=u, published="2026-02-20T19:00:00+01:00"),
        slug="wahl-bw",
        day="2026-02-20",
        source_url=u,
        title=t,
    )
    u = "https://www.mdr-beispiel.example/ratgeber/handyverbot-schulen-100.html"
    t = ARTICLES["handyverbot"]["title"]
    page(
        "sections-handyverbot",
        sections("handyverbot", url=u, published="2026-01-07T05:00:00+01:00"),
        slug="handyverbot",
        day="2026-01-07",
        source_url=u,
        title=t,
    )

    t = ARTICLES["mindestlohn"]["title"]
    page(
        "cp1252-declared",
        old_cms_cp1252("mindestlohn", meta="windows-1252", stand="07.01.2026"),
        encoding="cp1252",
        content_type="text/html",
        slug="mindestlohn",
        day="2026-01-07",
        title=t,
    )
    t = ARTICLES["zoelle"]["title"]
    page(
        "cp1252-latin1-label",
        old_cms_cp1252("zoelle", meta="iso-8859-1", stand="08.02.2026"),
        encoding="cp1252",
        content_type=None,
        slug="zoelle",
        day="2026-02-08",
        title=t,
    )
    t = ARTICLES["karneval"]["title"]
    page(
        "cp1252-undeclared",
        old_cms_cp1252("karneval", meta=None, stand="11.02.2026"),
        encoding="cp1252",
        content_type=None,
        slug="karneval",
        day="2026-02-11",
        title=t,
    )

    # --- must be rejected ---
    nodate = bold_paragraphs("elterngeld", url="").replace("<h1>", "<h1 class='t'>")
    page(
        "reject-no-date",
        nodate,
        url="https://www.kreisbote.example/lokales/elterngeld-fragen.html",
        error="NoPublicationDate",
    )
    page("reject-no-question", NO_QUESTION, error="NoQuestionFound")
    page("reject-teasers-only", TEASERS_ONLY, error="NoQuestionFound")
    page("reject-empty", b"", error="NotHtml")
    page("reject-pdf", PDF, content_type="application/pdf", error="NotHtml")
    page("reject-png", PNG, content_type="text/html", error="NotHtml")
    page(
        "reject-plain-text",
        "date 2026-01-06 Was nun?\n\nEine Antwort.\n",
        content_type="text/plain",
        error="NotHtml",
    )
    page(
        "reject-bad-charset",
        "<!DOCTYPE html><html><head><meta charset=utf-8><title>x</title></head><body><h2>Was nun?</h2><p>Gr\u00fc\u00dfe</p></body></html>".encode(
            "cp1252"
        ),
        content_type="text/html; charset=utf-8",
        error="UndecodableHtml",
    )

    (HERE / "pages.json").write_text(
        json.dumps(PAGES, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


NO_QUESTION = """<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Stadtrat beschließt neuen Haushalt</title>
<meta property="article:published_time" content="2026-02-10T18:00:00+01:00"></head>
<body><nav><ul><li><a href="/">Start</a></li><li><a href="/fragen/">Was ist los in der Stadt?</a></li></ul></nav>
<main><article><h1>Stadtrat beschließt neuen Haushalt</h1>
<p>Der Stadtrat hat am Dienstagabend den Haushalt für das laufende Jahr beschlossen. Die Stadt will mehr Geld in Schulen und Straßen stecken.</p>
<h2>Mehr Geld für Schulen</h2><p>Rund 12 Millionen Euro sind für die Sanierung von drei Grundschulen vorgesehen. Die Arbeiten sollen im Sommer beginnen.</p>
<h2>Kritik der Opposition</h2><p>Die Opposition kritisierte die neuen Schulden. Wer soll das bezahlen, fragte ein Stadtrat. Die Mehrheit stimmte dennoch zu.</p>
<p>Wie geht es weiter? Der Haushalt muss noch von der Kommunalaufsicht genehmigt werden.</p>
</article>
<aside class="related"><h2>Mehr aus der Stadt</h2><article class="teaser"><h3><a href="/x">Warum wird die Brücke gesperrt?</a></h3></article>
<article class="teaser"><a href="/y"><h3>Was kostet das neue Hallenbad?</h3><p>Die Pläne im Überblick.</p></a></article></aside>
</main><footer><h3>Haben Sie Fragen?</h3><p>Schreiben Sie uns.</p></footer></body></html>
"""

TEASERS_ONLY = """<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Ratgeber - Übersicht</title>
<meta property="article:published_time" content="2026-02-10T18:00:00+01:00"></head>
<body><header><nav><a href="/">Start</a></nav></header>
<main><h1>Ratgeber</h1>
<div class="teaser-grid">
<article class="teaser"><a href="/a"><h2>Wie kündige ich meinen Stromvertrag?</h2><p>Fristen, Formulare und Fallstricke im Überblick.</p></a></article>
<article class="teaser"><h2 class="teaser__title"><a href="/b">Was tun, wenn die Heizung ausfällt?</a></h2><p class="teaser__text">Wer zahlt die Reparatur, und wann darf man die Miete mindern?</p></article>
<article class="teaser"><h2 class="teaser__title"><a href="/c">Wann verjährt eine Rechnung?</a></h2></article>
</div>
<div class="newsletter"><h2>Sie wollen keinen Ratgeber verpassen?</h2><p>Abonnieren Sie jetzt unseren Newsletter und erhalten Sie jede Woche die besten Tipps.</p></div>
</main>
<footer><div class="contact"><h3>Sie haben Fragen?</h3><p>Unser Team hilft Ihnen gern weiter. Rufen Sie uns an.</p></div></footer></body></html>
"""

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = (
    bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")
    + b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


if __name__ == "__main__":
    build()
