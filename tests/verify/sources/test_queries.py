from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from claims.models import Claim
from verify.evidence.sources import queries


@pytest.mark.parametrize(("raw", "clean"), [
    ("Supreme Leader Kim Jong Un", "Kim Jong Un"),
    ("President Putin", "Putin"),
    ("Dear Respected Comrade Kim Jong Un", "Kim Jong Un"),
    ("General Secretary Kim Jong Un", "Kim Jong Un"),
    ("the Korean People's Army", "Korean People's Army"),
    ("General Assembly", "General Assembly"),
    ("President of Russia", "President of Russia"),
    ("Chairman", "Chairman"),
    ("", ""),
])
def test_clean_name_drops_titles_but_keeps_names_and_offices(raw: str, clean: str) -> None:
    assert queries.clean_name(raw) == clean


def test_terms_are_the_names_the_type_word_and_the_year(visit_claim: Claim) -> None:
    assert queries.terms(visit_claim) == ["Vladimir Putin", "North Korea", "visit", "2000"]
    assert queries.search_text(visit_claim) == "Vladimir Putin North Korea visit 2000"


def test_names_drop_titles_and_repeats(claim_factory: Callable[..., Claim]) -> None:
    claim = claim_factory(type=Claim.Type.MEETING, subject_name="Supreme Leader Kim Jong Un",
                          object_name="President Putin", speaker_name="Kim Jong Un")
    assert queries.names(claim) == ["Kim Jong Un", "Putin"]
    assert queries.terms(claim) == ["Kim Jong Un", "Putin", "summit"]


def test_a_claim_without_names_searches_the_sentence_content_words(
    claim_factory: Callable[..., Claim],
) -> None:
    claim = claim_factory(
        type=Claim.Type.HISTORICAL_EVENT,
        sentence="Many soldiers of the glorious Red Army shed their blood in the historic "
                 "battles to liberate Korea.",
    )
    found = queries.terms(claim)
    assert found[:3] == ["Red", "Army", "Korea"]  # names first
    assert "glorious" not in found and "historic" not in found and "the" not in found
    assert "soldiers" in found and "Many" not in found


def test_a_reviewers_wording_replaces_the_generated_query(visit_claim: Claim) -> None:
    assert queries.search_text(visit_claim, "  Putin   Pyongyang 2000 ") == "Putin Pyongyang 2000"


def test_date_window_uses_the_claims_dates_and_pads_them(visit_claim: Claim) -> None:
    assert queries.date_window(visit_claim) == (date(2000, 7, 1), date(2000, 7, 31))
    assert queries.date_window(visit_claim, pad_days=3) == (date(2000, 6, 28), date(2000, 8, 3))


def test_date_window_falls_back_to_the_date_value(claim_factory: Callable[..., Claim]) -> None:
    claim = claim_factory(date_value="2000-02", date_precision="month")
    assert queries.date_window(claim) == (date(2000, 2, 1), date(2000, 2, 29))
    assert queries.year(claim) == 2000


def test_an_undated_claim_has_no_window(claim_factory: Callable[..., Claim]) -> None:
    assert queries.date_window(claim_factory()) is None


@pytest.mark.parametrize(("value", "window"), [
    ("1949", (date(1949, 1, 1), date(1949, 12, 31))),
    ("2019-04", (date(2019, 4, 1), date(2019, 4, 30))),
    ("2019-04-25", (date(2019, 4, 25), date(2019, 4, 25))),
    ("2019-02-30", None),
    ("April 2019", None),
    ("", None),
])
def test_parse_date_value(value: str, window: tuple[date, date] | None) -> None:
    assert queries.parse_date_value(value) == window
