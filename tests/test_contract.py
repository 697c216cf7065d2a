"""openapi.yaml is what the app serves, and schemathesis finds nothing against a live server."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import schemathesis
import yaml
from flask.testing import FlaskClient
from hypothesis import HealthCheck, Phase, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from service.api.docs import EXAMPLES
from service.api.ops import openapi_yaml
from tests import seed_examples
from tests.conftest import TOKEN, LiveServer

OPENAPI = Path(__file__).parent.parent / "openapi.yaml"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
NEGATIVE = GenerationMode.NEGATIVE
schema = schemathesis.openapi.from_path(OPENAPI)


def test_openapi_yaml_equals_what_the_app_serves(client: FlaskClient) -> None:
    response = client.get("/openapi.yaml")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == OPENAPI.read_text(encoding="utf-8"), (
        "openapi.yaml drifted from the app: run `make openapi`"
    )
    with client.application.app_context():
        # Rendering again gives the same bytes: finishing the spec changes no state.
        assert openapi_yaml() == response.get_data(as_text=True)


def test_links_lead_to_operations_and_their_parameters() -> None:
    operations = {
        operation["operationId"]: [
            *item.get("parameters", []),
            *operation.get("parameters", []),
        ]
        for item in schema.raw_schema["paths"].values()
        for method, operation in item.items()
        if method != "parameters"
    }
    links = [
        link
        for item in schema.raw_schema["paths"].values()
        for method, operation in item.items()
        if method != "parameters"
        for response in operation["responses"].values()
        for link in response.get("links", {}).values()
    ]
    assert len(links) >= 10
    for link in links:
        names = {p.get("name") for p in operations[link["operationId"]]}
        assert set(link["parameters"]) <= names, link


def test_examples_are_what_the_seeds_serve(tmp_path: Path) -> None:
    with seed_examples.seeded_client(tmp_path) as client:
        made = seed_examples.build(client)
    stored = yaml.safe_load(EXAMPLES.read_text(encoding="utf-8"))
    assert seed_examples.timeless(stored) == seed_examples.timeless(made), (
        "service/api/examples.yaml drifted: run `python -m tests.seed_examples`"
    )


def test_every_operation_has_an_id_and_an_example() -> None:
    for path, item in schema.raw_schema["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            assert operation["operationId"], (method, path)
            media = [
                m
                for response in operation["responses"].values()
                for m in response.get("content", {}).values()
            ]
            assert not media or any("examples" in m for m in media), (method, path)


def test_every_route_is_in_the_contract(app) -> None:
    documented = schema.raw_schema["paths"]
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "docs_asset"):
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        assert path in documented, rule.rule
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in documented[path], (method, path)


STAND = "was-ist-der-derzeitige-stand-der-friedensgespraeche_f4e79409f3"
SEED_BODIES = [
    ("/v1/questions", "/v1/questions"),
    (f"/v1/questions/{STAND}", "/v1/questions/{question_id}"),
    (f"/v1/questions/{STAND}/answers", "/v1/questions/{question_id}/answers"),
    (
        f"/v1/questions/{STAND}/answers/2026-01-08",
        "/v1/questions/{question_id}/answers/{on}",
    ),
    (f"/v1/questions/{STAND}/latest", "/v1/questions/{question_id}/latest"),
    ("/v1/articles", "/v1/articles"),
    ("/v1/articles/c5e0797645e774ad", "/v1/articles/{article_id}"),
]


def _resolve(node: dict) -> dict:  # type: ignore[type-arg]
    while "$ref" in node:
        node = schema.raw_schema["components"]["schemas"][
            node["$ref"].rsplit("/", 1)[-1]
        ]
    return node


def _same_members(value: object, node: dict, where: str) -> None:  # type: ignore[type-arg]
    """Every member the schema names is in the body and no other, all the way down."""
    node = _resolve(node)
    # Of a nullable object or a union of objects, the one with the body's members.
    objects = [
        _resolve(alternative)
        for alternative in node.get("anyOf", node.get("oneOf", []))
        if "$ref" in alternative or "properties" in alternative
    ]
    if objects:
        node = next(
            (
                o
                for o in objects
                if isinstance(value, dict) and set(value) == set(o["properties"])
            ),
            objects[-1],
        )
    if isinstance(value, dict):
        assert set(value) == set(node["properties"]), where
        for name, member in value.items():
            _same_members(member, node["properties"][name], f"{where}/{name}")
    elif isinstance(value, list) and "items" in node:
        for index, item in enumerate(value):
            _same_members(item, node["items"], f"{where}/{index}")


@pytest.mark.parametrize(("path", "template"), SEED_BODIES)
def test_bodies_have_exactly_the_members_the_contract_names(
    seeded,
    path: str,
    template: str,
) -> None:
    """One renderer per resource (api/render.py); the contract documents its shape."""
    response = seeded.test_client().get(path)
    assert response.status_code == 200
    documented = schema.raw_schema["paths"][template]["get"]["responses"]["200"]
    body_schema = documented["content"]["application/json"]["schema"]
    _same_members(response.get_json(), body_schema, path)


# Schema-valid is not always valid here, and no JSON Schema can say more: an
# article body must follow the input format, and a cursor must be one the API
# made. For these, a 422 is right when it names exactly that.
OPAQUE_INPUT = {
    ("POST", "/v1/articles"),
    ("GET", "/v1/questions"),
    ("GET", "/v1/articles"),
    ("GET", "/v1/changes"),
    ("GET", "/"),
    ("GET", "/v1/search"),
}


def _call_and_check(
    case: schemathesis.Case,  # type: ignore[type-arg]
    base_url: str,
    recorder: Any = None,
) -> schemathesis.Response:
    """Call the live server and run schemathesis' checks, allowing opaque input's 422."""
    opaque = (case.method.upper(), case.path) in OPAQUE_INPUT
    # Any ETag is a valid If-Match, and one that names no current copy is
    # rightly answered 412.
    precondition = "If-Match" in (case.headers or {})
    negative = case.meta is not None and case.meta.generation.mode == NEGATIVE
    # A negative case may have left the token out on purpose: then send none.
    headers = {} if negative and "Authorization" not in (case.headers or {}) else AUTH
    response = case.call(base_url=base_url, headers=headers)
    # An article an earlier case retracted is rightly gone (410), as a missing
    # one is rightly 404: the request was well formed, the state moved on.
    gone = response.status_code == 410
    case.validate_response(
        response,
        excluded_checks=(
            [positive_data_acceptance] if opaque or precondition or gone else []
        ),
        headers=headers,
        recorder=recorder,
    )
    assert response.status_code != 412 or precondition, response.text
    positive = case.meta is None or case.meta.generation.mode == GenerationMode.POSITIVE
    if opaque and positive and response.status_code == 422:
        problem = response.json()
        assert "line" in problem or all(
            error.get("parameter") == "cursor" or error.get("pointer") == ""
            for error in problem["errors"]
        ), problem
    return response


@schema.parametrize()
@settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_schemathesis_finds_nothing(
    case: schemathesis.Case,  # type: ignore[type-arg]
    live_server: LiveServer,
) -> None:
    _call_and_check(case, live_server.url)


def test_schemathesis_follows_the_links(live_server: LiveServer) -> None:
    """The stateful phase: sequences of calls, each next one fed by a link."""
    linked: set[str] = set()
    # Reads only: a write would change what later scenarios draw from, which
    # Hypothesis takes for a flaky strategy.
    reads = schema.include(method="GET")

    class Workflow(reads.as_state_machine()):  # type: ignore[misc]
        def call(self, case: schemathesis.Case, **kwargs: Any) -> Any:  # type: ignore[type-arg]
            return _call_and_check(
                case, live_server.url, getattr(self, "recorder", None)
            )

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            """Nothing more: _call_and_check validated the response."""

        def step(self, input: Any) -> Any:
            output = super().step(input)
            transition = input.transition
            declared = transition is not None and not transition.is_inferred
            found = output.response.status_code in (200, 304, 412)
            if declared and input.is_applied and found:
                linked.add(transition.id)
            return output

    Workflow.run(
        settings=settings(
            phases=[Phase.generate],
            max_examples=80,
            stateful_step_count=6,
            derandomize=True,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    # A generated id never names a stored question or article, and only a
    # stored one answers 200, 304 or 412: these came from ids that the links
    # carried over from the response before.
    for walk in (
        "GET /v1/questions -> [200] GetQuestion -> GET /v1/questions/{question_id}",
        "GET /v1/articles -> [200] GetArticle -> GET /v1/articles/{article_id}",
    ):
        assert walk in linked, sorted(linked)
    assert len(linked) >= 4, sorted(linked)
