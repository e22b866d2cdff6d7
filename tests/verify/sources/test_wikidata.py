from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs

import pytest
from pytest_django.fixtures import Settings

from claims.models import Claim
from outbound.http import FetchError
from tests.replay import ReplayServer, Reply, Seen
from verify.evidence.sources import get_source
from verify.evidence.sources.base import SourceError
from verify.evidence.sources.wikidata import Wikidata, describe_time, parse_time

from .conftest import body

API = "/w/api.php"
SPARQL = "/sparql"


def wikibase(seen: Seen) -> Reply:
    """The Wikibase API as the source uses it: entity search, entities, labels."""
    action, props = seen.query["action"][0], seen.query.get("props", [""])[0]
    if action == "wbsearchentities":
        return Reply(json=body("wikidata_search.json"))
    if props == "labels":
        return Reply(json=body("wikidata_labels.json"))
    return Reply(json=body("wikidata_entities.json"))


@pytest.fixture
def wikidata(replay: ReplayServer, settings: Settings) -> Wikidata:
    settings.WIKIDATA_API_URL = replay.url(API)
    settings.WDQS_URL = replay.url(SPARQL)
    replay.route(SPARQL, json=body("wdqs_events.json"),
                 content_type="application/sparql-results+json")
    return Wikidata()


def params(seen: Seen) -> dict[str, str]:
    return {k: v[0] for k, v in seen.query.items()}


@pytest.mark.parametrize(("time", "precision", "parsed"), [
    ("+2000-07-00T00:00:00Z", 10, ("2000-07", "month")),
    ("+2000-02-09T00:00:00Z", 11, ("2000-02-09", "day")),
    ("+2000-00-00T00:00:00Z", 9, ("2000", "year")),
    ("+00000002001-00-00T00:00:00Z", 9, ("2001", "year")),  # old dumps pad the year
    ("+1990-00-00T00:00:00Z", 8, ("1990", "decade")),
    ("+2000-07-00T00:00:00Z", 11, ("2000-07", "month")),  # a day precision without a day
    ("2000-07-19", 11, None),
])
def test_time_values_are_parsed_by_pattern_with_their_precision(
    time: str, precision: int, parsed: tuple[str, str] | None
) -> None:
    assert parse_time(time, precision) == parsed


@pytest.mark.parametrize(("value", "precision", "words"), [
    ("2000-07-19", "day", "19 July 2000"),
    ("2000-07", "month", "July 2000"),
    ("1990", "decade", "1990s"),
    ("-0500", "year", "500 BCE"),
])
def test_dates_are_described_in_words_at_their_precision(
    value: str, precision: str, words: str
) -> None:
    assert describe_time(value, precision) == words


def test_it_is_registered_and_can_be_switched_off(settings: Settings) -> None:
    source = get_source("wikidata")
    assert isinstance(source, Wikidata) and source.enabled()
    settings.SOURCES_DISABLED = ["wikidata"]
    assert not source.enabled()


def test_it_reads_the_claims_entities_without_formatversion_2(
    wikidata: Wikidata, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(API, wikibase)
    wikidata.search(visit_claim)
    entities, labels = (params(s) for s in replay.seen(API))
    assert entities["action"] == "wbgetentities" and entities["ids"] == "Q7747|Q423"
    assert "claims" in entities["props"].split("|")
    assert "formatversion" not in entities and entities["maxlag"] == "5"
    assert labels["props"] == "labels"
    assert set(labels["ids"].split("|")) == {"Q99990001", "Q99990002", "Q18808", "Q159"}


def test_relevant_statements_become_dated_passages(
    wikidata: Wikidata, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(API, wikibase)
    found = wikidata.search(visit_claim)
    passages = [c.passage for c in found]
    assert passages[0] == (
        "Vladimir Putin (Q7747): significant event 2000 visit of Vladimir Putin to North Korea "
        "(Q99990001); point in time July 2000 (month precision); location Pyongyang (Q18808)."
    )
    assert passages[1] == (
        "North Korea (Q423): significant event Treaty of Friendship, Good-Neighbourliness and "
        "Cooperation (Q99990002); point in time 9 February 2000 (day precision); "
        "signatory Russia (Q159), unknown value."
    )
    assert found[0].url == "https://www.wikidata.org/wiki/Q7747"
    assert found[0].title == "Vladimir Putin" and found[0].publisher == "Wikidata"


def test_facts_are_carried_in_provenance_for_exact_date_comparison(
    wikidata: Wikidata, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(API, wikibase)
    first = wikidata.search(visit_claim)[0]
    assert first.provenance["facts"] == [{
        "entity": "Q7747", "property": "P793", "value": "Q99990001", "rank": "normal",
        "qualifiers": {"P585": [{"value": "2000-07", "precision": "month"}],
                       "P276": [{"value": "Q18808"}]},
    }]
    assert first.provenance["lastrevid"] == 2412345678
    assert first.provenance["status"] == 200


def test_deprecated_distant_and_unrelated_statements_are_left_out(
    wikidata: Wikidata, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(API, wikibase)
    text = " ".join(c.passage for c in wikidata.search(visit_claim))
    assert "Q99990003" not in text  # deprecated rank
    assert "2012" not in text  # years away from July 2000
    assert "1948" not in text  # North Korea's inception says nothing about a visit in 2000


def test_an_undated_claim_gets_the_entities_own_dates(
    wikidata: Wikidata, replay: ReplayServer, claim_factory: Callable[..., Claim]
) -> None:
    replay.route(API, wikibase)
    claim = claim_factory(type=Claim.Type.OTHER, subject_name="North Korea", subject_qid="Q423")
    found = wikidata.search(claim)
    assert [c.passage for c in found] == [
        "North Korea (Q423): inception 9 September 1948 (day precision)."
    ]
    assert replay.seen(SPARQL) == []  # no year: no events query


def test_events_of_the_claims_parties_in_its_year_come_from_sparql(
    wikidata: Wikidata, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(API, wikibase)
    found = wikidata.search(visit_claim)
    [seen] = replay.seen(SPARQL)
    form = {k: v[0] for k, v in parse_qs(seen.body.decode()).items()}
    assert seen.method == "POST" and form["format"] == "json"
    assert "VALUES ?party { wd:Q7747 wd:Q423 }" in form["query"]
    assert "YEAR(?date) >= 2000 && YEAR(?date) <= 2000" in form["query"]
    event = found[-1]
    assert event.url == "https://www.wikidata.org/wiki/Q99990001"
    assert event.passage == (
        "2000 visit of Vladimir Putin to North Korea (Q99990001): point in time 19 July 2000 "
        "(day precision); participant Vladimir Putin (Q7747), North Korea (Q423)."
    )
    assert event.provenance["facts"][0]["value"] == "2000-07-19"
    assert len(found) == 3  # the row without a date is skipped


def test_a_failing_events_query_leaves_the_statements(
    wikidata: Wikidata, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(API, wikibase)
    replay.route(SPARQL, status=400, body=b"MalformedQueryException: Encountered \" \"}\"")
    assert len(wikidata.search(visit_claim)) == 2


def test_unlinked_names_are_looked_up_by_label(
    wikidata: Wikidata, replay: ReplayServer, visit_claim: Claim
) -> None:
    visit_claim.place_name = "Pyongyang"
    replay.route(API, wikibase)
    wikidata.search(visit_claim)
    search, entities = (params(s) for s in replay.seen(API)[:2])
    assert search["action"] == "wbsearchentities" and search["search"] == "Pyongyang"
    assert search["language"] == "en" and search["type"] == "item"
    assert entities["ids"] == "Q7747|Q423|Q18808"


def test_nothing_to_look_up_means_no_request(
    wikidata: Wikidata, replay: ReplayServer, claim_factory: Callable[..., Claim]
) -> None:
    replay.route(API, json=body("wikidata_search_empty.json"))
    claim = claim_factory(subject_name="no such thing at all")
    assert wikidata.search(claim) == []
    assert [params(s)["action"] for s in replay.seen(API)] == ["wbsearchentities"]


def test_a_missing_entity_gives_no_results(
    wikidata: Wikidata, replay: ReplayServer, claim_factory: Callable[..., Claim]
) -> None:
    replay.route(API, json=body("wikidata_missing.json"))
    assert wikidata.search(claim_factory(subject_name="?", subject_qid="Q999999999")) == []


def test_an_api_error_in_a_200_body_is_permanent(
    wikidata: Wikidata, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(API, json=body("wikidata_no_such_entity.json"))
    with pytest.raises(SourceError, match="no-such-entity") as caught:
        wikidata.search(visit_claim)
    assert caught.value.permanent


def test_maxlag_is_temporary(wikidata: Wikidata, replay: ReplayServer, visit_claim: Claim) -> None:
    replay.route(API, json=body("wikipedia_maxlag.json"), headers={"Retry-After": "5"})
    with pytest.raises(FetchError, match="maxlag") as caught:
        wikidata.search(visit_claim)
    assert not caught.value.permanent and caught.value.retry_after == 5


def test_429_is_temporary_and_keeps_retry_after(
    wikidata: Wikidata, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(API, status=429, headers={"Retry-After": "120"})
    with pytest.raises(FetchError) as caught:
        wikidata.search(visit_claim)
    assert not caught.value.permanent and caught.value.retry_after == 120


def test_500_is_temporary(wikidata: Wikidata, replay: ReplayServer, visit_claim: Claim) -> None:
    replay.route(API, status=500)
    with pytest.raises(FetchError) as caught:
        wikidata.search(visit_claim)
    assert not caught.value.permanent and caught.value.status == 500


def test_malformed_json_is_temporary(
    wikidata: Wikidata, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(API, body=b'{"entities": {"Q7747": ', content_type="application/json")
    with pytest.raises(FetchError, match="malformed JSON") as caught:
        wikidata.search(visit_claim)
    assert not caught.value.permanent


def test_a_body_without_entities_is_an_error(
    wikidata: Wikidata, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(API, json={"success": 1})
    with pytest.raises(SourceError, match="without entities"):
        wikidata.search(visit_claim)


def test_the_wrong_content_type_is_refused(
    wikidata: Wikidata, replay: ReplayServer, visit_claim: Claim
) -> None:
    replay.route(API, body=b"<html>blocked</html>", content_type="text/html")
    with pytest.raises(FetchError) as caught:
        wikidata.search(visit_claim)
    assert caught.value.permanent
