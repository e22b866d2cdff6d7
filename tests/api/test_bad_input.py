"""Bad input gets a 400 (413 past the body limit) with a clear error, and changes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.contrib.auth.models import User
from pytest_django.fixtures import Settings

from claims.models import Article, Claim
from tests.api.conftest import ApiClient
from verify.models import AuditEvent, Reference, Review

ARTICLE = "/api/v1/articles/"


@pytest.fixture
def client(reviewer: User, client_for: Callable[..., ApiClient]) -> ApiClient:
    return client_for(reviewer)


@pytest.fixture
def unchanged(claim: Claim, reference: Reference) -> Iterator[None]:
    def state() -> tuple[int, int, int, int]:
        return (Article.objects.count(), Review.objects.count(), AuditEvent.objects.count(),
                Claim.objects.get(pk=claim.pk).version)

    before = state()
    yield
    assert state() == before


def raw(client: ApiClient, path: str, body: bytes) -> object:
    return client.client.post(path, data=body, content_type="application/json",
                              headers=client.headers)


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": 12345}, "text"),
        ({"text": ["a", "list"]}, "text"),
        ({"url": 7}, "url"),
        ({"text": "Kim Jong Un met Vladimir Putin.", "published": "last Tuesday"}, "published"),
        ({"text": "Kim Jong Un met Vladimir Putin.", "colour": "red"}, "colour"),
        ({}, "body"),
        ({"text": "Kim Jong Un met Vladimir Putin.", "url": "https://example.org/"}, "body"),
    ],
)
def test_wrong_types_and_unknown_fields_are_refused(
    client: ApiClient, body: dict, field: str
) -> None:
    response = client.post(ARTICLE, body)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"], error


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"text": "Kim Jong Un"', "not valid JSON"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b'["text"]', "JSON object"),
        (b'{"text": "Kim Jong Un met\\u0000 Vladimir Putin in Vladivostok."}', "NUL"),
    ],
)
def test_bodies_that_are_not_json_objects_are_refused(
    client: ApiClient, body: bytes, says: str
) -> None:
    response = raw(client, ARTICLE, body)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "invalid_body"
    assert says in response.json()["error"]["message"]


@pytest.mark.usefixtures("unchanged")
def test_a_nul_anywhere_in_a_review_is_refused(claim: Claim, reference: Reference,
                                                client: ApiClient) -> None:
    response = client.post(f"/api/v1/claims/{claim.pk}/reviews/", {
        "verdict": "supported", "rationale": "Agrees\x00.", "references": [reference.pk],
        "version": claim.version,
    })
    assert response.status_code == 400
    assert "NUL" in response.json()["error"]["message"]


@pytest.mark.usefixtures("unchanged")
def test_a_five_megabyte_article_is_refused_by_the_article_limit(client: ApiClient) -> None:
    response = client.post(ARTICLE, {"text": "Kim Jong Un met Vladimir Putin. " * 160_000})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "not_ingested"
    assert "the limit is 200,000" in error["message"]


@pytest.mark.usefixtures("unchanged")
def test_a_body_past_the_request_limit_is_413(client: ApiClient, settings: Settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000_000
    response = client.post(ARTICLE, {"text": "x" * 2_000_000})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    "body",
    [
        {"verdict": "supported", "rationale": "Agrees.", "references": [], "version": "1"},
        {"verdict": "true", "rationale": "Agrees.", "references": [], "version": 1},
        {"verdict": "supported", "rationale": "", "references": [], "version": 1},
        {"verdict": "supported", "rationale": "Agrees.", "references": ["1"], "version": 1},
        {"verdict": "supported", "rationale": "Agrees.", "references": [999999], "version": 1},
        {"verdict": "supported", "rationale": "Agrees.", "version": 1, "approve": True},
    ],
    ids=["version-as-text", "unknown-verdict", "no-rationale", "reference-as-text",
         "foreign-reference", "unknown-field"],
)
def test_a_bad_review_is_refused_with_the_field(
    claim: Claim, client: ApiClient, body: dict
) -> None:
    response = client.post(f"/api/v1/claims/{claim.pk}/reviews/", body)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["fields"], response.json()


@pytest.mark.usefixtures("unchanged")
def test_a_cursor_the_list_never_gave_is_refused(client: ApiClient) -> None:
    response = client.get("/api/v1/claims/?after=bm9wZQ")
    assert response.status_code == 400
    assert "after" in response.json()["error"]["fields"]


def test_an_unknown_claim_is_404_in_the_same_shape(client: ApiClient) -> None:
    response = client.get("/api/v1/claims/999999/")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not found.",
                                         "fields": {}}}


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(("url", "reason"), [
    ("http://169.254.169.254/latest/meta-data/", "metadata"),
    ("http://10.0.0.7/admin", "not allowed"),
    ("http://[::1]:6379/", "port 6379"),
    ("file:///etc/passwd", "valid URL"),
])
def test_an_article_url_inside_the_network_is_refused_with_a_reason(
    client: ApiClient, url: str, reason: str
) -> None:
    response = client.post(ARTICLE, {"url": url})
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert "url" in error["fields"], error
    assert reason in error["fields"]["url"][0], error
