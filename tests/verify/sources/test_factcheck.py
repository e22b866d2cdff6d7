from __future__ import annotations

import json
from datetime import date

import pytest
from pytest_django.fixtures import Settings

from claims.models import Claim
from outbound.http import FetchError
from tests.replay import ReplayServer
from verify.evidence.sources import get_source
from verify.evidence.sources.factcheck import FactCheck, without_key

from .conftest import body

SEARCH = "/v1alpha1/claims:search"
KEY = "AIzaSy-test-key-0123456789"


@pytest.fixture
def factcheck(replay: ReplayServer, settings: Settings) -> FactCheck:
    settings.FACTCHECK_URL = replay.url(SEARCH)
    settings.FACTCHECK_API_KEY = KEY
    return FactCheck()


def test_it_is_enabled_only_with_an_api_key(settings: Settings) -> None:
    source = get_source("factcheck")
    assert isinstance(source, FactCheck)
    settings.FACTCHECK_API_KEY = ""
    assert not source.enabled()
    settings.FACTCHECK_API_KEY = KEY
    assert source.enabled()
    settings.SOURCES_DISABLED = ["factcheck"]
    assert not source.enabled()


def test_it_sends_the_query_and_the_key(
    factcheck: FactCheck, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(SEARCH, json=body("factcheck_claims.json"))
    factcheck.search(visit_claim)
    [seen] = replay.seen(SEARCH)
    assert seen.query["query"] == ["Vladimir Putin North Korea visit 2000"]
    assert seen.query["languageCode"] == ["en"] and seen.query["key"] == [KEY]


def test_each_review_becomes_a_candidate_with_its_rating(
    factcheck: FactCheck, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(SEARCH, json=body("factcheck_claims.json"))
    afp, other = factcheck.search(visit_claim)
    assert afp.url == "https://factcheck.afp.com/doc.afp.com.34XY7ZQ"
    assert afp.title == "What the Russia-North Korea partnership treaty says"
    assert afp.publisher == "AFP Fact Check" and afp.published == date(2024, 6, 21)
    assert afp.passage.endswith("AFP Fact Check rated: Missing context.")
    assert afp.passage.startswith("Social media users: “North Korea and Russia signed")
    assert afp.provenance["textual_rating"] == "Missing context"
    assert afp.provenance["claimant"] == "Social media users"
    # Absent fields are absent, not errors.
    assert other.publisher == "example-factcheck.org" and other.published is None
    assert other.title == "Putin visited Pyongyang in 2000."
    assert other.passage == (
        "Claim: “Putin visited Pyongyang in 2000.” example-factcheck.org rated: True."
    )


def test_the_key_never_reaches_provenance(
    factcheck: FactCheck, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(SEARCH, json=body("factcheck_claims.json"))
    found = factcheck.search(visit_claim)
    assert found
    for candidate in found:
        stored = json.dumps(candidate.provenance)
        assert KEY not in stored and "key=" not in stored
        assert candidate.provenance["request_url"].startswith(replay.url(SEARCH))


def test_without_key_keeps_the_other_parameters() -> None:
    assert without_key("https://x.test/s?query=a+b&key=SECRET&pageSize=10") == (
        "https://x.test/s?query=a+b&pageSize=10"
    )


def test_an_empty_object_means_no_results(
    factcheck: FactCheck, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(SEARCH, json={})
    assert factcheck.search(visit_claim) == []


def test_an_invalid_key_is_permanent(
    factcheck: FactCheck, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(SEARCH, status=400, json=body("factcheck_invalid_key.json"))
    with pytest.raises(FetchError) as caught:
        factcheck.search(visit_claim)
    assert caught.value.permanent and caught.value.status == 400
    assert KEY not in str(caught.value)


def test_a_forbidden_key_is_permanent(
    factcheck: FactCheck, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(SEARCH, status=403, json={"error": {
        "code": 403, "message": "Fact Check Tools API has not been used in project 123.",
        "status": "PERMISSION_DENIED"}})
    with pytest.raises(FetchError) as caught:
        factcheck.search(visit_claim)
    assert caught.value.permanent


def test_an_error_inside_a_200_body_is_classified_by_its_code(
    factcheck: FactCheck, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(SEARCH, json=body("factcheck_invalid_key.json"))
    with pytest.raises(FetchError, match="API key not valid") as caught:
        factcheck.search(visit_claim)
    assert caught.value.permanent
    replay.route(SEARCH, json=body("factcheck_quota.json"))
    with pytest.raises(FetchError, match="Quota exceeded") as caught:
        factcheck.search(visit_claim)
    assert not caught.value.permanent


def test_quota_exhaustion_is_temporary(
    factcheck: FactCheck, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(SEARCH, status=429, headers={"Retry-After": "120"},
                 json=body("factcheck_quota.json"))
    with pytest.raises(FetchError) as caught:
        factcheck.search(visit_claim)
    assert not caught.value.permanent and caught.value.retry_after == 120


def test_500_is_temporary(factcheck: FactCheck, replay: ReplayServer, visit_claim: Claim) -> None:
    replay.route(SEARCH, status=503, json={"error": {"code": 503, "status": "UNAVAILABLE"}})
    with pytest.raises(FetchError) as caught:
        factcheck.search(visit_claim)
    assert not caught.value.permanent and caught.value.status == 503


def test_malformed_json_is_temporary(
    factcheck: FactCheck, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(SEARCH, body=b'{"claims": [{"text": ', content_type="application/json")
    with pytest.raises(FetchError, match="malformed JSON") as caught:
        factcheck.search(visit_claim)
    assert not caught.value.permanent


def test_the_wrong_content_type_is_refused(
    factcheck: FactCheck, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(SEARCH, body=b"<html>Error 404 (Not Found)</html>", content_type="text/html")
    with pytest.raises(FetchError) as caught:
        factcheck.search(visit_claim)
    assert caught.value.permanent
