"""Fields of a claim on fresh sentences (issue 14, fourth round of field errors): a title
before a family name, the object of a quote, the sides of a list of those present and
the day of what a report announces."""

from __future__ import annotations

import datetime

from claims.extraction import extract

PUB = datetime.date(2025, 3, 6)


def claims_of(text: str, start: str, kind: str | None = None) -> list:  # type: ignore[type-arg]
    return [
        c
        for c in extract(text, published=PUB)
        if c.sentence.startswith(start) and (kind is None or c.type == kind)
    ]


def name(entity: object) -> str | None:
    return getattr(entity, "name", None)


def test_a_title_before_a_family_name_is_the_person_of_that_family_named_before() -> None:
    text = (
        "Kim Jong Un received a delegation of Laotian farmers in Pyongyang on Monday. "
        "The farmers thanked Chairman Kim for the seeds sent last spring. "
        "Kim told them that the two peoples would always help each other."
    )
    thanks = claims_of(text, "The farmers thanked")
    assert thanks and all(name(c.object) != "Kim" for c in thanks)
    told = claims_of(text, "Kim told", "quote")
    assert told and name(told[0].subject) == "Kim Jong Un"


def test_a_title_before_an_unknown_one_word_name_is_still_a_new_person() -> None:
    # No one of that family was named before: "President Lula" is someone new.
    found = claims_of("President Lula met Xi Jinping in Beijing on Monday.", "President", "meeting")
    assert found and {name(found[0].subject), name(found[0].object)} == {"Lula", "Xi Jinping"}


def quote_objects(text: str, start: str) -> list[str | None]:
    return [name(c.object) for c in claims_of(text, start, "quote")]


def test_a_quote_is_about_another_party_named_in_the_sentence_before_the_speakers_own() -> None:
    text = (
        "Asked about trade with Mongolia, Vladimir Putin said that Russia "
        "would build a new railway."
    )
    assert quote_objects(text, "Asked about") == ["Mongolia"]


def test_a_quote_naming_only_the_speakers_own_state_is_spoken_to_the_counterpart() -> None:
    text = (
        "Vladimir Putin held talks with Kim Jong Un in Pyongyang on Monday. "
        '"Our next meeting should take place in Russia," Putin said.'
    )
    assert quote_objects(text, '"Our next') == ["Kim Jong Un"]


def test_the_speakers_own_party_is_not_whom_a_quote_is_about() -> None:
    text = (
        "Xi Jinping sent a message to To Lam on Monday. "
        "Xi said the Communist Party of China will keep its friendship with Vietnam."
    )
    assert quote_objects(text, "Xi said") == ["Vietnam"]


def test_a_compatriot_the_speaker_recalls_may_be_whom_the_quote_is_about() -> None:
    text = "Choe Son Hui recalled that Kim Il Sung had visited the Soviet Union in 1949."
    assert quote_objects(text, "Choe Son Hui") == ["Kim Il Sung"]


def test_those_present_from_one_side_met_the_other_sides_delegation() -> None:
    text = (
        "Kim Jong Un held talks with Xi Jinping in Pyongyang on Monday. "
        "Present at the talks from the Chinese side were Wang Yi, foreign minister of China, "
        "and Cai Qi, director of the General Office of the CPC Central Committee."
    )
    found = claims_of(text, "Present at", "meeting")
    assert found and name(found[0].subject) == "Wang Yi"
    assert name(found[0].object) == "North Korean delegation"


def test_a_list_of_those_present_takes_its_side_from_the_first_person_listed() -> None:
    text = (
        "Vladimir Putin received Kim Jong Un in the Kremlin on Monday. "
        "Also present were Sergey Lavrov and Andrei Belousov."
    )
    found = claims_of(text, "Also present", "meeting")
    assert found and name(found[0].subject) == "Sergey Lavrov"
    assert name(found[0].object) == "North Korean delegation"


def test_people_present_with_no_two_leaders_before_keep_the_people_named() -> None:
    text = "Present at the meeting were Sergey Lavrov and Wang Yi."
    found = claims_of(text, "Present at", "meeting")
    assert found and {name(found[0].subject), name(found[0].object)} == {"Sergey Lavrov", "Wang Yi"}


def dates_of(text: str, start: str, kind: str | None = None) -> list[str | None]:
    return [c.date.value if c.date else None for c in claims_of(text, start, kind)]


def test_a_date_right_after_the_verb_of_saying_dates_the_saying_and_the_story() -> None:
    # 6 March 2025 is a Thursday: "Wednesday" is the 5th, for the words and the talks after.
    text = (
        "HANOI, March 6 (Xinhua) -- Xi Jinping reaffirmed on Wednesday China's support "
        "for Vietnam, saying that this position will never change.\n\n"
        "Xi made the remarks during talks with To Lam at the Presidential Palace."
    )
    assert dates_of(text, "Xi Jinping reaffirmed", "quote") == ["2025-03-05"]
    assert "2025-03-05" in dates_of(text, "Xi made")


def test_a_forecast_outside_the_reported_words_still_leaves_the_story_day_alone() -> None:
    # The sentence itself announces what will happen: its day does not become the story's.
    text = (
        "HANOI, March 6 (Xinhua) -- Xi Jinping held talks with To Lam on Wednesday.\n\n"
        "Xi will visit Hanoi again on Saturday, Vietnamese officials said.\n\n"
        "Xi also met Pham Minh Chinh."
    )
    assert "2025-03-05" in dates_of(text, "Xi also met")


def test_an_act_a_report_announces_takes_the_storys_day() -> None:
    text = (
        "ULAN BATOR, March 6 (Montsame) -- Li Qiang arrived here Thursday for an official "
        "visit to Mongolia.\n\n"
        "During the visit, Li will hold talks with Mongolian Prime Minister Oyun-Erdene."
    )
    assert "2025-03-06" in dates_of(text, "During the visit")


def test_an_act_put_at_another_time_takes_no_day_from_the_story() -> None:
    text = (
        "ULAN BATOR, March 6 (Montsame) -- Li Qiang arrived here Thursday for an official "
        "visit to Mongolia.\n\n"
        "Li will travel to the Gobi region later."
    )
    assert "2025-03-06" not in dates_of(text, "Li will travel")
    assert dates_of(text, "Li will travel")  # the sentence is read, it just has no day


def test_an_anniversary_older_than_the_calendar_has_no_origin_date() -> None:
    # Found by the property test: a 70th anniversary published in the year 70.
    found = extract("The 70th anniversary was marked.", published=datetime.date(70, 1, 1))
    assert all(c.date is None for c in found if c.type == "anniversary")


def test_a_message_that_speaks_is_its_authors_voice() -> None:
    text = (
        "Kim Jong Un sent a message of greeting to To Lam on Monday. "
        "The message said the Vietnamese people had won great successes in the past 80 years "
        "under the leadership of the Communist Party of Vietnam."
    )
    said = claims_of(text, "The message said", "quote")
    assert said and name(said[0].subject) == "Kim Jong Un"


def test_the_head_of_an_apposition_extends_the_greetings_not_the_body_it_names() -> None:
    text = (
        "Xi Jinping, also general secretary of the Communist Party of China Central "
        "Committee, extended warm congratulations to To Lam on Monday."
    )
    found = claims_of(text, "Xi Jinping", "quote")
    assert found and name(found[0].subject) == "Xi Jinping"


def test_initials_before_a_known_surname_are_that_person() -> None:
    found = claims_of("S. Lavrov held talks with Wang Yi in Beijing on Monday.", "S.", "meeting")
    assert found and "Sergey Lavrov" in {name(found[0].subject), name(found[0].object)}
    found = claims_of("V. V. Putin received Kim Jong Un in the Kremlin.", "V.", "meeting")
    assert found and name(found[0].subject) == "Vladimir Putin"


def test_initials_of_another_given_name_are_someone_else() -> None:
    found = extract("K. Putin, a teacher from Omsk, met pupils in Omsk.", published=PUB)
    assert all(name(c.subject) != "Vladimir Putin" for c in found)


def kinds(text: str) -> dict[str, str]:
    from claims.extraction import split_sentences

    return {s.text[:16]: s.kind for s in split_sentences(text)}


def test_a_sentence_introducing_a_quotation_with_a_colon_is_body_text() -> None:
    text = (
        "Mongolian Farmers Thank Their Neighbours\n\n"
        "Oyun Bat, head of the farmers' union, issued the following statement on Monday:\n\n"
        '"The harvest of 2024 was the largest in our history."'
    )
    found = kinds(text)
    assert found["Oyun Bat, head o"] == "body"
    assert found["Mongolian Farmer"] != "body"


def test_a_title_case_line_ending_with_a_colon_stays_a_heading() -> None:
    text = "Hanoi Talks\n\nOpening Remarks By The Chair:\n\nThe meeting opened on Monday in Hanoi."
    found = kinds(text)
    assert found["Opening Remarks "] != "body"


def test_a_given_name_in_another_transliteration_is_the_same_person() -> None:
    for spelt in ("Aleksandr Kozlov", "Alexandr Kozlov"):
        found = claims_of(f"Kim Jong Un met {spelt} in Vladivostok on Monday.", "Kim", "meeting")
        assert found and name(found[0].object) == "Alexander Kozlov"


def test_a_surname_alone_after_another_given_name_is_not_matched_by_the_variants() -> None:
    # Only the given name varies: "Alexandra Kozlova" is someone else.
    found = extract("Kim Jong Un met Alexandra Kozlova in Vladivostok.", published=PUB)
    assert all(name(c.object) != "Alexander Kozlov" for c in found)


def test_an_anniversary_of_ties_has_the_state_the_phrase_names_last_as_the_other_party() -> None:
    text = (
        "Chinese President Xi Jinping and the top leader of Mongolia on Sunday exchanged "
        "congratulations on the 75th anniversary of the establishment of China-Mongolia "
        "diplomatic relations."
    )
    found = claims_of(text, "Chinese President", "anniversary")
    assert found and name(found[0].object) == "Mongolia"
    text = "Laos marked the 50th anniversary of the founding of Laos on Monday."
    found = claims_of(text, "Laos marked", "anniversary")
    assert all(c.object is None or name(c.object) != name(c.subject) for c in found)


def test_arrived_here_is_a_visit_to_the_datelines_place() -> None:
    text = (
        "ULAN BATOR, Mongolia, March 6 (Xinhua) -- Li Qiang arrived here on Wednesday "
        "for an official visit."
    )
    found = claims_of(text, "Li Qiang arrived", "visit")
    assert found and name(found[0].object) == "Mongolia"
    assert found[0].date is not None and found[0].date.value == "2025-03-05"


def test_here_without_a_dateline_names_no_place() -> None:
    # A place named just before is not "here": only a dateline says where the story is told.
    text = "Li Qiang left Mongolia on Tuesday. He arrived here on Wednesday for an official visit."
    found = [c for c in extract(text, published=PUB) if "arrived here" in c.sentence]
    assert found
    assert all(c.object is None or name(c.object) != "Mongolia" for c in found)


def test_the_storys_day_is_the_day_of_the_act_reported_not_of_a_clause_about_another() -> None:
    text = (
        "HANOI, March 6 (Xinhua) -- Li Qiang arrived in Hanoi on Thursday, "
        "three days after he had met Wang Yi in Beijing on Monday.\n\n"
        "During the visit, Li will hold talks with To Lam."
    )
    assert dates_of(text, "During the visit") == ["2025-03-06"]
