"""End to end on loopback: real nginx with deploy/nginx.conf before two gunicorn replicas on one PostgreSQL."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pytest

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

    def json(self):
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
            return Reply(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as exc:
        return Reply(exc.code, dict(exc.headers), exc.read())


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
            values = {
                "LISTEN": f"127.0.0.1:{proxy_port}",
                "UPSTREAM_1": f"127.0.0.1:{ports[0]}",
                "UPSTREAM_2": f"127.0.0.1:{ports[1]}",
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
            nginx = subprocess.Popen(
                [NGINX, "-c", str(conf), "-p", str(folder), "-g", directives],
                stdout=logs[-1],
                stderr=subprocess.STDOUT,
            )
            processes.append(nginx)
            wait_for(
                f"http://127.0.0.1:{proxy_port}/healthz", nginx, folder / "nginx.out"
            )
            yield Stack(
                f"http://127.0.0.1:{proxy_port}",
                [f"http://127.0.0.1:{port}" for port in ports[:2]],
                f"http://127.0.0.1:{ports[2]}",
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
