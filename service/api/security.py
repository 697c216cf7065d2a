"""Security headers on every response: no sniffing, no referrers, no framing, a CSP.

Set in an after_request hook, so problems and 304s carry them too; the response
cache (service.api.cache) stores them with each entry and replays them on hits.
"""

from __future__ import annotations

from flask import Flask, request
from flask.wrappers import Response

from service.api import pages

# JSON, YAML and plain text load nothing: a response opened in a browser (or
# framed, or sniffed into HTML) can run nothing and leak nothing.
API_POLICY = "default-src 'none'; frame-ancestors 'none'"
# An article's raw bytes may be a whole HTML page from elsewhere: opened here, it
# runs nothing, loads nothing and is an origin of its own (a sandbox).
RAW_POLICY = f"{API_POLICY}; sandbox"
# The Swagger UI page: its script, styles and the contract from this origin only;
# its stylesheet draws icons from data: URIs. No inline script: the page's own
# configuration is /docs/assets/docs.js.
DOCS_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    # URLs carry search terms (?q=) and cursors; no page here needs to tell
    # another origin where a visitor came from.
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def init_app(app: Flask) -> None:
    """Add the security headers to every response the app makes."""
    app.after_request(_add_headers)


def policy_for(path: str) -> str:
    """Return the Content-Security-Policy for a request path."""
    if path == "/docs" or path.startswith("/docs/"):
        return DOCS_POLICY
    if path.startswith("/v1/articles/") and path.endswith("/raw"):
        return RAW_POLICY
    # The pages for people: their own inline stylesheet, nothing else.
    return pages.POLICY if pages.is_page(path) else API_POLICY


def _add_headers(response: Response) -> Response:
    response.headers.update(HEADERS)
    response.headers["Content-Security-Policy"] = policy_for(request.path)
    return response
