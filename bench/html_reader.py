"""The HTML reader's speed, and how candidate libraries do on the test pages.

    python bench/html_reader.py            # speed of service.parsing.html only
    python bench/html_reader.py --libs     # also trafilatura, htmldate, extruct, lxml

The --libs part needs those packages installed (they are no dependency of
briefing); its figures are the evidence in docs/html.md.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.parsing import parse_article  # noqa: E402
from service.parsing.html import extract_article  # noqa: E402

PAGES = ROOT / "tests" / "pages"
ENTRIES = json.loads((PAGES / "pages.json").read_text(encoding="utf-8"))
GOOD = [e for e in ENTRIES if "error" not in e]


def big_page() -> bytes:
    """A ~150 kB page: the tagesschau-like test page with a real site's bulk around it."""
    page = (PAGES / "tagesschau-bahnstreik.html").read_text(encoding="utf-8")
    nav = "".join(
        f'<li class="nav__item"><a class="nav__link" href="/ressort/{i}/">Ressort {i}</a>'
        f'<ul class="nav__sub">{"".join(f"<li><a href=/r/{i}/{j}>Thema {j}</a></li>" for j in range(12))}</ul></li>'
        for i in range(40)
    )
    teasers = "".join(
        f'<div class="teaser"><a href="/t/{i}.html"><img src="/i/{i}.jpg" alt="">'
        f'<span class="teaser__topline">Thema {i}</span><h3 class="teaser__headline">Was bedeutet Meldung {i} für Sie?</h3>'
        f'<p class="teaser__shorttext">Eine kurze Zusammenfassung der Meldung Nummer {i} mit einigen Worten.</p></a></div>'
        for i in range(200)
    )
    script = (
        "<script>"
        + "window.__STATE__="
        + json.dumps({"items": [{"id": i, "t": "x" * 40} for i in range(600)]})
        + "</script>"
    )
    svg = (
        "<svg style='display:none'>"
        + "".join(
            f"<symbol id='i{i}'><path d='M0 0L{i} {i}Z'/></symbol>" for i in range(300)
        )
        + "</svg>"
    )
    footer = (
        "<div class='footer-links'>"
        + "".join(f"<a href='/f/{i}'>Link {i}</a> " for i in range(200))
        + "</div>"
    )
    page = page.replace("<body>", "<body>" + svg + f'<nav class="mega">{nav}</nav>', 1)
    page = page.replace(
        "</main>", f'<section class="teaser-wall">{teasers}</section></main>{footer}', 1
    )
    page = page.replace("</head>", script + "</head>", 1)
    return page.encode("utf-8")


def rate(function, pages: list[bytes], seconds: float = 3.0) -> tuple[float, float]:
    """Pages per second over `pages`, and the median milliseconds of one (CPU time)."""
    for raw in pages:
        function(raw)
    times: list[float] = []
    start = time.process_time()
    while time.process_time() - start < seconds:
        for raw in pages:
            t0 = time.process_time()
            function(raw)
            times.append(time.process_time() - t0)
    times.sort()
    return len(times) / sum(times), times[len(times) // 2] * 1000


def speed() -> None:
    raws = [(PAGES / f"{e['name']}.html").read_bytes() for e in GOOD]
    context = {
        raw: (e["content_type"], e["url"]) for raw, e in zip(raws, GOOD, strict=True)
    }
    big = big_page()

    def one(raw: bytes) -> None:
        content_type, url = context[raw]
        extract_article(raw, content_type=content_type, url=url)

    per_s, median = rate(one, raws)
    print(
        f"test pages ({len(raws)}, {sum(map(len, raws)) // len(raws) // 1000} kB mean): "
        f"{per_s:.0f} pages/s, median {median:.2f} ms"
    )
    per_s, median = rate(extract_article, [big])
    print(f"{len(big) // 1000} kB page: {per_s:.0f} pages/s, median {median:.2f} ms")

    def both(raw: bytes) -> None:
        parse_article(extract_article(raw).text.encode("utf-8"), source="x")

    per_s, median = rate(both, [big])
    print(
        f"{len(big) // 1000} kB page, extract + parse_article: {per_s:.0f} pages/s, median {median:.2f} ms"
    )


def questions_of(entry) -> list[str]:
    text = (PAGES / f"{entry['name']}.expected.txt").read_text(encoding="utf-8")
    return [r.question for r in parse_article(text.encode(), source="x").records]


def libraries() -> None:
    import extruct
    import htmldate
    import lxml.html
    import trafilatura
    from selectolax.lexbor import LexborHTMLParser

    raws = {e["name"]: (PAGES / f"{e['name']}.html").read_bytes() for e in GOOD}
    big = big_page()

    # trafilatura: are the questions kept as headings, and does noise get in?
    kept = total = leaked = pages_all = 0
    for entry in GOOD:
        xml = (
            trafilatura.extract(
                raws[entry["name"]],
                output_format="xml",
                include_comments=False,
                favor_recall=False,
            )
            or ""
        )
        heads = [
            re.sub(r"\s+", " ", h).strip()
            for h in re.findall(r"<head[^>]*>(.*?)</head>", xml, re.S)
        ]
        expected = questions_of(entry)
        got = sum(q in heads for q in expected)
        kept += got
        total += len(expected)
        pages_all += got == len(expected)
        leaked += sum(1 for h in heads if h.endswith("?") and h not in expected)
    t_rate, t_ms = rate(
        lambda raw: trafilatura.extract(raw, output_format="xml"), [big], 2.0
    )
    print(
        f"trafilatura {trafilatura.__version__}: questions kept as <head> {kept}/{total}, "
        f"pages with all questions {pages_all}/{len(GOOD)}, foreign '?' headings {leaked}, "
        f"{t_ms:.1f} ms on the big page"
    )

    # htmldate: the same day as the contract's precedence?
    same = 0
    wrong = []
    for entry in GOOD:
        found = htmldate.find_date(
            raws[entry["name"]], original_date=True, url=entry["url"]
        )
        if found == entry["published"]:
            same += 1
        else:
            wrong.append(f"{entry['name']}: {found} (want {entry['published']})")
    h_rate, h_ms = rate(
        lambda raw: htmldate.find_date(raw, original_date=True), [big], 2.0
    )
    print(
        f"htmldate {htmldate.__version__}: same day {same}/{len(GOOD)}, {h_ms:.1f} ms on the big page"
    )
    for line in wrong:
        print("   ", line)

    # extruct vs json.loads of the ld+json scripts
    def by_hand(raw: bytes) -> list:
        tree = LexborHTMLParser(raw.decode("utf-8", "replace"))
        out = []
        for script in tree.css('script[type*="ld+json" i]'):
            with contextlib.suppress(ValueError):
                out.append(json.loads(script.text(), strict=False))
        return out

    agree = 0
    for raw in raws.values():
        ext = extruct.extract(
            raw.decode("utf-8", "replace"), syntaxes=["json-ld"], uniform=False
        )["json-ld"]
        mine = []
        for item in by_hand(raw):
            mine.extend(item if isinstance(item, list) else [item])
        agree += ext == mine
    e_rate, e_ms = rate(
        lambda raw: extruct.extract(raw.decode(), syntaxes=["json-ld", "microdata"]),
        [big],
        2.0,
    )
    m_rate, m_ms = rate(by_hand, [big], 2.0)
    print(
        f"extruct: JSON-LD equal to json.loads on {agree}/{len(raws)} pages; json-ld+microdata "
        f"{e_ms:.1f} ms vs selectolax+json.loads {m_ms:.2f} ms on the big page"
    )

    # parsers: lxml vs selectolax (lexbor), parse only
    text = big.decode()
    l_rate, l_ms = rate(lambda raw: lxml.html.document_fromstring(text), [big], 2.0)
    s_rate, s_ms = rate(lambda raw: LexborHTMLParser(text), [big], 2.0)
    print(f"parse the big page: lxml {l_ms:.2f} ms, selectolax/lexbor {s_ms:.2f} ms")


if __name__ == "__main__":
    speed()
    if "--libs" in sys.argv:
        libraries()
