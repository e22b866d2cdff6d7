"""Who a sentence is about, on fresh sentences: family names written first, titles without
a name, first person and pronouns in quotes."""

from __future__ import annotations

import datetime

from claims.extraction import extract

PUB = datetime.date(2025, 3, 6)


def subjects(text: str) -> list[tuple[str, str, str | None]]:
    return [
        (c.sentence[:20], c.type, c.subject.name if c.subject else None)
        for c in extract(text, published=PUB)
    ]


def test_a_bare_korean_family_name_refers_back_to_the_person_of_that_name() -> None:
    text = (
        "Kim Jong Un arrived in Vladivostok by train on Monday. "
        "Kim told reporters the journey had been long."
    )
    found = [s for s in subjects(text) if s[0].startswith("Kim told")]
    assert found and all(name == "Kim Jong Un" for _, _, name in found)


def test_a_family_name_finds_someone_the_gazetteer_does_not_know() -> None:
    text = (
        "Ri Chol Ho, vice-minister of railways of the DPRK, arrived in Moscow on Monday. "
        "Ri held talks with Russian railway officials in Moscow on Tuesday."
    )
    found = [s for s in subjects(text) if s[0].startswith("Ri held")]
    assert found and found[0][2] == "Ri Chol Ho"


def test_the_last_word_of_a_korean_name_is_not_a_surname() -> None:
    text = (
        "Ri Chol Ho, vice-minister of railways of the DPRK, arrived in Moscow on Monday. "
        "Ho Van Duc, a Vietnamese engineer, met Russian railway officials in Moscow on Tuesday."
    )
    found = [s for s in subjects(text) if s[0].startswith("Ho Van")]
    assert all(name != "Ri Chol Ho" for _, _, name in found)


def test_a_bare_family_name_takes_the_person_named_last() -> None:
    text = (
        "Kim Il Sung founded the state in 1948. "
        "Kim Jong Un visited Russia in September 2023 and met Vladimir Putin. "
        "Kim returned to Pyongyang on September 17, 2023."
    )
    found = [s for s in subjects(text) if s[0].startswith("Kim returned")]
    assert found and found[0][2] == "Kim Jong Un"


def test_a_title_without_a_name_is_the_person_of_that_state_named_before() -> None:
    text = (
        "Chinese President Xi Jinping arrived in Moscow on Monday. "
        "The Chinese leader laid a wreath at the Tomb of the Unknown Soldier on Tuesday."
    )
    found = [s for s in subjects(text) if s[0].startswith("The Chinese")]
    assert found and found[0][2] == "Xi Jinping"


def test_the_visiting_minister_is_the_guest_named_before() -> None:
    text = (
        "Russian Foreign Minister Sergey Lavrov arrived in Pyongyang on Monday. "
        "The visiting minister laid flowers at the Liberation Monument on Tuesday."
    )
    found = [s for s in subjects(text) if s[0].startswith("The visiting")]
    assert found and found[0][2] == "Sergey Lavrov"


def test_a_description_before_a_name_leaves_the_name_to_speak() -> None:
    text = (
        "Chinese President Xi Jinping arrived in Moscow on Monday. "
        "The Russian leader Vladimir Putin met him in the Kremlin on Tuesday."
    )
    found = [s for s in subjects(text) if s[0].startswith("The Russian")]
    assert found and found[0][2] != "Xi Jinping"


def test_first_person_in_a_quotation_is_its_speaker() -> None:
    text = (
        "Kim Jong Un arrived in Moscow on Monday. "
        "\u201cMy talks with you are a great honour,\u201d Vladimir Putin told Kim Jong Un."
    )
    claims = [c for c in extract(text, published=PUB) if c.type == "quote"]
    assert claims and claims[0].subject and claims[0].subject.name == "Vladimir Putin"


def test_first_person_in_a_speech_printed_in_full_is_the_speaker() -> None:
    text = (
        "Chinese President Xi Jinping arrived in Moscow on Monday. "
        "Yesterday, I had fruitful talks with President Vladimir Putin."
    )
    found = [s for s in subjects(text) if s[0].startswith("Yesterday")]
    assert found and found[0][2] == "Xi Jinping"


def test_world_war_i_is_no_speaker() -> None:
    text = (
        "Chinese President Xi Jinping arrived in Moscow on Monday. "
        "The museum of World War I in Moscow opened in 2014."
    )
    claims = [c for c in extract(text, published=PUB) if c.sentence.startswith("The museum")]
    assert all(c.subject is None or c.subject.name != "Xi Jinping" for c in claims)


def test_a_bare_family_name_is_the_protagonist_over_a_name_from_history() -> None:
    text = (
        "Kim Jong Un arrived in Beijing on Monday. Kim Jong Un met Xi Jinping on Tuesday. "
        "The trip recalled the visit Kim Jong Il paid to China in 2011. "
        "Kim thanked Xi Jinping for the welcome."
    )
    found = [s for s in subjects(text) if s[0].startswith("Kim thanked")]
    assert found and found[0][2] == "Kim Jong Un"


def meetings(text: str) -> list[tuple[str | None, str | None]]:
    return [
        (c.subject.name if c.subject else None, c.object.name if c.object else None)
        for c in extract(text, published=PUB)
        if c.type == "meeting"
    ]


def test_a_meeting_told_in_the_passive_has_the_agent_after_by_as_its_other_side() -> None:
    # A known person after "by", with an adverb and a place between verb and agent.
    text = (
        "Kim Jong Un arrived in Khabarovsk on Monday. "
        "He was warmly welcomed at the airport by Vladimir Putin."
    )
    assert ("Kim Jong Un", "Vladimir Putin") in meetings(text)


def test_the_passive_agent_may_be_a_name_the_gazetteer_does_not_know() -> None:
    # "by NAME, title ..." and "by title NAME, ...": the name ends the agent's phrase.
    text = (
        "Kim Jong Un arrived in Khabarovsk on Monday. "
        "He was received at the station by Pavel Orlov, governor of the territory."
    )
    assert ("Kim Jong Un", "Pavel Orlov") in meetings(text)
    text = (
        "Kim Jong Un arrived in Khabarovsk on Monday. "
        "At the border, he was greeted by Deputy Minister of Transport Pavel Orlov, "
        "the regional governor and other officials."
    )
    found = meetings(text)
    assert found and found[0][0] == "Kim Jong Un"
    assert found[0][1] is not None and found[0][1].endswith("Pavel Orlov")


def test_an_active_meeting_verb_keeps_its_sides() -> None:
    text = "Vladimir Putin received Kim Jong Un in the Kremlin on Monday."
    assert meetings(text)[0] == ("Vladimir Putin", "Kim Jong Un")


def quote_objects(text: str) -> list[str | None]:
    return [
        c.object.name if c.object else None
        for c in extract(text, published=PUB)
        if c.type == "quote"
    ]


def test_words_about_the_speakers_themselves_are_spoken_to_the_counterpart() -> None:
    text = (
        "Vladimir Putin held talks with Kim Jong Un in Pyongyang on Monday. "
        '"We agreed on a great deal and our teams will keep working," Putin told reporters.'
    )
    assert quote_objects(text) == ["Kim Jong Un"]
    text = (
        "Vladimir Putin held talks with Kim Jong Un in Pyongyang on Monday. "
        "Kim said that their talks had been frank and useful."
    )
    assert quote_objects(text) == ["Vladimir Putin"]


def test_a_pronoun_is_never_the_object_of_a_quote() -> None:
    # No counterpart to fall back on: the object stays empty rather than 'I am sure'.
    text = '"I am sure the harvest will be good this year," Oyun Bat told the farmers.'
    for obj in quote_objects(text):
        assert obj is None or not obj.lower().startswith(("i ", "we ", "they "))


def test_the_i_of_a_speech_printed_in_full_is_the_author_its_heading_names() -> None:
    text = (
        "Friends Across the Steppe\n\n"
        "Address by President Xi Jinping at the State University of Ulaanbaatar "
        "(March 4, 2025, Ulaanbaatar)\n\n"
        "I am glad to speak to the students of this university today. "
        "Yesterday, I held talks with the President of Mongolia in Ulaanbaatar. "
        "My current visit to Mongolia is my third in ten years."
    )
    found = extract(text, published=PUB)
    talks = [c for c in found if c.sentence.startswith("Yesterday")]
    assert talks and talks[0].subject is not None and talks[0].subject.name == "Xi Jinping"
    assert talks[0].date is not None and talks[0].date.value == "2025-03-03"
    visit = [c for c in found if c.sentence.startswith("My current visit")]
    assert visit and visit[0].subject is not None and visit[0].subject.name == "Xi Jinping"


def test_a_heading_with_no_text_by_names_no_author() -> None:
    # "by" in a heading that introduces no text printed in full gives the "I" no author.
    text = (
        "Talks Held by Xi Jinping in Ulaanbaatar\n\n"
        '"I am glad to be here," Vladimir Putin told the students on Tuesday.'
    )
    quotes = [c for c in extract(text, published=PUB) if c.type == "quote"]
    assert quotes and quotes[0].subject is not None
    assert quotes[0].subject.name == "Vladimir Putin"


def test_a_known_person_after_a_nationality_and_an_office_is_that_person() -> None:
    # The gazetteer lists "Defence Minister" for them, not "Russian Defence Minister".
    text = "Russian Defence Minister Andrei Belousov held talks with Kim Jong Un in Wonsan."
    found = meetings(text)
    assert found and found[0][0] == "Andrei Belousov"
    text = "Chinese Defense Minister Dong Jun held talks with Kim Jong Un in Wonsan."
    assert meetings(text)[0][0] == "Dong Jun"


def test_courtesy_in_the_first_person_names_no_one_to_look_up() -> None:
    from claims.extraction import extract_article

    text = (
        "Friends Across the Steppe\n\n"
        "Address by President Xi Jinping at the State University of Ulaanbaatar "
        "(March 4, 2025, Ulaanbaatar)\n\n"
        "I am deeply grateful to my hosts for their kind care. "
        "Yesterday, I held talks with Vladimir Putin in Ulaanbaatar."
    )
    decided = {d.sentence[:20]: d.checkable for d in extract_article(text, published=PUB).decisions}
    assert decided["I am deeply grateful"] is False
    assert decided["Yesterday, I held ta"] is True
