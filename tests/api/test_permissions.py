"""Every API endpoint × every role, anonymous, a revoked and an expired token.

A token carries exactly its user's permissions: what the role may do in the web UI it may do
here, and nothing more. The walk must cover every path the schema documents.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User

from api.endpoints import api
from api.models import Webhook
from claims.models import Article, Claim
from tests.api.conftest import ApiClient
from tests.claims import published
from tests.conftest import make_user
from verify.models import AuditEvent, Reference, Review
from verify.publishing.services import publish_summary
from verify.review import services as review_services

READERS = {"reviewer", "editor", "admin"}
APPROVERS = {"editor", "admin"}
EVERYONE = READERS | {"outsider", "anonymous", "revoked", "expired"}

SEED_LIKE = (
    "Kim Jong Un met Vladimir Putin in Vladivostok on 25 April 2019, the Pyongyang Times "
    "reported. The two leaders discussed the situation on the Korean peninsula at length."
)


@dataclass
class World:
    claim: Claim
    reference: Reference
    proposed: Review
    published_article_id: int

    @property
    def version(self) -> int:
        return Claim.objects.get(pk=self.claim.pk).version


@dataclass
class Endpoint:
    method: str
    path: str  # formatted with the World's attributes
    body: Callable[[World], Any] | None
    allowed: set[str]
    ok: int

    def url(self, world: World) -> str:
        return self.path.format(
            claim=world.claim.pk, article=world.claim.article_id,
            review=world.proposed.pk, published=world.published_article_id,
        )


ENDPOINTS = [
    Endpoint("GET", "/api/v1/outlets/", None, READERS, 200),
    Endpoint("POST", "/api/v1/articles/", lambda w: {"text": SEED_LIKE}, READERS, 201),
    Endpoint("GET", "/api/v1/articles/{article}/", None, READERS, 200),
    Endpoint("GET", "/api/v1/claims/", None, READERS, 200),
    Endpoint("GET", "/api/v1/claims/{claim}/", None, READERS, 200),
    Endpoint("POST", "/api/v1/claims/{claim}/edit",
             lambda w: {"version": w.version, "place_name": "Russky Island"}, READERS, 200),
    Endpoint("POST", "/api/v1/claims/{claim}/dismiss",
             lambda w: {"version": w.version, "reason": "Rhetoric."}, READERS, 200),
    Endpoint("POST", "/api/v1/claims/{claim}/reviews/",
             lambda w: {"version": w.version, "verdict": "supported",
                        "rationale": "Two sources agree.", "references": [w.reference.pk]},
             READERS, 201),
    Endpoint("POST", "/api/v1/claims/{claim}/reviews/{review}/approve",
             lambda w: {"version": w.version}, APPROVERS, 200),
    Endpoint("POST", "/api/v1/claims/{claim}/reviews/{review}/send-back",
             lambda w: {"version": w.version, "comment": "Cite a second source."},
             APPROVERS, 200),
    Endpoint("GET", "/api/v1/webhooks/", None, APPROVERS, 200),
    # A literal public address: the SSRF guard lets it through without a DNS lookup.
    Endpoint("POST", "/api/v1/webhooks/register",
             lambda w: {"name": "CMS", "url": "https://93.184.215.14/hook"}, APPROVERS, 201),
    Endpoint("GET", "/api/v1/published/", None, EVERYONE, 200),
    Endpoint("GET", "/api/v1/published/claim-reviews/", None, EVERYONE, 200),
    Endpoint("GET", "/api/v1/published/{published}/", None, EVERYONE, 200),
]


@pytest.fixture
def world(
    claim: Claim, make_reference: Callable[..., Reference], reviewer: User, editor: User
) -> World:
    other = make_user("pat", "reviewer")
    ref = make_reference(claim)
    proposal = review_services.submit_review(
        claim=claim, reviewer=other, verdict="supported", rationale="Agrees.",
        references=[ref], expected_version=claim.version,
    )
    done = published.reviewed_article(reviewer, editor, title="Published one")
    publish_summary(article=done, editor=editor)
    return World(claim=claim, reference=ref, proposed=proposal, published_article_id=done.pk)


@pytest.fixture
def caller(
    request: pytest.FixtureRequest,
    client_for: Callable[..., ApiClient],
    revoked_token: str,
    expired_token: str,
    reviewer: User,
    editor: User,
    admin_user: User,
    outsider: User,
) -> ApiClient:
    who = request.param
    users = {"reviewer": reviewer, "editor": editor, "admin": admin_user, "outsider": outsider}
    if who in users:
        return client_for(users[who])
    return ApiClient({"anonymous": None, "revoked": revoked_token,
                      "expired": expired_token}[who])


def test_the_walk_covers_every_documented_operation() -> None:
    documented = {
        (method.upper(), path)
        for path, operations in api.get_openapi_schema()["paths"].items()
        for method in operations
    }
    walked = {
        (e.method, e.path.replace("{claim}", "{claim_id}").replace("{article}", "{article_id}")
         .replace("{review}", "{review_id}").replace("{published}", "{article_id}"))
        for e in ENDPOINTS
    }
    assert walked == documented


@pytest.mark.parametrize("caller", sorted(EVERYONE), indirect=True)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.method} {e.path}")
def test_each_endpoint_answers_each_caller_as_their_role_allows(
    endpoint: Endpoint, caller: ApiClient, world: World, request: pytest.FixtureRequest
) -> None:
    who = request.node.callspec.params["caller"]
    body = endpoint.body(world) if endpoint.body else None
    before = state_of(world)
    response = caller.call(endpoint.method, endpoint.url(world), body)
    if who in endpoint.allowed:
        expected = endpoint.ok
    elif who in ("anonymous", "revoked", "expired"):
        expected = 401
    else:
        expected = 403
    assert response.status_code == expected, response.content
    if expected >= 400:
        error = response.json()["error"]
        assert set(error) >= {"code", "message", "fields"}
        assert error["code"] == {401: "unauthenticated", 403: "forbidden"}[expected]
        assert state_of(world) == before


def state_of(world: World) -> tuple[int, int, int, int, int]:
    """What a refused write must leave as it was."""
    return (world.version, Review.objects.count(), Article.objects.count(),
            AuditEvent.objects.count(), Webhook.objects.count())
