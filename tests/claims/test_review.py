from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from claims.models import Claim
from tests.claims.conftest import BEFORE_THE_VIEW
from verify.models import AuditEvent, LibraryDocument, Reference, Review
from verify.review import services

pytestmark = pytest.mark.django_db


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def propose(client: Client, claim: Claim, **data: object) -> object:
    payload = {"verdict": "supported", "rationale": "Both sides reported the summit.",
               "version": claim.version, **data}
    return client.post(reverse("review:verdict", args=[claim.pk]), payload)


def test_the_review_page_shows_the_claim_in_context_with_its_words_marked(
    reviewer_client: Client, claim: Claim, reference: Reference
) -> None:
    page = reviewer_client.get(claim.get_absolute_url()).content.decode()
    assert "DPRK-Russia ties progress" in page
    assert '<strong class="term">Vladivostok</strong>' in page
    assert "Summit report 1" in page
    assert "<mark>Vladivostok</mark>" in page  # matches marked in the passage


def test_reference_passages_are_escaped_never_trusted_as_html(
    reviewer_client: Client, claim: Claim, make_reference: Callable[..., Reference]
) -> None:
    make_reference(claim, 2, passage='<script>alert("x")</script> Vladivostok',
                   title="<b>bold</b>")
    page = reviewer_client.get(claim.get_absolute_url()).content.decode()
    assert '<script>alert("x")' not in page
    assert "&lt;script&gt;" in page
    assert "<b>bold</b>" not in page


def test_a_reviewers_verdict_is_only_proposed_under_the_two_person_rule(
    reviewer_client: Client, claim: Claim, reference: Reference
) -> None:
    response = propose(reviewer_client, claim, references=[reference.pk])
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.verdict == ""
    assert claim.status == Claim.Status.PROPOSED
    assert claim.reviews.get(status=Review.Status.PROPOSED).verdict == "supported"
    assert claim.version == 2
    assert Review.objects.get().status == Review.Status.PROPOSED


def test_supported_needs_a_cited_reference(
    reviewer_client: Client, claim: Claim, reference: Reference
) -> None:
    response = propose(reviewer_client, claim)
    assert response.status_code == 422
    assert "at least one cited reference" in response.content.decode()
    assert not Review.objects.exists()


def test_a_rationale_is_required(reviewer_client: Client, claim: Claim) -> None:
    response = propose(reviewer_client, claim, verdict="unverified", rationale="  ")
    assert response.status_code == 422
    assert not Review.objects.exists()


def test_unverified_needs_no_reference(reviewer_client: Client, claim: Claim) -> None:
    assert propose(reviewer_client, claim, verdict="unverified").status_code == 302


def test_an_editor_approves_and_the_claim_takes_the_verdict(
    reviewer_client: Client, editor: User, claim: Claim, reference: Reference
) -> None:
    propose(reviewer_client, claim, references=[reference.pk])
    review = Review.objects.get()
    claim.refresh_from_db()
    response = login(editor).post(
        reverse("review:approve", args=[claim.pk, review.pk]), {"version": claim.version}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    review.refresh_from_db()
    assert claim.verdict == Claim.Verdict.SUPPORTED
    assert claim.status == Claim.Status.FINAL
    assert review.approved_by == editor


def test_an_editor_cannot_approve_their_own_verdict(
    editor: User, claim: Claim, reference: Reference
) -> None:
    review = services.submit_review(claim=claim, reviewer=editor, verdict="supported",
                                    rationale="Seen.", references=[reference],
                                    expected_version=1)
    with pytest.raises(services.ReviewError, match="someone else"):
        services.approve_review(review=review, editor=editor, expected_version=2)


def test_an_editor_sends_a_verdict_back_with_a_comment(
    reviewer: User, editor: User, claim: Claim, reference: Reference
) -> None:
    review = services.submit_review(claim=claim, reviewer=reviewer, verdict="supported",
                                    rationale="Seen.", references=[reference],
                                    expected_version=1)
    response = login(editor).post(
        reverse("review:send_back", args=[claim.pk, review.pk]),
        {"version": 2, "comment": "Find an independent source."},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Claim.Status.RETURNED
    assert claim.comments.get().body == "Find an independent source."
    assert Claim.objects.to_work().filter(pk=claim.pk).exists()


def test_without_the_two_person_rule_a_verdict_is_final_at_once(
    settings: object, reviewer_client: Client, claim: Claim
) -> None:
    settings.TWO_PERSON_RULE = False  # type: ignore[attr-defined]
    propose(reviewer_client, claim, verdict="unverified")
    claim.refresh_from_db()
    assert claim.verdict == Claim.Verdict.UNVERIFIED
    assert claim.status == Claim.Status.FINAL


def test_correcting_fields_is_recorded(reviewer_client: Client, claim: Claim) -> None:
    response = reviewer_client.post(reverse("review:claim_edit", args=[claim.pk]), {
        "version": 1, "type": "visit", "subject_name": "Kim Jong Un",
        "object_name": "Russia", "place_name": "Vladivostok", "date_value": "2019-04",
    })
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.type, claim.object_name, claim.date_precision) == ("visit", "Russia", "month")
    assert str(claim.date_end) == "2019-04-30"
    assert claim.edited
    event = AuditEvent.objects.get(action="edited")
    assert event.before["object_name"] == "Vladimir Putin"
    assert event.after["object_name"] == "Russia"


def test_splitting_a_claim_adds_a_second_on_the_same_sentence(
    reviewer_client: Client, claim: Claim
) -> None:
    response = reviewer_client.post(reverse("review:claim_split", args=[claim.pk]), {
        "split-version": 1, "split-type": "visit", "split-subject_name": "Vladimir Putin",
        "split-place_name": "Vladivostok",
    })
    new = Claim.objects.exclude(pk=claim.pk).get()
    assert response["Location"] == new.get_absolute_url()
    assert (new.start, new.end, new.type, new.subject_name) == (
        claim.start, claim.end, "visit", "Vladimir Putin"
    )


def test_adding_a_claim_from_a_selection(reviewer_client: Client, claim: Claim) -> None:
    quote = "The Moscow Declaration was signed in August 2001."
    start = claim.article.text.index(quote)
    reviewer_client.post(reverse("review:claim_add", args=[claim.article_id]),
                         {"quote": quote, "start": start, "type": "treaty_document"})
    added = Claim.objects.get(sentence=quote)
    assert (added.start, added.end, added.edited) == (start, start + len(quote), True)


def test_a_selection_not_in_the_text_is_refused(reviewer_client: Client, claim: Claim) -> None:
    reviewer_client.post(reverse("review:claim_add", args=[claim.article_id]),
                         {"quote": "Words nobody wrote.", "type": "other"})
    assert Claim.objects.count() == 1


def test_dismissing_takes_the_claim_out_of_the_queue(reviewer_client: Client, claim: Claim) -> None:
    reviewer_client.post(reverse("review:claim_dismiss", args=[claim.pk]),
                         {"version": 1, "reason": "Ceremonial wording."})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DISMISSED
    assert not Claim.objects.to_work().exists()


def test_reusing_an_earlier_verdict_takes_one_click(
    reviewer_client: Client, claim: Claim, make_reference: Callable[..., Reference]
) -> None:
    prior = make_reference(claim, 3, source="prior", stance="contradicts",
                           provenance={"verdict": "disputed"}, hint="Reviewed in March.")
    page = reviewer_client.get(claim.get_absolute_url()).content.decode()
    assert "Reuse the earlier verdict: disputed" in page
    reviewer_client.post(reverse("review:reuse_verdict", args=[claim.pk, prior.pk]),
                         {"version": 1})
    review = Review.objects.get()
    assert review.verdict == "disputed"
    assert list(review.references.all()) == [prior]


def test_citing_a_library_document(reviewer_client: Client, claim: Claim) -> None:
    doc = LibraryDocument.objects.create(
        url="https://library.example.org/summit", title="Summit notes",
        text="Unrelated intro.\nPutin and Kim Jong Un met in Vladivostok in April 2019.",
    )
    page = reviewer_client.get(claim.get_absolute_url() + "?library=summit").content.decode()
    assert "Summit notes" in page
    reviewer_client.post(reverse("review:reference_library", args=[claim.pk, doc.pk]))
    ref = claim.references.get()
    assert ref.source == "library"
    assert ref.passage.startswith("Putin and Kim Jong Un met")


def test_comments_appear_on_the_claim(reviewer_client: Client, claim: Claim) -> None:
    reviewer_client.post(reverse("review:comment", args=[claim.pk]), {"body": "Check TASS."})
    page = reviewer_client.get(claim.get_absolute_url()).content.decode()
    assert "Check TASS." in page


def test_the_verdict_form_comes_back_as_a_partial_for_htmx(
    reviewer_client: Client, claim: Claim
) -> None:
    response = reviewer_client.post(
        reverse("review:verdict", args=[claim.pk]),
        {"verdict": "supported", "rationale": "x", "version": 1}, headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert 'id="verdict"' in body
    assert "<html" not in body
    assert "at least one cited reference" in body


def test_a_successful_htmx_verdict_redirects_the_client(
    reviewer_client: Client, claim: Claim
) -> None:
    response = reviewer_client.post(
        reverse("review:verdict", args=[claim.pk]),
        {"verdict": "unverified", "rationale": "Nothing found.", "version": 1},
        headers={"HX-Request": "true"},
    )
    assert response.headers["HX-Redirect"] == reverse("review:queue")


@pytest.mark.parametrize("n", [1, 12])
def test_the_review_page_makes_the_same_number_of_queries_whatever_the_references(
    reviewer: User, reviewer_client: Client, claim: Claim,
    make_reference: Callable[..., Reference], django_assert_num_queries: Callable[..., object],
    n: int,
) -> None:
    refs = [make_reference(claim, i + 1) for i in range(n)]
    services.submit_review(claim=claim, reviewer=reviewer, verdict="supported",
                           rationale="Seen.", references=refs, expected_version=1)
    services.add_comment(claim=claim, author=reviewer, body="A note.")
    reviewer_client.get(claim.get_absolute_url())
    with django_assert_num_queries(QUERIES_FOR_REVIEW):  # type: ignore[operator]
        reviewer_client.get(claim.get_absolute_url())


# Before the view (session, user, permissions), then the claim with its suggestion,
# references, reviews and their cited references, comments, history, and the previous and
# next claim (one query).
QUERIES_FOR_REVIEW = BEFORE_THE_VIEW + 7
