"""Stance signals beyond dates, each on fresh sentences written for these tests, each with
a reason a reviewer can read."""

from __future__ import annotations

from datetime import date

import pytest

from claims.models import Claim
from tests.verify.evidence_helpers import assess, dated, make_claim
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
        (
            "Hundreds of thousands of citizens lined the road.",
            "tens of thousands of residents lined the road",
            "differs",
        ),
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
        type="statistic",
        subject_name="Kim Jong Un",
        subject_qid="Q56226",
        **dated("2019-02-26"),
    )


def test_a_passage_about_the_claim_with_another_figure_contradicts_it(crowd_claim: Claim) -> None:
    found = assess(
        crowd_claim,
        "Kim Jong Un was greeted in Hanoi by about 2,000 onlookers "
        "when he arrived on 26 February 2019.",
    )
    assert found.stance == stance.CONTRADICTS
    assert found.hint.startswith("figure differs: source says “about 2,000”")


def test_the_same_figure_and_day_agree(crowd_claim: Claim) -> None:
    found = assess(
        crowd_claim,
        "On 26 February 2019 Kim Jong Un was welcomed in Hanoi by roughly 50,000 people.",
    )
    assert found.stance == stance.AGREES


# --- actor -------------------------------------------------------------------------------


def test_a_different_agent_for_the_same_act_contradicts(db: None) -> None:
    claim = make_claim(
        "Vladimir Putin proposed the joint statement during the talks in June 2024.",
        type="other",
        subject_name="Vladimir Putin",
        subject_qid="Q7747",
        **dated("2024-06"),
    )
    found = assess(
        claim,
        "The joint statement was an idea Kim Jong Un proposed at the June "
        "2024 talks, officials said.",
    )
    assert found.stance == stance.CONTRADICTS
    assert found.hint == (
        "actor differs: the source gives the act (propose) to Kim Jong Un, not Vladimir Putin"
    )


def test_the_same_agent_for_the_act_is_not_an_actor_contradiction(db: None) -> None:
    claim = make_claim(
        "Vladimir Putin proposed the joint statement during the talks in June 2024.",
        type="other",
        subject_name="Vladimir Putin",
        subject_qid="Q7747",
    )
    found = assess(claim, "Putin proposed a joint statement to Kim Jong Un at the talks.")
    assert not found.hint.startswith("actor differs")


# --- outcomes and denials ----------------------------------------------------------------


@pytest.fixture
def deal_claim(db: None) -> Claim:
    return make_claim(
        "Kim Jong Un and Donald Trump agreed on a deal at the Hanoi summit.",
        type="meeting",
        subject_name="Kim Jong Un",
        subject_qid="Q56226",
        object_name="Donald Trump",
        object_qid="Q22686",
    )


@pytest.mark.parametrize(
    ("passage", "hint"),
    [
        (
            "The Hanoi summit between Trump and Kim Jong Un collapsed without agreement.",
            "outcome differs: source says “without agreement”, the claim “agreed”",
        ),
        (
            "The White House denied that Trump and Kim Jong Un made a deal in Hanoi.",
            "denial: the source says “denied” about it",
        ),
        (
            "Officials said there was no evidence that Trump and Kim Jong Un reached a deal.",
            "denial: the source says “no evidence” about it",
        ),
        (
            "Reports of a Trump-Kim Jong Un deal in Hanoi were fabricated, aides said.",
            "denial: the source says “fabricated” about it",
        ),
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
    found = assess(
        deal_claim, "The weather office denied that a storm was coming. Markets in Seoul rose."
    )
    assert found.stance != stance.CONTRADICTS


# --- co-mention --------------------------------------------------------------------------


def test_naming_the_parties_and_the_date_without_the_act_is_related_not_agreement(
    db: None,
) -> None:
    claim = make_claim(
        "Xi Jinping signed the economic accord with Vladimir Putin in Moscow on 21 March 2023.",
        type="treaty_document",
        subject_name="Xi Jinping",
        subject_qid="Q15031",
        object_name="Vladimir Putin",
        object_qid="Q7747",
        **dated("2023-03-21"),
    )
    found = assess(
        claim,
        "On 21 March 2023 Xi Jinping and Vladimir Putin were photographed in the Kremlin garden.",
    )
    assert found.stance == stance.RELATED
    assert found.hint.startswith("co-mention")


# --- dates: another occasion ---------------------------------------------------------------


def test_the_same_parties_a_year_apart_are_a_different_event_not_a_contradiction(
    db: None,
) -> None:
    claim = make_claim(
        "Kim Jong Un met Xi Jinping in Beijing in January 2019.",
        type="meeting",
        subject_name="Kim Jong Un",
        subject_qid="Q56226",
        object_name="Xi Jinping",
        object_qid="Q15031",
        **dated("2019-01"),
    )
    found = assess(claim, "Kim Jong Un met Xi Jinping in Beijing in January 2020.")
    assert found.stance == stance.RELATED
    assert found.hint.startswith("different event: the source's January 2020")
    wrong = assess(claim, "Kim Jong Un met Xi Jinping in Beijing on 20 February 2019.")
    assert wrong.stance == stance.CONTRADICTS


# --- the missing piece: figures and times the source does not carry ------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("The premier landed at 6:45 p.m. on Sunday.", [18 * 60 + 45]),
        ("The convoy left the border post at 14.30 hours.", [14 * 60 + 30]),
        ("Voting opens at 8 a.m. and closes at 8 p.m.", [8 * 60, 20 * 60]),
        ("The parade began at 10:00 (local time).", [10 * 60]),
        ("Exports rose 12.50 percent and the vote was 3:1.", []),  # a decimal and a ratio
        ("The talks went on for 2.5 hours.", []),  # a duration, not a time of day
    ],
)
def test_times_of_day_are_read_on_a_24_hour_clock(text: str, minutes: list[int]) -> None:
    assert [c.minutes for c in signals.clock_times(text)] == minutes


@pytest.mark.parametrize(
    ("claimed", "stated", "missing"),
    [
        (
            "A 19-gun salute greeted the premier at the airport.",
            "The premier was greeted at the airport with a gun salute.",
            "no figure for “19 gun”",
        ),
        (
            "A 19-gun salute greeted the premier at the airport.",
            "A 19-gun salute was fired as the premier landed.",
            "",
        ),
        (
            "The summit opened at 10:30 a.m. local time.",
            "The summit opened on Monday morning.",
            "no time of day (the claim says “10:30 a.m.”)",
        ),
        ("The summit opened at 10:30 a.m. local time.", "It opened at 10.30 hours.", ""),
        ("The summit opened at 10:30 a.m. local time.", "Doors opened at 10:31.", ""),
        ("The minister arrived for a three-day visit.", "The minister arrived on Monday.", ""),
        ("The envoys met one-on-one on September 17.", "The envoys met in private.", ""),
    ],
)
def test_a_figure_or_time_the_source_does_not_carry_is_named(
    claimed: str, stated: str, missing: str
) -> None:
    found = signals.missing_detail(claimed, stated)
    assert (missing in found) if missing else found == ""
    assert bool(found) is bool(missing)


@pytest.mark.parametrize(
    "text",
    [
        "a three-day visit to the region",
        "the envoys talked one-on-one",
        "talks on September 17",
        "on 12 October the talks resumed",
        "by Oct. 3 the troops had left",
    ],
)
def test_compounds_of_time_and_days_without_their_year_are_not_counts(text: str) -> None:
    assert signals.quantities(text) == []


def test_a_count_written_with_spaces_is_one_figure() -> None:
    assert [(q.low, q.unit) for q in signals.quantities("The line ran 4 120 km north.")] == [
        (4119.5, "km")
    ]


@pytest.fixture
def salute_claim(db: None) -> Claim:
    return make_claim(
        "Kim Jong Un welcomed Xi Jinping with a 19-gun salute in Pyongyang on 3 May 2021.",
        type="meeting",
        subject_name="Kim Jong Un",
        subject_qid="Q56226",
        object_name="Xi Jinping",
        object_qid="Q15031",
        **dated("2021-05-03"),
    )


def test_the_parties_and_the_day_do_not_confirm_a_figure_the_source_lacks(
    salute_claim: Claim,
) -> None:
    found = assess(salute_claim, "Kim Jong Un welcomed Xi Jinping in Pyongyang on 3 May 2021.")
    assert found.stance == stance.RELATED
    assert found.hint.endswith("but the source gives no figure for “19 gun”")
    same = assess(
        salute_claim,
        "On 3 May 2021 Kim Jong Un greeted Xi Jinping in Pyongyang with a 19-gun salute.",
    )
    assert same.stance == stance.AGREES


# --- figures: the same proposition -----------------------------------------------------------


@pytest.fixture
def square_claim(db: None) -> Claim:
    # No party: what the figure counts and where it was are all the claim says.
    return make_claim(
        "About 80,000 people packed the central square for the ceremony on 9 May 2022.",
        type="statistic",
        **dated("2022-05-09"),
        published=date(2022, 5, 10),
    )


def test_another_figure_about_the_same_crowd_contradicts_without_parties(
    square_claim: Claim,
) -> None:
    found = assess(
        square_claim,
        "On 9 May 2022 some 15,000 people filled the central square for the ceremony, police said.",
    )
    assert found.stance == stance.CONTRADICTS
    assert found.hint.startswith("figure differs: source says “some 15,000”")


def test_a_figure_of_another_crowd_or_another_day_is_not_a_contradiction(
    square_claim: Claim,
) -> None:
    elsewhere = assess(square_claim, "On 9 May 2022 about 300 people waited at the station.")
    assert elsewhere.stance != stance.CONTRADICTS
    other_day = assess(
        square_claim, "On 2 April 2022 some 15,000 people filled the central square for a concert."
    )
    assert other_day.stance != stance.CONTRADICTS


def test_the_same_figure_on_the_same_day_agrees_whoever_is_named(square_claim: Claim) -> None:
    found = assess(square_claim, "Organisers counted 80,000 people in the square on 9 May 2022.")
    assert found.stance == stance.AGREES
    assert found.hint.startswith("figure agrees")


# --- dates: stated or read from the dateline ---------------------------------------------------


def test_a_date_the_claim_does_not_state_is_not_contradicted(db: None) -> None:
    # The extractor dated this sentence from its dateline: the sentence itself gives no day.
    claim = make_claim(
        "Sergey Lavrov held talks with Kim Jong Un in the North Korean capital.",
        type="meeting",
        subject_name="Sergey Lavrov",
        subject_qid="Q62003",
        object_name="Kim Jong Un",
        object_qid="Q56226",
        **dated("2022-03-30"),
        published=date(2022, 3, 30),
    )
    found = assess(
        claim, "Sergey Lavrov held talks with Kim Jong Un in Pyongyang on 25 March 2022."
    )
    assert found.stance == stance.RELATED
    assert found.hint == (
        "the source dates it to 25 March 2022; the claim's sentence gives no "
        "date (30 March 2022 is the article's)"
    )


def test_a_date_the_claim_states_is_contradicted(db: None) -> None:
    claim = make_claim(
        "Sergey Lavrov held talks with Kim Jong Un in the North Korean capital on 30 March 2022.",
        type="meeting",
        subject_name="Sergey Lavrov",
        subject_qid="Q62003",
        object_name="Kim Jong Un",
        object_qid="Q56226",
        **dated("2022-03-30"),
    )
    found = assess(
        claim, "Sergey Lavrov held talks with Kim Jong Un in Pyongyang on 25 March 2022."
    )
    assert found.stance == stance.CONTRADICTS


# --- actor: the same act on the same thing ------------------------------------------------------


@pytest.fixture
def hosted_claim(db: None) -> Claim:
    return make_claim(
        "Kim Jong Un hosted a banquet for the visiting trade delegation in March 2023.",
        type="other",
        subject_name="Kim Jong Un",
        subject_qid="Q56226",
        object_name="trade delegation",
        **dated("2023-03"),
    )


def test_another_host_of_something_else_is_not_an_actor_contradiction(
    hosted_claim: Claim,
) -> None:
    found = assess(
        hosted_claim,
        "Kim Jong Un arrived in the capital. Vladimir Putin hosted "
        "the foreign minister at the Kremlin in March 2023.",
    )
    assert not found.hint.startswith("actor differs")


def test_another_host_of_the_same_delegation_is_an_actor_contradiction(
    hosted_claim: Claim,
) -> None:
    found = assess(
        hosted_claim,
        "Kim Jong Un was away. In March 2023 Vladimir Putin hosted the "
        "trade delegation at a banquet.",
    )
    assert found.stance == stance.CONTRADICTS
    assert found.hint.startswith("actor differs: the source gives the act (host) to Vladimir")


def test_the_acts_inside_a_quote_are_not_given_to_anyone(db: None) -> None:
    claim = make_claim(
        "“Our city is proud to be hosting this summit,” Kim Jong Un said.",
        type="quote",
        subject_name="Kim Jong Un",
        subject_qid="Q56226",
        speaker_name="Kim Jong Un",
        speaker_qid="Q56226",
    )
    found = assess(claim, "Kim Jong Un spoke at the summit. Xi Jinping hosted the summit.")
    assert not found.hint.startswith("actor differs")


# --- parties: names and descriptions ---------------------------------------------------------


def test_an_unlinked_name_the_source_does_not_give_is_not_forgiven(db: None) -> None:
    claim = make_claim(
        "Kim Jong Un was greeted by Pavel Grekov on 14 July 2023.",
        type="meeting",
        subject_name="Kim Jong Un",
        subject_qid="Q56226",
        object_name="Pavel Grekov",
        **dated("2023-07-14"),
    )
    other = assess(claim, "Kim Jong Un was greeted by Pavel Semyonov on 14 July 2023.", 0.9)
    assert other.stance == stance.RELATED
    spelt = assess(claim, "Kim Jong Un was greeted by Pavel Grekhov on 14 July 2023.", 0.9)
    assert spelt.stance == stance.AGREES


def test_an_anniversary_of_another_thing_of_the_same_country_does_not_agree(db: None) -> None:
    claim = make_claim(
        "The two sides marked the 60th anniversary of the Soviet-Korean trade agreement.",
        type="anniversary",
        subject_name="Soviet-Korean trade agreement",
        object_name="North Korea",
        object_qid="Q423",
    )
    other = assess(claim, "North Korea marked the 60th anniversary of its air force.")
    assert other.stance != stance.AGREES
    same = assess(claim, "Officials marked the 60th anniversary of the trade agreement.")
    assert same.stance == stance.AGREES


def test_a_denial_inside_a_quoted_statement_is_the_speakers_words_not_the_sources(
    deal_claim: Claim,
) -> None:
    quoted = assess(
        deal_claim,
        "Trump and Kim Jong Un met in Hanoi. Pyongyang said: “No hostile "
        "force can deny the great successes of our people and army.”",
    )
    assert not quoted.hint.startswith("denial")
    short = assess(
        deal_claim, "Trump's aides called the report of a Hanoi deal with Kim Jong Un “fabricated”."
    )
    assert short.hint == "denial: the source says “fabricated” about it"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Putin showed Kim the launch facilities.", []),
        ("The satellite was launched from the pad.", ["fire"]),
        ("The premier signs the accord today.", ["sign"]),
        ("Forces opened fire near the border.", []),
    ],
)
def test_acts_are_read_in_the_forms_listed_not_as_nouns(text: str, found: list[str]) -> None:
    assert [act for _, _, act in signals.acts(text)] == found


def test_a_date_of_the_act_at_another_place_is_another_stop_not_a_contradiction(
    db: None,
) -> None:
    claim = make_claim(
        "Kim Jong Un arrived in Khabarovsk on 16 March 2023.",
        type="visit",
        subject_name="Kim Jong Un",
        subject_qid="Q56226",
        place_name="Khabarovsk",
        **dated("2023-03-16"),
    )
    elsewhere = assess(claim, "Kim Jong Un arrived in Vladivostok on 13 March 2023.")
    assert elsewhere.stance == stance.RELATED
    assert elsewhere.hint.endswith("but not at Khabarovsk: another stop")
    same_place = assess(claim, "Kim Jong Un arrived in Khabarovsk on 13 March 2023.")
    assert same_place.stance == stance.CONTRADICTS
