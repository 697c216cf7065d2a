"""briefing's benchmark: side by side with the framework's ceiling, a peer and the limit.

`make bench` runs this with the project's .venv. It installs what it lacks
(wrk and nginx from Debian's packages; Datasette, uvicorn-worker and matplotlib
in bench/out/tools, never in the service's environment), generates the corpora,
ingests them, then measures on 127.0.0.1 only, in bounded runs, and stops every
process it started. Results: a table on stdout, docs/benchmarks.md and
docs/benchmarks.png. Last, bench/costs.py counts instructions per request and per
article under callgrind, the figures that decide the bare-Flask targets.

Environment: BENCH_SECONDS (per run, default 4), BENCH_ROUNDS (default 7),
BENCH_SKIP_1M=1 to leave out the 1,000,000-answer scale.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
TOOLS = OUT / "tools"
VENV_BIN = Path(sys.executable).parent
SECONDS = int(os.environ.get("BENCH_SECONDS", "4"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
WARM_SECONDS = 2
CONNECTIONS = 32
THREADS = 2
CLOCK_TICK = os.sysconf("SC_CLK_TCK")
STAND = "was-ist-der-derzeitige-stand-der-friedensgespraeche_f4e79409f3"

sys.path.insert(0, str(BENCH))
import corpus  # noqa: E402
import costs  # noqa: E402

Server = AbstractContextManager[int]


@dataclass
class Result:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    cpu_us: float
    errors: int


# --- set-up ---------------------------------------------------------------------------


def ensure_tools() -> None:
    missing = [
        pkg
        for cmd, pkg in (("wrk", "wrk"), ("nginx", "nginx"), ("time", "time"))
        if not _which(cmd)
    ]
    if missing:
        print(f"installing {' '.join(missing)} from Debian's packages")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", *missing], check=True, env=env
        )
    if not (TOOLS / "bin" / "datasette").exists():
        print(
            "installing Datasette, uvicorn-worker and matplotlib into bench/out/tools"
        )
        subprocess.run([sys.executable, "-m", "venv", str(TOOLS)], check=True)
        pip = [str(TOOLS / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        subprocess.run(
            [*pip, "datasette", "uvicorn-worker", "gunicorn", "matplotlib"], check=True
        )


def _which(command: str) -> str | None:
    return shutil.which(command) or shutil.which(
        command, path="/usr/sbin:/usr/bin:/sbin"
    )


def prepare_scale(scale: str) -> tuple[Path, Path, dict[str, float]]:
    """Generate and ingest a scale once; return its database, ids file, ingest figures."""
    folder = OUT / f"corpus-{scale}"
    database = OUT / f"briefing-{scale}.sqlite3"
    ids = OUT / f"ids-{scale}.txt"
    stats_file = OUT / f"ingest-{scale}.json"
    if not folder.exists():
        corpus.generate(scale, folder)
    if not ids.exists():
        ids.write_text("\n".join(corpus.question_ids(scale)) + "\n")
    if database.exists() and stats_file.exists():
        return database, ids, json.loads(stats_file.read_text())
    for leftover in OUT.glob(f"briefing-{scale}.sqlite3*"):
        leftover.unlink()
    env = {**_clean_env(), "BRIEFING_DATABASE_URL": f"sqlite:///{database}"}
    subprocess.run(
        [VENV_BIN / "briefing", "db", "upgrade"],
        env=env,
        check=True,
        capture_output=True,
    )
    files = sum(1 for _ in folder.rglob("*.txt"))
    # GNU time's peak resident memory of the command (its largest process).
    peak = OUT / f"ingest-{scale}.rss"
    started = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", "-o", peak]
        + [VENV_BIN / "briefing", "ingest", str(folder)],
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    summary = done.stdout.strip().splitlines()[-1]
    answers = _count_answers(database)
    # The command's fixed cost (imports, app, process pool): an empty folder.
    empty = OUT / "empty"
    empty.mkdir(exist_ok=True)
    started = time.perf_counter()
    subprocess.run(
        [VENV_BIN / "briefing", "ingest", str(empty)],
        env=env,
        check=True,
        capture_output=True,
    )
    startup = time.perf_counter() - started
    stats = {
        "articles": files,
        "answers": answers,
        "seconds": round(seconds, 2),
        "articles_per_s": round(files / seconds),
        "answers_per_s": round(answers / seconds),
        "startup_s": round(startup, 2),
        "articles_per_s_after_startup": round(files / (seconds - startup)),
        "peak_rss_mb": round(int(peak.read_text().split()[-1]) / 1024),
    }
    print(f"ingested {scale}: {summary} in {seconds:.1f}s")
    stats_file.write_text(json.dumps(stats))
    return database, ids, stats


def _count_answers(database: Path) -> int:
    import sqlite3

    with sqlite3.connect(database) as conn:
        return int(
            conn.execute(
                "SELECT count(*) FROM records WHERE answer_start IS NOT NULL"
            ).fetchone()[0]
        )


def _clean_env() -> dict[str, str]:
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BRIEFING_", "PROMETHEUS_"))
    }


# --- servers --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(
    command: list[str],
    port: int,
    *,
    env: dict[str, str],
    cwd: Path = ROOT,
    probe: str = "/",
) -> Iterator[int]:
    """Run a server until the block ends; yield its pid."""
    log = (OUT / f"server-{port}.log").open("wb")
    process = subprocess.Popen(
        command,
        env=env,
        cwd=cwd,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(
                    f"http://127.0.0.1:{port}{probe}", timeout=2
                ).read()
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"{command[0]} did not start; see {log.name}"
                    ) from None
                time.sleep(0.2)
        yield process.pid
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def gunicorn(
    app: str, port: int, *, env: dict[str, str], cwd: Path = ROOT, probe: str = "/"
) -> Server:
    command = [
        str(VENV_BIN / "gunicorn"),
        "-c",
        "python:service.gunicorn_conf",
        "--bind",
        f"127.0.0.1:{port}",
        app,
    ]
    return serve(
        command, port, env={**env, "PYTHONPATH": str(ROOT)}, cwd=cwd, probe=probe
    )


def briefing(database: Path, port: int, extra: dict[str, str] | None = None) -> Server:
    env = {
        **_clean_env(),
        "BRIEFING_DATABASE_URL": f"sqlite:///{database}",
        "BRIEFING_LOG_LEVEL": "INFO",
        **(extra or {}),
    }
    return gunicorn("service:create_app()", port, env=env, probe="/healthz")


def datasette(database: Path, port: int) -> Server:
    # Two processes, like briefing's two workers; no access log.
    command = [
        str(TOOLS / "bin" / "gunicorn"),
        "-k",
        "uvicorn_worker.UvicornWorker",
        "-w",
        "2",
        "--bind",
        f"127.0.0.1:{port}",
        "datasette_app:app",
    ]
    env = {**_clean_env(), "BENCH_DB": str(database), "PYTHONPATH": str(BENCH)}
    return serve(command, port, env=env, probe="/-/versions.json")


def nginx(conf_text: str, port: int, name: str) -> Server:
    folder = OUT / f"nginx-{name}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    conf = folder / "nginx.conf"
    conf.write_text(conf_text.replace("@DIR@", str(folder)))
    directives = "daemon off;" + (" user root;" if os.geteuid() == 0 else "")
    return serve(
        [
            _which("nginx") or "nginx",
            "-c",
            str(conf),
            "-p",
            str(folder),
            "-g",
            directives,
        ],
        port,
        env=_clean_env(),
    )


STATIC_CONF = """
worker_processes 2;
pid @DIR@/nginx.pid;
error_log @DIR@/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path @DIR@/b; proxy_temp_path @DIR@/p; fastcgi_temp_path @DIR@/f;
    uwsgi_temp_path @DIR@/u; scgi_temp_path @DIR@/s;
    server {
        listen 127.0.0.1:@PORT@;
        location / { root @DIR@; default_type application/json; }
    }
}
"""


def system_conf(port: int, upstream: int) -> str:
    """deploy/nginx.conf, templated only for ports and paths."""
    values = {
        "LISTEN": f"127.0.0.1:{port}",
        "SERVER_NAME": "127.0.0.1",  # wrk's Host
        "UPSTREAM_1": f"127.0.0.1:{upstream}",
        "UPSTREAM_2": f"127.0.0.1:{upstream}",
        "RUN_DIR": "@DIR@",
    }
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    return re.sub(r"\$\{(\w+)\}", lambda m: values[m.group(1)], text)


# --- measuring ------------------------------------------------------------------------


def cpu_ticks(pid: int) -> int:
    """User plus system ticks of a process and all its descendants, living ones."""
    total = 0
    for child in [pid, *_descendants(pid)]:
        try:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError):
            continue
    return total


def _descendants(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    found = [int(c) for c in children]
    for child in list(found):
        found += _descendants(child)
    return found


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]


def pss_mb(pid: int) -> float:
    """Proportional set size: shared pages counted once across the processes sharing them."""
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    return int(re.search(r"Pss:\s+(\d+)", rollup).group(1)) / 1024  # type: ignore[union-attr]


def list_cursors(port: int, first: str) -> list[str]:
    """The cursor of every page of a list after the first, following `next`."""
    cursors = []
    url = f"http://127.0.0.1:{port}{first}"
    while True:
        following = json.loads(urllib.request.urlopen(url).read())["next"]
        if following is None or following == url:
            return cursors
        cursors.append(
            urllib.parse.parse_qs(urllib.parse.urlsplit(following).query)["cursor"][0]
        )
        url = following


def wrk(
    name: str,
    port: int,
    path: str,
    pid: int,
    *,
    ids: Path | None = None,
    connections: int = CONNECTIONS,
    threads: int = THREADS,
    header: str = "",
) -> Result:
    url = f"http://127.0.0.1:{port}"
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{SECONDS}s",
        "--latency",
        "--timeout",
        "5s",
    ]
    # Every run goes through the same Lua script, so the client does the same
    # work whatever the server; a fixed path is a template without {id}.
    if ids is None:
        ids = OUT / "one-id.txt"
        ids.write_text("-\n")
    command += ["-s", str(BENCH / "random_ids.lua"), url, "--", str(ids), path]
    if header:
        command.append(header)
    # Warm-up: 2 s, so each worker's response cache holds a run's 1,000 random
    # keys (after 1 s it held about 80% of them); every server gets the same.
    warm = [c if not c.startswith("-d") else f"-d{WARM_SECONDS}s" for c in command]
    subprocess.run(warm, capture_output=True, check=True)
    before = cpu_ticks(pid)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    used = cpu_ticks(pid) - before
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    errors = sum(
        int(n)
        for n in re.findall(
            r"(?:Non-2xx or 3xx responses:|connect|read|write|timeout) (\d+)", output
        )
    )
    return Result(
        name=name,
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
        p50_ms=_latency(output, "50%"),
        p99_ms=_latency(output, "99%"),
        cpu_us=used / CLOCK_TICK * 1e6 / max(requests, 1),
        errors=errors,
    )


def _latency(output: str, percentile: str) -> float:
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)", output).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


# --- the run --------------------------------------------------------------------------


def main() -> int:
    OUT.mkdir(exist_ok=True)
    ensure_tools()
    scales = ["seeds", "10k"] + ([] if os.environ.get("BENCH_SKIP_1M") else ["1m"])
    prepared = {scale: prepare_scale(scale) for scale in scales}
    db10k, ids10k, _ = prepared["10k"]
    article_ids = OUT / "article-ids-10k.txt"
    import sqlite3

    from service.api.http import encode_cursor
    from service.keys import answer_id

    version_ids = OUT / "version-ids-10k.txt"
    change_cursors = OUT / "change-cursors-10k.txt"
    with sqlite3.connect(db10k) as conn:
        # A page of the change log starting anywhere in it.
        last = conn.execute("SELECT max(id) FROM changes").fetchone()[0]
        change_cursors.write_text(
            "\n".join(encode_cursor([n]) for n in range(0, last, 20)) + "\n"
        )
        article_ids.write_text(
            "\n".join(r[0] for r in conn.execute("SELECT id FROM articles")) + "\n"
        )
        # Every answer version: article id and question id make its id.
        version_ids.write_text(
            "\n".join(
                answer_id(article, question)
                for article, question in conn.execute(
                    "SELECT a.id, q.id FROM records r JOIN articles a"
                    " ON a.pk = r.article_pk JOIN questions q ON q.pk = r.question_pk"
                    " WHERE r.answer_start IS NOT NULL"
                )
            )
            + "\n"
        )

    rounds: list[dict[str, Any]] = []
    ports = {
        name: free_port()
        for name in ("hello", "briefing", "seeds", "datasette", "static", "system")
    }
    static_dir = OUT / "nginx-static"
    with (
        gunicorn(
            "hello_app:app", ports["hello"], env=_clean_env(), cwd=BENCH, probe="/hello"
        ) as hello_pid,
        briefing(db10k, ports["briefing"]) as briefing_pid,
        briefing(prepared["seeds"][0], ports["seeds"]) as seeds_pid,
        datasette(db10k, ports["datasette"]) as datasette_pid,
        nginx(
            STATIC_CONF.replace("@PORT@", str(ports["static"])),
            ports["static"],
            "static",
        ) as static_pid,
        nginx(
            system_conf(ports["system"], ports["briefing"]), ports["system"], "system"
        ) as system_pid,
    ):
        # The question list's pages, and as many pages of the change log spread
        # over it: two lists paged alike, the same number of distinct URLs.
        question_pages = OUT / "question-pages-10k.txt"
        cursors = list_cursors(ports["briefing"], "/v1/questions?limit=20")
        question_pages.write_text("\n".join(cursors) + "\n")
        every = change_cursors.read_text().split()
        change_pages = OUT / "change-pages-10k.txt"
        change_pages.write_text(
            "\n".join(every[:: max(1, len(every) // len(cursors))][: len(cursors)])
            + "\n"
        )
        hot = f"/v1/questions/{ids10k.read_text().split()[0]}/latest"
        answer = urllib.request.urlopen(
            f"http://127.0.0.1:{ports['briefing']}{hot}"
        ).read()
        (static_dir / "answer.json").write_bytes(answer)
        runs = [
            (
                "bare Flask hello",
                lambda: wrk("bare Flask hello", ports["hello"], "/hello", hello_pid),
            ),
            (
                "briefing /latest",
                lambda: wrk(
                    "briefing /latest",
                    ports["briefing"],
                    "/v1/questions/{id}/latest",
                    briefing_pid,
                    ids=ids10k,
                ),
            ),
            (
                "briefing /answers/{date}",
                lambda: wrk(
                    "briefing /answers/{date}",
                    ports["briefing"],
                    "/v1/questions/{id}/answers/2025-06-01",
                    briefing_pid,
                    ids=ids10k,
                ),
            ),
            (
                "briefing version /v1/answers/{id}",
                lambda: wrk(
                    "briefing version /v1/answers/{id}",
                    ports["briefing"],
                    "/v1/answers/{id}",
                    briefing_pid,
                    ids=version_ids,
                ),
            ),
            (
                "briefing TimeGate 302",
                lambda: wrk(
                    "briefing TimeGate 302",
                    ports["briefing"],
                    "/v1/questions/{id}/timegate",
                    briefing_pid,
                    ids=ids10k,
                    header="Accept-Datetime: Sun, 01 Jun 2025 12:00:00 GMT",
                ),
            ),
            (
                "briefing /v1/questions page",
                lambda: wrk(
                    "briefing /v1/questions page",
                    ports["briefing"],
                    "/v1/questions?limit=20",
                    briefing_pid,
                ),
            ),
            (
                "briefing /v1/questions, every page",
                lambda: wrk(
                    "briefing /v1/questions, every page",
                    ports["briefing"],
                    "/v1/questions?limit=20&cursor={id}",
                    briefing_pid,
                    ids=question_pages,
                ),
            ),
            (
                "briefing /v1/changes, as many pages",
                lambda: wrk(
                    "briefing /v1/changes, as many pages",
                    ports["briefing"],
                    "/v1/changes?limit=20&cursor={id}",
                    briefing_pid,
                    ids=change_pages,
                ),
            ),
            (
                "briefing /v1/changes, any page of the log",
                lambda: wrk(
                    "briefing /v1/changes, any page of the log",
                    ports["briefing"],
                    "/v1/changes?limit=20&cursor={id}",
                    briefing_pid,
                    ids=change_cursors,
                ),
            ),
            (
                "briefing /latest, seed question",
                lambda: wrk(
                    "briefing /latest, seed question",
                    ports["seeds"],
                    f"/v1/questions/{STAND}/latest",
                    seeds_pid,
                ),
            ),
            (
                "briefing diff, seed question",
                lambda: wrk(
                    "briefing diff, seed question",
                    ports["seeds"],
                    f"/v1/questions/{STAND}/diff",
                    seeds_pid,
                ),
            ),
            (
                "briefing /articles/{id}/text",
                lambda: wrk(
                    "briefing /articles/{id}/text",
                    ports["briefing"],
                    "/v1/articles/{id}/text",
                    briefing_pid,
                    ids=article_ids,
                ),
            ),
            (
                "Datasette latest",
                lambda: wrk(
                    "Datasette latest",
                    ports["datasette"],
                    f"/{db10k.stem}/latest.json?qid={{id}}&_shape=array",
                    datasette_pid,
                    ids=ids10k,
                ),
            ),
            (
                "nginx static answer",
                lambda: wrk(
                    "nginx static answer", ports["static"], "/answer.json", static_pid
                ),
            ),
            (
                "nginx cache + briefing, hot /latest",
                lambda: wrk(
                    "nginx cache + briefing, hot /latest",
                    ports["system"],
                    hot,
                    system_pid,
                ),
            ),
        ]
        runs = dict(runs)
        print("warming up (caches fill, as they do in service)")
        for run in runs.values():
            run()
        for number in range(ROUNDS):
            print(f"round {number + 1}/{ROUNDS}")
            measured: dict[str, list[Result]] = {name: [] for name in runs}
            ratios = []
            # Each pair back to back (the reference first), so both sides of a
            # ratio meet the same moment of this shared machine.
            for measured_name, against, _target in PAIRS:
                reference, result = runs[against](), runs[measured_name]()
                measured[against].append(reference)
                measured[measured_name].append(result)
                ratios.append(result.rps / reference.rps)
                for r in (reference, result):
                    print(
                        f"  {r.name:<38} {r.rps:>9.0f} req/s  p50 {r.p50_ms:.2f} ms  p99 {r.p99_ms:.2f} ms  {r.cpu_us:.0f} us CPU/req"
                    )
            # Rows of no ratio: run once a round all the same.
            for name in (
                "briefing /articles/{id}/text",
                "briefing /v1/changes, any page of the log",
            ):
                measured[name].append(runs[name]())
            rounds.append({"measured": measured, "ratios": ratios})
        unloaded = wrk(
            "briefing /latest, one connection",
            ports["briefing"],
            hot,
            briefing_pid,
            connections=1,
            threads=1,
        )

    scale_rows: dict[str, dict[str, Any]] = {scale: {} for scale in scales}
    for scale in scales:
        read_through(prepared[scale][0])
    for mode, entries in (("cached", None), ("uncached", "0")):
        for scale, row in scale_runs(prepared, entries).items():
            scale_rows[scale][mode] = row
            print(
                f"  /latest at {scale:<6} {mode:<9} {row['rps']:>9.0f} req/s  p50 {row['p50_ms']:.2f} ms  RSS {row['worker_rss_mb']:.0f} MB  PSS {row['worker_pss_mb']:.0f} MB"
            )

    report = summarize(
        rounds, unloaded, scale_rows, {s: prepared[s][2] for s in scales}
    )
    (OUT / "results.json").write_text(json.dumps(report, indent=2))
    subprocess.run(
        [
            str(TOOLS / "bin" / "python"),
            str(BENCH / "plot.py"),
            str(OUT / "results.json"),
            str(ROOT / "docs" / "benchmarks.png"),
        ],
        check=True,
    )
    (ROOT / "docs" / "benchmarks.md").write_text(render(report))
    print(render(report))
    # Instructions per request and per article: the figures that decide the targets.
    return costs.main(["--twice"])


def read_through(database: Path) -> None:
    """Read a database file once, as a server that has run a while has it in the page cache."""
    with database.open("rb") as file:
        while file.read(1 << 24):
            pass


def scale_runs(
    prepared: dict[str, tuple[Path, Path, dict[str, float]]], cache_entries: str | None
) -> dict[str, dict[str, Any]]:
    """/latest over random ids at every scale, the scales back to back in each round.

    One server per scale, all running at once; each round runs the scales in
    turn, so a ratio between two scales meets one moment of the machine.
    Medians over the rounds, the per-round ratio to the seeds, and each
    scale's largest worker's RSS and PSS after its load.
    """
    extra = (
        {}
        if cache_entries is None
        else {"BRIEFING_RESPONSE_CACHE_ENTRIES": cache_entries}
    )
    ports = {scale: free_port() for scale in prepared}
    with ExitStack() as stack:
        pids = {
            scale: stack.enter_context(briefing(database, ports[scale], extra))
            for scale, (database, _, _) in prepared.items()
        }
        runs: dict[str, list[Result]] = {scale: [] for scale in prepared}
        for _ in range(ROUNDS):
            for scale, (_, ids, _) in prepared.items():
                runs[scale].append(
                    wrk(
                        f"/latest at {scale}",
                        ports[scale],
                        "/v1/questions/{id}/latest",
                        pids[scale],
                        ids=ids,
                    )
                )
        memory = {
            scale: (
                max(rss_mb(w) for w in _descendants(pid)),
                max(pss_mb(w) for w in _descendants(pid)),
            )
            for scale, pid in pids.items()
        }
    return {
        scale: {
            **{
                field: statistics.median(getattr(r, field) for r in results)
                for field in ("rps", "p50_ms", "p99_ms", "cpu_us")
            },
            "errors": sum(r.errors for r in results),
            "p50_to_seeds": [
                round(r.p50_ms / s.p50_ms, 2)
                for r, s in zip(results, runs["seeds"], strict=True)
            ],
            "worker_rss_mb": memory[scale][0],
            "worker_pss_mb": memory[scale][1],
        }
        for scale, results in runs.items()
    }


PAIRS = [
    ("briefing /latest", "bare Flask hello", 0.95),
    ("briefing /answers/{date}", "bare Flask hello", 0.90),
    ("briefing /v1/questions page", "bare Flask hello", 0.90),
    ("briefing /latest", "Datasette latest", 2.5),
    ("briefing version /v1/answers/{id}", "briefing /latest", 0.9),
    ("briefing TimeGate 302", "briefing /latest", 0.9),
    (
        "briefing /v1/changes, as many pages",
        "briefing /v1/questions, every page",
        0.9,
    ),
    ("briefing diff, seed question", "briefing /latest, seed question", 0.5),
    ("nginx cache + briefing, hot /latest", "nginx static answer", 0.5),
]


def summarize(
    rounds: list[dict[str, Any]],
    unloaded: Result,
    scales: dict[str, dict],
    ingest: dict[str, dict],
) -> dict:  # type: ignore[type-arg]
    names = list(rounds[0]["measured"])
    servers = {
        name: {
            field: statistics.median(
                getattr(r, field) for round_ in rounds for r in round_["measured"][name]
            )
            for field in ("rps", "p50_ms", "p99_ms", "cpu_us", "errors")
        }
        for name in names
    }
    ratios = [
        {
            "measured": a,
            "against": b,
            "ratio": statistics.median(round_["ratios"][index] for round_ in rounds),
            "per_round": [round(round_["ratios"][index], 3) for round_ in rounds],
            "target": target,
        }
        for index, (a, b, target) in enumerate(PAIRS)
    ]
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{os.cpu_count()} cores, {platform_line()}",
        "settings": {
            "seconds": SECONDS,
            "rounds": ROUNDS,
            "connections": CONNECTIONS,
            "threads": THREADS,
        },
        "servers": servers,
        "ratios": ratios,
        "unloaded": asdict(unloaded),
        "scales": scales,
        "ingest": ingest,
    }


def platform_line() -> str:
    import platform

    return (
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def render(report: dict) -> str:  # type: ignore[type-arg]
    lines = [
        "# Benchmarks",
        "",
        f"Made by `make bench` on {report['date']} ({report['machine']}). Every server runs on this",
        "machine, on 127.0.0.1; wrk uses the same client settings for all "
        f"({report['settings']['threads']} threads, {report['settings']['connections']} connections, "
        f"{report['settings']['seconds']} s per run after a {WARM_SECONDS} s warm-up).",
        "Python servers run under gunicorn with `service/gunicorn_conf.py` (2 gthread workers x 4 threads;",
        "Datasette: 2 uvicorn workers, as it is async). Figures are medians of all runs over "
        f"{report['settings']['rounds']} rounds; in each round every pair of the ratio table runs back to back",
        "(reference first), and a ratio is the median of its rounds. The machine is shared: compare ratios, not absolute numbers.",
        "",
        "Data: the 10,000-answer corpus (`bench/corpus.py 10k`: 2,000 articles, 1,000 recurring questions)",
        "in SQLite; wrk's Lua script (`bench/random_ids.lua`) picks a random question (or article) id per request.",
        "",
        "Rounds on this shared machine vary, up to threefold for one server (the per-round column shows it):",
        "in some stretches the CPU time per request of every server, Datasette and briefing alike, doubles at",
        "once. Read the medians with that in mind, and rerun `make bench` before drawing a fine conclusion.",
        "",
        "Which figure decides what: the instruction counts of the cost table (`bench/costs.py`, callgrind;",
        "they do not change with what else the machine runs) decide the targets against the bare Flask app,",
        "as instruction ratios. wrk's figures show the throughput and latency this machine gave, with their",
        "spread; they decide only where no instruction count stands for the target: the Datasette and nginx",
        "pairs, unloaded latency and the scale ratios (memory comes from /proc). Ingestion has no target: its",
        "articles/s show this machine's speed, its instructions per article compare one change with another.",
        "",
        "## Servers",
        "",
        "| server and request | req/s | p50 ms | p99 ms | server CPU us/req | non-2xx/3xx or socket errors, per run |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, s in report["servers"].items():
        lines.append(
            f"| {name} | {s['rps']:.0f} | {s['p50_ms']:.2f} | {s['p99_ms']:.2f} | {s['cpu_us']:.0f} | {s['errors']:.0f} |"
        )
    lines += [
        "",
        "`/answers/2025-06-01` asks for the answer in force on that date; about 1% of the corpus's questions",
        "have none yet and get a 404 problem response, counted above (errors are never cached).",
    ]
    lines += [
        "",
        "## Ratios (same round, back to back; median)",
        "",
        "| measured | against | ratio | per round | target | met by the median |",
        "|---|---|---:|---|---:|---|",
    ]
    for r in report["ratios"]:
        met = "yes" if r["ratio"] >= r["target"] else "no"
        lines.append(
            f"| {r['measured']} | {r['against']} | {r['ratio']:.2f} | {', '.join(f'{x:.2f}' for x in r['per_round'])} | >= {r['target']} | {met} |"
        )
    u = report["unloaded"]
    # bench/costs.py fills this in: the cost table, beside the ratios it restates.
    lines += ["", costs.BEGIN, costs.END]
    lines += [
        "",
        "## Unloaded latency",
        "",
        f"One connection, one wrk thread, a hot `/latest`: p50 {u['p50_ms']:.3f} ms, p99 {u['p99_ms']:.3f} ms "
        f"({u['rps']:.0f} req/s). Target p50 <= 0.5 ms: {'met' if u['p50_ms'] <= 0.5 else 'not met'}.",
        "",
        "## Scale",
        "",
        "`/latest` with uniformly random ids over each corpus's whole question pool; one briefing server per",
        f"corpus, all running at once, and {report['settings']['rounds']} rounds in which the corpora run back to back (the",
        "wrk warm-up of each run fills the caches). Medians over the rounds; the ratio to the seeds is the median",
        "of the per-round ratios. Each database file is read once first, as the page cache of a server that has",
        "run a while holds it. Two settings:",
        "",
        "- **cached**: as deployed (`BRIEFING_RESPONSE_CACHE_ENTRIES` at its default). The seeds' 4 questions are",
        "  always in the response cache; the 1M corpus's 100,000 questions, drawn uniformly, almost never are.",
        "  So this ratio compares a cache hit with a cache miss, not a small store with a big one.",
        "- **uncached**: `BRIEFING_RESPONSE_CACHE_ENTRIES=0`, every request takes the full path (route, query,",
        "  JSON): the same work at every scale, so this ratio shows what the data's size costs.",
        "",
        "| corpus | answers | setting | req/s | p50 ms | p99 ms | CPU us/req | largest worker RSS | its PSS |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for scale, modes in report["scales"].items():
        answers = report["ingest"][scale]["answers"]
        for mode, s in modes.items():
            lines.append(
                f"| {scale} | {answers:,} | {mode} | {s['rps']:.0f} | {s['p50_ms']:.2f} | {s['p99_ms']:.2f} | {s['cpu_us']:.0f} | {s['worker_rss_mb']:.0f} MB | {s['worker_pss_mb']:.0f} MB |"
            )
    if "1m" in report["scales"]:
        big = report["scales"]["1m"]
        rss = big["cached"]["worker_rss_mb"]
        lines.append("")
        for mode in ("cached", "uncached"):
            per_round = big[mode]["p50_to_seeds"]
            ratio = statistics.median(per_round)
            lines.append(
                f"p50 at 1,000,000 answers / p50 on the seeds, {mode}: {ratio:.2f} (per round: "
                f"{', '.join(f'{x:.2f}' for x in per_round)}; target <= 1.2: {'met' if ratio <= 1.2 else 'not met'})."
            )
        lines += [
            "",
            f"One worker's resident memory (RSS) at 1,000,000 answers, after its load, as deployed: {rss:.0f} MB "
            f"(target <= 60 MB: {'met' if rss <= 60 else 'not met'}); PSS {big['cached']['worker_pss_mb']:.0f} MB.",
        ]
    lines += [
        "",
        "## Ingestion (`briefing ingest`, SQLite, whole command)",
        "",
        "Seconds are the whole command; its fixed start-up (imports, the app, the process pool) is",
        "measured apart by ingesting an empty folder, and the last column leaves it out.",
        "",
        "| corpus | articles | answers | seconds | articles/s | answers/s | start-up s | articles/s after start-up | peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scale, s in report["ingest"].items():
        if scale != "seeds":
            lines.append(
                f"| {scale} | {s['articles']:,} | {s['answers']:,} | {s['seconds']} | {s['articles_per_s']:,} | {s['answers_per_s']:,} | {s['startup_s']} | {s['articles_per_s_after_startup']:,} | {s.get('peak_rss_mb', '')} |"
            )
    lines += ["", "![throughput, latency and scale](benchmarks.png)", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
