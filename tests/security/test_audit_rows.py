"""The audit trail (issue 8, item 15): each state change writes exactly one row, in the
transaction of the change.

tests/claims/test_audit.py shows what a row records (who, when, before, after) and that
the ORM's save, delete, queryset update and queryset delete refuse to rewrite it (and, on
PostgreSQL, the trigger refuses raw SQL). It is not repeated here. This file counts rows per
action, proves "same transaction" by failing each action just after its audit row is
written (and just before), and tries the ORM's other ways of rewriting rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import ProtectedError

from claims.models import Article, Claim, Outlet
from verify.models import AppendOnly, AuditEvent, Comment, LibraryDocument, Reference, Review
from verify.review import services

SENTENCE = "Kim Jong Un met Vladimir Putin in Vladivostok on April 25, 2019."
TEXT = (f"DPRK-Russia ties progress\n{SENTENCE} The two leaders discussed the situation on "
        "the Korean peninsula.\n")


@pytest.fixture(name="claim")
def fresh_claim(db: None) -> Claim:
    outlet = Outlet.objects.create(name="Pyongyang Times", is_state_media=True)
    article = Article.objects.create(title="DPRK-Russia ties progress", text=TEXT,
                                     content_hash="audit", outlet=outlet)
    start = TEXT.index(SENTENCE)
    return Claim.objects.create(article=article, start=start, end=start + len(SENTENCE),
                                sentence=SENTENCE, type=Claim.Type.MEETING,
                                place_name="Vladivostok")


@pytest.fixture(name="reference")
def its_reference(claim: Claim) -> Reference:
    url = "https://example.org/summit"
    return Reference.objects.create(claim=claim, source="wikipedia", url=url,
                                    canonical_url=url, passage_hash="summit",
                                    passage="Kim and Putin met in Vladivostok.")


class AfterTheAuditRow(Exception):
    """Raised by the test, once the action's audit row is written."""


Setup = Callable[[Claim, Reference, User, User], Any]


def propose(claim: Claim, reference: Reference, reviewer: User, editor: User) -> Review:
    return services.submit_review(claim=claim, reviewer=reviewer, verdict="supported",
                                  rationale="Two reports agree.", references=[reference],
                                  expected_version=claim.version)


def library_document() -> LibraryDocument:
    return LibraryDocument.objects.get_or_create(
        url="https://library.example.org/summit",
        defaults={"title": "Summit notes", "text": "Kim Jong Un met Vladimir Putin."},
    )[0]


# action name → (what it does, the audit action it must record). Each takes a fresh claim
# (version 1 unless the set-up moves it), its reference, a reviewer and an editor.
ACTIONS: dict[str, tuple[Setup, str]] = {
    "edit": (lambda c, r, rv, ed: services.edit_claim(
        claim=c, user=rv, changes={"place_name": "Khabarovsk"}, expected_version=c.version),
        "edited"),
    "submit": (propose, "proposed"),
    "approve": (lambda c, r, rv, ed: services.approve_review(
        review=propose(c, r, rv, ed), editor=ed, expected_version=c.version), "approved"),
    "return": (lambda c, r, rv, ed: services.return_review(
        review=propose(c, r, rv, ed), editor=ed, comment="Cite a second source.",
        expected_version=c.version), "returned"),
    "dismiss": (lambda c, r, rv, ed: services.dismiss_claim(
        claim=c, user=rv, reason="Ceremonial.", expected_version=c.version), "dismissed"),
    "comment": (lambda c, r, rv, ed: services.add_comment(
        claim=c, author=rv, body="Check the Russian readout."), "commented"),
    "reference from the library": (lambda c, r, rv, ed: services.add_library_reference(
        claim=c, document=library_document(), user=rv), "reference_added"),
    "assign": (lambda c, r, rv, ed: services.assign_claims(claims=[c], assignee=rv, by=ed),
               "assigned"),
    "add from selection": (lambda c, r, rv, ed: services.add_claim_from_selection(
        article=c.article, user=rv, quote="The two leaders discussed the situation on the "
        "Korean peninsula."), "added"),
}
# Steps before the action itself (a proposal to approve or return) write their own rows.
PREPARED = {"approve": 1, "return": 1}


def snapshot(claim: Claim) -> tuple[object, ...]:
    """Everything the actions change, read from the database."""
    row = Claim.objects.filter(pk=claim.pk).values().get()
    counts = tuple(m._default_manager.count() for m in (Claim, Review, Comment, Reference))
    return tuple(sorted(row.items())), counts


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(ACTIONS))
def test_each_state_change_writes_exactly_one_audit_row(
    name: str, claim: Claim, reference: Reference, reviewer: User, editor: User
) -> None:
    act, action = ACTIONS[name]
    act(claim, reference, reviewer, editor)
    events = list(AuditEvent.objects.order_by("id"))[PREPARED.get(name, 0):]
    assert [e.action for e in events] == [action]
    event = events[0]
    assert event.actor in (reviewer, editor)
    assert event.article_id == claim.article_id
    if action != "added":  # a new claim is its own subject
        claim.refresh_from_db()
        assert (event.claim_id, event.version) == (claim.pk, claim.version)


@pytest.mark.django_db
def test_a_verdict_replacing_a_pending_one_records_both_changes(
    claim: Claim, reference: Reference, reviewer: User, editor: User
) -> None:
    """Two objects change (the old proposal is superseded, a new one is made): one row each,
    at the same claim version."""
    first = propose(claim, reference, reviewer, editor)
    propose(claim, reference, editor, reviewer)
    superseded, proposed = AuditEvent.objects.order_by("id")[1:]
    assert (superseded.action, superseded.object_id) == ("superseded", first.pk)
    assert proposed.action == "proposed"
    assert superseded.version == proposed.version == 3


def fail_after_recording(monkeypatch: pytest.MonkeyPatch, written: list[int]) -> None:
    """The service's own record(), then a failure: as if a later step of it had raised."""
    real = services.record

    def record_then_fail(**kwargs: Any) -> AuditEvent:
        event = real(**kwargs)
        assert AuditEvent.objects.filter(pk=event.pk).exists()  # the row was written
        written.append(event.pk)
        raise AfterTheAuditRow

    monkeypatch.setattr(services, "record", record_then_fail)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", list(ACTIONS))
def test_a_failure_after_the_audit_row_keeps_neither_the_change_nor_the_row(
    name: str, claim: Claim, reference: Reference, reviewer: User, editor: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    act, _action = ACTIONS[name]
    prepared = None
    if name in PREPARED:  # the proposal is made (and committed) before the failing action
        prepared = propose(claim, reference, reviewer, editor)
        act = {
            "approve": lambda c, r, rv, ed: services.approve_review(
                review=prepared, editor=ed, expected_version=c.version),
            "return": lambda c, r, rv, ed: services.return_review(
                review=prepared, editor=ed, comment="Cite a second source.",
                expected_version=c.version),
        }[name]
    before, events_before = snapshot(claim), AuditEvent.objects.count()
    written: list[int] = []
    fail_after_recording(monkeypatch, written)
    if name == "assign":  # bulk: its rows are written with bulk_create, not record()
        monkeypatch.setattr(AuditEvent.objects, "bulk_create",
                            _then_fail(AuditEvent.objects.bulk_create, written))
    with pytest.raises(AfterTheAuditRow):
        act(claim, reference, reviewer, editor)
    assert written  # the failure came after the row was written…
    assert snapshot(claim) == before  # …and the change is gone…
    assert AuditEvent.objects.count() == events_before  # …and so is the row
    assert not AuditEvent.objects.filter(pk__in=written).exists()
    if prepared is not None:
        prepared.refresh_from_db()
        assert prepared.status == Review.Status.PROPOSED


def _then_fail(real: Callable[..., list[AuditEvent]], written: list[int]
               ) -> Callable[..., list[AuditEvent]]:
    def bulk_create_then_fail(objs: Any, *args: Any, **kwargs: Any) -> list[AuditEvent]:
        created = real(objs, *args, **kwargs)
        written.extend(e.pk for e in created if e.pk)
        written.append(-1)  # on backends that return no ids, still mark that it ran
        raise AfterTheAuditRow

    return bulk_create_then_fail


@pytest.mark.django_db(transaction=True)
def test_a_failing_audit_write_keeps_no_change(
    claim: Claim, reviewer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other direction: if the row cannot be written, the change is not made either."""
    def refuse(**kwargs: Any) -> AuditEvent:
        raise AfterTheAuditRow

    monkeypatch.setattr(services, "record", refuse)
    before = snapshot(claim)
    with pytest.raises(AfterTheAuditRow):
        services.edit_claim(claim=claim, user=reviewer, changes={"place_name": "Khabarovsk"},
                            expected_version=1)
    assert snapshot(claim) == before


# --- Other ORM paths that could rewrite the trail -------------------------------------------
# (save, delete, queryset update and delete: tests/claims/test_audit.py)


@pytest.mark.django_db
def test_bulk_update_update_or_create_and_the_related_manager_refuse(
    claim: Claim, reviewer: User
) -> None:
    services.add_comment(claim=claim, author=reviewer, body="Hello")
    event = AuditEvent.objects.get()
    event.note = "rewritten"
    # Each in a savepoint: both run inside atomic(), and the refusal rolls that back.
    with pytest.raises(AppendOnly), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["note"])
    with pytest.raises(AppendOnly), transaction.atomic():
        AuditEvent.objects.update_or_create(pk=event.pk, defaults={"note": "rewritten"})
    with pytest.raises(AppendOnly):
        claim.audit_events.all().delete()
    with pytest.raises(AppendOnly):
        claim.audit_events.update(note="rewritten")
    assert AuditEvent.objects.get().note == "Hello"


@pytest.mark.django_db
def test_deleting_the_claim_or_the_person_never_takes_the_trail_with_it(
    claim: Claim, reviewer: User
) -> None:
    services.add_comment(claim=claim, author=reviewer, body="Hello")
    Comment.objects.all().delete()  # comments are the claim's; the trail is not
    article = claim.article
    claim_id = claim.pk
    claim.delete()  # as re-extraction deletes untouched claims
    article.delete()
    assert AuditEvent.objects.filter(claim_id=claim_id, action="commented").count() == 1
    with pytest.raises(ProtectedError), transaction.atomic():
        reviewer.delete()  # who did it stays known
    assert AuditEvent.objects.get().actor == reviewer


@pytest.mark.django_db
def test_publishing_and_a_reference_a_person_asked_for_are_recorded_too(
    claim: Claim, reference: Reference, reviewer: User, editor: User
) -> None:
    """Issue 5, item 9: every change to claims, verdicts, references *and publishing*."""
    from verify.evidence.gathering import store_candidates
    from verify.evidence.sources.base import Candidate
    from verify.publishing.services import publish_summary

    # "Add a reference by URL": the web source's job stores it for the person who asked.
    store_candidates(claim, "web", [Candidate(url="https://example.org/readout",
                                              title="Readout")], user=reviewer)
    added = AuditEvent.objects.filter(action="reference_added")
    assert [(e.actor, e.claim_id) for e in added] == [(reviewer, claim.pk)]
    review = propose(claim, reference, reviewer, editor)
    services.approve_review(review=review, editor=editor, expected_version=claim.version)
    before = AuditEvent.objects.count()
    publish_summary(article=claim.article, editor=editor)
    published = list(AuditEvent.objects.order_by("id")[before:])
    assert [(e.action, e.actor, e.article_id) for e in published] == [
        ("published", editor, claim.article_id)
    ]
