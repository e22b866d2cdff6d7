# ruff: noqa: F811 - pytest fixtures imported from tests.claims.conftest, then requested by name
"""Tags on claims and articles: one tag per name whatever its case, shown on the queue rows
and the claim and article pages, filtered in the queue, changed by the desk, audited."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from claims.models import Article, Claim
from tests.claims.conftest import (  # noqa: F401 - the claims tests' fixtures, shared here
    article,
    claim,
    make_claim,
)
from tests.conftest import make_user
from verify.models import AuditEvent, Tag
from verify.review import services

pytestmark = pytest.mark.django_db
QUEUE = reverse("review:queue")


def rows(response: object) -> list[Claim]:
    return response.context["page"].claims  # type: ignore[attr-defined, no-any-return]


def test_a_reviewer_tags_a_claim_and_the_tag_is_audited(
    reviewer: User, reviewer_client: Client, claim: Claim
) -> None:
    response = reviewer_client.post(
        reverse("review:claim_tags", args=[claim.pk]),
        {"names": "Vladivostok summit, treaty"},
        follow=True,
    )
    assert [t.name for t in claim.tags.all()] == ["treaty", "Vladivostok summit"]
    assert "Tagged: Vladivostok summit, treaty." in response.content.decode()
    event = AuditEvent.objects.get(action=AuditEvent.Action.TAGGED)
    assert (event.actor, event.claim_id, event.after) == (
        reviewer,
        claim.pk,
        {"tags": ["Vladivostok summit", "treaty"]},
    )
    claim.refresh_from_db()
    assert claim.version == 1  # a label, not a content change: nobody's open form goes stale


def test_a_tag_is_one_tag_whatever_its_case_and_spacing(
    reviewer: User, make_claim: Callable[..., Claim]
) -> None:
    first, second = make_claim(), make_claim("The Moscow Declaration was signed in August 2001.")
    services.add_tags(target=first, names=["Vladivostok  summit"], by=reviewer)
    services.add_tags(target=second, names=["vladivostok SUMMIT"], by=reviewer)
    services.add_tags(target=second, names=["САНКЦИИ"], by=reviewer)
    services.add_tags(target=first, names=["санкции"], by=reviewer)  # Cyrillic folds too
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Vladivostok summit", "САНКЦИИ"]
    assert Tag.objects.get(key="vladivostok summit").claims.count() == 2
    assert services.add_tags(target=first, names=["VLADIVOSTOK summit"], by=reviewer) == []


def test_removing_a_tag_takes_it_off_and_is_audited(
    reviewer: User, reviewer_client: Client, claim: Claim
) -> None:
    services.add_tags(target=claim, names=["treaty", "sanctions"], by=reviewer)
    reviewer_client.post(reverse("review:claim_tags", args=[claim.pk]), {"remove": "TREATY"})
    assert [t.name for t in claim.tags.all()] == ["sanctions"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.UNTAGGED)
    assert event.after == {"tags": ["treaty"]} and event.claim_id == claim.pk


def test_a_bad_tag_is_refused_with_a_message_and_the_input_kept(
    reviewer_client: Client, claim: Claim
) -> None:
    long_name = "x" * 51
    response = reviewer_client.post(
        reverse("review:claim_tags", args=[claim.pk]), {"names": f"treaty, {long_name}"}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "a tag has at most 50" in body and f'value="treaty, {long_name}"' in body
    assert not Tag.objects.exists()
    empty = reviewer_client.post(reverse("review:claim_tags", args=[claim.pk]), {"names": " , "})
    assert empty.status_code == 422 and "Write a tag" in empty.content.decode()


def test_an_article_is_tagged_on_its_page_and_its_claims_inherit_the_tag(
    reviewer: User, reviewer_client: Client, article: Article, claim: Claim
) -> None:
    reviewer_client.post(reverse("review:article_tags", args=[article.pk]), {"names": "DPRK"})
    event = AuditEvent.objects.get(action=AuditEvent.Action.TAGGED)
    assert (event.claim_id, event.article_id, event.model) == (None, article.pk, "article")
    page = reviewer_client.get(reverse("review:article", args=[article.pk])).content.decode()
    assert 'class="tagchip" href="/queue/?tag=DPRK&amp;status=any"' in page
    claim_page = reviewer_client.get(claim.get_absolute_url()).content.decode()
    assert 'class="tagchip inherited"' in claim_page and "#DPRK" in claim_page


def test_the_queue_shows_tags_on_rows_and_filters_by_tag_in_any_case(
    reviewer: User,
    reviewer_client: Client,
    article: Article,
    make_claim: Callable[..., Claim],
) -> None:
    summit = make_claim()
    declaration = make_claim("The Moscow Declaration was signed in August 2001.")
    other = Article.objects.create(title="Other", text="Other text.", content_hash="b" * 64)
    untagged = Claim.objects.create(article=other, start=0, end=5, sentence="Other text.")
    services.add_tags(target=summit, names=["Vladivostok summit"], by=reviewer)
    services.add_tags(target=article, names=["DPRK"], by=reviewer)

    response = reviewer_client.get(QUEUE)
    body = response.content.decode()
    assert '<a class="tagchip" href="?tag=Vladivostok%20summit">#Vladivostok summit</a>' in body
    row_tags = {c.pk: (c.tag_list, c.article_tag_list) for c in rows(response)}
    assert row_tags[summit.pk] == (["Vladivostok summit"], ["DPRK"])
    assert row_tags[untagged.pk] == ([], [])

    assert [c.pk for c in rows(reviewer_client.get(QUEUE + "?tag=vladivostok%20SUMMIT"))] == [
        summit.pk
    ]
    # An article's tag reaches every claim of the article, once each.
    assert [c.pk for c in rows(reviewer_client.get(QUEUE + "?tag=dprk"))] == [
        summit.pk,
        declaration.pk,
    ]
    assert rows(reviewer_client.get(QUEUE + "?tag=nothing")) == []


def test_tags_cost_the_queue_no_extra_query(
    reviewer: User,
    reviewer_client: Client,
    make_claim: Callable[..., Claim],
    django_assert_num_queries: Callable[..., object],
) -> None:
    from tests.claims.test_queue import QUERIES_FOR_QUEUE

    for i in range(5):
        c = make_claim()
        services.add_tags(target=c, names=[f"tag {i}", "common"], by=reviewer)
    with django_assert_num_queries(QUERIES_FOR_QUEUE):  # type: ignore[operator]
        reviewer_client.get(QUEUE)


def test_only_the_desk_tags_and_the_permission_says_who(outsider: User, claim: Claim) -> None:
    client = Client()
    client.force_login(outsider)
    response = client.post(reverse("review:claim_tags", args=[claim.pk]), {"names": "x"})
    assert response.status_code == 403 and not Tag.objects.exists()
    assert make_user("ed2", "editor").has_perm("verify.tag_claim")
    assert make_user("rev2", "reviewer").has_perm("verify.tag_claim")
