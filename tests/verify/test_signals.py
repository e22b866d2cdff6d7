"""Stance signals beyond dates, each on fresh sentences written for these tests, each with
a reason a reviewer can read."""

from __future__ import annotations

from datetime import date

import pytest

from claims.models import Claim
from tests.verify.evidence_helpers import assess, make_claim
from verify.evidence import signals, stance

# --- figures -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("claimed", "stated", "verdict"),
    [
        ("A 40-member delegation flew in.", "The delegation of 15 officials landed.", "differs"),
        ("A 40-member delegation flew in.", "A delegation of 40 people arrived.", "agrees"),
        ("Some 5,000 spectators filled the stadium.", "about 4,800 spectators came", "agrees"),
        ("Nearly 3,000 people gathered in the square.", "3,000 people gathered", "agrees"),
        ("More than 30 countries sent envoys.", "envoys from 34 countries", "agrees"),
        ("More than 30 countries sent envoys.", "envoys from 12 countries", "differs"),
        ("Trade grew by 18 percent last year.", "trade grew 18.4% in the year", "agrees"),
        ("Trade grew by 18 percent last year.", "trade grew by 7 per cent", "differs"),
        ("Hundreds of thousands of citizens lined the road.",
         "tens of thousands of residents lined the road", "differs"),
        ("The loan was worth $2 billion.", "a loan of $2.1 billion", "agrees"),
        ("The loan was worth $2 billion.", "a loan of $800 million", "differs"),
    ],
)
def test_figures_of_the_same_unit_are_compared_allowing_rounding_and_qualifiers(
    claimed: str, stated: str, verdict: str
) -> None:
    found, hint = signals.compare_figures(claimed, stated)
    assert found == verdict
    assert ("figure differs: source says" if verdict == "differs" else "figure agrees") in hint


@pytest.mark.parametrize(
    "stated",
    [
        "The talks lasted three hours.",  # another unit
        "The two ministers spoke for an hour.",  # "the two ...": already counted
        "Relations go back 75 years.",  # a duration
        "It happened on 12 May 2021 and again in 2022.",  # dates and years are not figures
        "The Su-35 and the G20 were discussed.",  # parts of names
    ],
)
def test_dates_durations_names_and_other_units_are_not_compared(stated: str) -> None:
    assert signals.compare_figures("A 40-member delegation flew in.", stated) == ("", "")


@pytest.fixture
def crowd_claim(db: None) -> Claim:
    return make_claim(
        "Some 50,000 residents of Hanoi welcomed Kim Jong Un in the capital on 26 February 2019.",
        type="statistic", subject_name="Kim Jong Un", subject_qid="Q56226",
        date_value="2019-02-26", date_precision="day",
        date_start=date(2019, 2, 26), date_end=date(2019, 2, 26),
    )


def test_a_passage_about_the_claim_with_another_figure_contradicts_it(crowd_claim: Claim) -> None:
    found = assess(crowd_claim, "Kim Jong Un was greeted in Hanoi by about 2,000 onlookers "
                                "when he arrived on 26 February 2019.")
    assert found.stance == stance.CONTRADICTS
    assert found.hint.startswith("figure differs: source says “about 2,000”")


def test_the_same_figure_and_day_agree(crowd_claim: Claim) -> None:
    found = assess(crowd_claim, "On 26 February 2019 Kim Jong Un was welcomed in Hanoi by "
                                "roughly 50,000 people.")
    assert found.stance == stance.AGREES


# --- actor -------------------------------------------------------------------------------


def test_a_different_agent_for_the_same_act_contradicts(db: None) -> None:
    claim = make_claim(
        "Vladimir Putin proposed the joint statement during the talks in June 2024.",
        type="other", subject_name="Vladimir Putin", subject_qid="Q7747",
        date_value="2024-06", date_precision="month",
        date_start=date(2024, 6, 1), date_end=date(2024, 6, 30),
    )
    found = assess(claim, "The joint statement was an idea Kim Jong Un proposed at the June "
                          "2024 talks, officials said.")
    assert found.stance == stance.CONTRADICTS
    assert found.hint == (
        "actor differs: the source gives the act (propose) to Kim Jong Un, not Vladimir Putin"
    )


def test_the_same_agent_for_the_act_is_not_an_actor_contradiction(db: None) -> None:
    claim = make_claim(
        "Vladimir Putin proposed the joint statement during the talks in June 2024.",
        type="other", subject_name="Vladimir Putin", subject_qid="Q7747",
    )
    found = assess(claim, "Putin proposed a joint statement to Kim Jong Un at the talks.")
    assert not found.hint.startswith("actor differs")


# --- outcomes and denials ----------------------------------------------------------------


@pytest.fixture
def deal_claim(db: None) -> Claim:
    return make_claim(
        "Kim Jong Un and Donald Trump agreed on a deal at the Hanoi summit.",
        type="meeting", subject_name="Kim Jong Un", subject_qid="Q56226",
        object_name="Donald Trump", object_qid="Q22686",
    )


@pytest.mark.parametrize(
    ("passage", "hint"),
    [
        ("The Hanoi summit between Trump and Kim Jong Un collapsed without agreement.",
         "outcome differs: source says “without agreement”, the claim “agreed”"),
        ("The White House denied that Trump and Kim Jong Un made a deal in Hanoi.",
         "denial: the source says “denied” about it"),
        ("Officials said there was no evidence that Trump and Kim Jong Un reached a deal.",
         "denial: the source says “no evidence” about it"),
        ("Reports of a Trump-Kim Jong Un deal in Hanoi were fabricated, aides said.",
         "denial: the source says “fabricated” about it"),
    ],
)
def test_outcomes_that_exclude_the_claims_and_denials_contradict(
    deal_claim: Claim, passage: str, hint: str
) -> None:
    found = assess(deal_claim, passage)
    assert found.stance == stance.CONTRADICTS
    assert found.hint == hint


def test_a_denial_about_something_else_is_not_read_as_one_about_the_claim(
    deal_claim: Claim,
) -> None:
    found = assess(deal_claim, "The weather office denied that a storm was coming. Markets in "
                               "Seoul rose.")
    assert found.stance != stance.CONTRADICTS


# --- co-mention --------------------------------------------------------------------------


def test_naming_the_parties_and_the_date_without_the_act_is_related_not_agreement(
    db: None,
) -> None:
    claim = make_claim(
        "Xi Jinping signed the economic accord with Vladimir Putin in Moscow on 21 March 2023.",
        type="treaty_document", subject_name="Xi Jinping", subject_qid="Q15031",
        object_name="Vladimir Putin", object_qid="Q7747",
        date_value="2023-03-21", date_precision="day",
        date_start=date(2023, 3, 21), date_end=date(2023, 3, 21),
    )
    found = assess(claim, "On 21 March 2023 Xi Jinping and Vladimir Putin were photographed "
                          "in the Kremlin garden.")
    assert found.stance == stance.RELATED
    assert found.hint.startswith("co-mention")


# --- dates: another occasion ---------------------------------------------------------------


def test_the_same_parties_a_year_apart_are_a_different_event_not_a_contradiction(
    db: None,
) -> None:
    claim = make_claim(
        "Kim Jong Un met Xi Jinping in Beijing in January 2019.",
        type="meeting", subject_name="Kim Jong Un", subject_qid="Q56226",
        object_name="Xi Jinping", object_qid="Q15031",
        date_value="2019-01", date_precision="month",
        date_start=date(2019, 1, 1), date_end=date(2019, 1, 31),
    )
    found = assess(claim, "Kim Jong Un met Xi Jinping in Beijing in January 2020.")
    assert found.stance == stance.RELATED
    assert found.hint.startswith("different event: the source's January 2020")
    wrong = assess(claim, "Kim Jong Un met Xi Jinping in Beijing on 20 February 2019.")
    assert wrong.stance == stance.CONTRADICTS
