"""briefing's cost table: instructions per request and per ingested article, under callgrind.

Wall time on a shared machine swings threefold from one minute to the next;
the instructions a request executes do not. `make bench-costs` (and `make
bench`, after its wrk runs) runs each measured process under valgrind's
callgrind and counts, in user space:

- per request, for each endpoint wrk measures: the same in-process WSGI call
  loop for briefing and for the bare Flask app (bench/hello_app.py), after a
  warm-up; briefing with its response cache warm (hits) and with it off
  (BRIEFING_RESPONSE_CACHE_ENTRIES=0: every request routes, queries and
  encodes, as a miss does);
- per ingested article: parsing and the store's batch write, as `briefing
  ingest` does them, into a fresh SQLite database.

Only the measured loop is counted: it runs inside `sys.call_tracing`, a C
function nothing else in these processes calls, and callgrind collects and
dumps exactly around it (`--toggle-collect`, `--dump-after`). The data is a
fixed small corpus (the seeds and bench/corpus.py's "small" scale) stored with
a fixed ingestion time, with PYTHONHASHSEED=0, a fixed environment and a frozen
clock, so a rerun gives the same counts, or nearly (`--twice` shows both
runs). The table goes into docs/benchmarks.md, between the markers
bench/run.py leaves for it, beside the wrk ratios it reads from there.

    python bench/costs.py            # measure, print, write docs/benchmarks.md
    python bench/costs.py --twice    # measure twice, show both (make bench-costs)
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out" / "costs"
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN = "<!-- bench/costs.py writes from here -->"
END = "<!-- bench/costs.py writes up to here -->"

WARM_UP = 50  # requests per endpoint before counting starts
REQUESTS = 200  # counted requests per endpoint
KEYS = 50  # distinct ids a looped endpoint cycles through
WARM_UP_ARTICLES = 50  # articles stored before the counted batch
BASE_URL = "http://127.0.0.1:8000"
AS_OF = "2025-06-01"
# A fixed ingestion time: the stored rows, and so every response, repeat exactly.
INGESTED_AT = datetime(2026, 1, 1, tzinfo=UTC)
REQUEST_ID = "0123456789abcdef0123456789abcdef"
MARKER = "sys_call_tracing"  # the C function of sys.call_tracing, in libpython
TOLERANCE = 0.02  # a larger difference between two runs fails the table

# (key, path template with {question}/{article}, wrk's name for it)
ENDPOINTS = [
    ("/latest", "/v1/questions/{question}/latest", "briefing /latest"),
    (
        "/answers/{date}",
        "/v1/questions/{question}/answers/" + AS_OF,
        "briefing /answers/{date}",
    ),
    ("/v1/questions page", "/v1/questions?limit=20", "briefing /v1/questions page"),
    (
        "/articles/{id}/text",
        "/v1/articles/{article}/text",
        "briefing /articles/{id}/text",
    ),
    ("/v1/answers/{id}", "/v1/answers/{version}", "briefing version /v1/answers/{id}"),
    ("TimeGate 302", "/v1/questions/{question}/timegate", "briefing TimeGate 302"),
]
# Request headers of an endpoint, by its key.
HEADERS = {"TimeGate 302": {"Accept-Datetime": "Sun, 01 Jun 2025 12:00:00 GMT"}}
HELLO = ("hello", "/hello", "bare Flask hello")

sys.path.insert(0, str(BENCH))


# --- the measured processes (run under valgrind) --------------------------------------


def _counted(work: Callable[[], Any]) -> Any:
    """Run `work` where callgrind counts it: inside sys.call_tracing, dumped after."""
    return sys.call_tracing(work, ())


def _freeze_clock() -> None:
    """Make time.time and time.perf_counter C calls that return one fixed value.

    Durations and timestamps then format alike in every run (with a running
    clock a request's count varied by some tens of instructions); a frozen
    call costs about what the real one costs in user space.
    """
    import time

    time.time = (1767225600.0).__float__
    time.perf_counter = (1000.0).__float__


def _environs(
    template: str, ids: dict[str, list[str]], headers: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    from werkzeug.test import EnvironBuilder

    paths = [template]
    for name, kind in (("question", "questions"), ("article", "articles")):
        if "{" + name + "}" in template:
            paths = [template.format(**{name: value}) for value in ids[kind]]
    if "{version}" in template:
        paths = [template.format(version=value) for value in ids["versions"]]
    environs = []
    for path in paths:
        builder = EnvironBuilder(path=path, base_url=BASE_URL, headers=headers)
        environ = builder.get_environ()
        builder.close()
        environ["REMOTE_ADDR"] = "127.0.0.1"
        # nginx gives every request an X-Request-ID (deploy/nginx.conf). Without
        # one briefing makes a random id, and a miss's count varied by 0.1%.
        environ["HTTP_X_REQUEST_ID"] = REQUEST_ID
        environs.append(environ)
    return environs


def _loop(
    app: Callable[..., Iterable[bytes]],
    environs: list[dict[str, Any]],
    count: int,
    statuses: dict[str, int],
) -> None:
    """The WSGI call loop every app gets: a fresh environ, start_response, the body read."""

    def start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
        code = status[:3]
        statuses[code] = statuses.get(code, 0) + 1
        return None

    for number in range(count):
        body = app(dict(environs[number % len(environs)]), start_response)
        for _chunk in body:
            pass
        close = getattr(body, "close", None)
        if close is not None:
            close()


def serve_worker(kind: str, ids_file: Path, result_file: Path) -> None:
    """Warm every endpoint up, then count REQUESTS requests of each, one dump each."""
    ids = json.loads(ids_file.read_text())
    if kind == "hello":
        import hello_app

        app: Callable[..., Iterable[bytes]] = hello_app.app
        endpoints = [HELLO]
    else:
        from service import create_app

        app = create_app()
        endpoints = ENDPOINTS
    _freeze_clock()
    loops = [
        (key, _environs(template, ids, HEADERS.get(key)))
        for key, template, _ in endpoints
    ]
    for _, environs in loops:
        _loop(app, environs, WARM_UP, {})
    results = []
    for key, environs in loops:
        statuses: dict[str, int] = {}
        _counted(lambda e=environs, s=statuses: _loop(app, e, REQUESTS, s))
        results.append({"endpoint": key, "requests": REQUESTS, "statuses": statuses})
    result_file.write_text(json.dumps(results))


def ingest_worker(corpus_dir: Path, database: Path, result_file: Path) -> None:
    """Store the seeds and WARM_UP_ARTICLES articles, then count parsing and writing the rest."""
    from service.parsing import parse_article
    from service.store import make_engine, upgrade
    from service.store.ingest import save_articles

    engine = make_engine(f"sqlite:///{database}")
    upgrade(engine)
    files = sorted((ROOT / "seeds").glob("*.txt")) + sorted(corpus_dir.rglob("*.txt"))
    texts = [(file.name, file.read_bytes()) for file in files]
    split = len(list((ROOT / "seeds").glob("*.txt"))) + WARM_UP_ARTICLES
    warm, counted = texts[:split], texts[split:]

    def parse(items: list[tuple[str, bytes]]) -> list[Any]:
        return [parse_article(data, source=name) for name, data in items]

    def write(parsed: list[Any]) -> list[Any]:
        with engine.begin() as conn:
            return save_articles(conn, parsed, ingested_at=INGESTED_AT)

    write(parse(warm))
    parsed = _counted(lambda: parse(counted))
    outcomes = _counted(lambda: write(parsed))
    rejected = sum(isinstance(o, Exception) for o in outcomes)
    new = sum(1 for o in outcomes if not isinstance(o, Exception) and o.created)
    engine.dispose()
    result_file.write_text(
        json.dumps(
            [
                {"endpoint": "parse", "articles": len(counted)},
                {
                    "endpoint": "write",
                    "articles": len(counted),
                    "new": new,
                    "rejected": rejected,
                },
            ]
        )
    )


# --- the driver -----------------------------------------------------------------------


def ensure_valgrind() -> None:
    """Install valgrind from Debian's packages if it is missing."""
    if shutil.which("valgrind"):
        return
    print("installing valgrind from Debian's packages")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "valgrind"], check=True, env=env)


def prepare() -> tuple[Path, Path, Path]:
    """The small corpus, a database of it and the seeds, and the ids to ask for."""
    import corpus

    from service.keys import answer_id
    from service.parsing import parse_article
    from service.store import make_engine, upgrade
    from service.store.ingest import checkpoint, save_articles

    OUT.mkdir(parents=True, exist_ok=True)
    folder = OUT / "corpus-small"
    if not folder.exists():
        corpus.generate("small", folder)
    database = OUT / "briefing-small.sqlite3"
    for old in OUT.glob("briefing-small.sqlite3*"):
        old.unlink()
    engine = make_engine(f"sqlite:///{database}")
    upgrade(engine)
    files = sorted((ROOT / "seeds").glob("*.txt")) + sorted(folder.rglob("*.txt"))
    parsed = [parse_article(f.read_bytes(), source=f.name) for f in files]
    with engine.begin() as conn:
        save_articles(conn, parsed, ingested_at=INGESTED_AT)
    checkpoint(engine)
    with engine.connect() as conn:
        questions = [
            r[0]
            for r in conn.exec_driver_sql(
                f"SELECT id FROM questions ORDER BY id LIMIT {KEYS}"
            )
        ]
        articles = [
            r[0]
            for r in conn.exec_driver_sql(
                f"SELECT id FROM articles ORDER BY id LIMIT {KEYS}"
            )
        ]
        versions = [
            answer_id(article, question)
            for article, question in conn.exec_driver_sql(
                "SELECT a.id, q.id FROM records r JOIN articles a"
                " ON a.pk = r.article_pk JOIN questions q ON q.pk = r.question_pk"
                f" WHERE r.answer_start IS NOT NULL ORDER BY r.pk LIMIT {KEYS}"
            )
        ]
    engine.dispose()
    ids = OUT / "ids.json"
    ids.write_text(
        json.dumps({"questions": questions, "articles": articles, "versions": versions})
    )
    return folder, database, ids


def _fixed_env(extra: dict[str, str]) -> dict[str, str]:
    """The whole environment of a measured process, the same in every run.

    Not the caller's: its size alone can shift where the interpreter's objects
    land, and with them what CPython's caches keyed by address do.
    """
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(OUT),
        "LANG": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "PYTHONPATH": f"{ROOT}{os.pathsep}{BENCH}",
        **extra,
    }


def run_worker(name: str, args: list[str], extra_env: dict[str, str]) -> list[dict]:  # type: ignore[type-arg]
    """Run one measured process under callgrind; return its sections with their counts."""
    folder = OUT / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    result_file = folder / "result.json"
    env = _fixed_env(extra_env)
    command = [
        shutil.which("valgrind") or "valgrind",
        "--tool=callgrind",
        "--collect-atstart=no",
        f"--toggle-collect={MARKER}",
        f"--dump-after={MARKER}",
        f"--callgrind-out-file={folder}/callgrind.out",
        sys.executable,
        str(Path(__file__)),
        "--worker",
        *args,
        str(result_file),
    ]
    done = subprocess.run(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    if done.returncode != 0:
        raise RuntimeError(f"{name} failed under valgrind:\n{done.stderr.decode()}")
    sections = json.loads(result_file.read_text())
    dumps = sorted(
        folder.glob("callgrind.out.*"), key=lambda p: int(p.name.rsplit(".", 1)[1])
    )
    counts = [_total(dump) for dump in dumps]
    if len(counts) != len(sections) or 0 in counts:
        raise RuntimeError(
            f"{name}: {len(sections)} counted sections but dumps {counts}; callgrind "
            f"needs {MARKER} in the interpreter's symbol table (an unstripped libpython)"
        )
    for section, count in zip(sections, counts, strict=True):
        section["instructions"] = count
    return sections  # type: ignore[no-any-return]


def _total(dump: Path) -> int:
    match = re.search(r"^totals: (\d+)", dump.read_text(errors="replace"), re.M)
    return int(match.group(1)) if match else 0


def measure() -> dict[str, Any]:
    """Every measured process, two at a time; the counts per request and per article."""
    folder, database, ids = prepare()
    # Every module loads from its bytecode file in every run: compiling a
    # source instead would change what the interpreter has allocated.
    for tree in (ROOT / "service", BENCH):
        compileall.compile_dir(tree, quiet=1)
    metrics_dirs = {name: OUT / f"metrics-{name}" for name in ("hit", "miss")}
    for path in metrics_dirs.values():
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir()
    databases = {}
    for name in ("hit", "miss"):
        # Each reader its own copy: no process waits on another's lock.
        databases[name] = OUT / f"briefing-{name}.sqlite3"
        for old in OUT.glob(f"briefing-{name}.sqlite3*"):
            old.unlink()
        shutil.copyfile(database, databases[name])
    ingest_db = OUT / "ingest.sqlite3"
    for old in OUT.glob("ingest.sqlite3*"):
        old.unlink()

    def briefing_env(name: str, entries: str | None) -> dict[str, str]:
        # As deployed: INFO access lines (to /dev/null) and prometheus_client's
        # multiprocess files, as gunicorn_conf sets them up.
        env = {
            "BRIEFING_DATABASE_URL": f"sqlite:///{databases[name]}",
            "BRIEFING_LOG_LEVEL": "INFO",
            "PROMETHEUS_MULTIPROC_DIR": str(metrics_dirs[name]),
        }
        if entries is not None:
            env["BRIEFING_RESPONSE_CACHE_ENTRIES"] = entries
        return env

    jobs: dict[str, tuple[list[str], dict[str, str]]] = {
        "ingest": (["ingest", str(folder), str(ingest_db)], {}),
        "miss": (["briefing", str(ids)], briefing_env("miss", "0")),
        "hit": (["briefing", str(ids)], briefing_env("hit", None)),
        "hello": (["hello", str(ids)], {}),
    }
    with ThreadPoolExecutor(2) as pool:
        futures = {
            name: pool.submit(run_worker, name, args, env)
            for name, (args, env) in jobs.items()
        }
        sections = {name: future.result() for name, future in futures.items()}
    hello = sections["hello"][0]
    per_request: dict[str, Any] = {
        "bare Flask hello": {
            "hit": hello["instructions"] // hello["requests"],
            "miss": hello["instructions"] // hello["requests"],
            "statuses": {"hit": hello["statuses"], "miss": hello["statuses"]},
        }
    }
    for hit, miss, (_, _, name) in zip(
        sections["hit"], sections["miss"], ENDPOINTS, strict=True
    ):
        per_request[name] = {
            "hit": hit["instructions"] // hit["requests"],
            "miss": miss["instructions"] // miss["requests"],
            "statuses": {"hit": hit["statuses"], "miss": miss["statuses"]},
        }
    parse, write = sections["ingest"]
    articles = parse["articles"]
    return {
        "settings": {
            "warm_up": WARM_UP,
            "requests": REQUESTS,
            "keys": KEYS,
            "warm_up_articles": WARM_UP_ARTICLES,
            "valgrind": _version(["valgrind", "--version"]),
            "python": sys.version.split()[0],
        },
        "per_request": per_request,
        "per_article": {
            "articles": articles,
            "new": write["new"],
            "rejected": write["rejected"],
            "parse": parse["instructions"] // articles,
            "write": write["instructions"] // articles,
            "total": (parse["instructions"] + write["instructions"]) // articles,
        },
    }


def _version(command: list[str]) -> str:
    return subprocess.run(command, capture_output=True, text=True).stdout.strip()


# --- the report -----------------------------------------------------------------------


def wrk_ratios(text: str) -> dict[tuple[str, str], tuple[float, float, float]]:
    """The wrk ratio table of docs/benchmarks.md: (measured, against) -> median, min, max."""
    found = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[4].startswith(">="):
            try:
                median = float(cells[2])
                rounds = [float(x) for x in cells[3].split(",")]
            except ValueError:
                continue
            found[(cells[0], cells[1])] = (median, min(rounds), max(rounds))
    return found


def render(
    costs: dict[str, Any],
    wrk: dict[tuple[str, str], Any],
    again: dict[str, Any] | None = None,
) -> str:
    """The section of docs/benchmarks.md: cost table, targets as instruction ratios."""
    from run import PAIRS

    s = costs["settings"]
    per_request = costs["per_request"]
    second = (again or costs)["per_request"]
    if again is None:
        agreement = "this table was measured once, so its second-run columns are empty"
    elif (drift := _drift(costs, again)) == 0:
        agreement = "this time every figure repeated to the instruction"
    else:
        agreement = f"this time the two runs differed by up to {drift:.2%}"
    lines = [
        BEGIN,
        "## Cost per request and per article (instructions, callgrind)",
        "",
        f"Made by `bench/costs.py --twice` ({s['valgrind']}, Python {s['python']}): instructions executed in",
        "user space, counted by callgrind. Unlike wall time they hardly move with what else the machine runs",
        "(compare the second run), so these figures, not wrk's, decide the targets against the bare Flask",
        "app. Each app runs in-process under the same WSGI call loop (a fresh copy of an environ made by",
        "werkzeug's `EnvironBuilder`, `app(environ, start_response)`, the body read and closed); after",
        f"{s['warm_up']} warm-up requests per endpoint, {s['requests']} requests per endpoint are counted, cycling over",
        f"{s['keys']} question (or article) ids. briefing runs as deployed: INFO access lines (to /dev/null),",
        "prometheus_client's multiprocess files, and an `X-Request-ID` on every request, as nginx sets",
        "one. **hit**: the response cache warm; **miss**:",
        "the cache off (`BRIEFING_RESPONSE_CACHE_ENTRIES=0`), so every request routes, queries SQLite and",
        "encodes JSON, as a miss does. Data: the seeds and `bench/corpus.py small` (250 articles, 1,250",
        "answers, 125 recurring questions), stored with a fixed ingestion time. Each measured process gets",
        "the same environment, `PYTHONHASHSEED=0` and a frozen `time.time`/`time.perf_counter` (a running",
        "clock made durations, and their formatting, differ from run to run).",
        "",
        "What the counts leave out: the kernel's work (sockets, fsync), gunicorn's own per-request work",
        "and memory stalls. That share is the same for every app behind gunicorn, so leaving it out",
        "magnifies a difference either way; for a target of at most 1, as these are, an instruction ratio",
        "that meets it means the throughput ratio meets it too, and not the other way round.",
        "",
        "The second-run columns come from measuring everything once more (`--twice`, as `make bench`",
        f"and `make bench-costs` do): {agreement}. Other runs of one checkout saw misses drift by up",
        "to 1%, in CPython's type attribute cache (`find_name_in_mro`, `assign_version_tag`: something on",
        "the miss path sets class attributes on every request, each time invalidating that cache), whose",
        "source is not pinned down yet. And any change to code these processes load, even to this script,",
        "moves every count by up to about 1%, as objects then land at other addresses: a difference under",
        f"{TOLERANCE:.0%} between two checkouts is no finding. Two runs further apart than {TOLERANCE:.0%} fail the table.",
        "",
        "| request | instructions per hit | second run | per miss | second run | statuses (hit / miss) |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, row in per_request.items():
        statuses = " / ".join(
            ", ".join(
                f"{n} x {code}" for code, n in sorted(row["statuses"][mode].items())
            )
            for mode in ("hit", "miss")
        )
        hit2, miss2 = (
            (f"{second[name]['hit']:,}", f"{second[name]['miss']:,}")
            if again
            else ("-", "-")
        )
        lines.append(
            f"| {name} | {row['hit']:,} | {hit2} | {row['miss']:,} | {miss2} | {statuses} |"
        )
    a = costs["per_article"]
    a2 = (again or costs)["per_article"]
    lines += [
        "",
        f"Ingestion, per article: {a['total']:,} instructions ({a['parse']:,} parsing, {a['write']:,} writing"
        + (f"; second run {a2['total']:,}" if again else "")
        + "), over",
        f"{a['articles']} articles ({a['new']} new, {a['rejected']} rejected) stored in one `save_articles` batch, as",
        f"`briefing ingest` writes them, into a fresh SQLite database already holding the seeds and {s['warm_up_articles']}",
        "articles. `briefing ingest` parses in a process pool; the pickling between processes is not counted.",
        "",
        "### Targets as instruction ratios",
        "",
        'A throughput target "briefing at >= X of the bare Flask app\'s requests/s" becomes "instructions',
        "per bare Flask request / instructions per briefing request >= X\", on cache hits (what wrk's",
        "warmed runs serve); the miss ratio is shown beside it. The wrk column repeats the median and",
        "the range of the per-round ratios above: what this machine showed, not what decides.",
        "",
        "| measured | against | instructions ratio, hits | misses | wrk ratio (range) | target | met |",
        "|---|---|---:|---:|---|---:|---|",
    ]
    for measured, against, target in PAIRS:
        found = wrk.get((measured, against))
        by_wrk = (
            ("by wrk: yes" if found[0] >= target else "by wrk: no") if found else "-"
        )
        wrk_cell = f"{found[0]:.2f} ({found[1]:.2f}-{found[2]:.2f})" if found else "-"
        if measured in per_request and against in per_request:
            hit = per_request[against]["hit"] / per_request[measured]["hit"]
            miss = per_request[against]["miss"] / per_request[measured]["miss"]
            met = "yes" if hit >= target else "no"
            lines.append(
                f"| {measured} | {against} | {hit:.2f} | {miss:.2f} | {wrk_cell} | >= {target} | {met} |"
            )
        else:
            lines.append(
                f"| {measured} | {against} | - | - | {wrk_cell} | >= {target} | {by_wrk} |"
            )
    close = [
        measured
        for measured, against, target in PAIRS
        if measured in per_request
        and against in per_request
        and abs(per_request[against]["hit"] / per_request[measured]["hit"] / target - 1)
        <= 2 * TOLERANCE
    ]
    lines += [
        "",
        (
            f"Within twice the runs' tolerance of its target: {', '.join(close)}; rerun before deciding."
            if close
            else f"No instruction ratio is within {2 * TOLERANCE:.0%} of its target: the drift above decides none."
        ),
        "",
        "The last two pairs involve no same-loop WSGI app: Datasette is an ASGI app, and nginx's",
        "cost is mostly the kernel's, which callgrind does not see. For them, as for latency, the",
        "scale ratios and memory, the wrk and /proc figures above stay the measure, with their spread.",
        END,
    ]
    return "\n".join(lines)


def write_section(section: str) -> None:
    """Put the section between its markers in docs/benchmarks.md (at the end if none)."""
    text = DOC.read_text()
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOC.write_text(text)


def main(argv: list[str] | None = None) -> int:
    """Measure the cost table and write it into docs/benchmarks.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--twice", action="store_true", help="measure twice, compare")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        kind, *rest = args.worker
        if kind == "ingest":
            ingest_worker(Path(rest[0]), Path(rest[1]), Path(rest[2]))
        else:
            serve_worker(kind, Path(rest[0]), Path(rest[1]))
        return 0
    ensure_valgrind()
    costs = measure()
    print(json.dumps(costs, indent=2))
    again = measure() if args.twice else None
    drift = _drift(costs, again) if again else 0.0
    (OUT / "costs.json").write_text(
        json.dumps({"first": costs, "second": again}, indent=2)
    )
    section = render(costs, wrk_ratios(DOC.read_text()), again)
    write_section(section)
    print(section)
    if again:
        print(f"largest difference between the two runs: {drift:.3%}")
    if drift > TOLERANCE:
        print(
            f"the runs differ by more than {TOLERANCE:.0%}: not a cost table to decide by"
        )
        return 1
    return 0


def _drift(first: dict[str, Any], second: dict[str, Any]) -> float:
    """The largest relative difference between two runs' counts."""
    pairs = [
        (row[mode], second["per_request"][name][mode])
        for name, row in first["per_request"].items()
        for mode in ("hit", "miss")
    ] + [
        (first["per_article"][k], second["per_article"][k])
        for k in ("parse", "write", "total")
    ]
    return max(abs(a - b) / a for a, b in pairs)


if __name__ == "__main__":
    sys.exit(main())
