"""Frames on fresh agency-style sentences: the general wording of visits, meetings,
quotes, figures and documents in KCNA/TASS/Xinhua/Rodong copy."""

from __future__ import annotations

import datetime

from claims.extraction import ExtractedClaim, Gazetteer, extract

PUB = datetime.date(2025, 3, 12)

GAZ = Gazetteer.from_records(
    [
        {
            "name": "Russia",
            "qid": "Q159",
            "kind": "state",
            "aliases": ["Russian Federation"],
            "demonym": ["Russian"],
        },
        {"name": "Mongolia", "qid": "Q711", "kind": "state", "demonym": ["Mongolian"]},
        {"name": "Laos", "qid": "Q819", "kind": "state", "demonym": ["Lao"]},
        {
            "name": "United States",
            "qid": "Q30",
            "kind": "state",
            "aliases": ["U.S.", "US"],
            "demonym": ["American"],
        },
        {"name": "Moscow", "qid": "Q649", "kind": "place", "country": "Q159"},
        {"name": "Ulaanbaatar", "qid": "Q23430", "kind": "place", "country": "Q711"},
        {"name": "Vientiane", "qid": "Q9326", "kind": "place", "country": "Q819"},
        {"name": "State Great Khural", "qid": "Q1055598", "kind": "org"},
        {
            "name": "Irina Volkova",
            "qid": "Q9000001",
            "kind": "person",
            "aliases": ["Volkova"],
            "titles": ["Russian foreign minister"],
            "country": "Q159",
        },
        {
            "name": "Batbayar Ganbold",
            "qid": "Q9000002",
            "kind": "person",
            "aliases": ["Ganbold"],
            "titles": ["Mongolian President"],
            "country": "Q711",
        },
        {
            "name": "Soulivong Keo",
            "qid": "Q9000003",
            "kind": "person",
            "aliases": ["Keo"],
            "titles": ["Lao Prime Minister"],
            "country": "Q819",
        },
        {
            "name": "Bounmy Phan",
            "qid": "Q9000004",
            "kind": "person",
            "aliases": ["Phan"],
            "country": "Q819",
        },
        {
            "name": "Chanthavy Sisouk",
            "qid": "Q9000005",
            "kind": "person",
            "aliases": ["Sisouk"],
            "country": "Q819",
        },
    ]
)


def claims(text: str) -> list[ExtractedClaim]:
    return extract(text, published=PUB, gazetteer=GAZ)


def kinds(text: str) -> list[tuple[str, str | None, str | None, str | None]]:
    return [
        (
            c.type,
            c.subject.name if c.subject else None,
            c.object.name if c.object else None,
            c.date.value if c.date else None,
        )
        for c in claims(text)
    ]


# --- 1. visit and meeting wording -------------------------------------------------------


def test_a_visit_in_progress_is_a_visit() -> None:
    text = (
        "Mongolian President Batbayar Ganbold is paying a state visit to Laos from March 10 "
        "to 12 at the invitation of the Lao side."
    )
    assert kinds(text) == [("visit", "Batbayar Ganbold", "Laos", "2025-03-10")]


def test_a_planned_trip_is_a_visit() -> None:
    assert kinds("Volkova will travel to Ulaanbaatar on March 20.")[0][:3] == (
        "visit",
        "Irina Volkova",
        "Mongolia",
    )
    assert kinds("Ganbold will pay an official visit to Russia in April.")[0][:3] == (
        "visit",
        "Batbayar Ganbold",
        "Russia",
    )


def test_wrapping_up_and_staying_are_visits() -> None:
    [(kind, subject, obj, _)] = kinds("Mongolian Trade Delegation Wraps Up Visit to Laos")
    assert (kind, obj) == ("visit", "Laos") and subject and "Delegation" in subject
    text = "The delegation stayed in Vientiane from March 3 to 7 at the invitation of the hosts."
    [(kind, subject, obj, date)] = kinds(text)
    assert (kind, obj, date) == ("visit", "Laos", "2025-03-03")


def test_returning_after_a_visit_is_a_visit_by_the_sentence_subject() -> None:
    text = (
        "The Mongolian trade delegation led by Ganbold left for home on Sunday after an "
        "official visit to Laos."
    )
    [(kind, subject, obj, _)] = kinds(text)
    assert (kind, obj) == ("visit", "Laos")
    assert subject and subject.startswith("Mongolian trade delegation")


def test_talks_with_a_counterpart_name_the_counterpart() -> None:
    text = "Volkova held talks with her Lao counterpart Bounmy Phan in Vientiane on March 5."
    assert kinds(text) == [("meeting", "Irina Volkova", "Bounmy Phan", "2025-03-05")]
    # A counterpart the gazetteer does not know is still the one met, not "Mongolia".
    text = "On Friday, Volkova held talks with her Mongolian counterpart Tsend Bold."
    assert kinds(text)[0][:3] == ("meeting", "Irina Volkova", "Tsend Bold")


def test_a_list_of_people_met_gives_one_meeting_each() -> None:
    text = "On March 6, Volkova met with Ganbold and Keo, and also held a conversation with Sisouk."
    got = [(k[0], k[1], k[2]) for k in kinds(text)]
    assert got == [
        ("meeting", "Irina Volkova", "Batbayar Ganbold"),
        ("meeting", "Irina Volkova", "Soulivong Keo"),
        ("meeting", "Irina Volkova", "Chanthavy Sisouk"),
    ]


def test_a_second_verb_shares_the_subject_of_the_first() -> None:
    text = (
        "Ganbold visited the trade fair in the Vientiane region in May last year and held talks "
        "with Keo there."
    )
    got = [(k[0], k[1], k[2]) for k in kinds(text)]
    assert ("meeting", "Batbayar Ganbold", "Soulivong Keo") in got
    text = "The Mongolian defence minister last visited Vientiane in May 2021, when he met Keo."
    got = [(k[0], k[1], k[2]) for k in kinds(text)]
    assert got == [
        ("visit", "Mongolian defence minister", "Laos"),
        ("meeting", "Mongolian defence minister", "Soulivong Keo"),
    ]


# --- 2 and 5. several facts in one sentence; what a figure measures ------------------------


def test_each_clause_with_a_figure_is_a_statistic_about_its_own_measure() -> None:
    text = (
        "According to Mongolian customs, freight traffic with Laos rose 12 percent in 2023 to "
        "1.8 billion U.S. dollars, while in the first quarter of this year it grew by another "
        "7 percent."
    )
    got = [(k[0], k[1], k[2], (k[3] or "")[:4]) for k in kinds(text)]
    assert got == [
        ("statistic", "freight traffic with Laos", None, "2023"),
        ("statistic", "freight traffic with Laos", None, "2025"),
    ]


def test_a_figure_inside_the_subject_phrase_measures_that_phrase() -> None:
    text = (
        "Last year, the copper plant raised its output by 2.5 times, and new schools for more "
        "than 4,000 students were built in the northern provinces."
    )
    subjects = [k[1] for k in kinds(text)]
    assert subjects == ["copper plant", "new schools for more than 4,000 students"]


def test_a_figure_in_a_quote_sentence_is_also_a_statistic() -> None:
    text = "Volkova said that trade between Russia and Laos grew 15 percent in 2024."
    got = kinds(text)
    assert ("statistic", "Russia", "Laos", "2024") in got
    assert got[0][:2] == ("quote", "Irina Volkova")


def test_two_acts_with_their_own_dates_are_two_events() -> None:
    text = (
        "Keo, who started work in the government on May 2, 1998, was appointed prime minister of "
        "Laos on April 9, 2021."
    )
    got = kinds(text)
    assert [(k[1], k[3]) for k in got] == [
        ("Soulivong Keo", "1998-05-02"),
        ("Soulivong Keo", "2021-04-09"),
    ]


# --- 3. no meeting with people the sentence does not name ----------------------------------


def test_a_sentence_after_the_talks_invents_no_meeting_from_earlier_names() -> None:
    text = (
        "Volkova met Ganbold in Ulaanbaatar on March 4. Keo is expected in Moscow next week.\n"
        "Following the talks, the two ministers adopted a plan of consultations.\n"
        "The talks, held in a narrow format, took place in a friendly atmosphere."
    )
    meetings = [c for c in claims(text) if c.type == "meeting"]
    assert [(c.subject and c.subject.name, c.object and c.object.name) for c in meetings] == [
        ("Irina Volkova", "Batbayar Ganbold")
    ]


def test_a_sentence_at_the_talks_takes_the_sides_named_before() -> None:
    text = (
        "Volkova met Keo in Vientiane on March 4.\n"
        "At the talks, the sides agreed to open a consulate in Luang Prabang."
    )
    last = claims(text)[-1]
    assert last.type == "meeting"
    assert {last.subject and last.subject.name, last.object and last.object.name} == {
        "Irina Volkova",
        "Soulivong Keo",
    }


def test_a_known_and_an_unsettled_name_holding_talks_are_the_two_sides() -> None:
    [(kind, subject, obj, _)] = kinds("Ganbold and Vongsa held talks in Vientiane.")
    assert (kind, subject, obj) == ("meeting", "Batbayar Ganbold", "Vongsa")


# --- 4. quote cues ---------------------------------------------------------------------------


def test_recalled_and_according_to_a_person_are_quotes() -> None:
    text = "Speaking at the banquet, Keo recalled that Ganbold visited Laos in 1999."
    assert ("quote", "Soulivong Keo") in [k[:2] for k in kinds(text)]
    text = "According to Volkova, freight traffic with Laos rose 9 percent in 2024."
    assert [k[:2] for k in kinds(text)] == [
        ("quote", "Irina Volkova"),
        ("statistic", "freight traffic with Laos"),
    ]
    # A source that is no person is not a speaker.
    text = "According to Russia, freight traffic with Laos rose 9 percent in 2024."
    assert [k[0] for k in kinds(text)] == ["statistic"]


def test_a_pronoun_speaker_is_the_person_named_last() -> None:
    text = (
        "Ganbold thanked Laos for the invitation.\n"
        "In his words, Mongolia will buy more electricity from Laos.\n"
        'He also said: "Keo is a good friend of our country."'
    )
    quotes = [c for c in claims(text) if c.type == "quote"]
    assert [(c.subject and c.subject.name, c.object and c.object.name) for c in quotes] == [
        ("Batbayar Ganbold", "Laos"),
        ("Batbayar Ganbold", "Laos"),
        ("Batbayar Ganbold", "Soulivong Keo"),
    ]


def test_a_quotation_before_the_verb_speaks_of_what_it_names() -> None:
    text = '"Laos is our reliable partner in Southeast Asia," Volkova told reporters.'
    assert kinds(text)[0][:3] == ("quote", "Irina Volkova", "Laos")


# --- 6. documents --------------------------------------------------------------------------


def test_lower_case_and_counted_documents_are_documents() -> None:
    text = (
        "Ganbold and Keo adopted a joint statement on expanding transit cooperation, and "
        "ministers signed 7 interministerial documents."
    )
    docs = [k[1] for k in kinds(text) if k[0] == "treaty_document"]
    assert docs == [
        "joint statement on expanding transit cooperation",
        "interministerial documents",
    ]


def test_a_numbered_resolution_and_the_treaty_referred_back_are_documents() -> None:
    text = "Laos supported Security Council resolution 2417 adopted in May 2018."
    assert ("treaty_document", "Security Council resolution 2417") in [k[:2] for k in kinds(text)]
    text = "The Mongolian parliament ratified the treaty in February."
    assert kinds(text)[0][:2] == ("treaty_document", "treaty")


def test_norms_of_a_charter_and_an_anniversary_in_a_title_are_no_claims_of_their_own() -> None:
    text = "Volkova stressed respect for the purposes and principles of the UN Charter."
    assert [k[0] for k in kinds(text)] == ["quote"]
    text = (
        "Ganbold and Keo signed the Joint Declaration on Partnership in the Context of the "
        "30th Anniversary of Diplomatic Relations."
    )
    assert [k[0] for k in kinds(text)] == ["treaty_document"]


# --- 7. anniversaries --------------------------------------------------------------------


def test_an_anniversary_takes_the_original_date_the_sentence_gives() -> None:
    text = (
        "This year Laos and Mongolia mark the 70th anniversary of diplomatic relations, which "
        "were established on March 8, 1955."
    )
    [anniv] = [c for c in claims(text) if c.type == "anniversary"]
    assert anniv.date is not None and anniv.date.value == "1955-03-08"
    text = (
        "Next year the two countries will celebrate the 30th anniversary of the border "
        "treaty, which was signed on July 4, 1996."
    )
    [anniv] = [c for c in claims(text) if c.type == "anniversary"]
    assert anniv.date is not None and anniv.date.value == "1996-07-04"


def test_next_years_anniversary_counts_from_next_year() -> None:
    text = "Next year the two countries will celebrate the 40th anniversary of the border treaty."
    [anniv] = [c for c in claims(text) if c.type == "anniversary"]
    assert anniv.date is not None and anniv.date.value == "1986"


# --- more wording of state media ------------------------------------------------------------


def test_a_named_gathering_held_on_a_date_is_the_subject() -> None:
    text = (
        "The Second Plenary Meeting of the Ninth Central Committee held from June 3 to 5, 2024 "
        "discussed the harvest."
    )
    [(kind, subject, _, date)] = kinds(text)
    assert (kind, subject, date) == (
        "date_event",
        "Second Plenary Meeting of the Ninth Central Committee",
        "2024-06-03",
    )


def test_hosting_a_reception_for_someone_is_a_meeting() -> None:
    text = "Volkova hosted a dinner in honour of the Lao delegation on March 3."
    [(kind, subject, obj, _)] = kinds(text)
    assert (kind, subject) == ("meeting", "Irina Volkova") and obj and "delegation" in obj
    text = "Keo held a grand welcome ceremony for Ganbold at the airport."
    assert kinds(text)[0][:3] == ("meeting", "Soulivong Keo", "Batbayar Ganbold")


def test_a_summit_recalled_inside_a_quotation_takes_no_sides_from_context() -> None:
    text = (
        "Volkova met Keo in Vientiane on March 4.\n"
        'Keo said: "The first summit talks between the top leaders of the two countries held '
        'in 2019 opened a new chapter."'
    )
    meetings = [c for c in claims(text) if c.type == "meeting"]
    assert [c.sentence for c in meetings] == ["Volkova met Keo in Vientiane on March 4."]


def test_an_organisation_after_of_the_is_no_subject() -> None:
    text = (
        "A Lao trade delegation led by Phan, deputy chairman of a committee of the State "
        "Great Khural, visited Ulaanbaatar."
    )
    [(kind, subject, obj, _)] = kinds(text)
    assert (kind, obj) == ("visit", "Mongolia")
    assert subject and subject.startswith("Lao trade delegation")


def test_a_headline_pairing_two_names_with_a_comma_is_a_meeting() -> None:
    text = "Ganbold, Ta Vongsa hold talks in Vientiane, sign transit deal"
    (kind, subject, obj, _) = kinds(text)[0]
    assert (kind, subject) == ("meeting", "Batbayar Ganbold") and obj and obj.endswith("Vongsa")


def test_an_undated_act_of_nobody_known_is_not_check_worthy() -> None:
    text = "The consultations, held behind closed doors, took place in a businesslike mood."
    assert claims(text) == []


def test_a_dated_decision_is_an_event() -> None:
    text = "The State Great Khural at its session on March 2 decided to hold elections in June."
    [(kind, subject, _, date)] = kinds(text)
    assert (kind, subject, date) == ("date_event", "State Great Khural", "2025-03-02")


# --- round 2: what a quotation reports --------------------------------------------------------


def test_a_dated_fact_inside_reported_speech_is_its_own_claim() -> None:
    text = (
        "Volkova recalled that Russia and Mongolia established diplomatic relations on "
        "November 5, 1921, and that the ties have grown ever since."
    )
    found = kinds(text)
    # A fact of an earlier year than the article is history.
    assert ("historical_event", "Russia", "Mongolia", "1921-11-05") in found
    # The quote itself is not dated by the fact it reports.
    assert ("quote", "Irina Volkova") in [(k, s) for k, s, _, _ in found]
    assert [d for k, _, _, d in found if k == "quote"] == [None]


def test_a_dated_relative_clause_inside_reported_speech_is_its_own_claim() -> None:
    text = (
        "Ganbold said Mongolia, which takes over the chairmanship of the State Great Khural "
        "forum on January 1, 2026, counts on Laos."
    )
    events = [(s, d) for k, s, _, d in kinds(text) if k != "quote"]
    assert events == [("Mongolia", "2026-01-01")]
    text = (
        "Keo noted that the Lao volunteers crossed the Mekong River in May 1946 to join the "
        "resistance."
    )
    found = kinds(text)
    assert [(s, d) for k, s, _, d in found if k != "quote"] == [("Lao volunteers", "1946-05")]
    assert [d for k, _, _, d in found if k == "quote"] == [None]


def test_a_figure_attributed_after_it_is_a_statistic_alone() -> None:
    # The attribution after the figure only sources it; "X said that <figure>" and
    # "According to X, <figure>" stay quotes as well (see the tests above).
    for text in (
        '"Our exports to Laos grew by 12 percent to 3.1 billion U.S. dollars," Volkova said.',
        "Last year, the plant overfulfilled its annual plan by 6 percent, Keo noted.",
    ):
        assert [k for k, _, _, _ in kinds(text)] == ["statistic"], text
    # Words beside the figure keep the quotation.
    text = "Volkova said that Russia supports Laos."
    assert [k for k, _, _, _ in kinds(text)] == ["quote"]


# --- round 2: more wording of exchanges, inspections and talks ---------------------------------


def test_an_exchange_of_messages_is_an_act_of_both_sides() -> None:
    # A date_event of the two sides (subject and object), also undated in a headline.
    text = (
        "Ganbold, chairman of the ruling party of Mongolia, and Keo, prime minister of Laos, "
        "exchanged messages of greeting on March 1 on the occasion of the border treaty's "
        "anniversary."
    )
    assert ("date_event", "Batbayar Ganbold", "Soulivong Keo", "2025-03-01") in kinds(text)
    text = "Keo exchanged congratulatory letters with Ganbold on Monday."
    assert kinds(text) == [("date_event", "Soulivong Keo", "Batbayar Ganbold", "2025-03-10")]
    assert kinds("Ganbold and Keo Exchange New Year Greetings") == [
        ("date_event", "Batbayar Ganbold", "Soulivong Keo", None)
    ]


def test_an_inspection_is_a_visit_to_the_place_inspected() -> None:
    text = "Keo inspected the Vientiane Cement Factory in Vientiane."
    assert kinds(text)[0][:3] == ("visit", "Soulivong Keo", "Vientiane Cement Factory")
    text = "Lao Prime Minister Keo Inspects Nam Ngum Power Station"
    assert kinds(text)[0][:3] == ("visit", "Soulivong Keo", "Nam Ngum Power Station")
    text = "Keo gave on-the-spot guidance at the Nam Ngum Power Station on March 3."
    assert kinds(text) == [("visit", "Soulivong Keo", "Nam Ngum Power Station", "2025-03-03")]


def test_a_reception_given_without_a_host_named_is_an_event_at_its_venue() -> None:
    text = "A banquet was given at the Mongolian Embassy in Vientiane on Saturday to mark the day."
    [(kind, subject, _, date)] = kinds(text)
    assert (kind, date) == ("date_event", "2025-03-08")
    assert subject and subject.endswith("Embassy")


def test_talks_with_a_titled_name_the_gazetteer_lacks_are_a_meeting() -> None:
    text = (
        "On Friday, Ganbold held talks with First Deputy Premier and Energy Minister Oyun "
        "Tserendorj, and the two sides signed an accord."
    )
    (kind, subject, obj, _) = kinds(text)[0]
    assert (kind, subject) == ("meeting", "Batbayar Ganbold") and obj
    assert obj.endswith("Oyun Tserendorj")
    text = (
        "Trade is growing, Volkova told reporters following talks with Lao Planning Minister "
        "Khamla Vong on Monday."
    )
    meetings = [k for k in kinds(text) if k[0] == "meeting"]
    assert len(meetings) == 1 and meetings[0][1] == "Irina Volkova"
    assert meetings[0][2] and meetings[0][2].endswith("Khamla Vong")


def test_rounds_of_summit_talks_between_the_two_leaders_are_a_meeting() -> None:
    text = (
        "Ganbold met Keo in Ulaanbaatar on March 2.\n"
        "The top leaders of the two countries held three rounds of summit talks in two years: "
        "Keo visited Mongolia twice."
    )
    second = [c for c in claims(text) if c.sentence.startswith("The top leaders")]
    meetings = [c for c in second if c.type == "meeting"]
    assert len(meetings) == 1
    assert {meetings[0].subject.name, meetings[0].object.name} == {  # type: ignore[union-attr]
        "Batbayar Ganbold",
        "Soulivong Keo",
    }
    assert [c.type for c in second if c.type == "visit"] == ["visit"]


# --- round 2: documents named in lower case -----------------------------------------------------


def docs(text: str) -> list[tuple[str | None, str | None, str | None]]:
    return [
        (
            c.subject.name if c.subject else None,
            c.object.name if c.object else None,
            c.date.value if c.date else None,
        )
        for c in claims(text)
        if c.type == "treaty_document"
    ]


def test_the_treaty_was_signed_is_a_document_with_the_other_party() -> None:
    text = (
        "The agreement was signed in Ulaanbaatar on May 3, 1996 by Keo and a minister of Mongolia."
    )
    [(kind, subject, obj, date)] = kinds(text)
    assert (kind, subject, obj, date) == ("treaty_document", "agreement", "Mongolia", "1996-05-03")


def test_a_signed_plan_or_documents_on_a_project_are_documents() -> None:
    assert docs("Russia, Laos sign roadmap of energy cooperation for 2026-2030") == [
        ("roadmap of energy cooperation", "Laos", None)
    ]
    text = "The ministers signed a plan of consultations between the two ministries for 2026."
    assert [s for s, _, _ in docs(text)] == ["plan of consultations"]
    text = (
        "On Monday, Keo held talks with Volkova, and the two sides signed documents on the "
        "construction of a new bridge."
    )
    assert docs(text) == [("documents on the construction of a new bridge", None, "2025-03-10")]


def test_a_document_signed_during_a_visit_takes_the_visit_date_and_host() -> None:
    text = (
        "The Joint Declaration on Friendship, signed during Ganbold's first visit to Laos in "
        "May 2009, remains in force."
    )
    assert docs(text) == [("Joint Declaration on Friendship", "Laos", "2009-05")]
    text = (
        "Volkova also mentioned the Northern Rail Corridor, agreed upon during Ganbold's "
        "visit to Moscow in June 2019."
    )
    assert [(s, d) for s, _, d in docs(text)] == [("Northern Rail Corridor", "2019-06")]


# --- round 2: a date inside a relative clause --------------------------------------------------


def test_a_date_in_a_relative_clause_dates_that_clause_only() -> None:
    text = (
        "Ganbold visited the Sukhbaatar Monument in Ulaanbaatar, erected in 1946 in honour of "
        "the revolution."
    )
    found = kinds(text)
    [visit] = [k for k in found if k[0] == "visit"]
    assert visit[1] == "Batbayar Ganbold" and visit[3] is None
    # A landmark the gazetteer lacks, named right after the verb, is what was visited.
    assert visit[2] and visit[2].startswith("Sukhbaatar Monument")
    [(kind, subject, _, date)] = [k for k in found if k[0] != "visit"]
    assert kind == "historical_event" and subject and "Sukhbaatar Monument" in subject
    assert date == "1946"
    text = "Keo met Volkova at the Lao Friendship Hall, which opened in 1995."
    found = kinds(text)
    assert ("meeting", "Soulivong Keo", "Irina Volkova", None) in found
    assert [(s, d) for k, s, _, d in found if k != "meeting"] == [("Lao Friendship Hall", "1995")]


# --- round 2: numbered gatherings and targets ----------------------------------------------------


def test_a_numbered_gathering_with_its_dates_is_an_event_and_a_target_no_statistic() -> None:
    text = (
        "Noting that the enlarged 3rd Plenary Meeting of the 9th Central Committee, held from "
        "February 2 to 4, set new goals, Keo stressed the need to raise the output of cement to "
        "90 percent in the second half of the year."
    )
    found = kinds(text)
    assert (
        "date_event",
        "3rd Plenary Meeting of the 9th Central Committee",
        None,
        "2025-02-02",
    ) in found
    assert "statistic" not in [k for k, _, _, _ in found]
    assert "quote" in [k for k, _, _, _ in found]
    text = (
        "Keo said that this year is decisive for the plan adopted at the Fifth Congress of the "
        "Party in January 2021."
    )
    assert ("date_event", "Fifth Congress of the Party", None, "2021-01") in kinds(text)


def test_a_figure_measures_the_phrase_before_its_own_verb() -> None:
    text = (
        "Being briefed on the work, he was pleased to learn that the factory had carried out "
        "its plan for the first quarter at 104.5 percent."
    )
    [(kind, subject, _, _)] = [k for k in kinds("Keo arrived.\n" + text) if k[0] == "statistic"]
    assert (kind, subject) == ("statistic", "factory")
    text = "Last year, the factory overfulfilled its annual cement production plan by 7 percent."
    assert kinds(text)[0][:2] == ("statistic", "factory")


def test_a_second_figure_after_and_increased_measures_its_object() -> None:
    text = (
        "The factory carried out its plan at 104.5 percent and increased the output of cement "
        "1.4 times compared with last year."
    )
    stats = [(k, s, d) for k, s, _, d in kinds(text) if k == "statistic"]
    assert stats == [("statistic", "factory", None), ("statistic", "output of cement", None)]
    # The year compared with is the baseline, not the figure's date.
    text = text.replace("its plan", "its plan for this year").replace("last year", "2023")
    assert [d for k, _, _, d in kinds(text) if k == "statistic"] == ["2025", "2025"]


# --- round 2: what a quote speaks about -------------------------------------------------------


def test_a_quote_speaks_about_the_words_it_attributes() -> None:
    # The attribution after the words: the object is named in the words before it.
    text = "Russia firmly backs Mongolia's bid for a seat on the council, Volkova stressed."
    assert kinds(text) == [("quote", "Irina Volkova", "Mongolia", None)]
    # A city spoken about stands for its state.
    text = "According to Ganbold, Ulaanbaatar and Vientiane share views on most issues."
    assert kinds(text)[0][:3] == ("quote", "Batbayar Ganbold", "Laos")
    # With nobody named, the object is the subject of the reported words.
    text = '"The builders of the dam have shown what our people can do," Keo said.'
    assert kinds(text)[0][:3] == ("quote", "Soulivong Keo", "builders of the dam")
    text = "Keo expressed the expectation that the miners of the region would set a new record."
    assert kinds(text)[0][:3] == ("quote", "Soulivong Keo", "miners of the region")
    text = "Keo stressed the need to raise the output of rice."
    assert kinds(text)[0][:3] == ("quote", "Soulivong Keo", None)


def test_a_summit_to_be_held_in_a_city_in_a_month_is_an_event() -> None:
    text = (
        "Volkova said Russia counts on Laos at the ASEAN summit to be held in Vientiane in "
        "October 2025."
    )
    found = kinds(text)
    assert ("date_event", "ASEAN summit", None, "2025-10") in found
    assert [k for k, _, _, _ in found] == ["quote", "date_event"]


def test_being_accompanied_by_an_official_is_an_act_of_the_companion() -> None:
    text = "Keo toured the port.\nHe was accompanied by Phan, minister of planning."
    second = [c for c in claims(text) if c.sentence.startswith("He was")]
    assert [(c.type, c.subject.name, c.object.name) for c in second] == [  # type: ignore[union-attr]
        ("other", "Bounmy Phan", "Soulivong Keo")
    ]


def test_a_record_is_a_statistic_and_a_quote_with_more_to_say_stays() -> None:
    text = (
        "Trade between Russia and Laos has reached a new record this year, and the two "
        "countries will keep building roads, Volkova said."
    )
    found = kinds(text)
    assert ("statistic", "Russia", "Laos", "2025") in found
    assert ("quote", "Irina Volkova") in [k[:2] for k in found]
    text = (
        '"Our exports to Laos grew 9 percent in January-May, and we expect the figure for the '
        'year to be higher," Volkova said.'
    )
    assert [k for k, _, _, _ in kinds(text)] == ["statistic"]
