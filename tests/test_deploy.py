"""The deployment files agree with each other and with the service."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from service.config import from_env

DEPLOY = Path(__file__).parent.parent / "deploy"


def test_compose_fills_every_placeholder_of_the_nginx_template() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    placeholders = set(re.findall(r"\$\{(\w+)\}", (DEPLOY / "nginx.conf").read_text()))
    environment = compose["services"]["nginx"]["environment"]
    assert placeholders == set(environment) - {"NGINX_ENVSUBST_OUTPUT_DIR"}


def test_proxy_body_limit_matches_the_service_default() -> None:
    limit = re.search(
        r"client_max_body_size (\d+)m;", (DEPLOY / "nginx.conf").read_text()
    )
    assert limit is not None
    assert int(limit.group(1)) * 1024 * 1024 == from_env({})["MAX_ARTICLE_BYTES"]


def test_compose_replicas_trust_exactly_the_proxy() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    for name in ("briefing-1", "briefing-2"):
        environment = compose["services"][name]["environment"]
        assert from_env(environment)["TRUSTED_PROXIES"] == 1
        assert environment["BRIEFING_DATABASE_URL"].startswith("postgresql+psycopg://")
