"""The peer: Datasette serving briefing's SQLite file, as an ASGI app for gunicorn.

BENCH_DB names the file; the canned query `latest` is the equivalent of
GET /v1/questions/{id}/latest (the same joins, order and limit).
"""

import os
from pathlib import Path

from datasette.app import Datasette

LATEST = """
SELECT q.id AS question_id, r.question, r.published, r.paragraphs,
       r.question_start, r.question_end, r.answer_start, r.answer_end,
       a.id AS article_id, a.source, a.sha256, a.ingested_at, a.parser_version
FROM records r
JOIN articles a ON a.pk = r.article_pk
JOIN questions q ON q.pk = r.question_pk
WHERE q.id = :qid AND r.answer_start IS NOT NULL
ORDER BY r.published DESC, r.article_pk DESC, r.position DESC
LIMIT 1
"""

DATABASE = os.environ["BENCH_DB"]
NAME = Path(DATABASE).stem

# Immutable mode is Datasette's fastest: no change checks per request.
app = Datasette(
    immutables=[DATABASE],
    metadata={"databases": {NAME: {"queries": {"latest": {"sql": LATEST}}}}},
    settings={"num_sql_threads": 4},
).app()
