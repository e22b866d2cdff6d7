"""The OpenAPI schema is valid, documents what exists, and is enough to write a client: one
written only from the schema brings the seed article in and reads its claims."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
import requests
from django.contrib.auth.models import User
from django.test import Client
from django.urls import resolve
from openapi_spec_validator import validate

from api.models import ApiToken
from tests.conftest import SEED


@pytest.fixture
def spec(db: None) -> dict[str, Any]:
    response = Client().get("/api/v1/schema/")
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid_openapi_3(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.")
    validate(spec)


def test_every_documented_path_exists(spec: dict[str, Any]) -> None:
    for path in spec["paths"]:
        concrete = re.sub(r"\{[a-z_]+\}", "1", path)
        assert resolve(concrete).url_name, path


def test_every_write_documents_its_errors_and_the_bearer_token(spec: dict[str, Any]) -> None:
    assert {s["type"] for s in spec["components"]["securitySchemes"].values()} >= {"http"}
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            if method == "post":
                assert {"400", "401", "403", "409"} <= set(op["responses"]), (method, path)
                assert op["security"], (method, path)


def test_the_docs_page_is_served(db: None) -> None:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    assert b"swagger-ui" in response.content


class SchemaClient:
    """Knows only the schema's URL and a token: finds each operation by its operationId."""

    def __init__(self, base: str, token: str):
        self.base = base
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.spec = self.session.get(f"{base}/api/v1/schema/", timeout=30).json()
        self.ops = {
            op["operationId"]: (method.upper(), path)
            for path, operations in self.spec["paths"].items()
            for method, op in operations.items()
        }

    def __call__(self, operation: str, body: Any = None, query: Any = None,
                 **path_params: Any) -> requests.Response:
        method, path = self.ops[operation]
        return self.session.request(
            method, self.base + path.format(**path_params), json=body, params=query, timeout=120
        )


@pytest.mark.django_db(transaction=True)  # the live server commits; processing runs on commit
def test_a_client_from_the_schema_alone_submits_the_seed_and_reads_its_claims(
    live_server: Any, reviewer: User
) -> None:
    _token, raw = ApiToken.issue(user=reviewer, name="schema client")
    api = SchemaClient(live_server.url, raw)
    text = SEED.read_text(encoding="utf-8")

    created = api("createArticle", {"text": text})
    assert created.status_code == 201, created.text
    article = created.json()["article"]
    deadline = time.monotonic() + 120
    while article["progress"]["state"] in ("queued", "extracting") and time.monotonic() < deadline:
        time.sleep(0.5)
        article = api("getArticle", article_id=article["id"]).json()
    assert article["progress"]["claims"] > 0, article

    claims: list[dict[str, Any]] = []
    query: dict[str, Any] = {"article": article["id"], "status": "any", "sort": "article", "n": 5}
    while True:
        page = api("listClaims", query=query)
        assert page.status_code == 200, page.text
        claims += page.json()["items"]
        if not page.json()["next_cursor"]:
            break
        query["after"] = page.json()["next_cursor"]
    assert len(claims) == article["progress"]["claims"]
    assert len({c["id"] for c in claims}) == len(claims)
    for c in claims:
        assert text[c["start"]:c["end"]] == c["sentence"]
    first = api("getClaim", claim_id=claims[0]["id"]).json()
    assert first["version"] >= 1 and first["review"]["status"] == "open"

    again = api("createArticle", {"text": text})
    assert again.status_code == 200 and again.json()["created"] is False
    assert again.json()["article"]["id"] == article["id"]
