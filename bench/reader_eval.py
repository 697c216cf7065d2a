"""How well the readers find an article's date, lead, questions and answers.

    python bench/reader_eval.py                  # bench/html_heldout
    python bench/reader_eval.py --set DIR        # DIR/*.html or *.txt, DIR/expected.json
    python bench/reader_eval.py --misses         # and what each file got wrong

A set is files with an expected.json written apart from the readers: per file
its name (and for a page its content type and URL), then either the date,
the lead paragraphs and the questions with their answer paragraphs, or an
`error` (the file must be rejected; for plain text, with its `line`). A page
(.html) goes through service.parsing.html and then the text reader; a .txt
file through the text reader alone. Scores: files read or rejected rightly,
right dates, questions found (recall) and kept that are no question of the
article (precision), answers and leads right. A page's answer is right when
its words are the expected ones (paragraph breaks and the "; " that joins
list items aside: a list read as one paragraph or as several is the same
answer); a text's paragraphs must be the expected ones exactly.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.errors import ArticleParseError  # noqa: E402
from service.parsing import parse_article  # noqa: E402
from service.parsing.html import extract_article  # noqa: E402

HELDOUT = ROOT / "bench" / "html_heldout"


def words(paragraphs: list[str] | tuple[str, ...]) -> list[str]:
    # A list's or table's items are joined by "; " unless one ends a sentence
    # or a clause (docs/html.md): the same words as joined by spaces.
    return [word.removesuffix(";") for word in " ".join(paragraphs).split()]


def read(folder: Path, entry: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
    raw = (folder / entry["file"]).read_bytes()
    try:
        if entry["file"].endswith(".txt"):
            text = raw
        else:
            page = extract_article(
                raw, content_type=entry.get("content_type"), url=entry.get("url")
            )
            text = page.text.encode()
        parsed = parse_article(text, source=entry["file"])
    except ArticleParseError as error:
        return None, str(error)
    return {
        "date": parsed.published.isoformat(),
        "lead": list(parsed.lead),
        "questions": [
            {"q": record.question, "answer": list(record.paragraphs)}
            for record in parsed.records
        ],
    }, ""


def evaluate(folder: Path, misses: bool) -> dict[str, str]:
    entries = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    totals = dict.fromkeys(
        ("pages", "right", "dates", "wanted", "found", "kept", "answers", "leads"), 0
    )
    for entry in entries:
        got, error = read(folder, entry)
        same = words if entry["file"].endswith((".html", ".htm")) else list
        totals["pages"] += 1
        problems: list[str] = []
        if "error" in entry:
            line = entry.get("line")
            if got is None and (line is None or error.startswith(f"line {line}:")):
                totals["right"] += 1
            elif got is None:
                problems.append(f"rejected, but {error!r} (expected line {line})")
            else:
                problems.append(f"read, should be rejected ({entry['error']})")
        elif got is None:
            problems.append(f"rejected: {error}")
            totals["wanted"] += len(entry["questions"])
        else:
            totals["dates"] += got["date"] == entry["date"]
            if got["date"] != entry["date"]:
                problems.append(f"date {got['date']}, expected {entry['date']}")
            totals["leads"] += same(got["lead"]) == same(entry["lead"])
            if same(got["lead"]) != same(entry["lead"]):
                problems.append(f"lead {got['lead']!r}")
            found = {item["q"]: item["answer"] for item in got["questions"]}
            wanted = {item["q"]: item["answer"] for item in entry["questions"]}
            totals["wanted"] += len(wanted)
            totals["kept"] += len(found)
            for question, answer in wanted.items():
                if question not in found:
                    problems.append(f"missed question {question!r}")
                    continue
                totals["found"] += 1
                if same(found[question]) == same(answer):
                    totals["answers"] += 1
                else:
                    problems.append(
                        f"answer of {question!r}: {' '.join(found[question])!r}"
                    )
            for question in found.keys() - wanted.keys():
                problems.append(f"foreign question {question!r}")
            if not problems:
                totals["right"] += 1
        if misses and problems:
            print(f"{entry['file']}:")
            for problem in problems:
                print(f"    {problem}")
    readable = sum(1 for e in entries if "error" not in e)
    return {
        "files wholly right": f"{totals['right']}/{totals['pages']}",
        "dates": f"{totals['dates']}/{readable}",
        "question recall": f"{totals['found']}/{totals['wanted']}",
        "question precision": f"{totals['found']}/{totals['kept']}",
        "answers exact": f"{totals['answers']}/{totals['wanted']}",
        "leads exact": f"{totals['leads']}/{readable}",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=HELDOUT)
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    result = evaluate(args.set, args.misses)
    print("| measure | result |\n|---|---|")
    for name, value in result.items():
        print(f"| {name} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
