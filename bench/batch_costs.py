"""What ingest batches cost on a big store: writer CPU, time per statement, pages.

    python bench/batch_costs.py STORE.sqlite3 [ARTICLES] [BATCHES]

Copies the store (e.g. bench/out/briefing-1m.sqlite3, left by `make bench`)
and writes BATCHES batches (default 5) of ARTICLES (default 2,000) new corpus
articles into the copy, as `briefing ingest` writes them: one write
transaction each, the command's garbage-collector settings, parsed and
analysed beforehand. For each batch it prints the writer's CPU time and wall
time an article; then, over every batch but the first, the time of each
statement (a SELECT's rows are fetched after its time is taken: they show as
Python); what parsing, analysing and pickling an article costs beside the
writer, and the most articles a second the two allow: the one writer thread
bounds the command, and so does all of its CPU shared among the machine's
cores; then the pages the last batch wrote to the WAL, by the table or index
that owns them.

The first batch on a copy finds SQLite's cache cold and every page it needs
read from the file: its statements cost several times what they cost once a
load is under way, so a change measured on it alone can look like a gain that
a steady load never sees. Compare the later batches' CPU times.
"""

from __future__ import annotations

import collections
import os
import pickle
import random
import shutil
import sqlite3
import struct
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

import corpus  # noqa: E402
from sqlalchemy import event  # noqa: E402

from service.cli import _few_collections, _read_and_parse  # noqa: E402
from service.store import begin_write, make_engine  # noqa: E402
from service.store.ingest import checkpoint, save_articles  # noqa: E402


def wal_pages(database: Path) -> collections.Counter[str]:
    """The pages in the database's WAL, counted by the table or index owning them."""
    wal = (database.parent / (database.name + "-wal")).read_bytes()
    size = struct.unpack(">I", wal[8:12])[0]
    pages = {
        struct.unpack(">I", wal[offset : offset + 4])[0]
        for offset in range(32, len(wal) - size - 23, size + 24)
    }
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
        owner = dict(conn.execute("SELECT pageno, name FROM dbstat"))
    return collections.Counter(owner.get(page, "(new)") for page in pages)


def main(store: Path, count: int, batches: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="batch-costs-"))
    database = work / "store.sqlite3"
    shutil.copy(store, database)
    rng = random.Random("batch-costs")
    _, _, pool = corpus.SCALES["1m"]
    for number in range(count * batches):
        day = date(2030, 1, 1) + timedelta(days=number // count)
        text = corpus.article(rng, day, rng.sample(range(pool), 5))
        (work / f"{number:06d}.txt").write_text(text, encoding="utf-8")
    started = time.process_time()
    items = [
        _read_and_parse(file, max_bytes=1 << 20, analyse=True)
        for file in sorted(work.glob("*.txt"))
    ]
    parse = (time.process_time() - started) / len(items)
    started = time.process_time()
    sent = [pickle.dumps(item) for item in items]
    dumps = (time.process_time() - started) / len(items)
    started = time.process_time()
    for data in sent:
        pickle.loads(data)
    loads = (time.process_time() - started) / len(items)
    del sent
    engine = make_engine(f"sqlite:///{database}")
    spent: collections.Counter[str] = collections.Counter()
    timing = False

    @event.listens_for(engine, "before_cursor_execute")
    def before(conn, cursor, statement, params, context, executemany) -> None:
        conn.info["started"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def after(conn, cursor, statement, params, context, executemany) -> None:
        if timing:
            spent[" ".join(statement.split())[:80]] += (
                time.perf_counter() - conn.info["started"]
            )

    cpu = []
    with _few_collections():
        for number in range(batches):
            if number == batches - 1:
                timing = False
                checkpoint(engine)  # the WAL holds the last batch alone
            timing = number > 0
            batch = items[number * count : (number + 1) * count]
            started, thread = time.perf_counter(), time.thread_time()
            with begin_write(engine, bulk=True) as conn:
                save_articles(conn, batch, ingested_at=datetime.now(UTC))
            took = time.thread_time() - thread
            wall = time.perf_counter() - started
            print(
                f"batch {number + 1}: writer CPU {1000 * took / count:.3f} ms an"
                f" article, wall {1000 * wall / count:.3f} ms"
            )
            if number:
                cpu.append(took)
    pages = wal_pages(database)
    engine.dispose()
    warm = max(1, batches - 1)
    if cpu:
        mean = 1000 * sum(cpu) / len(cpu) / count
        print(f"batches 2-{batches}: writer CPU {mean:.3f} ms an article")
        # What `briefing ingest` spends an article in all: its parsers read,
        # parse, analyse and pickle it; its own process unpickles and writes.
        spent_all = 1000 * (parse + dumps + loads) + mean
        cores = os.cpu_count() or 1
        print(
            f"parse and analyse {1000 * parse:.3f} ms, pickle {1000 * dumps:.3f},"
            f" unpickle {1000 * loads:.3f}: {spent_all:.3f} ms of CPU an article"
            f" with the writer's; at most {min(1000 / mean, 1000 * cores / spent_all):,.0f}"
            f" articles/s on {cores} cores at this size"
        )
    for statement, took in spent.most_common(15):
        print(f"{1000 * took / count / warm:8.3f} ms  {statement}")
    print(
        f"{sum(pages.values()):,} pages written by the last batch"
        f" ({sum(pages.values()) / count:.1f} an article):"
    )
    for name, number in pages.most_common(15):
        print(f"{number:8,}  {name}")
    shutil.rmtree(work)


if __name__ == "__main__":
    main(
        Path(sys.argv[1]),
        int(sys.argv[2]) if len(sys.argv) > 2 else 2000,
        int(sys.argv[3]) if len(sys.argv) > 3 else 5,
    )
