from __future__ import annotations

from claims.models import Claim
from claims.propositions import date_words, generate


def claim(**fields: str) -> Claim:
    return Claim(sentence=fields.pop("sentence", "A long sentence, as the outlet wrote it."),
                 **fields)


def test_dates_read_as_a_reader_writes_them() -> None:
    assert date_words("2019-04-25", "day") == "25 April 2019"
    assert date_words("2000-07", "month") == "July 2000"
    assert date_words("1949", "year") == "1949"
    assert date_words("", "") == ""


def test_a_visit_and_a_meeting_become_short_complete_statements() -> None:
    visit = claim(type="visit", subject_name="Vladimir Putin", place_name="Pyongyang",
                  date_value="2000-07", date_precision="month")
    assert generate(visit) == "Vladimir Putin visited Pyongyang in July 2000"
    meeting = claim(type="meeting", subject_name="Kim Jong Un", object_name="Vladimir Putin",
                    place_name="Vladivostok", date_value="2019-04-25", date_precision="day")
    assert generate(meeting) == "Kim Jong Un met Vladimir Putin in Vladivostok on 25 April 2019"


def test_an_anniversary_names_what_it_commemorates_and_when() -> None:
    anniversary = claim(type="anniversary", subject_name="establishment of diplomatic relations",
                        date_value="1948", date_precision="year")
    assert generate(anniversary) == "The establishment of diplomatic relations dates from 1948"


def test_without_the_fields_it_needs_a_claim_keeps_its_whole_sentence() -> None:
    quote = claim(type="quote", speaker_name="Stalin", sentence=(
        "Stalin said that Comrade Kim Il Sung was a true proletarian internationalist who "
        "defended the Soviet Union."
    ))
    assert generate(quote) == quote.sentence
    assert generate(claim(type="visit", subject_name="Kim Il Sung")) == (
        "A long sentence, as the outlet wrote it."
    )


def test_the_reviewers_wording_wins_and_blank_means_generated() -> None:
    visit = claim(type="visit", subject_name="Vladimir Putin", place_name="Pyongyang")
    assert visit.proposition() == "Vladimir Putin visited Pyongyang"
    visit.claim_reviewed = "Putin was in Pyongyang in July 2000"
    assert visit.proposition() == "Putin was in Pyongyang in July 2000"
