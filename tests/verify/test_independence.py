"""A page whose content is attributed to state media does not corroborate it, whatever its
domain, and the reference says why it was judged dependent."""

from __future__ import annotations

from datetime import date

import pytest

from claims.extraction import load_gazetteer
from claims.models import Claim
from tests.verify.evidence_helpers import make_claim, reference
from verify.evidence import ranking, stance
from verify.evidence.relays import relayed


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("The two leaders signed the pact, KCNA said on Thursday.", "KCNA said"),
        ("According to Xinhua, the premier arrived at noon.", "According to Xinhua"),
        ("Reuters, citing TASS, said the jet landed at 2 a.m.", "citing TASS"),
        ("The Global Times reported that the ships docked.", "Global Times reported"),
        ("North Korea's state media reported the launch.", "North Korea's state media reported"),
        ("MOSCOW, May 3 /TASS/. The minister met his counterpart.", "/TASS/"),
        ("Pyongyang, May 3 (KCNA) -- The delegation left.", "(KCNA)"),
    ],
)
def test_relay_phrases_are_found(text: str, phrase: str) -> None:
    assert relayed(text).casefold() == phrase.casefold()


@pytest.mark.parametrize(
    "text",
    [
        "Syria said the border was closed.",  # "RIA" inside a word
        "Yonhap news agency reported the arrival, citing a government source.",
        "State media outlets were not invited to the briefing.",
    ],
)
def test_independent_reporting_is_not_a_relay(text: str) -> None:
    assert relayed(text) == ""


@pytest.fixture
def visit(db: None) -> Claim:
    return make_claim(
        "Li Qiang arrived in Pyongyang for an official visit on 9 October 2025.",
        type="visit", subject_name="Li Qiang", subject_qid="Q6142591",
        object_name="North Korea", object_qid="Q423",
        date_value="2025-10-09", date_precision="day",
        date_start=date(2025, 10, 9), date_end=date(2025, 10, 9),
    )


def test_a_relay_on_an_independent_domain_does_not_corroborate_and_says_why(
    visit: Claim,
) -> None:
    relay = reference(visit, "Li Qiang arrived in Pyongyang on 9 October 2025 for an official "
                             "visit, according to Xinhua.", "https://independent.example/a")
    own = reference(visit, "Li Qiang arrived in North Korea's capital Pyongyang on 9 October "
                           "2025 for an official visit.", "https://another.example/b")
    ranked = ranking.rank(visit, [relay, own], load_gazetteer())
    assert ranked[0].independent is False
    assert "not independent: the passage relays state media (“according to Xinhua”)" in (
        ranked[0].hint
    )
    assert ranked[1].independent is True
    for ref, r in zip([relay, own], ranked, strict=True):
        ref.score, ref.independent, ref.stance, ref.hint = r.score, r.independent, r.stance, r.hint
    only_relay = stance.suggest([relay])
    assert only_relay.label == stance.UNVERIFIED
    assert any("judged not independent: the passage relays state media" in reason
               for reason in only_relay.reasons)
    assert stance.suggest([relay, own]).label == stance.SUPPORTED
