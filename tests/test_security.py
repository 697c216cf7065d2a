"""Security conduct: headers on every response, no server banner, failed logins limited."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask

from service import create_app
from service.api import security
from service.config import ConfigError, from_env
from service.store import generation_reader, get_engine, queries, upgrade, versions
from tests.conftest import (
    SEEDS,
    TOKEN,
    LiveServer,
    free_port,
    make_article,
    wait_until_healthy,
)

STAND = "was-ist-der-derzeitige-stand-der-friedensgespraeche_f4e79409f3"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
BIN = Path(sys.executable).parent
REDIS = ("127.0.0.1", 6379)


def assert_secured(response: Any, policy: str = security.API_POLICY) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (name, dict(response.headers))
    assert response.headers.get("Content-Security-Policy") == policy


# -- headers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/v1/questions", 200),
        ("HEAD", "/v1/questions", 200),
        ("GET", f"/v1/questions/{STAND}/latest", 200),
        ("GET", "/v1/articles/ff251b4db109e584/text", 200),
        ("GET", "/openapi.yaml", 200),
        ("GET", "/metrics", 200),
        ("GET", "/healthz", 200),
        ("OPTIONS", "/v1/questions", 200),
        ("GET", "/v1/questions/nope_0000000000", 404),
        ("GET", "/nowhere", 404),
        ("PUT", "/v1/questions", 405),
        ("GET", "/v1/questions?limit=0", 422),
        ("POST", "/v1/articles", 401),
        ("DELETE", "/v1/articles/0123456789abcdef", 401),
    ],
)
def test_every_response_carries_the_security_headers(
    seeded: Flask, method: str, path: str, status: int
) -> None:
    response = seeded.test_client().open(path, method=method)
    assert response.status_code == status
    assert_secured(response)


def test_a_413_and_a_500_carry_them_too(
    seeded: Flask, auth: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = seeded.test_client()
    too_big = client.post(
        "/v1/articles?source=x",
        data=b"x" * (seeded.config["MAX_ARTICLE_BYTES"] + 1),
        content_type="text/plain",
        headers=auth,
    )
    assert too_big.status_code == 413
    assert_secured(too_big)

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(queries, "list_questions", broken)
    failed = client.get("/v1/questions?limit=3")
    assert failed.status_code == 500
    assert failed.content_type == "application/problem+json"
    assert_secured(failed)


def test_cache_hits_and_their_304s_carry_the_security_headers(
    seeded: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The response cache answers these without Flask: its stored headers hold them."""
    seen: list[str] = []
    original: Callable[..., Any] = versions.history

    def counting(*args: Any, **kwargs: Any) -> Any:
        seen.append(args[1])
        return original(*args, **kwargs)

    monkeypatch.setattr(versions, "history", counting)
    client = seeded.test_client()
    url = f"/v1/questions/{STAND}/latest"
    first = client.get(url)
    flask_304 = client.get(url + "?x=1")  # another key: rendered by Flask
    flask_304 = client.get(
        url + "?x=1", headers={"If-None-Match": flask_304.headers["ETag"]}
    )
    hit = client.get(url)
    hit_304 = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    head = client.head(url)
    assert seen == [STAND, STAND]  # the hits never reached the view
    assert [r.status_code for r in (hit, flask_304, hit_304, head)] == [
        200,
        304,
        304,
        200,
    ]
    for response in (first, hit, flask_304, hit_304, head):
        assert_secured(response)


class _PageParts(HTMLParser):
    """The scripts, stylesheets and inline handlers of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str | None] = []
        self.styles: list[str | None] = []
        self.handlers: list[str] = []
        self.inline_script = ""
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        if tag == "script":
            self.scripts.append(values.get("src"))
            self._in_script = True
        if tag == "link" and values.get("rel") == "stylesheet":
            self.styles.append(values.get("href"))
        if tag == "style":
            self.styles.append(None)

    def handle_endtag(self, tag: str) -> None:
        self._in_script = self._in_script and tag != "script"

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.inline_script += data.strip()


def test_the_docs_page_fits_its_strict_policy(seeded: Flask) -> None:
    client = seeded.test_client()
    page = client.get("/docs")
    assert page.status_code == 200
    assert_secured(page, security.DOCS_POLICY)
    policy = page.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "http" not in policy  # no other origin is allowed anything
    parts = _PageParts()
    parts.feed(page.get_data(as_text=True))
    assert parts.inline_script == "" and parts.handlers == []
    assert parts.scripts and parts.styles
    for src in (*parts.scripts, *parts.styles):
        assert src is not None and src.startswith("/docs/assets/"), src
        with client.get(src) as asset:  # files: closed, not left to the collector
            assert asset.status_code == 200, src
            assert_secured(asset, security.DOCS_POLICY)
    config = client.get("/docs/assets/docs.js").get_data(as_text=True)
    assert re.search(r"validatorUrl:\s*null", config)
    assert re.search(r'url:\s*"/openapi.yaml"', config)  # the contract, same origin


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(not CHROMIUM, reason="needs chromium (.ci/run installs it)")
def test_a_real_browser_renders_the_docs_under_the_policy(
    live_server: LiveServer, tmp_path: Path
) -> None:
    """Headless Chromium logs every CSP violation to the console; there is none."""
    assert CHROMIUM
    browser = subprocess.run(
        [
            CHROMIUM,
            "--headless=new",
            "--no-sandbox",  # run as root in CI containers
            "--disable-gpu",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=15000",
            "--dump-dom",
            live_server.url + "/docs",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    console = [line for line in browser.stderr.splitlines() if ":CONSOLE" in line]
    assert not [line for line in console if "Content Security Policy" in line]
    with urllib.request.urlopen(live_server.url + "/openapi.yaml", timeout=10) as r:
        paths = len(yaml.safe_load(r.read())["paths"])
    # Swagger UI fetched the contract and drew one block per path.
    assert len(set(re.findall(r'data-path="([^"]+)"', browser.stdout))) == paths


# -- the Server banner ----------------------------------------------------------


def test_real_gunicorn_does_not_name_itself(live_server: LiveServer) -> None:
    for path in ("/healthz", "/v1/questions", "/nowhere"):
        try:
            with urllib.request.urlopen(live_server.url + path, timeout=10) as reply:
                headers = reply.headers
        except urllib.error.HTTPError as exc:
            headers = exc.headers
        assert "gunicorn" not in headers.get("Server", "").lower(), path
        assert "gunicorn" not in str(headers).lower(), path
        assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("request_line", "status"),
    [
        (b"GET /v1/questions?q=friedensgespr\xc3\xa4che HTTP/1.1", 400),  # raw umlaut
        (b"GARBAGE", 400),
        (b"GET /" + b"a" * 9000 + b" HTTP/1.1", 414),
    ],
    ids=["raw-umlaut", "garbage", "long-line"],
)
def test_gunicorns_own_refusals_are_problems_with_the_headers(
    live_server: LiveServer, request_line: bytes, status: int
) -> None:
    host, port = live_server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request_line + b"\r\nHost: " + host.encode() + b"\r\n\r\n")
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    head, _, body = reply.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0].startswith(f"HTTP/1.1 {status} ")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    assert headers["Content-Type"] == "application/problem+json"
    assert headers["Cache-Control"] == "no-store"
    for name, value in SECURITY_HEADERS.items():
        assert headers[name] == value
    assert headers["Content-Security-Policy"] == security.API_POLICY
    problem = json.loads(body)
    assert problem["status"] == status and problem["type"] == "about:blank"
    assert "Server" not in headers


# -- failed authentication ------------------------------------------------------


@pytest.fixture
def limited(tmp_path: Path) -> Iterator[Flask]:
    """The app with three failures a minute allowed per address."""
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'briefing.sqlite3'}",
            "API_TOKENS": (TOKEN,),
            "AUTH_FAILURE_LIMIT": "3 per minute",
        }
    )
    with app.app_context():
        upgrade(get_engine())
    yield app
    generation_reader(app).close()
    with app.app_context():
        get_engine().dispose()


def _delete(app: Flask, address: str, authorization: str | None) -> Any:
    headers = {"Authorization": authorization} if authorization else {}
    return app.test_client().delete(
        "/v1/articles/0123456789abcdef",
        headers=headers,
        environ_base={"REMOTE_ADDR": address},
    )


def test_failures_past_the_limit_get_429_with_retry_after(limited: Flask) -> None:
    statuses = [
        _delete(limited, "192.0.2.1", auth).status_code
        for auth in ("Bearer wrong", None, "Basic abc", "Bearer wrong")
    ]
    assert statuses == [401, 401, 401, 429]
    refused = _delete(limited, "192.0.2.1", "Bearer wrong")
    assert refused.status_code == 429
    assert refused.content_type == "application/problem+json"
    body = refused.get_json()
    assert body["status"] == 429 and body["title"] == "Too Many Requests"
    assert body["type"].endswith("/too-many-auth-failures")
    assert 1 <= int(refused.headers["Retry-After"]) <= 61
    assert refused.headers["Cache-Control"] == "no-store"
    assert_secured(refused)


def test_a_blocked_address_cannot_go_on_trying_tokens(limited: Flask) -> None:
    for _ in range(3):
        assert _delete(limited, "192.0.2.2", "Bearer wrong").status_code == 401
    assert _delete(limited, "192.0.2.2", f"Bearer {TOKEN}").status_code == 429
    # Reads are not limited.
    assert (
        limited.test_client()
        .get("/v1/questions", environ_base={"REMOTE_ADDR": "192.0.2.2"})
        .status_code
        == 200
    )


def test_other_addresses_are_not_limited_by_one_addresss_failures(
    limited: Flask,
) -> None:
    for _ in range(5):
        _delete(limited, "192.0.2.3", "Bearer wrong")
    assert _delete(limited, "192.0.2.3", "Bearer wrong").status_code == 429
    assert _delete(limited, "198.51.100.9", f"Bearer {TOKEN}").status_code == 404
    assert _delete(limited, "198.51.100.9", "Bearer wrong").status_code == 401


def test_only_failures_count(limited: Flask) -> None:
    client = limited.test_client()
    for day in range(1, 9):
        posted = client.post(
            "/v1/articles?source=s",
            data=make_article(f"2026-03-0{day}", "Wer zählt?", f"Tag {day}."),
            content_type="text/plain",
            headers={"Authorization": f"Bearer {TOKEN}"},
            environ_base={"REMOTE_ADDR": "192.0.2.4"},
        )
        assert posted.status_code == 201
    for _ in range(8):  # 404s of an authenticated client are not failures either
        assert _delete(limited, "192.0.2.4", f"Bearer {TOKEN}").status_code == 404
    assert _delete(limited, "192.0.2.4", "Bearer wrong").status_code == 401


def test_writes_disabled_is_not_a_failed_authentication(tmp_path: Path) -> None:
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'b.sqlite3'}",
            "AUTH_FAILURE_LIMIT": "1 per minute",
        }
    )
    statuses = [_delete(app, "192.0.2.5", "Bearer x").status_code for _ in range(3)]
    assert statuses == [403, 403, 403]
    generation_reader(app).close()


class _Untouchable(io.BytesIO):
    """A request body that counts every attempt to read it."""

    reads = 0

    def read(self, *_args: Any) -> bytes:
        _Untouchable.reads += 1
        raise AssertionError("the body was read")

    readline = read1 = read


def test_the_429_is_decided_before_the_body_is_read(limited: Flask) -> None:
    for _ in range(3):
        assert _delete(limited, "192.0.2.6", "Bearer wrong").status_code == 401
    response = limited.test_client().post(
        "/v1/articles?source=s",
        input_stream=_Untouchable(b"x" * 100_000),
        headers={
            "Authorization": f"Bearer {TOKEN}",
            "Content-Type": "text/plain",
            "Content-Length": "100000",
        },
        environ_base={"REMOTE_ADDR": "192.0.2.6"},
    )
    assert response.status_code == 429
    assert _Untouchable.reads == 0


def test_an_unreachable_store_is_logged_and_writes_go_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'b.sqlite3'}",
            "API_TOKENS": (TOKEN,),
            "RATE_LIMIT_STORAGE_URL": f"redis://127.0.0.1:{free_port()}/0",
        }
    )
    with app.app_context():
        upgrade(get_engine())
    assert _delete(app, "192.0.2.7", "Bearer wrong").status_code == 401
    assert _delete(app, "192.0.2.7", f"Bearer {TOKEN}").status_code == 404
    generation_reader(app).close()
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    failures = [line for line in lines if line["logger"] == "briefing.ratelimit"]
    assert failures and all(line["level"] == "ERROR" for line in failures)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BRIEFING_AUTH_FAILURE_LIMIT", "lots"),
        ("BRIEFING_AUTH_FAILURE_LIMIT", "10 per fortnight"),
        ("BRIEFING_RATE_LIMIT_STORAGE_URL", "127.0.0.1:6379"),
        ("BRIEFING_RATE_LIMIT_STORAGE_URL", "mysql://db/limits"),
    ],
)
def test_bad_rate_limit_settings_are_named(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=f"^{name} must be "):
        from_env({name: value})


def test_rate_limit_settings_have_defaults_and_take_values() -> None:
    assert from_env({})["AUTH_FAILURE_LIMIT"] == "10 per minute"
    assert from_env({})["RATE_LIMIT_STORAGE_URL"] == "memory://"
    config = from_env(
        {
            "BRIEFING_AUTH_FAILURE_LIMIT": "5/second; 100 per hour",
            "BRIEFING_RATE_LIMIT_STORAGE_URL": "redis://127.0.0.1:6379/0",
        }
    )
    assert config["AUTH_FAILURE_LIMIT"] == "5/second; 100 per hour"
    assert config["RATE_LIMIT_STORAGE_URL"] == "redis://127.0.0.1:6379/0"


# -- across replicas, over Redis ------------------------------------------------


def _redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(scope="module")
def replicas(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """Two real gunicorn replicas on one database, counting failures in one Redis."""
    if not _redis_answers():
        pytest.skip("needs Redis on 127.0.0.1:6379")
    folder = tmp_path_factory.mktemp("replicas")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")},
        "BRIEFING_DATABASE_URL": f"sqlite:///{folder / 'briefing.sqlite3'}",
        "BRIEFING_API_TOKENS": TOKEN,
        "BRIEFING_TRUSTED_PROXIES": "1",
        "BRIEFING_AUTH_FAILURE_LIMIT": "4 per minute",
        "BRIEFING_RATE_LIMIT_STORAGE_URL": "redis://{}:{}/0".format(*REDIS),
    }
    for args in (["db", "upgrade"], ["ingest", str(SEEDS)]):
        subprocess.run(
            [BIN / "briefing", *args], env=env, check=True, capture_output=True
        )
    servers: list[subprocess.Popen[bytes]] = []
    urls = []
    log = (folder / "gunicorn.log").open("wb")
    try:
        for _ in range(2):
            port = free_port()
            servers.append(
                subprocess.Popen(
                    [
                        BIN / "gunicorn",
                        "-c",
                        "python:service.gunicorn_conf",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "1",
                        "service:create_app()",
                    ],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        for url, server in zip(urls, servers, strict=True):
            wait_until_healthy(url, server, folder / "gunicorn.log")
        yield urls
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
        log.close()


def _status(url: str, client: str, token: str) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(
        url + "/v1/articles/0123456789abcdef",
        method="DELETE",
        headers={"Authorization": f"Bearer {token}", "X-Forwarded-For": client},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, dict(reply.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers)


def test_failures_on_one_replica_count_on_the_other_over_redis(
    replicas: list[str],
) -> None:
    # An address of its own (documentation range), so no earlier run's counts
    # in the shared Redis touch this one.
    client = f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"
    a, b = replicas
    assert [_status(a, client, "wrong")[0] for _ in range(4)] == [401] * 4
    status, headers = _status(b, client, "wrong")
    assert status == 429
    assert int(headers["Retry-After"]) >= 1
    assert _status(b, client, TOKEN)[0] == 429
    assert _status(a, client, TOKEN)[0] == 429
    other = f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"
    assert _status(b, other, TOKEN)[0] == 404  # authenticated: no such article
    assert _status(a, other, "wrong")[0] == 401


def test_a_blocked_client_is_not_invited_to_upload(replicas: list[str]) -> None:
    """Real gunicorn, `Expect: 100-continue`: the 429 comes instead of `100 Continue`."""
    client = f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"
    a, b = replicas
    for _ in range(4):
        assert _status(a, client, "wrong")[0] == 401
    host, port = b.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            (
                "POST /v1/articles?source=x HTTP/1.1\r\n"
                f"Host: {host}:{port}\r\n"
                f"Authorization: Bearer {TOKEN}\r\n"
                f"X-Forwarded-For: {client}\r\n"
                "Content-Type: text/plain\r\n"
                "Content-Length: 500000\r\n"
                "Expect: 100-continue\r\n\r\n"
            ).encode()
        )
        first = sock.recv(4096).split(b"\r\n", 1)[0]
    assert first.startswith(b"HTTP/1.1 429 "), first
