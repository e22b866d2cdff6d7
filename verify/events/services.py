"""A reviewer's decisions on events: merge, move a claim out, rename. Each is atomic, marks
what it decided as the reviewer's (re-grouping never changes it) and writes the audit trail."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims.models import Article, Claim
from config.queueing import send_on_commit
from verify.events import grouping, tasks
from verify.models import AuditEvent, Event, EventMembership

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def queue_grouping(article: Article) -> None:
    send_on_commit(tasks.group_article, article.pk)


@transaction.atomic
def rename_event(*, event: Event, name: str, user: User) -> Event:
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Give the event a name.")
    if len(name) > 300:
        raise ValidationError("That name is too long.")
    before = event.name
    event.name, event.renamed_by, event.reviewer_locked = name, user, True
    event.updated_at = timezone.now()
    event.save(update_fields=["name", "renamed_by", "reviewer_locked", "updated_at"])
    AuditEvent.record(actor=user, action=AuditEvent.Action.EVENT_RENAMED, obj=event,
                      before={"name": before}, after={"name": name})
    return event


@transaction.atomic
def merge_events(*, into: Event, other: Event, user: User) -> Event:
    """Every claim of `other` joins `into`, as the reviewer's decision; `other` is gone."""
    if into.pk == other.pk:
        raise ValidationError("An event cannot be merged with itself.")
    if other.summaries.exists():
        raise ValidationError(f"“{other.name}” is published: merge the other event into it.")
    moved = list(EventMembership.objects.filter(event=other).select_related("claim"))
    for m in moved:
        m.event, m.set_by_reviewer, m.set_by = into, True, user
        m.reason = f"merged by {user.get_username()} from “{other.name}”"
        m.save(update_fields=["event", "set_by_reviewer", "set_by", "reason"])
    # The claims already in `into` were put together with the moved ones by this decision.
    EventMembership.objects.filter(event=into, set_by_reviewer=False).update(
        set_by_reviewer=True, set_by=user)
    for m in moved:
        AuditEvent.record(actor=user, action=AuditEvent.Action.EVENT_MERGED, claim=m.claim,
                          obj=into, before={"event": other.pk, "event_name": other.name},
                          after={"event": into.pk, "event_name": into.name})
    AuditEvent.record(actor=user, action=AuditEvent.Action.EVENT_MERGED, obj=into,
                      before={"event": other.pk, "event_name": other.name,
                              "claims": [m.claim_id for m in moved]},
                      after={"event": into.pk, "event_name": into.name})
    other.delete()
    into.reviewer_locked = True
    into.save(update_fields=["reviewer_locked"])
    grouping.refresh(into)
    return into


@transaction.atomic
def split_claim(*, event: Event, claim: Claim, user: User, name: str = "") -> Event:
    """Move a claim out of the event into an event of its own, as the reviewer's decision."""
    membership = EventMembership.objects.filter(event=event, claim=claim).first()
    if membership is None:
        raise ValidationError("That claim is not in this event.")
    if event.memberships.count() < 2:
        raise ValidationError("The claim is the event's only one; there is nothing to split.")
    new = Event.objects.create(
        name=(" ".join(name.split()) or f"{event.name} (split)")[:300], type=event.type,
        date_start=event.date_start, date_end=event.date_end, created_by=user,
        reviewer_locked=True,
    )
    membership.event, membership.set_by_reviewer, membership.set_by = new, True, user
    membership.reason = f"moved out of “{event.name}” by {user.get_username()}"
    membership.save(update_fields=["event", "set_by_reviewer", "set_by", "reason"])
    AuditEvent.record(actor=user, action=AuditEvent.Action.EVENT_SPLIT, claim=claim, obj=new,
                      before={"event": event.pk, "event_name": event.name},
                      after={"event": new.pk, "event_name": new.name})
    event.reviewer_locked = True
    event.save(update_fields=["reviewer_locked"])
    grouping.refresh(event)
    grouping.refresh(new)
    return new
