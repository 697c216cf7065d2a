"""gunicorn settings for `briefing serve` and the image.

Used as `gunicorn -c python:service.gunicorn_conf "service:create_app()"`.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from typing import Any

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
# Beyond it gunicorn itself answers 400 (not problem+json); nginx's default
# large_client_header_buffers (8k) stops such requests earlier anyway.
limit_request_line = 8190
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
