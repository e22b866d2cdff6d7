"""Events: grouping the claims of several outlets, a reviewer's decisions, the differences
and the pages. Articles go through the app's own extraction (claims.processing), as the
background tasks run it; the sentences are written for these tests."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from claims.models import Article, Claim, Outlet
from claims.processing import extract_article
from claims.signals import claims_extracted
from verify.events import comparison, grouping, listing, parties, services
from verify.events import publishing as event_publishing
from verify.models import (
    AuditEvent,
    Comment,
    Event,
    EventMembership,
    EventSummary,
    Reference,
)
from verify.review import services as review_services

pytestmark = pytest.mark.django_db

TASS_2024 = ("Putin in Pyongyang\nRussian President Vladimir Putin arrived in Pyongyang on "
             "June 19, 2024 for a state visit to North Korea.\n")
KCNA_2024 = ("Talks held\nKim Jong Un held talks with Russian President Vladimir Putin in "
             "Pyongyang on 19 June 2024.\n")
TASS_2000 = ("Putin's first visit\nVladimir Putin paid a visit to Pyongyang in July 2000, the "
             "first visit of a Russian leader to North Korea.\n")
TASS_HANOI = ("Putin in Hanoi\nRussian President Vladimir Putin arrived in Hanoi on June 20, "
              "2024 for a state visit to Vietnam.\n")


@pytest.fixture(autouse=True)
def gazetteer(db: None) -> None:
    call_command("load_gazetteer", verbosity=0)


def report(outlet: str, text: str, published: date, *, group: bool = True) -> Article:
    source, _ = Outlet.objects.get_or_create(name=outlet, defaults={"is_state_media": True})
    article = Article.objects.create(
        outlet=source, title=text.split("\n")[0], text=text, published=published,
        content_hash=f"{outlet}-{published}-{len(text)}",
    )
    extract_article(article)
    if group:
        grouping.group_article(article)
    return article


def events_of(article: Article) -> set[int]:
    return set(
        EventMembership.objects.filter(claim__article=article).values_list("event_id", flat=True)
    )


def test_the_same_visit_told_by_two_outlets_is_one_event() -> None:
    tass = report("TASS", TASS_2024, date(2024, 6, 19))
    kcna = report("KCNA", KCNA_2024, date(2024, 6, 20))
    assert len(events_of(tass)) == 1
    assert events_of(kcna) == events_of(tass)
    event = Event.objects.get()
    assert event.outlet_count == 2
    assert (event.date_start, event.date_end) == (date(2024, 6, 19), date(2024, 6, 19))
    joined = EventMembership.objects.get(claim__article=kcna, claim__date_value="2024-06-19")
    assert "same parties Q7747" in joined.reason
    assert "19 June 2024" in joined.reason


def test_a_2024_visit_and_a_2000_visit_of_the_same_parties_are_two_events() -> None:
    new = report("TASS", TASS_2024, date(2024, 6, 19))
    old = report("Sputnik", TASS_2000, date(2000, 7, 21))
    assert events_of(new) and events_of(old)
    assert not events_of(new) & events_of(old)


def test_a_different_city_in_the_same_days_is_another_event() -> None:
    pyongyang = report("TASS", TASS_2024, date(2024, 6, 19))
    hanoi = report("Xinhua", TASS_HANOI, date(2024, 6, 20))
    assert events_of(hanoi) and not events_of(hanoi) & events_of(pyongyang)


def test_candidates_are_found_through_the_indexes() -> None:
    sql, params = Event.objects.candidates(
        keys=["Q7747"], start=date(2024, 6, 1), end=date(2024, 6, 30)).query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # PostgreSQL picks a scan for a table this small; forbidding scans shows whether
            # an index can answer the query at all, which is what scale depends on.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "eventparty_key" in plan
    assert "SCAN verify_event" not in plan
    assert "Seq Scan on verify_event " not in plan


def test_grouping_is_queued_after_extraction(
    django_capture_on_commit_callbacks: object,
) -> None:
    article = report("TASS", TASS_2024, date(2024, 6, 19), group=False)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        claims_extracted.send(sender=Article, article=article)
    assert events_of(article)


def test_grouping_again_gives_the_same_events() -> None:
    tass = report("TASS", TASS_2024, date(2024, 6, 19))
    kcna = report("KCNA", KCNA_2024, date(2024, 6, 20))
    before = sorted(EventMembership.objects.values_list("claim_id", "event_id"))
    grouping.group_article(kcna)
    grouping.group_article(tass)
    assert sorted(EventMembership.objects.values_list("claim_id", "event_id")) == before


@pytest.fixture
def two_reports() -> tuple[Article, Article]:
    return report("TASS", TASS_2024, date(2024, 6, 19)), report("KCNA", KCNA_2024,
                                                               date(2024, 6, 20))


def test_a_claim_moved_out_by_a_reviewer_stays_out_after_regrouping(
    two_reports: tuple[Article, Article], reviewer: User,
) -> None:
    tass, kcna = two_reports
    event = Event.objects.get()
    claim = Claim.objects.get(article=kcna, date_value="2024-06-19")
    new = services.split_claim(event=event, claim=claim, user=reviewer)
    grouping.group_article(kcna)
    grouping.group_article(tass)
    claim.event_membership.refresh_from_db()
    assert claim.event_membership.event_id == new.pk
    assert claim.event_membership.set_by_reviewer
    audit = AuditEvent.objects.get(action=AuditEvent.Action.EVENT_SPLIT)
    assert (audit.actor, audit.claim_id, audit.before["event"]) == (reviewer, claim.pk, event.pk)


def test_a_merge_by_a_reviewer_survives_regrouping_and_is_audited(reviewer: User) -> None:
    new = report("TASS", TASS_2024, date(2024, 6, 19))
    old = report("Sputnik", TASS_2000, date(2000, 7, 21))
    (into,), (other,) = events_of(new), events_of(old)
    services.merge_events(into=Event.objects.get(pk=into), other=Event.objects.get(pk=other),
                          user=reviewer)
    grouping.group_article(old)
    assert events_of(old) == {into}
    assert not Event.objects.filter(pk=other).exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EVENT_MERGED, actor=reviewer,
                                     claim__article=old).exists()


def test_a_reviewers_name_survives_regrouping(
    two_reports: tuple[Article, Article], reviewer: User,
) -> None:
    event = Event.objects.get()
    services.rename_event(event=event, name="Putin's state visit to Pyongyang", user=reviewer)
    grouping.group_article(two_reports[1])
    event.refresh_from_db()
    assert event.name == "Putin's state visit to Pyongyang"
    assert event.reviewer_locked and event.renamed_by == reviewer
    audit = AuditEvent.objects.get(action=AuditEvent.Action.EVENT_RENAMED)
    assert audit.after == {"name": "Putin's state visit to Pyongyang"}


def test_a_differing_date_and_a_differing_figure_are_marked() -> None:
    report("TASS", "Summit\nKim Jong Un met Vladimir Putin in Vladivostok on 25 April 2019. "
           "Trade between the two countries reached 34 million dollars last year.\n",
           date(2019, 4, 25))
    report("KCNA", "Summit\nKim Jong Un met Vladimir Putin in Vladivostok on 26 April 2019. "
           "Trade between the two countries reached 48 million dollars last year.\n",
           date(2019, 4, 26))
    event = Event.objects.filter(memberships__claim__date_value="2019-04-25").distinct().get()
    claims = list(Claim.objects.filter(event_membership__event=event))
    found = {d.aspect: d for d in comparison.discrepancies(claims)}
    assert {a.article.outlet.name for a in claims} == {"TASS", "KCNA"}  # type: ignore[union-attr]
    assert "2019-04-25" in found["date"].note and "2019-04-26" in found["date"].note
    assert "34" in found["figures"].note and "48" in found["figures"].note
    assert Event.objects.get(pk=event.pk).discrepancy_count >= 2


def test_the_same_date_and_figure_are_not_marked() -> None:
    for outlet in ("TASS", "KCNA"):
        report(outlet, "Summit\nKim Jong Un met Vladimir Putin in Vladivostok on 25 April "
               "2019. Trade between the two countries reached 34 million dollars last year.\n",
               date(2019, 4, 25))
    claims = list(Claim.objects.filter(event_membership__isnull=False))
    aspects = {d.aspect for d in comparison.discrepancies(claims)}
    assert "date" not in aspects and "figures" not in aspects


def test_the_comparison_page_shows_each_outlets_words(
    two_reports: tuple[Article, Article], reviewer_client: Client,
) -> None:
    event = Event.objects.get()
    response = reviewer_client.get(reverse("events:detail", args=[event.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "TASS" in page and "KCNA" in page
    kcna_claim = Claim.objects.get(article=two_reports[1], date_value="2024-06-19")
    assert reverse("review:claim", args=[kcna_claim.pk]) in page
    assert "held talks with Russian President Vladimir Putin" in page


def test_the_event_list_filters(two_reports: tuple[Article, Article],
                                reviewer_client: Client) -> None:
    report("Sputnik", TASS_2000, date(2000, 7, 21))
    url = reverse("events:list")
    assert "July 2000" in reviewer_client.get(url).content.decode()
    page = reviewer_client.get(url, {"from": "2024-01-01"}).content.decode()
    assert "July 2000" not in page and "19 Jun 2024" in page
    kcna = Outlet.objects.get(name="KCNA")
    page = reviewer_client.get(url, {"outlet": kcna.pk}).content.decode()
    assert "July 2000" not in page and "19 Jun 2024" in page


def test_an_outsider_may_not_see_events(two_reports: tuple[Article, Article],
                                        outsider: User) -> None:
    client = Client()
    client.force_login(outsider)
    assert client.get(reverse("events:list")).status_code == 403
    event = Event.objects.get()
    assert client.get(reverse("events:detail", args=[event.pk])).status_code == 403


SHOIGU = ("Shoigu in Pyongyang\nRussian Defense Minister Sergei Shoigu arrived in Pyongyang on "
          "July 26, 2023 for a visit to North Korea. The visit coincides with the {n} "
          "anniversary of the {what} in July {year}.\n")


def test_the_anniversary_an_event_marks_joins_it() -> None:
    article = report("KCNA", SHOIGU.format(n="70th", what="victory in the war", year=1953),
                     date(2023, 7, 27))
    anniversary = Claim.objects.get(article=article, type="anniversary")
    membership = EventMembership.objects.get(claim=anniversary)
    assert membership.event_id in events_of(article) and len(events_of(article)) == 1
    assert "marks the 70th anniversary of 1953-07" in membership.reason


def test_an_anniversary_that_is_not_round_stays_out() -> None:
    article = report("KCNA", SHOIGU.format(n="71st", what="founding of the army", year=1952),
                     date(2023, 7, 27))
    anniversary = Claim.objects.get(article=article, type="anniversary")
    assert not EventMembership.objects.filter(claim=anniversary).exists()
    assert events_of(article)


def test_what_an_article_says_of_the_events_day_joins_it_without_a_party_in_common() -> None:
    article = report("KCNA", "Parade\nKim Jong Un held talks with Xi Jinping in Beijing on 3 "
                     "September 2025. China held a grand reception for the guests on 3 "
                     "September 2025.\n", date(2025, 9, 4))
    assert Claim.objects.filter(article=article).count() == 2
    assert len(events_of(article)) == 1
    assert EventMembership.objects.filter(claim__article=article).count() == 2


def test_a_capital_stands_for_its_state_and_a_name_drops_the_words_run_on() -> None:
    gazetteer = parties.known()
    claim = Claim(subject_name="Minister of Defence Sergei Shoigu courteously",
                  object_name="Beijing", object_qid="Q956")
    keys = [p.key for p in parties.claim_parties(claim, gazetteer)]
    assert keys == ["name:sergei shoigu", "Q148"]
    assert [p.key for p in parties.claim_parties(claim)] == ["name:sergei shoigu", "Q956"]


def summit(outlet: str, day: int, figure: int = 34, *, state: bool = True,
           country: str = "") -> Article:
    Outlet.objects.get_or_create(name=outlet, defaults={"is_state_media": state,
                                                        "country": country})
    return report(outlet, f"Summit\nKim Jong Un met Vladimir Putin in Vladivostok on {day} April "
                  f"2019. Trade between the two countries reached {figure} million dollars last "
                  "year.\n", date(2019, 4, day))


def event_of(article: Article) -> Event:
    (event_id,) = events_of(article) & set(
        EventMembership.objects.filter(claim__date_value__startswith="2019-04")
        .values_list("event_id", flat=True))
    return Event.objects.get(pk=event_id)


def contradict(claim: Claim, publisher: str = "Example News") -> Reference:
    url = f"https://example.org/{claim.pk}"
    return Reference.objects.create(
        claim=claim, url=url, canonical_url=url, source="wikipedia", title="Report",
        publisher=publisher, passage="They met on another day.", passage_hash=str(claim.pk),
        stance=Reference.Stance.CONTRADICTS, independent=True,
    )


def test_the_event_list_filters_by_country_type_and_difference_and_sorts(
    reviewer_client: Client,
) -> None:
    summit("TASS", 25, country="Russia")
    summit("KCNA", 26, 48, country="North Korea")  # another date and figure: differences
    report("Sputnik", TASS_2000, date(2000, 7, 21))
    Outlet.objects.filter(name="Sputnik").update(country="Russia")
    summit_event = Event.objects.get(outlet_count=2)
    url = reverse("events:list")

    def names(**query: str) -> list[str]:
        page = reviewer_client.get(url, query).content.decode()
        return [e.name for e in Event.objects.all() if e.name in page and
                reverse("events:detail", args=[e.pk]) in page]

    assert summit_event.name in names(country="North Korea")
    assert [n for n in names(country="North Korea") if "July 2000" in n] == []
    assert any("July 2000" in n for n in names(country="Russia"))
    assert names(discrepancy="1") == [summit_event.name]
    assert summit_event.name not in names(type="visit")
    assert any("July 2000" in n for n in names(type="visit"))
    page = reviewer_client.get(url, {"sort": "outlets"}).content.decode()
    detail = reverse("events:detail", args=[summit_event.pk])
    assert page.index(detail) == min(page.index(reverse("events:detail", args=[e.pk]))
                                     for e in Event.objects.all())
    ranked = list(listing.filter_events({"sort": "discrepancies"}))
    assert ranked[0] == summit_event
    assert [e.discrepancy_count for e in ranked] == sorted(
        (e.discrepancy_count for e in ranked), reverse=True)


def test_new_disagreements_between_state_outlets_are_listed(reviewer_client: Client) -> None:
    tass = summit("TASS", 25)
    summit("KCNA", 26, 48)
    page = reviewer_client.get(reverse("events:discrepancies")).content.decode()
    event = event_of(tass)
    assert reverse("events:detail", args=[event.pk]) in page
    assert "2019-04-25" in page and "2019-04-26" in page
    assert "34" in page and "48" in page


def test_agreeing_outlets_and_an_independent_outlets_other_date_are_not_disagreements(
    reviewer_client: Client,
) -> None:
    tass = summit("TASS", 25)
    summit("KCNA", 25)
    summit("The Independent Wire", 26, 48, state=False)
    event = event_of(tass)
    assert event.discrepancy_count > 0  # the list marks it; state outlets agree, though
    page = reviewer_client.get(reverse("events:discrepancies")).content.decode()
    assert reverse("events:detail", args=[event.pk]) not in page


def test_an_independent_source_contradicting_a_state_outlet_is_a_disagreement(
    reviewer_client: Client,
) -> None:
    tass = summit("TASS", 25)
    claim = Claim.objects.get(article=tass, date_value="2019-04-25")
    contradict(claim, publisher="Reuters")
    page = reviewer_client.get(reverse("events:discrepancies")).content.decode()
    assert reverse("events:detail", args=[event_of(tass).pk]) in page
    assert "Reuters contradicts TASS" in page


def test_old_events_are_not_new(reviewer_client: Client) -> None:
    tass = summit("TASS", 25)
    summit("KCNA", 26, 48)
    event = event_of(tass)
    Event.objects.filter(pk=event.pk).update(created_at=timezone.now() - timedelta(days=40))
    detail = reverse("events:detail", args=[event.pk])
    assert detail not in reviewer_client.get(reverse("events:discrepancies")).content.decode()
    page = reviewer_client.get(reverse("events:discrepancies"), {"days": "60"}).content.decode()
    assert detail in page


def test_the_dashboard_links_to_the_disagreements(reviewer_client: Client) -> None:
    page = reviewer_client.get(reverse("review:dashboard")).content.decode()
    assert reverse("events:discrepancies") in page


# --- Publishing a comparison ---------------------------------------------------------


def finalise(claims: list[Claim], reviewer: User, editor: User,
             cite: dict[int, Reference] | None = None) -> None:
    for claim in claims:
        claim.refresh_from_db()
        refs = [cite[claim.pk]] if cite and claim.pk in cite else []
        review = review_services.submit_review(
            claim=claim, reviewer=reviewer, verdict="disputed" if refs else "unverified",
            rationale=f"Checked against the record ({claim.pk}).", references=refs,
            expected_version=claim.version)
        claim.refresh_from_db()
        review_services.approve_review(review=review, editor=editor,
                                       expected_version=claim.version)


@pytest.fixture
def differing_summit() -> Event:
    tass = summit("TASS", 25)
    summit("KCNA", 26, 48)
    return event_of(tass)


def event_claims(event: Event) -> list[Claim]:
    return list(Claim.objects.filter(event_membership__event=event).order_by("id"))


def editor_client(editor: User) -> Client:
    client = Client()
    client.force_login(editor)
    return client


def test_a_comparison_is_not_published_while_a_claim_lacks_a_final_verdict(
    differing_summit: Event, reviewer: User, editor: User,
) -> None:
    claims = event_claims(differing_summit)
    finalise(claims[:-1], reviewer, editor)
    with pytest.raises(event_publishing.PublishError, match="not ready"):
        event_publishing.publish_event(event=differing_summit, editor=editor)
    response = editor_client(editor).post(reverse("events:publish", args=[differing_summit.pk]))
    assert response.status_code == 302
    assert not EventSummary.objects.exists()
    assert Client().get(reverse("events:published", args=[differing_summit.pk])).status_code == 404
    page = editor_client(editor).get(differing_summit.get_absolute_url()).content.decode()
    assert "1 of" in page and "not ready to publish" in page


def test_a_published_comparison_shows_each_claim_with_its_claimreview_and_the_differences(
    differing_summit: Event, reviewer: User, editor: User,
) -> None:
    claims = event_claims(differing_summit)
    cited = contradict(claims[0], publisher="Reuters")
    uncited = contradict(claims[1], publisher="Uncited Wire")
    finalise(claims, reviewer, editor, cite={claims[0].pk: cited})
    response = editor_client(editor).post(reverse("events:publish", args=[differing_summit.pk]))
    assert response.status_code == 302
    page = Client().get(reverse("events:published", args=[differing_summit.pk])).content.decode()
    for claim in claims:
        assert claim.sentence in page
        assert f'id="claim-{claim.pk}"' in page
    assert "2019-04-25" in page and "2019-04-26" in page  # the date that differs
    assert "34" in page and "48" in page
    assert "Reuters" in page and "Uncited Wire" not in page  # only what a verdict cites
    assert uncited.url not in page
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    reviews = [json.loads(b) for b in blocks]
    assert sorted(r["url"].rsplit("#claim-", 1)[1] for r in reviews) == sorted(
        str(c.pk) for c in claims)
    verdicts = {r["url"].rsplit("#claim-", 1)[1]: r["reviewRating"]["alternateName"]
                for r in reviews if r["@type"] == "ClaimReview"}
    assert verdicts == {str(c.pk): "Disputed" if c == claims[0] else "Unverified"
                        for c in claims}
    assert {r["itemReviewed"]["author"]["name"] for r in reviews} == {"TASS", "KCNA"}
    page_url = reverse("events:published", args=[differing_summit.pk])
    assert all(page_url in r["url"] for r in reviews)
    audit = AuditEvent.objects.get(action=AuditEvent.Action.PUBLISHED, model="eventsummary")
    assert audit.actor == editor


def test_a_correction_is_a_new_version_and_the_old_one_stays_readable(
    differing_summit: Event, reviewer: User, editor: User,
) -> None:
    claims = event_claims(differing_summit)
    finalise(claims, reviewer, editor)
    event_publishing.publish_event(event=differing_summit, editor=editor)
    with pytest.raises(event_publishing.PublishError, match="Nothing has changed"):
        event_publishing.publish_event(event=differing_summit, editor=editor)
    services.rename_event(event=differing_summit, name="Kim and Putin in Vladivostok",
                          user=reviewer)
    with pytest.raises(event_publishing.PublishError, match="correction note"):
        event_publishing.publish_event(event=differing_summit, editor=editor)
    second = event_publishing.publish_event(event=differing_summit, editor=editor,
                                            correction_note="Named the summit.")
    assert second.version == 2
    client = Client()
    current = client.get(reverse("events:published", args=[differing_summit.pk]))
    assert "Kim and Putin in Vladivostok" in current.content.decode()
    assert "Named the summit." in current.content.decode()
    old = client.get(reverse("events:published_version", args=[differing_summit.pk, 1]))
    assert "version 1 of 2" in old.content.decode()
    assert "Kim and Putin in Vladivostok" not in old.content.decode()


def test_a_retracted_comparison_is_marked_and_asserts_no_claimreview(
    differing_summit: Event, reviewer: User, editor: User,
) -> None:
    finalise(event_claims(differing_summit), reviewer, editor)
    event_publishing.publish_event(event=differing_summit, editor=editor)
    response = editor_client(editor).post(reverse("events:retract", args=[differing_summit.pk]),
                                          {"note": "The dates were misread."})
    assert response.status_code == 302
    page = Client().get(reverse("events:published", args=[differing_summit.pk])).content.decode()
    assert "Retracted" in page and "The dates were misread." in page
    assert "application/ld+json" not in page


def test_a_reviewer_may_not_publish_a_comparison(
    differing_summit: Event, reviewer: User, editor: User, reviewer_client: Client,
) -> None:
    finalise(event_claims(differing_summit), reviewer, editor)
    response = reviewer_client.post(reverse("events:publish", args=[differing_summit.pk]))
    assert response.status_code == 403
    assert not EventSummary.objects.exists()


def test_a_published_event_is_kept_by_regrouping_and_not_merged_away(
    differing_summit: Event, reviewer: User, editor: User,
) -> None:
    finalise(event_claims(differing_summit), reviewer, editor)
    event_publishing.publish_event(event=differing_summit, editor=editor)
    other = report("Sputnik", TASS_2000, date(2000, 7, 21))
    (other_id,) = events_of(other)
    with pytest.raises(ValidationError, match="published"):
        services.merge_events(into=Event.objects.get(pk=other_id), other=differing_summit,
                              user=reviewer)
    for claim in event_claims(differing_summit):
        grouping.group_article(claim.article)
    assert Event.objects.filter(pk=differing_summit.pk).exists()


def test_nothing_unpublished_appears_on_a_public_comparison(
    differing_summit: Event, reviewer: User, editor: User,
) -> None:
    claims = event_claims(differing_summit)
    finalise(claims, reviewer, editor)
    event_publishing.publish_event(event=differing_summit, editor=editor)
    # After publication: a proposed verdict, a comment, an edit, an uncited reference, a
    # new name, and an event nobody published.
    claims[0].refresh_from_db()
    review_services.submit_review(claim=claims[0], reviewer=reviewer, verdict="unverified",
                                  rationale="PROPOSED-RATIONALE-SECRET",
                                  expected_version=claims[0].version)
    Comment.objects.create(claim=claims[1], author=reviewer, body="COMMENT-SECRET")
    Claim.objects.filter(pk=claims[1].pk).update(sentence="EDITED-AFTER-PUBLICATION-SECRET")
    contradict(claims[1], publisher="UNCITED-PUBLISHER-SECRET")
    services.rename_event(event=differing_summit, name="RENAMED-SECRET", user=reviewer)
    report("Sputnik", TASS_2000, date(2000, 7, 21))
    hidden = Event.objects.exclude(pk=differing_summit.pk).get()
    services.rename_event(event=hidden, name="UNPUBLISHED-EVENT-SECRET", user=reviewer)
    client, seen = Client(), 0
    for event in Event.objects.all():
        urls = [reverse("events:published", args=[event.pk])] + [
            reverse("events:published_version", args=[event.pk, v])
            for v in range(1, 3)]
        for url in urls:
            response = client.get(url)
            assert response.status_code in (200, 404), url
            assert "SECRET" not in response.content.decode(), url
            seen += response.status_code == 200
    assert seen == 2  # the current page and version 1 of the one published event
