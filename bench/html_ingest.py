"""Web pages in: `briefing ingest` of HTML pages, and a POST of a 150 kB page.

    python bench/html_ingest.py          # writes its section of docs/html.md

Targets: `briefing ingest` of pages >= 200 pages/s on this machine; a POST of
a typical 150 kB page answered in <= 50 ms at the median. Every page is made
unique (one sentence of an answer names its number), so each is stored.
"""

from __future__ import annotations

import http.client
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from html_reader import GOOD, PAGES, big_page  # noqa: E402
from run import OUT, VENV_BIN, _clean_env, briefing, free_port  # noqa: E402

from service.parsing.html import extract_article  # noqa: E402

DOC = BENCH.parent / "docs" / "html.md"
MARK = "<!-- bench/html_ingest.py -->"
TOKEN = "bench-token-0123456789"
POSTS = 200
STREIK = b"Wie lange soll der Streik dauern?"  # big_page()'s first question
# A test page whose only date is in its address, which a file has not.
DATED_BY_URL = {"bold-mindestlohn"}


def unique(page: bytes, question: bytes, number: int) -> bytes:
    """The page with a paragraph naming `number` after its first question."""
    return re.sub(
        re.escape(question) + rb"\s*</[^>]+>",
        lambda found: found.group(0) + f"<p>Fassung {number}.</p>".encode(),
        page,
        count=1,
    )


def with_question(page: bytes, expected: Path) -> tuple[bytes, bytes] | None:
    """The page and its first question, if unique() makes other articles of it."""
    for line in expected.read_text(encoding="utf-8").splitlines()[1:]:
        if line.endswith("?"):
            question = line.encode()
            texts = {extract_article(unique(page, question, n)).text for n in (1, 2)}
            return (page, question) if len(texts) == 2 else None
    return None


def folder_of(name: str, pages: list[tuple[bytes, bytes]], copies: int) -> Path:
    folder = OUT / f"html-{name}"
    if folder.exists():
        for old in folder.iterdir():
            old.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(copies):
        page, question = pages[number % len(pages)]
        (folder / f"{number:05d}.html").write_bytes(unique(page, question, number))
    return folder


def ingest_rate(folder: Path) -> dict[str, float]:
    """Pages per second of `briefing ingest`, its fixed start-up left out."""
    database = OUT / f"{folder.name}.sqlite3"
    for leftover in OUT.glob(f"{folder.name}.sqlite3*"):
        leftover.unlink()
    env = {**_clean_env(), "BRIEFING_DATABASE_URL": f"sqlite:///{database}"}
    run = [str(VENV_BIN / "briefing")]
    subprocess.run([*run, "db", "upgrade"], env=env, check=True, capture_output=True)
    files = len(list(folder.iterdir()))
    started = time.perf_counter()
    done = subprocess.run([*run, "ingest", str(folder)], env=env, capture_output=True)
    seconds = time.perf_counter() - started
    empty = OUT / "empty"
    empty.mkdir(exist_ok=True)
    started = time.perf_counter()
    subprocess.run(
        [*run, "ingest", str(empty)], env=env, check=True, capture_output=True
    )
    startup = time.perf_counter() - started
    summary = done.stdout.decode().strip().splitlines()[-1]
    return {
        "pages": files,
        "seconds": round(seconds, 2),
        "startup": round(startup, 2),
        "per_s": round(files / (seconds - startup)),
        "summary": summary,
    }


def post_latency() -> dict[str, float]:
    """Median and 90th percentile of POSTing distinct 150 kB pages, one at a time."""
    page = big_page()
    question = STREIK
    database = OUT / "html-post.sqlite3"
    for leftover in OUT.glob("html-post.sqlite3*"):
        leftover.unlink()
    env = {**_clean_env(), "BRIEFING_DATABASE_URL": f"sqlite:///{database}"}
    subprocess.run(
        [str(VENV_BIN / "briefing"), "db", "upgrade"],
        env=env,
        check=True,
        capture_output=True,
    )
    port = free_port()
    seconds: list[float] = []
    with briefing(database, port, {"BRIEFING_API_TOKENS": TOKEN}):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for number in range(POSTS + 10):
            body = unique(page, question, number)
            started = time.perf_counter()
            conn.request(
                "POST",
                "/v1/articles",
                body=body,
                headers={
                    "Authorization": f"Bearer {TOKEN}",
                    "Content-Type": "text/html; charset=utf-8",
                },
            )
            response = conn.getresponse()
            response.read()
            if response.status != 201:
                raise RuntimeError(f"POST answered {response.status}")
            if number >= 10:  # the first ones warm the worker
                seconds.append(time.perf_counter() - started)
        conn.close()
    cuts = statistics.quantiles(seconds, n=10)
    return {
        "bytes": len(page),
        "p50_ms": round(statistics.median(seconds) * 1000, 1),
        "p90_ms": round(cuts[8] * 1000, 1),
    }


def main() -> int:
    OUT.mkdir(exist_ok=True)
    # Pages dated only by their URL (which a file has not) are left out.
    mixed = [
        found
        for entry in GOOD
        if entry["name"] not in DATED_BY_URL
        if (
            found := with_question(
                (PAGES / f"{entry['name']}.html").read_bytes(),
                PAGES / f"{entry['name']}.expected.txt",
            )
        )
    ]
    big = big_page()
    small = ingest_rate(folder_of("mixed", mixed, 2000))
    large = ingest_rate(folder_of("large", [(big, STREIK)], 500))
    post = post_latency()
    lines = [
        MARK,
        "## Speed of the whole path (`bench/html_ingest.py`)",
        "",
        "`briefing ingest` of a folder of pages into a fresh SQLite file (the start-up",
        "of the command, measured on an empty folder, left out), and POSTs of distinct",
        "150 kB pages to briefing under gunicorn, one at a time. Target: >= 200 pages/s",
        "and a median POST <= 50 ms.",
        "",
        "| what | pages | pages/s | seconds | start-up s |",
        "|---|---:|---:|---:|---:|",
        f"| test pages (mixed styles) | {small['pages']} | {small['per_s']} | "
        f"{small['seconds']} | {small['startup']} |",
        f"| 150 kB pages | {large['pages']} | {large['per_s']} | "
        f"{large['seconds']} | {large['startup']} |",
        "",
        f"POST of a {post['bytes'] // 1000} kB page: p50 {post['p50_ms']} ms, "
        f"p90 {post['p90_ms']} ms ({POSTS} posts).",
        "",
    ]
    text = DOC.read_text(encoding="utf-8")
    head = text.split(MARK)[0].rstrip() + "\n\n"
    DOC.write_text(head + "\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    print(small["summary"], "|", large["summary"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
