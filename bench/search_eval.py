"""How well /v1/search and /v1/ask find the right answer, against a plain BM25.

    python bench/search_eval.py            # a table by query kind on stdout
    python bench/search_eval.py --misses   # and every query that missed
    python bench/search_eval.py --set DIR  # another set: DIR/articles, DIR/queries.yaml

Ingests bench/search_eval/articles/ into a fresh SQLite store, asks every query
of bench/search_eval/queries.yaml through the API, and computes by kind: hit@1
and MRR@5 of /v1/search, how often /v1/ask's first match is right, and for
queries nothing answers, how often /v1/ask rightly says nothing. The baseline
is SQLite FTS5's bm25() over question and answer text (unicode61 tokenizer,
diacritics removed, the query's words OR-ed) on the same answers in force; as
a plain ranker it has no threshold, so it answers whenever a word matches.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service import create_app  # noqa: E402
from service.keys import question_id, question_key  # noqa: E402
from service.store import get_engine, upgrade  # noqa: E402

EVAL = ROOT / "bench" / "search_eval"
TOKEN = "eval-token-0123456789"


def load_queries(folder: Path = EVAL) -> list[dict[str, Any]]:
    queries: list[dict[str, Any]] = yaml.safe_load(
        (folder / "queries.yaml").read_text(encoding="utf-8")
    )
    for query in queries:
        expect = query["expect"]
        query["ids"] = (
            set()
            if expect == "none"
            else {question_id(question_key(e)) for e in expect}
        )
    return queries


class Baseline:
    """BM25 over the question and answer text of every stored answer (FTS5)."""

    def __init__(self, store: Path) -> None:
        self.store = sqlite3.connect(store)
        self.fts = sqlite3.connect(":memory:")
        self.fts.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(question, answer,"
            " tokenize='unicode61 remove_diacritics 2')"
        )
        rows = self.store.execute(
            "SELECT pk, question, paragraphs FROM records"
            " WHERE answer_start IS NOT NULL"
        ).fetchall()
        self.fts.executemany(
            "INSERT INTO docs (rowid, question, answer) VALUES (?, ?, ?)",
            [(pk, q, " ".join(yaml.safe_load(p))) for pk, q, p in rows],
        )

    def in_force(self, as_of: str | None) -> dict[int, tuple[str, str]]:
        """record pk -> (question id, published) of each question's answer in force."""
        rows = self.store.execute(
            "SELECT r.pk, q.id, r.published FROM records r"
            " JOIN questions q ON q.pk = r.question_pk"
            " WHERE r.answer_start IS NOT NULL AND r.published <= ?"
            " ORDER BY r.published, r.article_pk, r.position",
            (as_of or "9999-12-31",),
        ).fetchall()
        latest = {question: (pk, published) for pk, question, published in rows}
        return {pk: (question, day) for question, (pk, day) in latest.items()}

    def search(self, q: str, as_of: str | None) -> list[tuple[str, str]]:
        words = [w for w in "".join(c if c.isalnum() else " " for c in q).split()]
        if not words:
            return []
        match = " OR ".join(f'"{word}"' for word in words)
        force = self.in_force(as_of)
        ranked = self.fts.execute(
            "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs)", (match,)
        ).fetchall()
        return [force[pk] for (pk,) in ranked if pk in force][:5]


def evaluate(misses: bool, given: Path = EVAL) -> dict[str, dict[str, float]]:
    queries = load_queries(given)
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "eval.sqlite3"
        app = create_app(
            {
                "TESTING": True,
                "DATABASE_URL": f"sqlite:///{database}",
                "API_TOKENS": (TOKEN,),
            }
        )
        with app.app_context():
            upgrade(get_engine())
        result = app.test_cli_runner().invoke(args=["ingest", str(given / "articles")])
        assert result.exit_code == 0, result.output
        client = app.test_client()
        baseline = Baseline(database)
        totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for query in queries:
            params = {"q": query["q"], "limit": 5}
            if query.get("as_of"):
                params["as_of"] = query["as_of"]
            found = client.get("/v1/search", query_string=params).get_json()
            asked = client.get(
                "/v1/ask",
                query_string={k: v for k, v in params.items() if k != "limit"},
            ).get_json()
            ours = [
                (item["question"]["id"], item["answer"]["published"])
                for item in found["items"]
            ]
            answered = [
                (m["question"]["id"], m["answer"]["published"])
                for m in asked["matches"]
            ]
            theirs = baseline.search(query["q"], query.get("as_of"))
            row = totals[query["kind"]]
            row["n"] += 1
            for name, ranked, ask in (
                ("", ours, answered),
                ("bm25 ", theirs, theirs[:1]),
            ):
                _score(row, name, query, ranked, ask)
            if (
                misses
                and not _right(query, answered[:1])
                and (query["ids"] or answered)
            ):
                print(
                    f"MISS {query['kind']:<10} {query['q']!r}: search "
                    f"{[q for q, _ in ours[:3]]}, ask {[q for q, _ in answered]}"
                )
    return totals


def _right(query: dict[str, Any], ranked: list[tuple[str, str]]) -> bool:
    if not ranked:
        return not query["ids"]
    wanted = query.get("published")
    qid, published = ranked[0]
    return qid in query["ids"] and (wanted is None or published == wanted)


def _score(
    row: dict[str, float],
    name: str,
    query: dict[str, Any],
    ranked: list[tuple[str, str]],
    ask: list[tuple[str, str]],
) -> None:
    if not query["ids"]:
        row[name + "no-match"] += not ask
        return
    for rank, hit in enumerate(ranked[:5], 1):
        if _right(query, [hit]):
            row[name + "hit@1"] += rank == 1
            row[name + "mrr@5"] += 1 / rank
            break
    row[name + "ask@1"] += bool(ask) and _right(query, ask[:1])


COLUMNS = ("hit@1", "mrr@5", "ask@1", "no-match")


def report(totals: dict[str, dict[str, float]]) -> str:
    kinds = sorted(totals, key=lambda k: (k == "none", k))
    overall: dict[str, float] = defaultdict(float)
    answerable = sum(totals[k]["n"] for k in kinds if k != "none")
    lines = [
        "| kind | n | "
        + " | ".join(COLUMNS)
        + " | BM25 "
        + " | BM25 ".join(COLUMNS)
        + " |",
        "|---" * (2 + 2 * len(COLUMNS)) + "|",
    ]
    for kind in kinds:
        row = totals[kind]
        n = row["n"]
        cells = []
        for prefix in ("", "bm25 "):
            for column in COLUMNS:
                if (column == "no-match") != (kind == "none"):
                    cells.append("")
                    continue
                cells.append(f"{row[prefix + column] / n:.2f}")
                overall[prefix + column] += row[prefix + column]
        lines.append(f"| {kind} | {int(n)} | " + " | ".join(cells) + " |")
    none = totals["none"]["n"] if "none" in totals else 0
    cells = []
    for prefix in ("", "bm25 "):
        for column in COLUMNS:
            denominator = none if column == "no-match" else answerable
            cells.append(f"{overall[prefix + column] / max(denominator, 1):.2f}")
    lines.append(f"| **all** | {int(answerable + none)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list every miss")
    parser.add_argument(
        "--set",
        type=Path,
        default=EVAL,
        help="a folder with articles/ and queries.yaml (default: bench/search_eval)",
    )
    args = parser.parse_args()
    print(report(evaluate(args.misses, args.set)))


if __name__ == "__main__":
    main()
