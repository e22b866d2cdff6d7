from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from pytest_django.fixtures import Settings

from claims.models import Claim
from outbound.http import FetchError
from tests.replay import ReplayServer
from verify.evidence.sources import get_source
from verify.evidence.sources.base import SourceError
from verify.evidence.sources.gdelt import Gdelt, tidy_title

from .conftest import body

DOC = "/api/v2/doc/doc"


@pytest.fixture
def gdelt(replay: ReplayServer, settings: Settings) -> Gdelt:
    settings.GDELT_DOC_URL = replay.url(DOC)
    return Gdelt()


def params(replay: ReplayServer) -> dict[str, str]:
    [seen] = replay.seen(DOC)
    return {k: v[0] for k, v in seen.query.items()}


def test_it_is_registered_and_can_be_switched_off(settings: Settings) -> None:
    source = get_source("gdelt")
    assert isinstance(source, Gdelt) and source.enabled()
    settings.SOURCES_DISABLED = ["gdelt", "factcheck"]
    assert not source.enabled()


def test_it_asks_for_english_articles_in_the_claims_date_window(
    gdelt: Gdelt, replay: ReplayServer, summit_claim: Claim
) -> None:
    replay.route(DOC, json=body("gdelt_artlist.json"))
    gdelt.search(summit_claim)
    q = params(replay)
    assert q["query"] == '"Kim Jong Un" ("Vladimir Putin" OR Vladivostok) sourcelang:english'
    assert q["mode"] == "artlist" and q["format"] == "json" and q["sort"] == "DateDesc"
    assert int(q["maxrecords"]) <= 75
    assert q["startdatetime"] == "20190422000000" and q["enddatetime"] == "20190428235959"


def test_articles_become_candidates_with_tidied_titles(
    gdelt: Gdelt, replay: ReplayServer, summit_claim: Claim
) -> None:
    replay.route(DOC, json=body("gdelt_artlist.json"))
    reuters, tass = gdelt.search(summit_claim)
    assert reuters.title == "Kim Jong Un, Putin hold first summit in Vladivostok"
    assert reuters.passage == reuters.title and reuters.publisher == "reuters.com"
    assert tass.title == (
        "Putin’s talks with Kim Jong Un in Vladivostok last over three hours — Kremlin"
    )
    assert tass.url == "https://tass.com/politics/1055678"


def test_the_crawl_date_is_only_an_approximate_publication_date(
    gdelt: Gdelt, replay: ReplayServer, summit_claim: Claim
) -> None:
    replay.route(DOC, json=body("gdelt_artlist.json"))
    first = gdelt.search(summit_claim)[0]
    assert first.published == date(2019, 4, 25)
    p = first.provenance
    assert p["seendate"] == "20190425T083000Z" and p["published_is_approximate"] is True
    assert "crawl time" in p["published_note"]
    assert p["sourcecountry"] == "United Kingdom" and p["status"] == 200
    assert "sourcelang%3Aenglish" in p["request_url"] or "sourcelang:english" in p["request_url"]


def test_claims_before_2017_are_outside_coverage_and_send_nothing(
    gdelt: Gdelt, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(DOC, json=body("gdelt_artlist.json"))
    assert gdelt.search(visit_claim) == []
    assert replay.seen(DOC) == []


def test_an_undated_claim_searches_the_week_before_its_article(
    gdelt: Gdelt, replay: ReplayServer, claim_factory: Callable[..., Claim]
) -> None:
    replay.route(DOC, json={})
    claim = claim_factory(type=Claim.Type.VISIT, subject_name="Sergei Lavrov",
                          object_name="North Korea", place_name="Pyongyang",
                          published=date(2024, 6, 20))
    assert gdelt.search(claim) == []
    q = params(replay)
    assert q["query"] == '"Sergei Lavrov" ("North Korea" OR Pyongyang) sourcelang:english'
    assert q["startdatetime"] == "20240613000000" and q["enddatetime"] == "20240621235959"


def test_a_reviewers_query_keeps_its_operators(
    gdelt: Gdelt, replay: ReplayServer, summit_claim: Claim
) -> None:
    replay.route(DOC, json={})
    gdelt.search(summit_claim, '(Putin OR "Kim Jong Un") domain:reuters.com')
    assert params(replay)["query"] == (
        '(Putin OR "Kim Jong Un") domain:reuters.com sourcelang:english'
    )


def test_an_empty_object_means_no_results(
    gdelt: Gdelt, replay: ReplayServer, summit_claim: Claim
) -> None:
    replay.route(DOC, json={})
    assert gdelt.search(summit_claim) == []


def test_a_text_html_answer_on_200_is_a_permanent_query_error(
    gdelt: Gdelt, replay: ReplayServer, summit_claim: Claim
) -> None:
    replay.route(DOC, body=b"Queries containing OR'd terms must be surrounded by ().",
                 content_type="text/html; charset=utf-8")
    with pytest.raises(SourceError, match="GDELT rejected the query: Queries containing") as caught:
        gdelt.search(summit_claim)
    assert caught.value.permanent


def test_stray_control_characters_in_the_json_are_tolerated(
    gdelt: Gdelt, replay: ReplayServer, summit_claim: Claim
) -> None:
    replay.route(DOC, content_type="application/json", body=(
        b'{"articles": [{"url": "https://example.org/a", "title": "Kim\x01 in Vladivostok",'
        b' "seendate": "20190425T083000Z", "domain": "example.org"}]}'
    ))
    [found] = gdelt.search(summit_claim)
    assert found.url == "https://example.org/a" and "Vladivostok" in found.title


def test_malformed_json_is_temporary(
    gdelt: Gdelt, replay: ReplayServer, summit_claim: Claim
) -> None:
    replay.route(DOC, body=b'{"articles": [{"url": "https://exa', content_type="application/json")
    with pytest.raises(FetchError, match="malformed JSON") as caught:
        gdelt.search(summit_claim)
    assert not caught.value.permanent


def test_429_is_temporary_and_keeps_retry_after(
    gdelt: Gdelt, replay: ReplayServer, summit_claim: Claim
) -> None:
    replay.route(DOC, status=429, headers={"Retry-After": "120"},
                 body=b"Please limit requests to one every 5 seconds")
    with pytest.raises(FetchError) as caught:
        gdelt.search(summit_claim)
    assert not caught.value.permanent and caught.value.retry_after == 120


def test_500_is_temporary(gdelt: Gdelt, replay: ReplayServer, summit_claim: Claim) -> None:
    replay.route(DOC, status=500)
    with pytest.raises(FetchError) as caught:
        gdelt.search(summit_claim)
    assert not caught.value.permanent and caught.value.status == 500


def test_the_wrong_content_type_is_refused(
    gdelt: Gdelt, replay: ReplayServer, summit_claim: Claim
) -> None:
    replay.route(DOC, body=b"\x89PNG\r\n", content_type="image/png")
    with pytest.raises(FetchError) as caught:
        gdelt.search(summit_claim)
    assert caught.value.permanent


@pytest.mark.parametrize(("raw", "tidy"), [
    ("Ana María : Trasladan", "Ana María: Trasladan"),
    ("Serrano , sobri", "Serrano, sobri"),
    ("Putin ’ s visit ( part 2 ) !", "Putin’s visit (part 2)!"),
    ("Plain title", "Plain title"),
])
def test_titles_lose_the_spaces_before_punctuation(raw: str, tidy: str) -> None:
    assert tidy_title(raw) == tidy
