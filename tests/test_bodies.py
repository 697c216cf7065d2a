"""Request bodies against real gunicorn: framing, limits, 100-continue."""

from __future__ import annotations

import contextlib
import hashlib
import json
import socket
import urllib.request
from urllib.parse import urlsplit

from tests.conftest import TOKEN, LiveServer, make_article

LIMIT = 1024 * 1024  # BRIEFING_MAX_ARTICLE_BYTES's default


def _connect(server: LiveServer) -> socket.socket:
    parts = urlsplit(server.url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
    return sock


def _head_of_reply(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def _reply(sock: socket.socket) -> bytes:
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def _chunked(body: bytes, size: int = 65536) -> bytes:
    out = b""
    for start in range(0, len(body), size):
        piece = body[start : start + size]
        out += f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    return out + b"0\r\n\r\n"


def _articles(server: LiveServer) -> int:
    with urllib.request.urlopen(server.url + "/v1/articles?limit=100") as response:
        return len(json.load(response)["items"])


def test_a_chunked_body_over_the_limit_is_refused_and_nothing_stored(
    live_server: LiveServer,
) -> None:
    before = _articles(live_server)
    article = make_article("2026-02-01", "Wie groß ist es?", "x" * (2 * LIMIT))
    with _connect(live_server) as sock:
        sock.sendall(
            b"POST /v1/articles?source=big.txt HTTP/1.1\r\nHost: test\r\n"
            b"Authorization: Bearer " + TOKEN.encode() + b"\r\n"
            b"Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n"
            b"Connection: close\r\n\r\n"
        )
        # The server may answer and close before the rest arrives.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(_chunked(article))
        reply = _reply(sock)
    assert reply.startswith(b"HTTP/1.1 413 "), reply[:200]
    assert b"application/problem+json" in reply
    assert _articles(live_server) == before


def test_a_chunked_body_within_the_limit_is_stored_whole(
    live_server: LiveServer,
) -> None:
    article = make_article("2026-02-02", "Wie lang ist es?", "y" * (LIMIT - 200))
    with _connect(live_server) as sock:
        sock.sendall(
            b"POST /v1/articles?source=long.txt HTTP/1.1\r\nHost: test\r\n"
            b"Authorization: Bearer " + TOKEN.encode() + b"\r\n"
            b"Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n"
            b"Connection: close\r\n\r\n" + _chunked(article)
        )
        reply = _reply(sock)
    assert reply.startswith(b"HTTP/1.1 201 "), reply[:300]
    assert hashlib.sha256(article).hexdigest().encode() in reply


def test_a_refused_upload_is_never_invited(live_server: LiveServer) -> None:
    """With Expect: 100-continue, 401/413/415 come before any 100 Continue."""
    cases = [
        (b"Authorization: Bearer wrong\r\nContent-Type: text/plain\r\n", b"401"),
        (
            b"Authorization: Bearer " + TOKEN.encode() + b"\r\n"
            b"Content-Type: text/csv\r\n",
            b"415",
        ),
    ]
    for headers, status in cases:
        with _connect(live_server) as sock:
            sock.sendall(
                b"POST /v1/articles?source=x.txt HTTP/1.1\r\nHost: test\r\n"
                + headers
                + b"Content-Length: 100\r\nExpect: 100-continue\r\n\r\n"
            )
            head = _head_of_reply(sock)
        assert head.startswith(b"HTTP/1.1 " + status), head[:200]
    with _connect(live_server) as sock:
        sock.sendall(
            b"POST /v1/articles?source=x.txt HTTP/1.1\r\nHost: test\r\n"
            b"Authorization: Bearer " + TOKEN.encode() + b"\r\n"
            b"Content-Type: text/plain\r\n"
            + f"Content-Length: {2 * LIMIT}\r\n".encode()
            + b"Expect: 100-continue\r\n\r\n"
        )
        head = _head_of_reply(sock)
    assert head.startswith(b"HTTP/1.1 413 "), head[:200]


def test_an_accepted_upload_is_invited_then_stored(live_server: LiveServer) -> None:
    article = make_article("2026-02-03", "Wer lädt ein?", "Der Server, spät.")
    with _connect(live_server) as sock:
        sock.sendall(
            b"POST /v1/articles?source=invited.txt HTTP/1.1\r\nHost: test\r\n"
            b"Authorization: Bearer " + TOKEN.encode() + b"\r\n"
            b"Content-Type: text/plain\r\n"
            + f"Content-Length: {len(article)}\r\n".encode()
            + b"Expect: 100-continue\r\n\r\n"
        )
        interim = _head_of_reply(sock)
        assert interim == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(article)
        reply = _reply(sock)  # the server closes such a connection after it
    assert reply.startswith(b"HTTP/1.1 201 "), reply[:200]


def test_a_client_cannot_claim_a_deferred_continue(live_server: LiveServer) -> None:
    article = make_article("2026-02-04", "Wer lügt?", "Niemand.")
    with _connect(live_server) as sock:
        sock.sendall(
            b"POST /v1/articles?source=claim.txt HTTP/1.1\r\nHost: test\r\n"
            b"Authorization: Bearer " + TOKEN.encode() + b"\r\n"
            b"Briefing-Deferred-Continue: 1\r\nContent-Type: text/plain\r\n"
            + f"Content-Length: {len(article)}\r\n".encode()
            + b"Connection: close\r\n\r\n"
            + article
        )
        reply = _reply(sock)
    assert reply.startswith(b"HTTP/1.1 201 "), reply[:200]
    assert b"100 Continue" not in reply
