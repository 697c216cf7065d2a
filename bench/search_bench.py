"""Search and ask under load, against Datasette's own full-text search, and ingest cost.

    python bench/search_bench.py        # SEARCH_BENCH_SCALE=100k by default

Generates a corpus with bench/corpus.py (scale `100k`: 20,000 articles, 100,000
answers; `10k` and `1m` as there), ingests it twice with `briefing ingest` --
with the search index, and with the index's write path turned off -- and
builds, for Datasette, a table of the same answers with an FTS5 table beside
it (unicode61, diacritics removed). Then on 127.0.0.1: p50 of one request at a
time over distinct queries (every one a response-cache miss), and throughput
under the same wrk load as bench/run.py for briefing's /v1/search and /v1/ask
(with its response cache, and with it off) and Datasette's `?_search=`.
Results: a table on stdout and bench/out/search-bench.json.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import corpus  # noqa: E402
import run  # noqa: E402

OUT = BENCH / "out"
SCALE = os.environ.get("SEARCH_BENCH_SCALE", "100k")
corpus.SCALES.setdefault("100k", (20_000, 5, 10_000))
UNLOADED = 200  # distinct queries timed one at a time
# Ingest with the index's write path replaced by nothing: the cost it adds.
NO_INDEX = (
    "import sys; import service.store.search as s; s.add = lambda *a, **k: None;"
    " s.analyse = lambda parsed: {};"
    " from service.cli import main; sys.argv = ['briefing', 'ingest', sys.argv[1]];"
    " main()"
)


def ascii_fold(text: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae"})
    return text.translate(table)


def queries(count: int) -> list[str]:
    """Reader-like queries over the corpus' words: topic, place, group, a typo."""
    rng = random.Random("search-bench")
    made = []
    for _ in range(count):
        topic = ascii_fold(rng.choice(corpus.TOPICS)).lower()
        place = ascii_fold(rng.choice(corpus.PLACES)).lower()
        group = ascii_fold(rng.choice(corpus.GROUPS)).lower()
        kind = rng.randrange(4)
        if kind == 0:
            words = [topic, place]
        elif kind == 1:
            words = ["was", "bedeutet", "die", topic, "fuer", group]
        elif kind == 2:
            cut = rng.randrange(1, len(topic) - 2)
            words = [
                topic[:cut] + topic[cut + 1] + topic[cut] + topic[cut + 2 :],
                group,
            ]
        else:
            words = ["wer", "zahlt", topic, "in", place]
        made.append("+".join(words))
    return list(dict.fromkeys(made))


def ingest(folder: Path, database: Path, *, index: bool) -> float:
    """Ingest a corpus into a fresh database; return the seconds it took."""
    for leftover in database.parent.glob(database.name + "*"):
        leftover.unlink()
    env = {
        **run._clean_env(),
        "BRIEFING_DATABASE_URL": f"sqlite:///{database}",
        "PYTHONPATH": str(run.ROOT),
    }
    briefing = [sys.executable, "-c", "from service.cli import main; main()"]
    subprocess.run(
        [*briefing, "db", "upgrade"], env=env, check=True, capture_output=True
    )
    command = [*briefing, "ingest"] if index else [sys.executable, "-c", NO_INDEX]
    started = time.perf_counter()
    subprocess.run([*command, str(folder)], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def peer_database(source: Path, target: Path) -> None:
    """The same answers as a table with an FTS5 table, as Datasette searches them."""
    target.unlink(missing_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        dst.execute(
            "CREATE TABLE docs (id INTEGER PRIMARY KEY, question TEXT, answer TEXT)"
        )
        rows = src.execute(
            "SELECT pk, question, paragraphs FROM records WHERE answer_start IS NOT NULL"
        )
        dst.executemany(
            "INSERT INTO docs VALUES (?, ?, ?)",
            ((pk, q, " ".join(json.loads(p))) for pk, q, p in rows),
        )
        dst.execute(
            "CREATE VIRTUAL TABLE docs_fts USING fts5(question, answer,"
            " content='docs', content_rowid='id',"
            " tokenize='unicode61 remove_diacritics 2')"
        )
        dst.execute("INSERT INTO docs_fts (docs_fts) VALUES ('rebuild')")


def p50_ms(port: int, template: str, items: list[str]) -> float:
    took = []
    for item in items:
        url = f"http://127.0.0.1:{port}" + template.replace("{id}", item)
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
        took.append((time.perf_counter() - started) * 1000)
    return statistics.median(took)


def main() -> int:
    OUT.mkdir(exist_ok=True)
    run.ensure_tools()
    folder = OUT / f"corpus-{SCALE}"
    if not folder.exists():
        corpus.generate(SCALE, folder)
    indexed = OUT / f"search-{SCALE}.sqlite3"
    bare = OUT / f"search-{SCALE}-noindex.sqlite3"
    peer = OUT / f"search-peer-{SCALE}.sqlite3"
    with_index = ingest(folder, indexed, index=True)
    without = ingest(folder, bare, index=False)
    peer_database(indexed, peer)
    answers = run._count_answers(indexed)
    made = queries(UNLOADED + 300)
    cold, load = made[:UNLOADED], made[UNLOADED:]
    ids = OUT / "search-queries.txt"
    ids.write_text("\n".join(load) + "\n")
    ports = {name: run.free_port() for name in ("briefing", "nocache", "datasette")}
    paths = {
        "search": "/v1/search?q={id}",
        "ask": "/v1/ask?q={id}",
        "datasette": f"/{peer.stem}/docs.json?_search={{id}}&_size=20",
    }
    results: dict[str, object] = {
        "scale": SCALE,
        "answers": answers,
        "ingest_s": {"with_index": round(with_index, 1), "without": round(without, 1)},
        "ingest_cost": round(with_index / without - 1, 3),
    }
    with (
        run.briefing(indexed, ports["briefing"]) as briefing_pid,
        run.briefing(
            indexed, ports["nocache"], {"BRIEFING_RESPONSE_CACHE_ENTRIES": "0"}
        ) as nocache_pid,
        run.datasette(peer, ports["datasette"]) as datasette_pid,
    ):
        results["p50_unloaded_ms"] = {
            "search": round(p50_ms(ports["briefing"], paths["search"], cold), 2),
            "ask": round(p50_ms(ports["briefing"], paths["ask"], cold), 2),
            "datasette": round(p50_ms(ports["datasette"], paths["datasette"], cold), 2),
        }
        loaded = [
            ("briefing /v1/search", ports["briefing"], paths["search"], briefing_pid),
            ("briefing /v1/ask", ports["briefing"], paths["ask"], briefing_pid),
            (
                "briefing /v1/search, no cache",
                ports["nocache"],
                paths["search"],
                nocache_pid,
            ),
            ("briefing /v1/ask, no cache", ports["nocache"], paths["ask"], nocache_pid),
            (
                "Datasette ?_search=",
                ports["datasette"],
                paths["datasette"],
                datasette_pid,
            ),
        ]
        results["wrk"] = [
            run.wrk(name, port, path, pid, ids=ids).__dict__
            for name, port, path, pid in loaded
        ]
    (OUT / "search-bench.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
