"""Coverage first: every body sentence gets a check-worthiness decision with reasons; a
checkable sentence yields a claim even when no precise frame reads it. Fresh sentences,
written for these tests."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence

from claims.extraction import Gazetteer, extract, extract_article
from claims.extraction.frames import Frame

PUB = datetime.date(2025, 3, 14)  # a Friday

GAZ = Gazetteer.from_records(
    [
        {"name": "Mongolia", "qid": "Q711", "kind": "state", "demonym": ["Mongolian"]},
        {"name": "Laos", "qid": "Q819", "kind": "state", "demonym": ["Lao"]},
        {"name": "Ulaanbaatar", "qid": "Q23430", "kind": "place", "country": "Q711"},
        {"name": "Vientiane", "qid": "Q9326", "kind": "place", "country": "Q819"},
        {
            "name": "Batbayar Ganbold",
            "qid": "Q9000010",
            "kind": "person",
            "aliases": ["Ganbold"],
            "country": "Q711",
        },
        {
            "name": "Souk Vongsa",
            "qid": "Q9000011",
            "kind": "person",
            "aliases": ["Vongsa"],
            "country": "Q819",
        },
    ]
)


def decisions(text: str) -> list[tuple[bool, str, tuple[str, ...]]]:
    result = extract_article(text, published=PUB, gazetteer=GAZ)
    return [(d.checkable, d.category, d.reasons) for d in result.decisions]


def test_every_body_sentence_gets_a_decision_with_reasons() -> None:
    text = (
        "Batbayar Ganbold met Souk Vongsa in Vientiane on March 11, 2025. "
        "The friendship of the two peoples is eternal and invincible. "
        "A brass band played the national anthems and the guests laid a wreath."
    )
    result = extract_article(text, published=PUB, gazetteer=GAZ)
    assert len(result.decisions) == 3
    first, second, third = result.decisions
    assert first.checkable and "names a date" in first.reasons
    assert not second.checkable and second.category in ("opinion", "rhetoric")
    assert not third.checkable and third.category == "ceremony"
    assert result.left_out() == {second.category: 1, "ceremony": 1}


def test_a_decision_names_a_date_and_two_states() -> None:
    [(checkable, _, reasons)] = decisions(
        "Mongolia and Laos opened a consular office in Ulaanbaatar on March 3, 2025."
    )
    assert checkable and "names a date and two states" in reasons


def test_a_forecast_is_left_out() -> None:
    [(checkable, category, _)] = decisions(
        "Observers say the exchange is expected to grow as new routes open."
    )
    assert not checkable and category == "forecast"


def test_a_sentence_naming_no_one_nor_a_date_is_left_out() -> None:
    [(checkable, _, reasons)] = decisions("Everything was done in a spirit of mutual respect.")
    assert not checkable and reasons


def test_claims_carry_the_reasons_of_their_sentence() -> None:
    [claim] = extract(
        "Batbayar Ganbold met Souk Vongsa in Vientiane on March 11, 2025.",
        published=PUB,
        gazetteer=GAZ,
    )
    assert claim.checkable_reasons and claim.checkable_reasons[0].startswith("a meeting")


def test_talks_between_delegations_are_a_meeting_of_the_leaders_named_before() -> None:
    text = (
        "Batbayar Ganbold met Souk Vongsa in Vientiane on March 11, 2025. "
        "Afterwards the talks of the two delegations continued for three hours in Vientiane."
    )
    claims = [c for c in extract(text, published=PUB, gazetteer=GAZ) if "Afterwards" in c.sentence]
    meeting = next(c for c in claims if c.type == "meeting")
    assert meeting.subject and meeting.object
    assert {meeting.subject.name, meeting.object.name} == {"Batbayar Ganbold", "Souk Vongsa"}


def test_a_list_of_those_present_is_a_meeting() -> None:
    text = (
        "Batbayar Ganbold received Souk Vongsa on March 11, 2025. "
        "Present at the talks from the Mongolian side were Dorj Bat, minister of roads, "
        "and Tsend Oyun, head of the customs office."
    )
    claims = [c for c in extract(text, published=PUB, gazetteer=GAZ) if "Present" in c.sentence]
    assert [c.type for c in claims] == ["meeting"]


def test_a_verb_other_than_said_attributes_a_statement() -> None:
    text = (
        "Batbayar Ganbold arrived in Vientiane on March 11, 2025. "
        "Ganbold praised the new railway as a lifeline for landlocked Mongolia."
    )
    claims = [c for c in extract(text, published=PUB, gazetteer=GAZ) if "praised" in c.sentence]
    assert claims and claims[0].type == "quote"
    assert claims[0].subject and claims[0].subject.name == "Batbayar Ganbold"


def test_a_count_without_a_unit_is_a_statistic() -> None:
    text = (
        "Batbayar Ganbold met Souk Vongsa in Vientiane on March 11, 2025. "
        "Ganbold and Vongsa have met five times since they took office."
    )
    claims = [c for c in extract(text, published=PUB, gazetteer=GAZ) if "five" in c.sentence]
    assert "statistic" in [c.type for c in claims]


def test_a_checkable_sentence_no_class_reads_is_an_other_claim_with_its_parties() -> None:
    [claim] = extract(
        "Batbayar Ganbold planted a cedar in the yard of the Mongolian embassy in Vientiane"
        " on March 12, 2025.",
        published=PUB,
        gazetteer=GAZ,
    )
    assert claim.subject and claim.subject.name == "Batbayar Ganbold"
    assert claim.date and claim.date.value == "2025-03-12"
    assert claim.place and claim.place.name == "Vientiane"


def test_frames_are_a_registry_of_rules_that_only_add_their_own() -> None:
    from claims.extraction.frames import RULES, Rule, SentenceView, detect

    seen: list[tuple[str, int]] = []

    def spy(rule: Rule) -> Rule:
        def find(view: SentenceView, earlier: Sequence[Frame]) -> list[Frame]:
            before = [dataclasses.replace(f) for f in earlier]
            out = rule.find(view, earlier)
            assert list(earlier) == before, f"{rule.name} changed an earlier frame"
            seen.append((rule.name, len(out)))
            return out

        return Rule(rule.name, find)

    import claims.extraction.frames as frames

    original = frames.RULES
    frames.RULES = tuple(spy(r) for r in original)
    try:
        extract(
            "Batbayar Ganbold visited Laos on March 11, 2025, and signed the Treaty of"
            " Friendship, marking the 30th anniversary of relations.",
            published=PUB,
            gazetteer=GAZ,
        )
    finally:
        frames.RULES = original
    assert [name for name, _ in seen] == [r.name for r in RULES]
    assert detect is frames.detect


def test_an_anniversary_of_ties_between_two_states_has_the_second_as_its_other_party() -> None:
    [claim] = extract(
        "This month marks the 35th anniversary of diplomatic ties between Mongolia and Laos.",
        published=PUB,
        gazetteer=GAZ,
    )
    assert claim.type == "anniversary" and claim.object and claim.object.name == "Laos"
    assert claim.date and claim.date.value.startswith("1990")
