"""Personal API tokens: made and revoked by their owner on their own page, shown once, kept
only as a hash; a revoked, expired or unknown one is a 401 whatever else the request has."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from api.models import ApiToken, hash_token
from tests.api.conftest import ApiClient


def test_a_person_makes_a_token_and_sees_it_only_once(reviewer_client: Client,
                                                     reviewer: User) -> None:
    page = reviewer_client.post("/api/tokens/", {"name": "CMS sync", "expires_in": "30"})
    assert page.status_code == 200
    token = ApiToken.objects.get(user=reviewer)
    raw = page.context["new_token"]
    assert raw.startswith("cor_") and raw in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    assert token.key_hash == hash_token(raw) and raw not in token.key_hash
    assert token.name == "CMS sync"
    assert token.expires is not None
    assert timedelta(days=29) < token.expires - timezone.now() <= timedelta(days=30)

    again = reviewer_client.get("/api/tokens/")
    assert raw not in again.content.decode()
    assert token.hint in again.content.decode()

    works = ApiClient(raw).get("/api/v1/outlets/")
    assert works.status_code == 200


def test_a_person_revokes_their_own_token_and_it_stops_working(
    reviewer_client: Client, reviewer: User, token_for: Callable[..., str]
) -> None:
    raw = token_for(reviewer)
    token = ApiToken.objects.get(user=reviewer)
    assert ApiClient(raw).get("/api/v1/outlets/").status_code == 200
    reviewer_client.post(f"/api/tokens/{token.pk}/revoke/")
    assert ApiToken.objects.get(pk=token.pk).revoked is not None
    refused = ApiClient(raw).get("/api/v1/outlets/")
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"].startswith("Bearer")


def test_nobody_revokes_someone_elses_token(
    reviewer_client: Client, editor: User, token_for: Callable[..., str]
) -> None:
    token_for(editor)
    theirs = ApiToken.objects.get(user=editor)
    assert reviewer_client.post(f"/api/tokens/{theirs.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=theirs.pk).revoked is None


def test_the_token_page_needs_a_login(db: None) -> None:
    response = Client().get("/api/tokens/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_token_of_a_deactivated_person_is_refused(
    reviewer: User, token_for: Callable[..., str]
) -> None:
    raw = token_for(reviewer)
    reviewer.is_active = False
    reviewer.save(update_fields=["is_active"])
    assert ApiClient(raw).get("/api/v1/outlets/").status_code == 401


def test_a_bad_token_never_falls_back_to_the_session(reviewer_client: Client) -> None:
    response = reviewer_client.get("/api/v1/outlets/", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert reviewer_client.get("/api/v1/outlets/").status_code == 200  # the session alone


def test_a_session_write_needs_the_csrf_token(reviewer: User) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(reviewer)
    response = browser.post("/api/v1/articles/", {"text": "x"}, content_type="application/json")
    assert response.status_code == 403


def test_the_last_use_is_noted(reviewer: User, token_for: Callable[..., str]) -> None:
    raw = token_for(reviewer)
    ApiClient(raw).get("/api/v1/outlets/")
    assert ApiToken.objects.get(user=reviewer).last_used is not None


def test_a_token_past_its_rate_gets_429_with_retry_after(
    reviewer: User, editor: User, token_for: Callable[..., str], settings: Settings
) -> None:
    settings.API_RATE_LIMIT = 2
    busy = ApiClient(token_for(reviewer))
    assert [busy.get("/api/v1/outlets/").status_code for _ in range(2)] == [200, 200]
    limited = busy.get("/api/v1/outlets/")
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= settings.API_RATE_WINDOW_SECONDS
    assert limited.json()["error"]["code"] == "rate_limited"
    # Per token: another one is not held back by the first one's traffic.
    assert ApiClient(token_for(editor)).get("/api/v1/outlets/").status_code == 200
