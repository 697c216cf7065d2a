"""End to end on loopback: real nginx with deploy/nginx.conf before two gunicorn replicas on one PostgreSQL."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import pytest

from service.keys import answer_id
from tests.conftest import (
    POSTGRES_URL,
    SEEDS,
    TOKEN,
    free_port,
    make_article,
    postgres_schema,
)

NGINX = shutil.which("nginx") or (
    "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
)
CONF = Path(__file__).parent.parent / "deploy" / "nginx.conf"
BIN = Path(sys.executable).parent
MAX_AGE = 2
STAND = "was-ist-der-derzeitige-stand-der-friedensgespraeche_f4e79409f3"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgres,
    pytest.mark.skipif(
        not (NGINX and POSTGRES_URL),
        reason="needs nginx and BRIEFING_TEST_DATABASE_URL",
    ),
]


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    pairs: list[tuple[str, str]] = field(default_factory=list)

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.pairs if k.lower() == name.lower()]

    def json(self) -> Any:
        return json.loads(self.body)


def call(
    url: str,
    method: str = "GET",
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    request = urllib.request.Request(
        url, data=data, method=method, headers=headers or {}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Reply(
                response.status,
                dict(response.headers),
                response.read(),
                response.headers.items(),
            )
    except urllib.error.HTTPError as exc:
        return Reply(exc.code, dict(exc.headers), exc.read(), exc.headers.items())


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            call(url)
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(log.read_text()) from None
            time.sleep(0.1)


@dataclass
class Stack:
    proxy: str
    replicas: list[str]
    untrusting: str
    no_replicas: str  # nginx before replicas that do not answer


def start_nginx(
    folder: Path, port: int, upstreams: list[str], logs: list[BinaryIO]
) -> subprocess.Popen[bytes]:
    """Fill in deploy/nginx.conf for loopback and start nginx on it."""
    values = {
        "LISTEN": f"127.0.0.1:{port}",
        "SERVER_NAME": "127.0.0.1",
        "UPSTREAM_1": upstreams[0],
        "UPSTREAM_2": upstreams[1],
        "RUN_DIR": str(folder),
    }
    conf = folder / "nginx.conf"
    conf.write_text(
        re.sub(r"\$\{(\w+)\}", lambda m: values[m.group(1)], CONF.read_text())
    )
    assert NGINX
    # Started as root, nginx would hand its workers to an unprivileged
    # user who cannot write into pytest's private temporary folder.
    directives = "daemon off;" + (" user root;" if os.geteuid() == 0 else "")
    logs.append((folder / "nginx.out").open("wb"))
    return subprocess.Popen(
        [NGINX, "-c", str(conf), "-p", str(folder), "-g", directives],
        stdout=logs[-1],
        stderr=subprocess.STDOUT,
    )


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    folder = tmp_path_factory.mktemp("e2e")
    processes: list[subprocess.Popen[bytes]] = []
    logs: list[BinaryIO] = []
    with postgres_schema() as database_url:
        base_env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")},
            "BRIEFING_DATABASE_URL": database_url,
            "BRIEFING_API_TOKENS": TOKEN,
            "BRIEFING_CACHE_MAX_AGE": str(MAX_AGE),
        }
        for args in (["db", "upgrade"], ["ingest", str(SEEDS)]):
            subprocess.run(
                [BIN / "briefing", *args], env=base_env, check=True, capture_output=True
            )
        try:
            ports = []
            for name, trusted in (("a", "1"), ("b", "1"), ("c", "0")):
                port = free_port()
                log = folder / f"replica-{name}.log"
                logs.append(log.open("wb"))
                process = subprocess.Popen(
                    [
                        BIN / "gunicorn",
                        "-c",
                        "python:service.gunicorn_conf",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "service:create_app()",
                    ],
                    env={**base_env, "BRIEFING_TRUSTED_PROXIES": trusted},
                    stdout=logs[-1],
                    stderr=subprocess.STDOUT,
                )
                processes.append(process)
                wait_for(f"http://127.0.0.1:{port}/healthz", process, log)
                ports.append(port)
            proxy_port = free_port()
            nginx = start_nginx(
                folder, proxy_port, [f"127.0.0.1:{port}" for port in ports[:2]], logs
            )
            processes.append(nginx)
            wait_for(
                f"http://127.0.0.1:{proxy_port}/healthz", nginx, folder / "nginx.out"
            )
            # The same configuration before two replicas that are not there.
            dead_folder = folder / "dead"
            dead_folder.mkdir()
            dead_port = free_port()
            dead = start_nginx(
                dead_folder,
                dead_port,
                [f"127.0.0.1:{free_port()}", f"127.0.0.1:{free_port()}"],
                logs,
            )
            processes.append(dead)
            wait_for(
                f"http://127.0.0.1:{dead_port}/healthz",
                dead,
                dead_folder / "nginx.out",
            )
            yield Stack(
                f"http://127.0.0.1:{proxy_port}",
                [f"http://127.0.0.1:{port}" for port in ports[:2]],
                f"http://127.0.0.1:{ports[2]}",
                f"http://127.0.0.1:{dead_port}",
            )
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=30)
            for stream in logs:
                stream.close()


AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/plain"}
FORGED = {
    "X-Forwarded-Host": "evil.example",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-For": "203.0.113.7",
}


def test_an_article_posted_through_the_proxy_is_read_from_both_replicas(
    stack: Stack,
) -> None:
    article = make_article("2026-07-01", "Wer liest mit?", "Beide Replikate.")
    reply = call(stack.proxy + "/v1/articles?source=e2e", "POST", article, AUTH)
    assert reply.status == 201
    location = reply.headers["Location"]
    assert location.startswith(stack.proxy + "/v1/articles/")
    path = location.removeprefix(stack.proxy)
    for replica in stack.replicas:
        assert call(replica + path).status == 200


def test_links_use_the_proxys_host_and_forged_headers_do_not_pass(stack: Stack) -> None:
    through_proxy = call(stack.proxy + "/v1/questions?limit=1", headers=FORGED).json()
    assert through_proxy["next"].startswith(stack.proxy + "/v1/questions?")
    direct_untrusting = call(
        stack.untrusting + "/v1/questions?limit=1", headers=FORGED
    ).json()
    assert direct_untrusting["next"].startswith(stack.untrusting + "/v1/questions?")
    # A replica that trusts one proxy believes whoever reaches it directly:
    # that is why only the proxy may reach the replicas.
    direct_trusting = call(
        stack.replicas[0] + "/v1/questions?limit=1", headers=FORGED
    ).json()
    assert direct_trusting["next"].startswith("https://evil.example/")


def test_cache_hits_304s_and_both_replicas_serve(stack: Stack) -> None:
    url = f"{stack.proxy}/v1/questions/{STAND}/answers/2026-01-09?match=exact"
    statuses = [call(url).headers.get("X-Cache-Status") for _ in range(20)]
    assert statuses[0] in ("MISS", "HIT", "EXPIRED", "UPDATING", "REVALIDATED")
    assert statuses[1:].count("HIT") == 19
    etag = call(url).headers["ETag"]
    not_modified = [call(url, headers={"If-None-Match": etag}).status for _ in range(5)]
    assert not_modified == [304] * 5
    for _ in range(20):
        call(
            f"{stack.proxy}/v1/articles?limit={1 + _ % 5}"
        )  # distinct keys: misses go upstream
    served = []
    for replica in stack.replicas:
        text = call(replica + "/metrics").body.decode()
        served.append(
            sum(
                float(v)
                for v in re.findall(
                    r'briefing_http_requests_total\{[^}]*route="/v1/articles"[^}]*\} (\S+)',
                    text,
                )
            )
        )
    assert all(count > 0 for count in served), served
    print(
        f"\ne2e figures: {statuses.count('HIT')}/20 cache hits, {not_modified.count(304)}/5 304s, /v1/articles served per replica {served}"
    )


def test_a_retraction_shows_through_the_proxy_within_max_age(stack: Stack) -> None:
    """Latest is cached for max-age, then served stale once while nginx refreshes it
    (stale-while-revalidate, same length): visible after at most twice max-age."""
    url = f"{stack.proxy}/v1/questions/{STAND}/latest"
    assert call(url).json()["published"] == "2026-01-09"
    assert call(url).headers["X-Cache-Status"] == "HIT"
    assert (
        call(
            stack.proxy + "/v1/articles/ff251b4db109e584", "DELETE", headers=AUTH
        ).status
        == 204
    )
    retracted = time.monotonic()
    while call(url).json()["published"] != "2026-01-06":
        assert time.monotonic() - retracted <= 2 * MAX_AGE + 1, (
            "the proxy kept serving the retracted answer"
        )
        time.sleep(0.2)
    elapsed = time.monotonic() - retracted
    print(
        f"\ne2e: retraction visible through the proxy after {elapsed:.1f}s (max-age {MAX_AGE}s)"
    )


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}


def assert_problem(reply: Reply, status: int) -> None:
    """nginx's own error: problem+json, no HTML, and the security headers once each."""
    assert reply.status == status, (reply.status, reply.body[:200])
    assert reply.headers["Content-Type"] == "application/problem+json"
    body = reply.json()
    assert body["status"] == status and body["type"] == "about:blank"
    assert body["title"] and body["detail"]
    assert reply.headers.get("Cache-Control") == "no-store"
    assert reply.headers.get("X-Request-ID")
    assert_secured(reply)


def assert_secured(reply: Reply) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert reply.all(name) == [value], (name, reply.pairs)


def raw(
    base: str,
    method: str,
    target: str,
    headers: dict[str, str],
    body: bytes | None = None,
) -> Reply:
    """One request with the request line and Host exactly as given."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.endheaders(body)
        response = conn.getresponse()
        return Reply(
            response.status,
            dict(response.getheaders()),
            response.read(),
            response.getheaders(),
        )
    finally:
        conn.close()


def test_security_headers_come_through_the_proxy_once(stack: Stack) -> None:
    url = f"{stack.proxy}/v1/questions/{STAND}/answers/2026-01-06"
    replies = [call(url) for _ in range(3)]
    assert replies[-1].headers["X-Cache-Status"] == "HIT"
    for reply in replies:
        assert reply.status == 200
        assert_secured(reply)
        assert "gunicorn" not in str(reply.pairs).lower()
    problem = call(stack.proxy + "/v1/questions/nope_0000000000")
    assert problem.status == 404 and "instance" in problem.json()  # the service's
    assert_secured(problem)


def test_a_forged_host_is_refused_and_never_reaches_links(stack: Stack) -> None:
    port = stack.proxy.rsplit(":", 1)[1]
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.2"):
        assert_problem(
            call(stack.proxy + "/v1/questions?limit=1", headers={"Host": host}), 421
        )
    # The absolute form names the host in the request line: nginx takes that one.
    absolute = raw(
        stack.proxy,
        "GET",
        "http://evil.example/v1/questions?limit=1",
        {"Host": f"127.0.0.1:{port}"},
    )
    assert_problem(absolute, 421)
    # HTTP/1.1 without a Host is malformed: nginx's own 400, as a problem.
    assert_problem(raw(stack.proxy, "GET", "/v1/questions", {}), 400)
    # A port part that smuggles a host: the service only ever sees the name
    # nginx matched and nginx's port.
    sneaky = call(
        stack.proxy + "/v1/questions?limit=1",
        headers={"Host": "127.0.0.1:1@evil.example"},
    )
    assert sneaky.status == 200  # nginx takes the name before the colon
    assert sneaky.json()["next"].startswith(stack.proxy + "/v1/questions?")
    assert sneaky.headers["Link"].startswith(f"<{stack.proxy}/v1/questions?")
    article = make_article("2026-07-02", "Wem gehört der Link?", "Dem Proxy.")
    posted = call(
        stack.proxy + "/v1/articles?source=host",
        "POST",
        article,
        {**AUTH, "Host": "127.0.0.1:1@evil.example"},
    )
    assert posted.status == 201
    assert posted.headers["Location"].startswith(stack.proxy + "/v1/articles/")
    assert posted.json()["links"]["self"] == posted.headers["Location"]
    assert b"evil" not in posted.body


@pytest.mark.parametrize(
    "target", ["/metrics", "/metrics?x=1", "//metrics", "/%6Detrics", "/metrics/"]
)
def test_metrics_are_not_served_through_the_proxy(stack: Stack, target: str) -> None:
    reply = raw(
        stack.proxy, "GET", target, {"Host": stack.proxy.removeprefix("http://")}
    )
    assert_problem(reply, 403)
    assert b"briefing_http_requests_total" not in reply.body
    assert call(stack.replicas[0] + "/metrics").status == 200  # scraped directly


def test_nginx_answers_its_own_errors_as_problems(stack: Stack) -> None:
    host = {"Host": stack.proxy.removeprefix("http://")}
    # 413: refused from Content-Length alone, before any of the body is sent.
    too_big = raw(
        stack.proxy,
        "POST",
        "/v1/articles?source=big",
        {**host, **AUTH, "Content-Length": str(2 * 1024 * 1024)},
    )
    assert_problem(too_big, 413)
    assert_problem(call(stack.proxy + "/v1/questions?q=" + "a" * 20_000), 414)
    # nginx's 494 (a header over large_client_header_buffers), sent as 431.
    assert_problem(
        call(stack.proxy + "/v1/questions", headers={"X-Big": "b" * 20_000}), 431
    )
    assert_problem(raw(stack.proxy, "GET", "/.problem", host), 404)
    gone = call(stack.no_replicas + "/v1/questions?limit=3")
    assert_problem(gone, 502)
    assert gone.headers["Retry-After"] == "5"


def test_nginx_limits_the_rate_of_writes(stack: Stack) -> None:
    """Past a burst of 20 writes from one address nginx answers 429 itself.

    The deletes name an unknown article with a valid token: each is a 404 from the
    service, so the service's own limit on failed authentication plays no part.
    """
    statuses = [
        call(stack.proxy + "/v1/articles/0123456789abcdef", "DELETE", headers=AUTH)
        for _ in range(40)
    ]
    refused = [reply for reply in statuses if reply.status == 429]
    assert {reply.status for reply in statuses} == {404, 429}
    assert refused
    assert_problem(refused[0], 429)
    assert refused[0].headers["Retry-After"] == "1"
    time.sleep(2.5)  # 10 writes a second: room again for the tests after this one


def test_cacheable_responses_live_at_most_max_age(stack: Stack) -> None:
    """Nothing a write can change may outlive max-age plus stale-while-revalidate."""
    rule = f"public, max-age={MAX_AGE}, stale-while-revalidate={MAX_AGE}"
    article = "c5e0797645e774ad"
    paths = [
        "/v1/questions",
        f"/v1/questions/{STAND}",
        f"/v1/questions/{STAND}/answers",
        f"/v1/questions/{STAND}/answers/2026-01-06?match=exact",
        f"/v1/questions/{STAND}/answers/2026-01-07",
        f"/v1/questions/{STAND}/latest",
        "/v1/articles",
        f"/v1/articles/{article}",
        f"/v1/articles/{article}/text",
    ]
    wrong = {
        path: cache_control
        for path in paths
        if (cache_control := call(stack.replicas[0] + path).headers["Cache-Control"])
        != rule
    }
    assert wrong == {}, f"not {rule!r}"


def _poll(checks: dict[str, Callable[[Reply], bool]], bound: float) -> dict[str, float]:
    """GET each URL until its check holds; return when each first did."""
    started = time.monotonic()
    seen: dict[str, float] = {}
    while len(seen) < len(checks):
        for url, check in checks.items():
            if url not in seen and check(call(url)):
                seen[url] = time.monotonic() - started
        late = [url for url in checks if url not in seen]
        assert not late or time.monotonic() - started <= bound, (
            f"still served as before the write after {bound:.0f}s: {late}"
        )
        time.sleep(0.2)
    return seen


def _answered_by(article_id: str) -> Callable[[Reply], bool]:
    return lambda r: (
        r.status == 200 and r.json()["provenance"]["article_id"] == article_id
    )


def _listed(key: str, value: str, present: bool) -> Callable[[Reply], bool]:
    return lambda r: (
        r.status == 200
        and present == any(item[key] == value for item in r.json()["items"])
    )


def test_a_correction_and_a_retraction_show_through_the_proxy(stack: Stack) -> None:
    """A second article of the same day, then retractions, are seen through nginx
    within max-age plus stale-while-revalidate on every resource they change."""
    # nginx keeps expiry times in whole seconds (up to one more), plus polling
    # and a busy machine's delays.
    bound = 2 * MAX_AGE + 2
    question = "Wer hat hier das letzte Wort?"
    first = call(
        stack.proxy + "/v1/articles?source=first",
        "POST",
        make_article("2026-08-03", question, "Die erste Fassung."),
        AUTH,
    ).json()
    q = first["records"][0]["question_id"]
    base = f"{stack.proxy}/v1/questions/{q}"
    exact, as_of, latest = (
        f"{base}/answers/2026-08-03?match=exact",
        f"{base}/answers/2026-08-05",
        f"{base}/latest",
    )
    questions, articles = stack.proxy + "/v1/questions", stack.proxy + "/v1/articles"
    for url in (exact, as_of, latest, questions, articles, base, base + "/answers"):
        call(url)
        assert call(url).headers.get("X-Cache-Status") == "HIT", url

    # The same-day correction.
    second = call(
        stack.proxy + "/v1/articles?source=second",
        "POST",
        make_article("2026-08-03", question, "Die berichtigte Fassung."),
        AUTH,
    ).json()
    corrected = _poll(
        {
            exact: _answered_by(second["id"]),
            as_of: _answered_by(second["id"]),
            latest: _answered_by(second["id"]),
            articles: _listed("id", second["id"], True),
            base + "/answers": lambda r: (
                second["id"]
                in {a["provenance"]["article_id"] for a in r.json()["items"]}
            ),
        },
        bound,
    )
    own, text = second["links"]["self"], second["links"]["text"]
    for url in (own, text):
        call(url)
        assert call(url).headers.get("X-Cache-Status") == "HIT", url

    # The correction retracted: its article and text go, the first answer is back.
    assert call(own, "DELETE", headers=AUTH).status == 204
    retracted = _poll(
        {
            own: lambda r: r.status == 410,
            text: lambda r: r.status == 410,
            exact: _answered_by(first["id"]),
            as_of: _answered_by(first["id"]),
            latest: _answered_by(first["id"]),
            articles: _listed("id", second["id"], False),
        },
        bound,
    )

    # The first one retracted too: the question leaves the list.
    assert call(first["links"]["self"], "DELETE", headers=AUTH).status == 204
    gone = _poll(
        {
            first["links"]["self"]: lambda r: r.status == 410,
            exact: lambda r: r.status == 404,
            latest: lambda r: r.status == 404,
            questions: _listed("id", q, False),
        },
        bound,
    )
    print(
        "\ne2e: seen through the proxy after at most "
        f"{max(corrected.values()):.1f}s (correction), "
        f"{max(retracted.values()):.1f}s (retraction), "
        f"{max(gone.values()):.1f}s (last answer retracted); bound {bound}s"
    )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _timegate(url: str, instant: str | None) -> Reply:
    """One TimeGate request, its 302 as it came (not followed)."""
    opener = urllib.request.build_opener(_NoRedirect)
    headers = {"Accept-Datetime": instant} if instant else {}
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=10) as r:
            return Reply(r.status, dict(r.headers), r.read())
    except urllib.error.HTTPError as exc:
        return Reply(exc.code, dict(exc.headers), exc.read())


def test_the_proxy_never_serves_one_instants_302_to_another(stack: Stack) -> None:
    """nginx keeps the TimeGate's 302s by Vary: Accept-Datetime, one per instant."""
    # A question of this test's own: the others change the seeds' answers.
    versions = []
    for day in ("2026-10-01", "2026-10-05"):
        article = make_article(day, "Wann reist wer durch die Zeit?", f"Stand {day}.")
        posted = call(stack.proxy + f"/v1/articles?source={day}", "POST", article, AUTH)
        assert posted.status == 201, posted
        question = posted.json()["records"][0]["question_id"]
        versions.append(answer_id(posted.json()["id"], question))
    url = f"{stack.proxy}/v1/questions/{question}/timegate"
    first, last = (f"/v1/answers/{version}" for version in versions)
    asked = [
        ("Sat, 03 Oct 2026 12:00:00 GMT", first),
        (None, last),
        ("Tue, 06 Oct 2026 12:00:00 GMT", last),
        ("Thu, 01 Oct 2026 00:00:00 GMT", first),
    ]
    statuses = []
    for _ in range(3):
        for instant, expected in asked:
            reply = _timegate(url, instant)
            assert reply.status == 302, reply
            assert reply.headers["Location"].endswith(expected), (
                instant,
                reply.headers,
            )
            assert "accept-datetime" in reply.headers["Vary"].lower()
            statuses.append(reply.headers.get("X-Cache-Status"))
    # The later rounds come from nginx's cache, each instant from its own entry.
    assert statuses[len(asked) :].count("HIT") >= len(asked), statuses


def test_a_retracted_version_shows_through_the_proxy_within_max_age(
    stack: Stack,
) -> None:
    bound = 2 * MAX_AGE + 2
    posted = call(
        stack.proxy + "/v1/articles?source=version",
        "POST",
        make_article("2026-09-01", "Welche Fassung gilt hier?", "Diese."),
        AUTH,
    ).json()
    question = posted["records"][0]["question_id"]
    version = call(f"{stack.proxy}/v1/questions/{question}/latest").json()["links"][
        "self"
    ]
    call(version)
    assert call(version).headers.get("X-Cache-Status") == "HIT"
    assert call(posted["links"]["self"], "DELETE", headers=AUTH).status == 204
    seen = _poll({version: lambda r: r.status == 410}, bound)
    print(
        f"\ne2e: a retracted version answered 410 through the proxy after {seen[version]:.1f} s"
    )
