"""Who is meant and when: rules that must hold for any agency article, shown on
made-up sentences (none taken from the dev or held-out articles)."""

from __future__ import annotations

from claims.extraction import EntityRef, load_gazetteer, split_sentences
from claims.extraction.entities import Discourse, Mention, find_mentions
from claims.extraction.text import tokenize


def mentions(text: str) -> list[list[Mention]]:
    """Mentions per sentence, read in order with one discourse for the article."""
    gaz, ctx = load_gazetteer(), Discourse()
    return [
        find_mentions(tokenize(s.text, s.start), gaz, ctx, s.text, s.start)
        for s in split_sentences(text)
    ]


def names(text: str) -> list[list[tuple[str, str | None, str]]]:
    return [[(m.ref.name, m.ref.qid, m.ref.kind) for m in sent] for sent in mentions(text)]


def test_a_titled_name_missing_from_the_gazetteer_is_a_person_of_that_country() -> None:
    [sent] = mentions("Mongolian President Ulan Bator Tsend met the press in Ulaanbaatar.")
    person = sent[0]
    assert person.ref == EntityRef("Ulan Bator Tsend", None, "person")
    assert person.entry is not None and person.entry.country == "Q711"


def test_a_title_before_an_unknown_name_does_not_fall_back_to_its_usual_holder() -> None:
    [[putin, other]] = names("Putin greeted Prime Minister Ana Lopes Vieira at the airport.")
    assert putin[1] == "Q7747"
    assert other == ("Ana Lopes Vieira", None, "person")


def test_a_short_word_may_open_a_name_after_a_title() -> None:
    [sent] = names("Cuban President Le Van Do toured the port.")
    assert sent[0] == ("Le Van Do", None, "person")


def test_counterpart_and_a_title_of_a_body_introduce_names() -> None:
    [sent] = names(
        "Lavrov spoke with his Iranian counterpart Amir Dastan Rahimi and with "
        "Chairman of the Supreme Council Omid Karimi Nejad."
    )
    assert ("Amir Dastan Rahimi", None, "person") in sent
    assert ("Omid Karimi Nejad", None, "person") in sent
    assert all(kind != "org" for _, _, kind in sent)


def test_title_case_headlines_do_not_make_people() -> None:
    [sent] = names("Cuban President To Visit Moscow Next Week For Talks")
    assert all(kind != "person" for _, _, kind in sent)


def test_a_lower_case_title_after_a_name_is_not_a_new_person() -> None:
    [sent] = names("The minister Said nothing.")
    assert all(kind != "person" for _, _, kind in sent)


def test_a_second_mention_by_office_and_nationality_finds_the_person() -> None:
    _, second = names(
        "Syrian Foreign Minister Hadi Nour Salem arrived in Moscow on Tuesday.\n"
        "The Syrian foreign minister laid a wreath in the city."
    )
    assert second[0] == ("Hadi Nour Salem", None, "person")


def test_a_second_mention_by_office_uses_gazetteer_titles() -> None:
    _, second = names(
        "Sergey Lavrov and Wang Yi met in Beijing.\nThe Russian foreign minister spoke first."
    )
    assert second[0][0] == "Sergey Lavrov"


def test_an_office_without_nationality_needs_a_single_holder() -> None:
    _, second = names(
        "Cuban President Luis Ortega Diaz and Syrian President Kamal Haddad Aziz met.\n"
        "The president said the talks went well."
    )
    assert all(kind != "person" for _, _, kind in second)


def test_the_head_of_a_delegation_is_the_person_who_led_it() -> None:
    _, second = names(
        "A Laotian delegation headed by Somsak Vongsa arrived in Pyongyang.\n"
        "The head of the delegation toured a factory."
    )
    assert second[0] == ("Somsak Vongsa", None, "person")


def test_a_possessive_name_is_the_person() -> None:
    [sent] = mentions("Putin's first trip abroad this year took him to Beijing.")
    assert sent[0].ref.qid == "Q7747"
    assert sent[0].end == len("Putin")
    [state] = names("Russia's exports grew.")
    assert state[0][1] == "Q159"


def test_a_state_naming_a_currency_is_not_a_mention() -> None:
    [money] = names("Exports to India rose to 12 billion U.S. dollars, and US$ 3 million to aid.")
    assert [qid for _, qid, _ in money] == ["Q668"]
    [country] = names("Exports from the U.S. to Cuba rose.")
    assert [qid for _, qid, _ in country] == ["Q30", "Q241"]


def test_the_bodies_in_a_persons_title_do_not_compete_with_the_person() -> None:
    [sent] = names(
        "Kim Jong Un, chairman of the Central Military Commission of the DPRK, "
        "inspected a farm in Cuba."
    )
    assert [qid for _, qid, _ in sent] == ["Q56226", "Q241"]
