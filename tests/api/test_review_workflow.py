"""The review rules hold through the API as in the web UI: the two-person rule, optimistic
locking with the other person's change on a 409, and the audit trail naming the token."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User

from claims.models import Claim
from tests.api.conftest import ApiClient
from tests.conftest import make_user
from verify.models import AuditEvent, Reference, Review


def propose(client: ApiClient, claim: Claim, reference: Reference, version: int) -> object:
    return client.post(f"/api/v1/claims/{claim.pk}/reviews/", {
        "verdict": "supported", "rationale": "Two independent reports agree.",
        "references": [reference.pk], "version": version,
    })


def test_a_proposed_verdict_waits_for_another_editor(
    claim: Claim, reference: Reference, reviewer: User, editor: User,
    client_for: Callable[..., ApiClient],
) -> None:
    response = propose(client_for(reviewer), claim, reference, claim.version)
    assert response.status_code == 201, response.content
    review = response.json()
    assert review["status"] == "proposed"
    detail = client_for(reviewer).get(f"/api/v1/claims/{claim.pk}/").json()
    assert detail["review"] == {"status": "proposed", "verdict": "",
                                "proposed_verdict": "supported"}

    approved = client_for(editor).post(
        f"/api/v1/claims/{claim.pk}/reviews/{review['id']}/approve",
        {"version": detail["version"]},
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "final"
    assert approved.json()["approved_by"] == editor.username
    claim.refresh_from_db()
    assert (claim.verdict, claim.status) == ("supported", "final")


def test_an_editor_cannot_approve_their_own_verdict(
    claim: Claim, reference: Reference, editor: User, client_for: Callable[..., ApiClient],
) -> None:
    client = client_for(editor)
    review = propose(client, claim, reference, claim.version).json()
    version = Claim.objects.get(pk=claim.pk).version
    refused = client.post(f"/api/v1/claims/{claim.pk}/reviews/{review['id']}/approve",
                          {"version": version})
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "refused"
    assert "two-person rule" in refused.json()["error"]["message"]
    claim.refresh_from_db()
    assert (claim.verdict, claim.status, claim.version) == ("", "proposed", version)
    assert Review.objects.get(pk=review["id"]).status == Review.Status.PROPOSED


def test_a_reviewer_cannot_approve_at_all(
    claim: Claim, reference: Reference, reviewer: User, client_for: Callable[..., ApiClient],
) -> None:
    other = make_user("pat", "reviewer")
    review = propose(client_for(other), claim, reference, claim.version).json()
    refused = client_for(reviewer).post(
        f"/api/v1/claims/{claim.pk}/reviews/{review['id']}/approve", {"version": 2}
    )
    assert refused.status_code == 403
    assert Review.objects.get(pk=review["id"]).status == Review.Status.PROPOSED


def test_sending_back_needs_a_reason_and_reopens_the_claim(
    claim: Claim, reference: Reference, reviewer: User, editor: User,
    client_for: Callable[..., ApiClient],
) -> None:
    review = propose(client_for(reviewer), claim, reference, claim.version).json()
    url = f"/api/v1/claims/{claim.pk}/reviews/{review['id']}/send-back"
    blank = client_for(editor).post(url, {"version": 2, "comment": ""})
    assert blank.status_code == 400
    assert "comment" in blank.json()["error"]["fields"]
    back = client_for(editor).post(url, {"version": 2, "comment": "Cite a second source."})
    assert back.status_code == 200, back.content
    claim.refresh_from_db()
    assert claim.status == Claim.Status.RETURNED


def test_a_stale_version_gets_409_with_the_other_persons_change(
    claim: Claim, reference: Reference, reviewer: User, editor: User,
    client_for: Callable[..., ApiClient],
) -> None:
    seen = client_for(reviewer).get(f"/api/v1/claims/{claim.pk}/").json()["version"]
    edited = client_for(editor, "CMS sync").post(
        f"/api/v1/claims/{claim.pk}/edit", {"version": seen, "place_name": "Russky Island"}
    )
    assert edited.status_code == 200, edited.content
    assert edited.json()["place_name"] == "Russky Island"

    late = propose(client_for(reviewer), claim, reference, seen)
    assert late.status_code == 409
    error = late.json()["error"]
    assert error["code"] == "conflict"
    assert error["current_version"] == seen + 1
    assert [(c["actor"], c["action"]) for c in error["changes"]] == [(editor.username, "edited")]
    assert error["changes"][0]["after"]["place_name"] == "Russky Island"
    assert not Review.objects.filter(claim=claim).exists()

    again = propose(client_for(reviewer), claim, reference, error["current_version"])
    assert again.status_code == 201


def test_every_event_says_it_came_through_the_api_and_which_token(
    claim: Claim, reference: Reference, reviewer: User, client_for: Callable[..., ApiClient],
) -> None:
    propose(client_for(reviewer, "newsroom bot"), claim, reference, claim.version)
    event = AuditEvent.objects.get(claim=claim, action=AuditEvent.Action.PROPOSED)
    assert event.actor == reviewer
    assert event.note == "via API (newsroom bot)"


def test_a_dismissal_keeps_its_reason_and_names_the_token(
    claim: Claim, reviewer: User, client_for: Callable[..., ApiClient],
) -> None:
    response = client_for(reviewer, "triage").post(
        f"/api/v1/claims/{claim.pk}/dismiss", {"version": claim.version, "reason": "Rhetoric."}
    )
    assert response.status_code == 200, response.content
    assert response.json()["review"]["status"] == "dismissed"
    event = AuditEvent.objects.get(claim=claim, action=AuditEvent.Action.DISMISSED)
    assert event.note == "Rhetoric.\n(via API (triage))"


def test_the_web_ui_records_no_channel(
    claim: Claim, reference: Reference, reviewer: User,
) -> None:
    from django.test import Client

    web = Client()
    web.force_login(reviewer)
    web.post(f"/claims/{claim.pk}/verdict/", {
        "verdict": "supported", "rationale": "Agrees.", "references": [reference.pk],
        "version": claim.version,
    })
    assert AuditEvent.objects.get(claim=claim, action=AuditEvent.Action.PROPOSED).note == ""


def test_an_articles_claims_link_lists_every_claim_of_it_decided_or_not(
    claim: Claim, reviewer: User, client_for: Callable[..., ApiClient],
) -> None:
    """The link once said `stage=any`, a parameter the list does not know: it listed only
    the claims still to work, and a final claim went missing from its article's list."""
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.FINAL, verdict="supported")
    client = client_for(reviewer)
    link = client.get(f"/api/v1/articles/{claim.article_id}/").json()["claims_url"]
    assert [c["id"] for c in client.get(link).json()["items"]] == [claim.pk]
