"""Who is meant and when: rules that must hold for any agency article, shown on
made-up sentences (none taken from the dev or held-out articles)."""

from __future__ import annotations

import datetime

from claims.extraction import DateValue, EntityRef, extract, load_gazetteer, split_sentences
from claims.extraction.dates import find_dates
from claims.extraction.entities import Discourse, Mention, find_mentions
from claims.extraction.pipeline import resolve_pronouns
from claims.extraction.text import tokenize


def mentions(text: str) -> list[list[Mention]]:
    """Mentions per sentence, read in order with one discourse for the article."""
    gaz, ctx = load_gazetteer(), Discourse()
    return [
        find_mentions(tokenize(s.text, s.start), gaz, ctx, s.text, s.start, s.kind != "body")
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


def test_things_named_after_offices_are_not_people() -> None:
    [sent] = names("Kim Jong Un watched the Premier League final at the President Hotel.")
    assert [kind for _, _, kind in sent].count("person") == 1


def test_a_title_word_inside_a_name_is_not_its_holder() -> None:
    _, second = names(
        "Kim Jong Il toured a farm.\nThe Moscow General Staff Academy held a ceremony."
    )
    assert all(kind != "person" for _, _, kind in second)


def test_a_known_person_after_a_long_office_keeps_the_gazetteer_link() -> None:
    [sent] = names(
        "Chairman of the Standing Committee of the Supreme People's Assembly "
        "Zhao Leji arrived in Havana."
    )
    assert sent[0] == ("Zhao Leji", None, "person")
    assert [name for name, _, _ in sent] == ["Zhao Leji", "Havana"]


def test_an_office_of_another_country_is_not_the_home_leader() -> None:
    _, second = names(
        "Kim Jong Un toured a farm.\nThe General Secretary of the Communist Party of Cuba spoke."
    )
    assert all(qid != "Q56226" for _, qid, _ in second)


def test_former_and_acting_officers_are_recognised() -> None:
    [sent] = names("Former President Ri Chol Man and acting Premier Han Song Do attended.")
    assert [(n, k) for n, _, k in sent] == [("Ri Chol Man", "person"), ("Han Song Do", "person")]


def test_a_short_all_capitalised_body_sentence_is_not_a_headline() -> None:
    [sent] = names("Crown Prince Mohammed bin Salman met Putin.")
    assert sent[0] == ("Mohammed", None, "person")


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


def test_a_chain_of_titles_after_a_person_is_dropped_as_a_whole() -> None:
    [sent] = names(
        "Kim Jong Un, president of the State Affairs of the DPRK, chairman of the "
        "Central Military Commission of the WPK and commander of the armed forces of "
        "the DPRK, toured Cuba."
    )
    assert [qid for _, qid, _ in sent] == ["Q56226", "Q241"]


# --- when ---------------------------------------------------------------------

PUB = datetime.date(2022, 5, 18)


def dated(text: str, previous_day: DateValue | None = None) -> list[tuple[str, str, str]]:
    return [
        (text[d.start : d.end], d.value.value, d.value.precision)
        for d in find_dates(text, PUB, previous_day=previous_day)
    ]


def test_a_month_with_last_this_or_next_year_keeps_month_precision() -> None:
    assert dated("The plant opened in February last year.") == [
        ("February last year", "2021-02", "month")
    ]
    assert dated("Talks resumed in April this year.") == [("April this year", "2022-04", "month")]
    assert dated("A summit is planned for October of next year.") == [
        ("October of next year", "2023-10", "month")
    ]


def test_next_year_and_next_month_look_forward() -> None:
    assert dated("Next year the bridge opens.") == [("Next year", "2023", "year")]
    assert dated("The fair opens next month.") == [("next month", "2022-06", "month")]


def test_the_same_day_is_the_last_day_named_before_it() -> None:
    assert dated("They met on May 3 and signed a protocol the same day.") == [
        ("May 3", "2022-05-03", "day"),
        ("the same day", "2022-05-03", "day"),
    ]
    earlier = DateValue("2022-05-09", "day", datetime.date(2022, 5, 9), datetime.date(2022, 5, 9))
    assert dated("A banquet followed the same day.", earlier) == [
        ("the same day", "2022-05-09", "day")
    ]
    assert dated("A banquet followed the same day.") == []


def test_the_same_day_in_an_article_follows_the_previous_dated_sentence() -> None:
    claims = extract(
        "Sergey Lavrov held talks with Kim Jong Un in Pyongyang on May 9, 2022.\n"
        "Lavrov visited the Mangyongdae Schoolchildren's Palace the same day.",
        published=PUB,
    )
    visit = next(c for c in claims if c.sentence.startswith("Lavrov visited"))
    assert visit.date is not None and visit.date.value == "2022-05-09"


def test_a_weekday_in_a_clause_about_the_future_looks_forward() -> None:
    # PUB is a Wednesday
    assert dated("The delegation will fly to Minsk on Monday.") == [
        ("on Monday", "2022-05-23", "day")
    ]
    assert dated("Lavrov said on Monday that talks will resume.") == [
        ("on Monday", "2022-05-16", "day")
    ]


def test_a_bare_month_takes_the_sentences_year_or_the_nearest_sensible_one() -> None:
    assert dated("Laos hosts the forum in November as chair this year.") == [
        ("in November", "2022-11", "month"),
        ("this year", "2022", "year"),
    ]
    assert dated("The railway opened in September.") == [("in September", "2021-09", "month")]
    assert dated("The railway opened in April.") == [("in April", "2022-04", "month")]
    assert dated("A new line will open in February.") == [("in February", "2023-02", "month")]
    assert dated("Exports rose in January-March of this year.")[0][1] != "2022-01"


# --- pronouns -----------------------------------------------------------------


def test_a_sentence_opening_pronoun_is_the_previous_sentences_first_person() -> None:
    claims = extract(
        "Wang Yi arrived in Havana on Monday at the head of a Chinese delegation.\n"
        'He said: "Our cooperation with Cuba will grow."',
        published=PUB,
    )
    quote = next(c for c in claims if c.type == "quote")
    assert quote.subject is not None and quote.subject.name == "Wang Yi"


def test_a_pronoun_after_one_named_person_is_that_person() -> None:
    text = "Putin's first visit to India took place in 2000, and in 2004 he visited Delhi again."
    [mentions_] = [
        resolve_pronouns(s.text, s.start, toks, find_mentions(toks, gaz, ctx), ctx)
        for gaz, ctx in [(load_gazetteer(), Discourse())]
        for s in split_sentences(text)
        for toks in [tokenize(s.text, s.start)]
    ]
    pronoun = next(m for m in mentions_ if m.via == "pronoun")
    assert text[pronoun.start : pronoun.end] == "he" and pronoun.ref.qid == "Q7747"


def test_an_unclear_pronoun_is_left_alone() -> None:
    text = "Putin and Xi met in Beijing, where officials said they signed deals he praised."
    gaz, ctx = load_gazetteer(), Discourse()
    [sent] = split_sentences(text)
    toks = tokenize(sent.text, sent.start)
    found = resolve_pronouns(sent.text, sent.start, toks, find_mentions(toks, gaz, ctx), ctx)
    assert all(m.via != "pronoun" for m in found)


# --- gazetteer ----------------------------------------------------------------


def test_well_known_leaders_are_linked_with_their_country() -> None:
    [sent] = mentions("Sergey Lavrov and Erdogan spoke after Turkish President Erdogan met Modi.")
    assert [m.ref.qid for m in sent] == ["Q62003", "Q39259", "Q39259", "Q1058"]
    assert sent[0].entry is not None and sent[0].entry.country == "Q159"
    assert sent[1].entry is not None and sent[1].entry.country == "Q43"


def test_a_place_or_body_named_of_the_something_is_one_mention_of_its_heads_kind() -> None:
    [sent] = names("Wreaths were laid at the Monument of the Fallen Sailors near the harbour.")
    assert sent == [("Monument of the Fallen Sailors", None, "place")]
    [sent] = names("Officials of the Ministry of Railways met in Hanoi.")
    assert sent[0] == ("Ministry of Railways", None, "org")


def test_the_title_of_an_unknown_delegation_leader_does_not_compete() -> None:
    [sent] = names(
        "A Lao delegation led by Somsak Vongsa, vice-chairman of the Standing Committee "
        "of the National Assembly, arrived in Pyongyang."
    )
    assert [name for name, _, _ in sent] == ["Somsak Vongsa", "Pyongyang"]


def test_a_person_introduced_by_office_is_known_by_full_name_later() -> None:
    _, second = names(
        "Cuban President Luis Ortega Diaz arrived in Pyongyang.\n"
        "Luis Ortega Diaz said the visit would strengthen ties."
    )
    assert second[0] == ("Luis Ortega Diaz", None, "person")


def test_a_headline_knows_the_people_its_lead_introduces_by_office() -> None:
    text = (
        "Putin, Ana Lopes Vieira hold talks in Moscow\n\n"
        "MOSCOW, March 3. /TASS/. Russian President Vladimir Putin and Cuban Prime Minister "
        "Ana Lopes Vieira held talks in Moscow on Tuesday.\n"
    )
    headline = extract(text, published=PUB)[0]
    assert headline.sentence.startswith("Putin, Ana")
    assert headline.object == EntityRef("Ana Lopes Vieira", None, "person")


# --- ranges of days and months ------------------------------------------------


def test_a_day_range_takes_the_year_written_after_it_and_starts_on_its_first_day() -> None:
    text = "Talks were held in May 2016, and the premier toured Hue from March 4 to 6, 2018."
    assert dated(text)[-1] == ("March 4 to 6, 2018", "2018-03-04", "day")
    assert dated("The forum met on April 8-9, 2015.") == [("April 8-9, 2015", "2015-04-08", "day")]
    assert dated("It sat from 14 to 16 October 2013.") == [
        ("14 to 16 October 2013", "2013-10-14", "day")
    ]
    [(_, value)] = [(d.value.start, d.value.end) for d in find_dates("on 3-5 July 2011", PUB)]
    assert value == datetime.date(2011, 7, 5)  # the range's last day is kept as its end


def test_a_day_range_across_months_is_one_date() -> None:
    assert dated("The fair ran from August 30 to September 2, 2017.") == [
        ("August 30 to September 2, 2017", "2017-08-30", "day")
    ]
    assert dated("The fair ran from April 29 to May 2.") == [
        ("April 29 to May 2", "2022-04-29", "day")
    ]


def test_a_dated_range_is_one_visit() -> None:
    claims = extract(
        "Putin went to Vietnam in November 2013, and Xi Jinping paid a state visit to "
        "Laos from November 13 to 14, 2017.",
        published=PUB,
    )
    visits = [c for c in claims if c.type == "visit" and c.subject and c.subject.qid == "Q15031"]
    assert [c.date.value if c.date else None for c in visits] == ["2017-11-13"]


def test_a_month_range_is_a_part_of_one_year() -> None:
    # PUB is 18 May 2022
    assert dated("Exports in January-April grew by 9 percent.") == [
        ("January-April", "2022", "year")
    ]
    assert dated("Exports in January-September grew by 9 percent.") == [
        ("January-September", "2021", "year")
    ]
    later = dated("In 2020 exports fell, and in February-March of this year they rose.")[-1]
    assert later == ("February-March of this year", "2022", "year")
    assert dated("Imports in January-June 2019 fell.") == [("January-June 2019", "2019", "year")]
    [found] = find_dates("Imports in March to May 2019 fell.", PUB)
    assert (found.value.start, found.value.end) == (
        datetime.date(2019, 3, 1),
        datetime.date(2019, 5, 31),
    )


# --- who "he" is ----------------------------------------------------------------


def pronouns(text: str) -> list[tuple[str, str]]:
    """Each resolved "he"/"she" of an article, read in order, as (sentence opening, name)."""
    gaz, ctx = load_gazetteer(), Discourse()
    out = []
    for s in split_sentences(text):
        toks = tokenize(s.text, s.start)
        found = find_mentions(toks, gaz, ctx, s.text, s.start)
        found = resolve_pronouns(s.text, s.start, toks, found, ctx)
        out += [(s.text[:12], m.ref.name) for m in found if m.via == "pronoun"]
    return out


def test_he_is_the_main_actor_not_a_leader_named_in_a_relative_clause() -> None:
    text = (
        "Kim Jong Un, general secretary of the WPK, visited the Hwanghae Iron Works.\n"
        "He was met there by Ri Chol Man, manager of the works.\n"
        "The works were rebuilt in 1958, when Kim Il Sung gave guidance there.\n"
        "Looking round the rolling shop, he praised the workers.\n"
        "He said the plan for this year had been carried out."
    )
    assert pronouns(text) == [
        ("He was met t", "Kim Jong Un"),
        ("Looking roun", "Kim Jong Un"),
        ("He said the ", "Kim Jong Un"),
    ]


def test_a_leader_named_in_a_prepositional_phrase_or_genitive_is_not_he() -> None:
    text = (
        "Kim Jong Un toured a new hospital in Kangdong County.\n"
        "Carrying out the teachings of Kim Il Sung, he said, the staff had finished it early.\n"
        "Recalling Kim Jong Il's wishes for the county, he thanked the builders."
    )
    assert [name for _, name in pronouns(text)] == ["Kim Jong Un", "Kim Jong Un"]


def test_he_after_a_quotation_is_the_speaker_not_a_name_inside_it() -> None:
    text = (
        "Sergey Lavrov spoke to reporters in Moscow on Friday.\n"
        '"The visit of President Vladimir Putin to Hanoi opened a new chapter," he said.'
    )
    assert pronouns(text) == [('"The visit o', "Sergey Lavrov")]
    claims = extract(text, published=PUB)
    quote = next(c for c in claims if c.type == "quote")
    assert quote.subject is not None and quote.subject.qid == "Q62003"


def test_the_previous_sentences_subject_still_wins_over_the_articles_main_actor() -> None:
    text = (
        "Vladimir Putin met Xi Jinping in Beijing.\n"
        "Putin praised the talks.\n"
        "Xi Jinping later visited a school.\n"
        "He spoke with pupils there."
    )
    assert pronouns(text) == [("He spoke wit", "Xi Jinping")]


# --- offices with a portfolio, surnames, unnamed office holders ---------------


def test_an_office_with_a_portfolio_before_it_introduces_the_person() -> None:
    [sent] = mentions(
        "Indian Commerce and Industry Minister Rahul Verma and Russian Deputy Prime Minister "
        "and Energy Minister Pavel Orlov opened the fair."
    )
    people = [(m.ref.name, m.entry.country if m.entry else None) for m in sent]
    assert people == [("Rahul Verma", "Q668"), ("Pavel Orlov", "Q159")]


def test_a_second_mention_by_nationality_finds_an_office_with_a_portfolio() -> None:
    _, second = names(
        "Lavrov met Indian External Affairs Minister Rahul Verma in Moscow.\n"
        "On Monday, the Indian minister visited Kazan."
    )
    assert second[0] == ("Rahul Verma", None, "person")


def test_a_surname_alone_is_the_person_the_article_introduced_in_full() -> None:
    _, second, third = names(
        "Cuban Foreign Minister Mauro Vieira Lima arrived in Hanoi.\n"
        "Lima said the visit would deepen trade.\n"
        "Earlier, Minister Lima's deputy toured the port."
    )
    assert second[0] == ("Mauro Vieira Lima", None, "person")
    assert third[0] == ("Mauro Vieira Lima", None, "person")


def test_a_surname_shared_by_two_people_of_the_article_stays_unlinked() -> None:
    *_, third = names(
        "Cuban Foreign Minister Mauro Vieira Lima arrived in Hanoi.\n"
        "Brazilian President Ana Costa Lima sent greetings.\n"
        "Lima said the visit would deepen trade."
    )
    assert all(kind != "person" for _, _, kind in third)


def test_an_unnamed_office_holder_of_a_country_is_a_person_without_a_qid() -> None:
    [sent] = mentions("At the reception, the Chinese ambassador to Laos said ties were strong.")
    assert (sent[0].ref.name, sent[0].ref.kind) == ("Chinese ambassador to Laos", "person")
    assert sent[0].entry is not None and sent[0].entry.country == "Q148"
    [sent] = mentions("A spokesman for the DPRK Foreign Ministry said the drills were a threat.")
    assert sent[0].ref == EntityRef("spokesman for the DPRK Foreign Ministry", None, "person")
    assert sent[0].entry is not None and sent[0].entry.country == "Q423"


def test_an_unnamed_office_holder_is_the_speaker_of_a_quote() -> None:
    claims = extract(
        'A spokesman for the DPRK Foreign Ministry said: "The drills are a threat to peace."',
        published=PUB,
    )
    quote = next(c for c in claims if c.type == "quote")
    assert quote.subject is not None and "DPRK Foreign Ministry" in quote.subject.name


def test_an_office_without_country_or_body_names_no_one_new() -> None:
    [sent] = names("The ambassador said the president of the club was pleased.")
    assert all(kind != "person" for _, _, kind in sent)


# --- capitals standing for their states -----------------------------------------


def test_two_capitals_acting_together_are_their_states() -> None:
    [sent] = names("Hanoi and Moscow support a fair settlement in the region.")
    assert sent == [("Vietnam", "Q881", "state"), ("Russia", "Q159", "state")]
    [sent] = names("Lavrov praised the relations between Beijing and New Delhi.")
    assert [qid for _, qid, _ in sent] == ["Q62003", "Q148", "Q668"]


def test_two_capitals_as_places_stay_places() -> None:
    [sent] = names("Flights between Moscow and Hanoi resumed in May.")
    assert [kind for _, _, kind in sent] == ["place", "place"]
    [sent] = names("The delegation travelled from Beijing and Pyongyang to Moscow.")
    assert all(kind == "place" for _, _, kind in sent)
    [sent] = names("Tokyo and Osaka raised their prices.")  # Osaka is no capital
    assert sent[0][2] == "place"


def test_a_name_followed_by_its_office_is_a_person_of_the_offices_country() -> None:
    [sent] = mentions(
        "The pact was signed by Pak Song Chol, premier of the Cabinet of the DPRK, "
        "and Tran Van Hai, member of the Political Bureau."
    )
    people = [(m.ref.name, m.ref.kind, m.entry.country if m.entry else None) for m in sent]
    assert ("Pak Song Chol", "person", "Q423") in people
    assert ("Tran Van Hai", "person", None) in people


def test_a_place_or_body_before_a_comma_is_not_made_a_person() -> None:
    [sent] = names("They toured Mirim Riding Club, head of the region's sports facilities.")
    assert all(kind != "person" for _, _, kind in sent)


def test_the_head_noun_of_a_name_named_before_refers_back_to_it() -> None:
    _, second = names(
        "Kim Jong Un inspected the Ryongsong Machine Complex.\n"
        "Last year, the complex raised its output of turbines by 12 percent."
    )
    assert second == [("Ryongsong Machine Complex", None, "other")]


def test_a_head_noun_shared_by_two_names_or_naming_a_document_refers_to_nothing() -> None:
    *_, third = names(
        "Kim Jong Un inspected the Ryongsong Machine Complex.\n"
        "He then toured the Taean Glass Complex and the Bilateral Trade Treaty exhibition.\n"
        "The complex met the plan, and the treaty was praised."
    )
    assert third == []


def test_a_name_ends_before_in_or_and_a_place() -> None:
    [sent] = names("Kim Jong Un toured the Sunchon Cement Complex in Sunchon City.")
    assert [name for name, _, _ in sent][-2:] == ["Sunchon Cement Complex", "Sunchon City"]
    [sent] = names("A ferry line links Rason Port and Vladivostok.")
    assert [name for name, _, _ in sent] == ["Rason Port", "Vladivostok"]
    [sent] = names("The Ministry of Industry and Trade opened an office.")
    assert sent == [("Ministry of Industry and Trade", None, "org")]


def test_a_title_case_headline_does_not_name_things_for_later() -> None:
    text = (
        "Kim Jong Un Tours Sunchon Cement Complex\n\n"
        "Kim Jong Un toured the Sunchon Cement Complex in Sunchon City.\n"
        "Last year, the complex raised its output by 9 percent."
    )
    assert names(text)[-1] == [("Sunchon Cement Complex", None, "other")]


def test_a_congress_of_the_party_is_one_name() -> None:
    [sent] = names("Delegates will greet the Ninth Congress of the Party in Pyongyang.")
    assert sent[0] == ("Ninth Congress of the Party", None, "org")


def test_a_month_of_an_event_still_to_be_held_looks_forward() -> None:
    # PUB is 18 May 2022: "in March" would otherwise be March 2022
    assert dated("Laos counts on the forum to be held in Vientiane in March.") == [
        ("in March", "2023-03", "month")
    ]
    assert dated("The upcoming congress opens in April.")[0][1] == "2023-04"


def test_the_talks_do_not_refer_back_to_a_headline_or_a_named_gathering() -> None:
    text = (
        "Ganbold Holds Talks with Putin at Sunchon Cement Complex\n\n"
        "Ganbold attended the Ulaanbaatar Energy Summit on Monday.\n"
        "At the talks and the summit the two sides discussed the complex."
    )
    assert names(text)[-1] == []
