from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.models import Article, Claim
from tests.claims.conftest import BEFORE_THE_VIEW
from verify.models import Reference, SavedFilter, Suggestion
from verify.review import services

pytestmark = pytest.mark.django_db
QUEUE = reverse("review:queue")


def many_claims(article: Article, n: int) -> list[Claim]:
    now = timezone.now()
    return Claim.objects.bulk_create(
        Claim(article=article, start=0, end=5, sentence=f"Claim number {i:04d}",
              created_at=now + timedelta(seconds=i))
        for i in range(n)
    )


def sentences(response: object) -> list[str]:
    return [c.sentence for c in response.context["page"].claims]  # type: ignore[attr-defined]


def test_the_queue_lists_open_claims_oldest_first(
    reviewer_client: Client, article: Article
) -> None:
    many_claims(article, 3)
    assert sentences(reviewer_client.get(QUEUE)) == [
        "Claim number 0000", "Claim number 0001", "Claim number 0002"
    ]


def test_keyset_pages_walk_every_claim_once_without_offset(
    reviewer_client: Client, article: Article
) -> None:
    many_claims(article, 25)
    seen: list[str] = []
    url = QUEUE + "?n=10"
    with CaptureQueriesContext(connection) as queries:
        while url:
            response = reviewer_client.get(url)
            seen += sentences(response)
            cursor = response.context["page"].next_cursor
            url = f"{QUEUE}?n=10&after={cursor}" if cursor else ""
    assert seen == [f"Claim number {i:04d}" for i in range(25)]
    assert not any("OFFSET" in q["sql"].upper() for q in queries.captured_queries)


@pytest.mark.parametrize("sort", ["article", "suggestion"])
def test_every_sort_pages_through_without_repeats(
    reviewer_client: Client, article: Article, sort: str
) -> None:
    claims = many_claims(article, 12)
    for i, c in enumerate(claims[:4]):
        url = f"https://e.org/{i}"
        Reference.objects.create(claim=c, url=url, canonical_url=url, passage_hash=str(i),
                                 score=i / 10)
    seen: list[str] = []
    url = f"{QUEUE}?n=5&sort={sort}"
    while url:
        response = reviewer_client.get(url)
        seen += sentences(response)
        cursor = response.context["page"].next_cursor
        url = f"{QUEUE}?n=5&sort={sort}&after={cursor}" if cursor else ""
    assert sorted(seen) == sorted(c.sentence for c in claims)
    if sort == "suggestion":
        assert seen[0] == "Claim number 0003"


def test_a_forged_cursor_is_ignored(reviewer_client: Client, article: Article) -> None:
    many_claims(article, 2)
    assert len(sentences(reviewer_client.get(QUEUE + "?after=!!notbase64"))) == 2


def test_filters_narrow_the_queue(
    reviewer_client: Client, reviewer: User, make_claim: Callable[..., Claim],
    make_reference: Callable[..., Reference],
) -> None:
    visit = make_claim(type="visit")
    meeting = make_claim("The Moscow Declaration was signed in August 2001.",
                         type="treaty_document", assignee=reviewer)
    make_reference(visit)
    Suggestion.objects.create(claim=visit, label="supported")

    def ids(query: str) -> set[int]:
        return {c.pk for c in reviewer_client.get(QUEUE + query).context["page"].claims}

    assert ids("?type=visit") == {visit.pk}
    assert ids("?assignee=me") == {meeting.pk}
    assert ids("?assignee=none") == {visit.pk}
    assert ids("?suggestion=yes") == {visit.pk}
    assert ids("?suggestion=no") == {meeting.pk}
    assert ids("?q=moscow") == {meeting.pk}
    assert ids(f"?article={visit.article_id}") == {visit.pk, meeting.pk}
    assert ids(f"?outlet={visit.article.outlet_id}") == {visit.pk, meeting.pk}


def test_proposed_claims_leave_the_default_queue_and_have_their_own_filter(
    reviewer_client: Client, reviewer: User, claim: Claim
) -> None:
    services.submit_review(claim=claim, reviewer=reviewer, verdict="unverified",
                           rationale="Nothing found.", expected_version=1)
    assert sentences(reviewer_client.get(QUEUE)) == []
    assert sentences(reviewer_client.get(QUEUE + "?status=proposed")) == [claim.sentence]
    assert sentences(reviewer_client.get(QUEUE + "?status=final")) == []


def test_the_filter_partial_renders_alone_for_htmx(reviewer_client: Client, claim: Claim) -> None:
    response = reviewer_client.get(QUEUE + "?type=meeting", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'id="queue-table"' in body
    assert "<html" not in body


def test_saved_filters_belong_to_their_owner(reviewer_client: Client, editor: User) -> None:
    reviewer_client.post(reverse("review:filter_save"), {"name": "Visits", "query": "type=visit"})
    saved = SavedFilter.objects.get()
    assert saved.get_absolute_url() == QUEUE + "?type=visit"
    assert "Visits" in reviewer_client.get(QUEUE).content.decode()
    other = Client()
    other.force_login(editor)
    assert other.post(reverse("review:filter_delete", args=[saved.pk])).status_code == 404


def test_an_editor_assigns_in_bulk(
    editor: User, reviewer: User, make_claim: Callable[..., Claim]
) -> None:
    a = make_claim()
    b = make_claim("The Moscow Declaration was signed in August 2001.")
    client = Client()
    client.force_login(editor)
    client.post(reverse("review:queue_assign"),
                {"assign-claims": [a.pk, b.pk], "assign-assignee": reviewer.pk})
    assert set(Claim.objects.filter(assignee=reviewer)) == {a, b}


def test_a_reviewer_cannot_assign(reviewer_client: Client, claim: Claim) -> None:
    assert reviewer_client.post(reverse("review:queue_assign")).status_code == 403


def test_next_claim_holds_a_lock_and_two_reviewers_get_different_claims(
    reviewer: User, editor: User, make_claim: Callable[..., Claim]
) -> None:
    first = make_claim()
    second = make_claim("The Moscow Declaration was signed in August 2001.")
    mine = Client()
    mine.force_login(reviewer)
    response = mine.post(reverse("review:next_claim"))
    assert response["Location"] == first.get_absolute_url()
    assert services.take_next_claim(user=editor) == second
    assert services.take_next_claim(user=reviewer) == first  # what I hold comes back first
    page = Client()
    page.force_login(editor)
    body = page.get(first.get_absolute_url()).content.decode()
    assert "rita is working on this claim" in body
    assert "🔒 rita" in page.get(QUEUE + "?status=any").content.decode()


def test_an_expired_lock_is_free_again(reviewer: User, editor: User, claim: Claim) -> None:
    services.take_next_claim(user=reviewer)
    Claim.objects.update(locked_until=timezone.now() - timedelta(seconds=1))
    assert services.take_next_claim(user=editor) == claim


@pytest.mark.parametrize("n", [5, 40])
def test_the_queue_makes_the_same_number_of_queries_whatever_the_page_size(
    reviewer_client: Client, article: Article, n: int,
    django_assert_num_queries: Callable[..., object],
) -> None:
    claims = many_claims(article, n)
    Claim.objects.filter(pk__in=[c.pk for c in claims[::2]]).update(assignee=article.ingested_by)
    reviewer_client.get(QUEUE)  # warm the session and permission caches the same way
    with django_assert_num_queries(QUERIES_FOR_QUEUE):  # type: ignore[operator]
        reviewer_client.get(f"{QUEUE}?n={n}&sort=suggestion&suggestion=no")


# Before the view (session, user, permissions), then the page of claims, saved filters and
# the outlet choices of the filter form.
QUERIES_FOR_QUEUE = BEFORE_THE_VIEW + 3


def test_claims_of_one_sentence_are_told_apart_by_their_fields(
    reviewer_client: Client, make_claim: Callable[..., Claim]
) -> None:
    make_claim()
    make_claim(type="visit", subject_name="Kim Jong Un", object_name="", date_value="2019-04",
               date_precision="month")
    make_claim(type="date_event", subject_name="Vladimir Putin", object_name="Kim Jong Un",
               place_name="", date_value="2019", date_precision="year")
    body = reviewer_client.get(QUEUE).content.decode()
    rows = body.split('<tr class="claimrow">')[1:]
    assert len(rows) == 3
    assert "<dt>Subject</dt><dd>Kim Jong Un</dd><dt>Object</dt><dd>Vladimir Putin</dd>" in rows[0]
    assert "<dt>Place</dt><dd>Vladivostok</dd><dt>Date</dt><dd>25 April 2019</dd>" in rows[0]
    assert "<dt>Object</dt>" not in rows[1] and "<dd>April 2019</dd>" in rows[1]
    assert "Visit" in rows[1] and "Dated event" in rows[2]
    assert "<dt>Subject</dt><dd>Vladimir Putin</dd>" in rows[2] and "<dd>2019</dd>" in rows[2]
    assert len(set(rows)) == 3
