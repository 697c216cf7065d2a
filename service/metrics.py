"""Prometheus metrics: requests by route and status, their latency, ingest outcomes.

Under gunicorn, PROMETHEUS_MULTIPROC_DIR (set by service/gunicorn_conf.py) makes
prometheus_client keep each worker's values in files that /metrics adds up.
"""

from __future__ import annotations

import os
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

REQUESTS = Counter(
    "briefing_http_requests_total",
    "HTTP requests answered, by method, route template and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "briefing_http_request_duration_seconds",
    "Time from request start to response, by route template and status.",
    ["route", "status"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)
# The API's ingests only. `briefing ingest` runs in a process of its own, which
# no gunicorn worker's /metrics adds up (its multiprocess files would have to sit
# in the server's directory, which gunicorn empties when it starts): the command
# prints its own counts and exits 1 when it rejected a file.
INGESTS = Counter(
    "briefing_ingest_articles_total",
    "Articles offered to POST /v1/articles, by outcome (new, unchanged, rejected);"
    " `briefing ingest` is not counted here.",
    ["outcome"],
)
CONTENT_TYPE = CONTENT_TYPE_LATEST


_METHODS = frozenset(("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"))
# The labelled children of each (method, route, status), looked up once.
_CHILDREN: dict[tuple[str, str, int], tuple[Any, Any]] = {}


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    """Count one answered request and its latency.

    A method outside HTTP's usual ones counts as OTHER: label values stay bounded.
    """
    label = method if method in _METHODS else "OTHER"
    key = (label, route, status)
    children = _CHILDREN.get(key)
    if children is None:
        children = (
            REQUESTS.labels(label, route, str(status)),
            LATENCY.labels(route, str(status)),
        )
        _CHILDREN[key] = children
    children[0].inc()
    children[1].observe(seconds)


def render() -> bytes:
    """Return every metric in the Prometheus text format, all workers added up."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)
