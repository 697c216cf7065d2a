"""What one ingest batch costs on a big store: time per statement, pages written per table.

    python bench/batch_costs.py STORE.sqlite3 [ARTICLES]

Copies the store (e.g. bench/out/briefing-1m.sqlite3, left by `make bench`),
writes one batch of ARTICLES (default 2,000) new corpus articles into the copy
with `save_articles`, as `briefing ingest` does, and prints the time of each
statement (a SELECT's rows are fetched after its time is taken: they show as
Python) and the pages the batch wrote to the WAL, by the table or index that
owns them. A first batch on a copy finds SQLite's own cache cold: read the
figures against each other, not as a steady state.
"""

from __future__ import annotations

import collections
import random
import shutil
import sqlite3
import struct
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

import corpus  # noqa: E402
from sqlalchemy import create_engine, event  # noqa: E402

from service.cli import _read_and_parse  # noqa: E402
from service.store.ingest import save_articles  # noqa: E402


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


def main(store: Path, count: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="batch-costs-"))
    database = work / "store.sqlite3"
    shutil.copy(store, database)
    rng = random.Random("batch-costs")
    _, _, pool = corpus.SCALES["1m"]
    for number in range(count):
        text = corpus.article(rng, date(2030, 1, 1), rng.sample(range(pool), 5))
        (work / f"{number:05d}.txt").write_text(text, encoding="utf-8")
    items = [
        _read_and_parse(file, max_bytes=1 << 20, analyse=True)
        for file in sorted(work.glob("*.txt"))
    ]
    engine = create_engine(f"sqlite:///{database}")
    spent: collections.Counter[str] = collections.Counter()

    @event.listens_for(engine, "before_cursor_execute")
    def before(conn, cursor, statement, params, context, executemany) -> None:
        conn.info["started"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def after(conn, cursor, statement, params, context, executemany) -> None:
        spent[" ".join(statement.split())[:80]] += (
            time.perf_counter() - conn.info["started"]
        )

    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        conn.exec_driver_sql("PRAGMA wal_autocheckpoint=0")
        conn.commit()  # the pragmas began a transaction of their own
        started = time.perf_counter()
        with conn.begin():
            save_articles(conn, items, ingested_at=datetime.now(UTC))
        seconds = time.perf_counter() - started
        pages = wal_pages(database)
    print(f"{count} articles: {1000 * seconds / count:.3f} ms an article in all")
    for statement, took in spent.most_common(15):
        print(f"{1000 * took / count:8.3f} ms  {statement}")
    print(
        f"{sum(pages.values()):,} pages written ({sum(pages.values()) / count:.1f} an article):"
    )
    for name, number in pages.most_common(15):
        print(f"{number:8,}  {name}")
    engine.dispose()
    shutil.rmtree(work)


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 2000)
