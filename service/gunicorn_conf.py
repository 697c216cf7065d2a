"""gunicorn settings for `briefing serve` and the image.

Used as `gunicorn -c python:service.gunicorn_conf "service:create_app()"`.
"""

from __future__ import annotations

import errno
import gc
import json
import os
import shutil
import signal
import sys
import tempfile
from typing import Any

import gunicorn.http.wsgi  # type: ignore[import-untyped]
import gunicorn.util  # type: ignore[import-untyped]

bind = "127.0.0.1:8000"
# gthread with keep-alive measured about 20% more throughput than sync workers.
worker_class = "gthread"
workers = 2
threads = 4
keepalive = 5
timeout = 30
# Below docker stop's 10 s before SIGKILL, so in-flight requests finish first.
graceful_timeout = 8
# X-Forwarded-* is briefing's business (BRIEFING_TRUSTED_PROXIES); gunicorn must
# not turn a forged X-Forwarded-Proto into https on its own.
forwarded_allow_ips = ""
secure_scheme_headers: dict[str, str] = {}
# The longest request line gunicorn allows: long `q` filters and cursors fit.
# Beyond it gunicorn itself answers 414 (a problem, see write_problem); nginx's
# default large_client_header_buffers (8k) stops such requests earlier anyway.
limit_request_line = 8190
# gunicorn names itself in a Server header on every response; its Response
# reads this module global each time, so the software behind the API stays unsaid.
gunicorn.http.wsgi.SERVER = "briefing"


def write_problem(sock: Any, status: int, reason: str, message: str) -> None:
    """Answer a request gunicorn refuses itself (a bad request line, header...).

    gunicorn's own error page is HTML without the headers the app sends; this
    is the same RFC 9457 problem, no-store and security headers as the app's.
    """
    from service.api.security import API_POLICY, HEADERS

    body = json.dumps(
        {"type": "about:blank", "title": reason, "status": status, "detail": message}
    ).encode()
    headers = {
        **HEADERS,
        "Content-Security-Policy": API_POLICY,
        "Cache-Control": "no-store",
        "Content-Type": "application/problem+json",
        "Content-Length": str(len(body)),
        "Connection": "close",
    }
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    gunicorn.util.write_nonblock(
        sock, f"HTTP/1.1 {status} {reason}\r\n{head}\r\n".encode("latin-1") + body
    )


# The worker calls it through the module, so this replaces its HTML page.
gunicorn.util.write_error = write_problem
# briefing logs each request itself, as JSON on stdout.
accesslog = None
# gunicorn's control socket would live in $HOME, which the image keeps read-only.
control_socket_disable = True

# prometheus_client's multiprocess mode: each worker writes its metrics to files
# here and /metrics adds them up. Must be set before any worker imports the app.
_METRICS_DIR = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="briefing-metrics-")
)


def on_starting(server: Any) -> None:
    """Check the configuration once, and start with empty metrics."""
    from service.config import ConfigError, from_env

    try:
        from_env(os.environ)
    except ConfigError as exc:
        print(f"briefing: {exc}", file=sys.stderr)
        sys.exit(1)
    shutil.rmtree(_METRICS_DIR, ignore_errors=True)
    os.makedirs(_METRICS_DIR, exist_ok=True)


def child_exit(server: Any, worker: Any) -> None:
    """Fold a dead worker's live gauges away (its counters stay counted)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


# The header a request carries when the app, not gunicorn, owes it its
# `100 Continue` (see service.api.http.read_body). Any copy a client sends is
# dropped first, so only this hook can set it.
DEFERRED_CONTINUE = "BRIEFING-DEFERRED-CONTINUE"


def pre_request(worker: Any, req: Any) -> None:
    """Defer `100 Continue` to the app, which decides 401/403/413/415 first.

    gunicorn answers `Expect: 100-continue` as soon as it has the headers,
    inviting the upload of a body the app is about to refuse. Here it does
    not; the app sends the interim response when it starts to read the body.
    Such a connection is closed after its response: a refused client may or
    may not send the body it announced, so the stream cannot be trusted.
    """
    worker.log.debug("%s %s", req.method, req.path)
    req.headers = [
        (name, value) for name, value in req.headers if name != DEFERRED_CONTINUE
    ]
    if getattr(req, "_expected_100_continue", False):
        req._expected_100_continue = False
        req.must_close = True
        req.headers.append((DEFERRED_CONTINUE, "1"))


def post_worker_init(worker: Any) -> None:
    """Keep the loaded app out of garbage collection; on SIGTERM, stop listening
    at once, serving what already queued to connect."""
    # The app's modules and objects live as long as the worker: frozen, the
    # collector no longer walks them all on each full collection (a request
    # that ranks 300 answers allocates enough to start one every few requests).
    gc.freeze()
    previous = signal.getsignal(signal.SIGTERM)
    if not callable(previous) or not hasattr(worker, "method_queue"):
        return  # not the gthread worker this drain is written for

    def handle_term(signum: int, frame: Any) -> None:
        previous(signum, frame)
        # In the worker's main loop, not in the handler: it owns the poller.
        worker.method_queue.defer(_stop_listening, worker)

    signal.signal(signal.SIGTERM, handle_term)


def _stop_listening(worker: Any) -> None:
    """Accept every connection the kernel has queued, then close the listeners.

    gthread stops accepting on SIGTERM but keeps its listening sockets open
    until it exits: a client connecting meanwhile (one told "Connection:
    close" a moment ago, say) is queued by the kernel, never accepted, and
    reset when the worker exits. Closed now, the port refuses new connections
    at connect (the master has closed its copy already), while the ones
    already queued are served, with "Connection: close", like any in flight.
    """
    from gunicorn.workers.gthread import TConn  # type: ignore[import-untyped]

    worker.set_accept_enabled(False)
    for listener in worker.sockets:
        listener.setblocking(False)
        while True:
            try:
                client, address = listener.accept()
            except OSError as exc:
                if exc.errno == errno.ECONNABORTED:
                    continue
                break  # EAGAIN: nothing queued any more
            worker.nr_conns += 1
            client.setblocking(True)
            conn = TConn(worker.cfg, client, address, listener.getsockname())
            worker.enqueue_req(conn)
        listener.close()
