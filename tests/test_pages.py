"""The pages for people: plain HTML checks, then a real browser on real gunicorn."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import LiveServer

STAND = "was-ist-der-derzeitige-stand-der-friedensgespraeche_f4e79409f3"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(
    os.environ.get(
        "BRIEFING_TEST_ARTIFACTS", Path(__file__).parent.parent / "test-artifacts"
    )
)


def test_the_pages_are_german_html_with_nothing_from_elsewhere(seeded: Flask) -> None:
    client = seeded.test_client()
    for path in ("/", f"/questions/{STAND}"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.content_type == "text/html; charset=utf-8"
        html = response.get_data(as_text=True)
        assert '<html lang="de">' in html
        assert "<script" not in html
        # Every link and source stays on this origin.
        assert not re.findall(r'(?:href|src)="(?!/)', html)
        policy = response.headers["Content-Security-Policy"]
        assert policy.startswith("default-src 'none'; style-src 'sha256-")
        assert response.headers["ETag"]
    history = client.get(f"/questions/{STAND}").get_data(as_text=True)
    assert history.count('<section class="version"') == 2
    assert "<del>einer</del><ins>der</ins>" in history


def test_the_home_page_searches(seeded: Flask) -> None:
    client = seeded.test_client()
    assert '<form class="search"' in client.get("/").get_data(as_text=True)
    found = client.get("/?q=stand der friedensgespraeche").get_data(as_text=True)
    first = re.search(r'<a href="/questions/([^"]+)">', found)
    assert first and first.group(1) == STAND
    assert "<mark>" in found
    nothing = client.get("/?q=Quantenchromodynamik").get_data(as_text=True)
    assert "Dazu ist keine Frage gespeichert." in nothing
    empty = client.get("/?q=")
    assert empty.status_code == 200  # an empty box: the list
    assert "zuletzt geänderte zuerst" in empty.get_data(as_text=True)


def test_the_pages_answer_problems_for_what_is_not_there(seeded: Flask) -> None:
    client = seeded.test_client()
    missing = client.get("/questions/gibt-es-nicht")
    assert missing.status_code == 404
    assert missing.content_type == "application/problem+json"
    bad = client.get("/?cursor=WyJ4IiwxXQ")
    assert bad.status_code in (400, 422)
    assert bad.content_type == "application/problem+json"


def test_the_question_list_pages_most_recently_changed_first(
    app: Flask, runner
) -> None:
    from tests.conftest import TOKEN, make_article

    client = app.test_client()
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/plain"}
    for i in range(53):
        text = make_article("2026-03-01", f"Frage Nummer {i}?", "Antwort.")
        assert client.post("/v1/articles", data=text, headers=auth).status_code == 201
    first = client.get("/").get_data(as_text=True)
    names = re.findall(r'<a href="/questions/([^"]+)">', first)
    assert names[:2] == ["frage-nummer-52", "frage-nummer-51"]
    assert len(names) == 50
    more = re.search(r'<a href="(\?cursor=[^"]+)" rel="next">', first)
    assert more
    rest = client.get("/" + more.group(1)).get_data(as_text=True)
    assert re.findall(r'<a href="/questions/([^"]+)">', rest) == [
        "frage-nummer-2",
        "frage-nummer-1",
        "frage-nummer-0",
    ]


@pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="needs chromium (.ci/run installs it)"
)
def test_a_real_browser_reads_a_questions_history(seeded_server: LiveServer) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox"], headless=True
        )
        try:
            phone = browser.new_page(viewport={"width": 390, "height": 844})
            violations: list[str] = []
            phone.on(
                "console",
                lambda message: (
                    violations.append(message.text) if message.type == "error" else None
                ),
            )
            phone.goto(seeded_server.url + "/")
            assert phone.locator("html").get_attribute("lang") == "de"
            # The search box: a reader's words find the question.
            phone.get_by_role("searchbox").fill("friedensgespräche stand")
            phone.get_by_role("button", name="Suchen").click()
            phone.wait_for_url("**/?q=*")
            assert phone.locator("ol.questions li a").first.inner_text() == (
                "Was ist der derzeitige Stand der Friedensgespräche?"
            )
            phone.go_back()
            phone.get_by_role(
                "link", name="Was ist der derzeitige Stand der Friedensgespräche?"
            ).click()
            phone.wait_for_url(f"**/questions/{STAND}")
            versions = phone.locator("section.version")
            assert versions.count() == 2
            newest = versions.nth(0)
            assert "9. Januar 2026" in newest.locator("h2").inner_text()
            assert "6. Januar 2026" in versions.nth(1).locator("h2").inner_text()
            inserted = newest.locator("ins").all_inner_texts()
            deleted = newest.locator("del").all_inner_texts()
            assert "der" in inserted and "einer" in deleted
            assert any("Selenskij" in text for text in inserted)
            assert any("Selenskyj" in text for text in deleted)
            assert versions.nth(1).locator("ins, del").count() == 0  # the first one
            # The inline stylesheet is allowed by its hash: the marks are coloured.
            background = newest.locator("ins").first.evaluate(
                "e => getComputedStyle(e).backgroundColor"
            )
            assert background not in ("rgba(0, 0, 0, 0)", "transparent")
            # Readable on a phone: nothing wider than the screen.
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 390
            phone.screenshot(path=str(ARTIFACTS / "question-page.png"), full_page=True)
            assert violations == []

            newest.get_by_role("link", name="Artikeltext").click()
            phone.wait_for_url("**/v1/articles/ff251b4db109e584/text")
            assert "Was ist der derzeitige Stand der Friedensgespräche?" in (
                phone.locator("body").inner_text()
            )
            phone.go_back()
            newest = phone.locator("section.version").nth(0)
            newest.get_by_role("link", name="Artikel", exact=True).click()
            phone.wait_for_url("**/v1/articles/ff251b4db109e584")
            assert '"id": "ff251b4db109e584"' in phone.locator("body").inner_text() or (
                '"id":"ff251b4db109e584"' in phone.locator("body").inner_text()
            )
        finally:
            browser.close()
    assert (ARTIFACTS / "question-page.png").stat().st_size > 10_000
