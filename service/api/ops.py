"""Operations: liveness, readiness, the OpenAPI contract and its browsable page."""

from __future__ import annotations

from pathlib import Path

import flask_swagger_ui
import yaml
from flask import current_app, send_from_directory
from flask.wrappers import Response
from flask_smorest import Blueprint
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from service import metrics
from service.api import docs
from service.api.http import respond
from service.api.schemas import HealthSchema
from service.errors import StoreUnavailable
from service.store import get_conn, schema_is_current

bp = Blueprint("ops", __name__, description="Health, readiness and the API contract.")
SWAGGER_UI = Path(flask_swagger_ui.__file__).parent / "dist"
_DOCS_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>briefing API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/docs.js"></script>
</body></html>
"""
# The page's own script is served from here, not inline, so a strict CSP fits.
# validatorUrl: null keeps the page from loading a badge from validator.swagger.io.
_DOCS_SCRIPT = (
    'window.ui = SwaggerUIBundle({url: "/openapi.yaml", dom_id: "#swagger-ui", '
    "validatorUrl: null});\n"
)
_NO_STORE = "no-store"
# No type: parsed, the YAML is a mapping; read as text, a string. Either is right.
_YAML_DOCUMENT = {"description": "This OpenAPI document, as YAML."}


@bp.get("/healthz")
@docs.ok(bp, HealthSchema)
def get_health() -> Response:
    """Tell that the process serves requests (no I/O)."""
    return respond({"status": "ok"}, cacheable=False)


@bp.get("/readyz")
@docs.ok(bp, HealthSchema, problems=(503,))
def get_readiness() -> Response:
    """Tell whether the database answers and its schema is current."""
    try:
        conn = get_conn()
        conn.execute(text("SELECT 1"))
        current = schema_is_current(conn)
    except (SQLAlchemyError, StoreUnavailable) as exc:  # the latter: failing fast
        raise StoreUnavailable("the database does not answer") from exc
    if not current:
        raise StoreUnavailable(
            "the database schema is not current; run 'briefing db upgrade'"
        )
    return respond({"status": "ready"}, cacheable=False)


@bp.get("/openapi.yaml")
@docs.ok(bp, _YAML_DOCUMENT, mimetype="application/yaml")
def get_openapi() -> Response:
    """Get this API's OpenAPI 3.1 contract."""
    return respond(
        openapi_yaml().encode("utf-8"),
        mimetype="application/yaml",
        cacheable=True,
    )


@bp.get("/docs", strict_slashes=False)
@docs.ok(bp, {"type": "string"}, mimetype="text/html")
def get_docs() -> Response:
    """Browse the API contract (Swagger UI, served from this server)."""
    return respond(_DOCS_PAGE.encode("utf-8"), mimetype="text/html", cacheable=True)


@bp.get("/metrics")
@docs.ok(bp, {"type": "string"}, mimetype="text/plain", conditional=False)
def get_metrics() -> Response:
    """Get request, latency and ingest metrics in the Prometheus text format."""
    response = Response(metrics.render(), mimetype="text/plain")
    response.headers["Content-Type"] = metrics.CONTENT_TYPE
    response.headers["Cache-Control"] = _NO_STORE
    return response


def get_docs_asset(name: str) -> Response:
    """Get a static asset of the docs page (registered outside the contract)."""
    if name == "docs.js":
        return respond(
            _DOCS_SCRIPT.encode(),
            mimetype="text/javascript",
            cacheable=True,
        )
    return send_from_directory(SWAGGER_UI, name, max_age=86_400)


def openapi_yaml() -> str:
    """Render the app's OpenAPI document as YAML, the same bytes as openapi.yaml."""
    spec = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
    # flask-smorest registers page-number pagination, which this API does not use.
    spec["components"]["schemas"].pop("PaginationMetadata", None)
    spec = docs.finish(spec, current_app)
    ordered = {
        key: spec.pop(key)
        for key in ("openapi", "info", "servers", "paths", "components")
    }
    return yaml.safe_dump(
        {**ordered, **spec}, sort_keys=False, allow_unicode=True, width=100
    )
