from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings

from claims.models import Claim
from outbound.http import FetchError
from tests.replay import ReplayServer, Reply
from verify.evidence.sources import get_source
from verify.evidence.sources.base import SourceError
from verify.evidence.sources.wikipedia import Wikipedia, passages

from .conftest import body

API = "/w/api.php"


@pytest.fixture
def wikipedia(replay: ReplayServer, settings: Settings) -> Wikipedia:
    settings.WIKIPEDIA_API_URL = replay.url(API)
    return Wikipedia()


def test_it_is_registered_and_can_be_switched_off(settings: Settings) -> None:
    source = get_source("wikipedia")
    assert isinstance(source, Wikipedia) and source.enabled()
    settings.SOURCES_DISABLED = ["wikipedia"]
    assert not source.enabled()


def test_it_searches_and_reads_extracts_in_one_call(
    wikipedia: Wikipedia, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(API, json=body("wikipedia_search.json"))
    wikipedia.search(visit_claim)
    [seen] = replay.seen(API)
    q = {k: v[0] for k, v in seen.query.items()}
    assert q["action"] == "query" and q["generator"] == "search"
    assert q["gsrsearch"] == "Vladimir Putin North Korea visit 2000"
    assert q["prop"] == "extracts|info|pageprops"
    assert q["formatversion"] == "2" and q["maxlag"] == "5" and q["errorformat"] == "plaintext"
    assert q["exintro"] == "1" and q["explaintext"] == "1" and q["inprop"] == "url"
    assert "disambiguation" in q["ppprop"].split("|")
    assert seen.headers["User-Agent"].startswith("Corroborate/")


def test_pages_come_back_in_search_rank_order_without_disambiguation_pages(
    wikipedia: Wikipedia, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(API, json=body("wikipedia_search.json"))
    found = wikipedia.search(visit_claim)
    assert [c.title for c in found] == ["North Korea–Russia relations"] * 3 + ["Vladimir Putin"]
    assert not any("disambiguation" in c.url for c in found)


def test_each_passage_carries_the_canonical_url_and_revision(
    wikipedia: Wikipedia, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(API, json=body("wikipedia_search.json"))
    first = wikipedia.search(visit_claim)[0]
    assert first.url == "https://en.wikipedia.org/wiki/North_Korea%E2%80%93Russia_relations"
    assert first.publisher == "Wikipedia"
    assert first.passage.startswith("North Korea–Russia relations are the bilateral")
    p = first.provenance
    assert p["lastrevid"] == 1309876543
    assert p["permalink"] == "https://en.wikipedia.org/w/index.php?oldid=1309876543"
    assert p["wikibase_item"] == "Q1065120"
    assert p["status"] == 200 and p["request_url"].startswith(replay.url(API))


def test_the_lead_is_split_into_passages(
    wikipedia: Wikipedia, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(API, json=body("wikipedia_search.json"))
    relations = [c.passage for c in wikipedia.search(visit_claim)[:3]]
    assert relations[1].startswith("In July 2000, Putin became the first Russian leader")
    assert relations[2] == "Kim Jong Un met Putin in Vladivostok on 25 April 2019."


def test_long_paragraphs_are_cut_at_sentence_ends() -> None:
    text = " ".join(f"Sentence number {i} says something about treaties." for i in range(40))
    pieces = passages(text, limit=200)
    assert len(pieces) > 5
    assert all(len(p) <= 200 for p in pieces)
    assert all(p.endswith(".") for p in pieces)
    assert " ".join(pieces) == text


def test_no_results_retries_with_the_names_alone(
    wikipedia: Wikipedia, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(API, json=body("wikipedia_empty.json"))
    assert wikipedia.search(visit_claim) == []
    searched = [s.query["gsrsearch"][0] for s in replay.seen(API)]
    assert searched == ["Vladimir Putin North Korea visit 2000", "Vladimir Putin North Korea"]


def test_a_reviewers_query_is_searched_as_written(
    wikipedia: Wikipedia, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(API, json=body("wikipedia_empty.json"))
    wikipedia.search(visit_claim, "Putin Pyongyang joint declaration")
    assert [s.query["gsrsearch"][0] for s in replay.seen(API)] == [
        "Putin Pyongyang joint declaration"
    ]


def test_maxlag_in_a_200_body_is_temporary_with_the_servers_wait(
    wikipedia: Wikipedia, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(API, json=body("wikipedia_maxlag.json"),
                 headers={"Retry-After": "5", "MediaWiki-API-Error": "maxlag"})
    with pytest.raises(FetchError, match="maxlag") as caught:
        wikipedia.search(visit_claim)
    assert not caught.value.permanent and caught.value.retry_after == 5


def test_a_bad_parameter_in_a_200_body_is_permanent(
    wikipedia: Wikipedia, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(API, json=body("wikipedia_badvalue.json"))
    with pytest.raises(SourceError, match="badvalue: Unrecognized value") as caught:
        wikipedia.search(visit_claim)
    assert caught.value.permanent


def test_the_legacy_error_shape_is_understood_too(
    wikipedia: Wikipedia, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(API, json={"error": {"code": "readapidenied", "info": "You need read rights."}})
    with pytest.raises(SourceError, match="readapidenied") as caught:
        wikipedia.search(visit_claim)
    assert caught.value.permanent


def test_429_is_temporary_and_keeps_retry_after(
    wikipedia: Wikipedia, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(API, status=429, headers={"Retry-After": "120"}, body=b"Too many requests")
    with pytest.raises(FetchError) as caught:
        wikipedia.search(visit_claim)
    assert not caught.value.permanent and not caught.value.unreachable
    assert caught.value.status == 429 and caught.value.retry_after == 120


def test_500_is_temporary(wikipedia: Wikipedia, replay: ReplayServer, visit_claim: Claim) -> None:
    replay.route(API, status=500, body=b"<html>upstream error</html>", content_type="text/html")
    with pytest.raises(FetchError) as caught:
        wikipedia.search(visit_claim)
    assert not caught.value.permanent and caught.value.status == 500


def test_a_500_then_a_success_is_retried(
    wikipedia: Wikipedia, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(API, responses=[Reply(status=500), Reply(json=body("wikipedia_search.json"))])
    assert len(wikipedia.search(visit_claim)) == 4
    assert len(replay.seen(API)) == 2


def test_malformed_json_is_a_temporary_error(
    wikipedia: Wikipedia, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(API, body=b'{"query": {"pages": [{"title": "Vlad', content_type="application/json")
    with pytest.raises(FetchError, match="malformed JSON") as caught:
        wikipedia.search(visit_claim)
    assert not caught.value.permanent


def test_an_html_page_instead_of_json_is_refused(
    wikipedia: Wikipedia, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(API, body=b"<html>Please set a User-Agent</html>", content_type="text/html")
    with pytest.raises(FetchError) as caught:
        wikipedia.search(visit_claim)
    assert caught.value.permanent
