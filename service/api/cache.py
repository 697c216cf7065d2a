"""A response cache in front of Flask: each GET rendered once per data generation.

Every write appends its events to the store's change log in its own
transaction; the generation is the log's greatest id. A GET whose
view marked its response cacheable (`http.mark_cacheable`) is kept here, keyed by
scheme, host, path, query and the request headers a response can vary on
(`Accept`, `Accept-Datetime`), with the generation read *before* the view read
the data; a later request with the same key and the same generation gets those
bytes (or a 304, as its preconditions say) without Flask, the view or any
query but the generation read. A changed generation empties the cache,
so nothing served is older than the last committed write, from this process
or any other replica.

The fast path does what the Flask path does around a response: request id,
one JSON log line, metrics.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from werkzeug.datastructures import EnvironHeaders
from werkzeug.http import parse_date, unquote_etag

from service.api.http import (
    CACHEABLE_ROUTE_KEY,
    GENERATION_KEY,
    NOT_IN_304,
    account_request,
    precondition,
    request_id_from,
)
from service.store import GenerationReader

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

_CONDITIONS = frozenset(
    ("HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")
)
_NOT_IN_304 = frozenset(name.lower() for name in NOT_IN_304)
# Headers whose few values repeat across responses: each pair is kept once per
# worker, not once per entry (a third of an entry beside an answer's body).
_SHARED = frozenset(
    (
        "content-type",
        "cache-control",
        "access-control-allow-origin",
        "access-control-expose-headers",
        "x-content-type-options",
        "referrer-policy",
        "x-frame-options",
        "content-security-policy",
    )
)


@dataclass(frozen=True)
class Entry:
    route: str
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    etag: str | None
    weak: bool
    last_modified: datetime | None


class ResponseCache:
    """WSGI middleware holding up to `max_entries` rendered responses (LRU).

    Bodies add up to at most MAX_BYTES: an article text can be a megabyte, and
    a worker must not grow without bound.
    """

    MAX_BYTES = 8 * 1024 * 1024

    def __init__(
        self, app: WSGIApp, generations: GenerationReader, *, max_entries: int
    ) -> None:
        self.app = app
        self.generations = generations
        self.max_entries = max_entries
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._bytes = 0
        self._generation: int | None = None
        self._lock = threading.Lock()
        self._shared: dict[tuple[str, str], tuple[str, str]] = {}

    def __call__(
        self, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
            return self.app(environ, start_response)
        started = time.perf_counter()
        try:
            generation = self.generations.read()
        except Exception:
            return self.app(environ, start_response)  # Flask answers, e.g. with a 503
        key = self._key(environ)
        with self._lock:
            if generation != self._generation:
                self._entries.clear()
                self._bytes = 0
                self._generation = generation
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
        if entry is not None:
            return self._serve(entry, environ, start_response, started)
        environ[GENERATION_KEY] = generation
        return self._render(key, generation, environ, start_response)

    @staticmethod
    def _key(environ: dict[str, Any]) -> str:
        # Bodies hold absolute links, so scheme and host are part of the key;
        # so is every request header a representation may be chosen by.
        return (
            f"{environ['wsgi.url_scheme']}://{environ.get('HTTP_HOST', '')}"
            f"{environ.get('SCRIPT_NAME', '')}{environ.get('PATH_INFO', '')}"
            f"?{environ.get('QUERY_STRING', '')}"
            f"\n{environ.get('HTTP_ACCEPT', '')}"
            f"\n{environ.get('HTTP_ACCEPT_DATETIME', '')}"
        )

    def _render(
        self,
        key: str,
        generation: int,
        environ: dict[str, Any],
        start_response: StartResponse,
    ) -> Iterable[bytes]:
        captured: dict[str, Any] = {}

        def capture(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        chunks = self.app(environ, capture)
        route = environ.get(CACHEABLE_ROUTE_KEY)
        # A HEAD response has no body to keep.
        if (
            route is None
            or environ["REQUEST_METHOD"] != "GET"
            or captured.get("status", "")[:3] not in ("200", "302")
        ):
            return chunks
        # A copy of exactly the body's size: orjson's output keeps a buffer
        # several times larger (a 1.9 kB answer held 8 kB).
        body = memoryview(b"".join(chunks)).tobytes()
        getattr(chunks, "close", lambda: None)()
        headers = [
            self._shared.setdefault(pair, pair) if name in _SHARED else pair
            for pair in captured["headers"]
            if (name := pair[0].lower()) != "x-request-id"
        ]
        etag, weak = unquote_etag(
            next((v for k, v in headers if k.lower() == "etag"), None)
        )
        modified = next((v for k, v in headers if k.lower() == "last-modified"), None)
        with self._lock:
            if generation == self._generation:
                old = self._entries.pop(key, None)
                self._bytes -= len(old.body) if old else 0
                self._entries[key] = Entry(
                    route,
                    captured["status"],
                    headers,
                    body,
                    etag,
                    weak,
                    parse_date(modified),
                )
                self._bytes += len(body)
                while self._entries and (
                    len(self._entries) > self.max_entries
                    or self._bytes > self.MAX_BYTES
                ):
                    _, evicted = self._entries.popitem(last=False)
                    self._bytes -= len(evicted.body)
        return [body]

    def _serve(
        self,
        entry: Entry,
        environ: dict[str, Any],
        start_response: StartResponse,
        started: float,
    ) -> Iterable[bytes]:
        status = 200
        if entry.etag is not None and _CONDITIONS.intersection(environ):
            status = precondition(
                EnvironHeaders(environ),
                entry.etag,
                entry.last_modified,
                weak=entry.weak,
            )
        if status == 412:  # Flask renders the problem
            return self.app(environ, start_response)
        request_id = request_id_from(environ.get("HTTP_X_REQUEST_ID", ""))
        if status == 304:
            body = b""
            headers = [(k, v) for k, v in entry.headers if k.lower() not in _NOT_IN_304]
        else:
            body = entry.body
            headers = list(entry.headers)
        headers.append(("X-Request-ID", request_id))
        if status == 200:
            start_response(entry.status, headers)
            status = int(entry.status[:3])
        else:
            start_response("304 Not Modified", headers)
        if environ["REQUEST_METHOD"] == "HEAD":
            body = b""
        seconds = time.perf_counter() - started
        account_request(
            request_id=request_id,
            method=environ["REQUEST_METHOD"],
            route=entry.route,
            status=status,
            seconds=seconds,
            client=environ.get("REMOTE_ADDR"),
            cache="hit",
        )
        return [body]
