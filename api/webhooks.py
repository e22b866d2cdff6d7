"""Webhooks: tell a registered URL when a summary is published, corrected or retracted.

The publishing service sends `summary_changed` inside its transaction; `record` writes one
Delivery row per subscribed webhook in that same commit and queues a Celery task for each
after it. `attempt` makes one try: it POSTs the frozen body, signed with HMAC-SHA256 of
the body under the webhook's secret (header `X-Corroborate-Signature: sha256=<hex>`),
through the SSRF guard (the URL is checked again at every try, and the connection goes
only to the addresses checked), and records the outcome on the row. The task retries
with exponential backoff until WEBHOOK_MAX_ATTEMPTS, then the row says failed and why.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from celery import current_app
from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F, Prefetch, Q
from django.utils import timezone

from api import serialise
from api.models import Delivery, Webhook
from config.queueing import send_on_commit
from outbound import http
from outbound.errors import FetchError
from outbound.ssrf import general_reason, sees_full_errors
from verify.models import Summary

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Corroborate-Signature"
# By name, not by import: api.tasks imports this module (tests/test_architecture.py).
DELIVER_WEBHOOK = "api.tasks.deliver_webhook"
ERROR_CHARS = 500
RECENT_DELIVERIES = 10  # per webhook, on its page and in the API


def sign(secret: str, body: bytes) -> str:
    """What the receiver recomputes: `sha256=` and the HMAC-SHA256 of the raw body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def event_of(summary: Summary, previous: Summary | None) -> str:
    if summary.state == Summary.State.RETRACTED:
        return Webhook.Event.RETRACTED
    return Webhook.Event.CORRECTED if previous is not None else Webhook.Event.PUBLISHED


def body_for(event: str, summary: Summary) -> str:
    return json.dumps(
        {"event": event, "summary": serialise.published(summary)}, default=str, sort_keys=True
    )


def record(sender: Any, *, summary: Summary, previous: Summary | None, **_: Any) -> None:
    """Receiver of verify's summary_changed. In a savepoint of its own: a failure here is
    logged and must never undo the publication it is about."""
    event = event_of(summary, previous)
    try:
        with transaction.atomic():
            hooks = [h for h in Webhook.objects.filter(active=True) if event in h.events]
            body = body_for(event, summary)
            made = [
                Delivery.objects.create(webhook=h, summary=summary, event=event, body=body)
                for h in hooks
            ]
    except DatabaseError:
        log.exception("webhook deliveries for summary %s not recorded", summary.pk)
        return
    for delivery in made:
        queue(delivery.pk)


def queue(delivery_id: int) -> None:
    """Send the delivery's task once the transaction commits. A broker that is down is
    logged: the row stays pending and "Send again" (or a later event) is not lost."""
    send_on_commit(current_app.signature(DELIVER_WEBHOOK), delivery_id)


# A pending delivery nobody tried for this long lost its task: never queued (the broker
# was down at the commit) or its worker died. The longest wait between tries is the cap.
STUCK_UNTRIED = timedelta(minutes=2)
STUCK_MARGIN = timedelta(minutes=5)


def resend_stuck(now: datetime | None = None) -> int:
    """Queue again every pending delivery that lost its task; how many. A delivery sent
    twice is harmless: the receiver can tell by X-Corroborate-Delivery."""
    now = now or timezone.now()
    overdue = timedelta(seconds=settings.WEBHOOK_BACKOFF_MAX_SECONDS) + STUCK_MARGIN
    stuck = list(
        Delivery.objects.filter(state=Delivery.State.PENDING)
        .filter(
            Q(last_attempt__isnull=True, created__lt=now - STUCK_UNTRIED)
            | Q(last_attempt__lt=now - overdue)
        )
        .values_list("pk", flat=True)
    )
    for pk in stuck:
        queue(pk)
    return len(stuck)


def with_recent_deliveries(user: AbstractBaseUser | AnonymousUser) -> Sequence[Webhook]:
    """Every webhook with its latest deliveries in `recent` (three queries, however many
    webhooks), each error as this person may read it (the guard's full reasons name
    internal addresses; never saved)."""
    latest = Delivery.objects.select_related("summary").defer("body", "summary__snapshot")
    hooks = list(
        Webhook.objects.select_related("created_by").prefetch_related(
            Prefetch("deliveries", latest[:RECENT_DELIVERIES], to_attr="recent")
        )
    )
    full = sees_full_errors(user)
    for hook in hooks:
        for delivery in hook.recent:  # type: ignore[attr-defined]
            delivery.last_error = delivery.last_error if full else general_reason(
                delivery.last_error
            )
    return hooks


@dataclass
class Outcome:
    state: str
    retry_in: float | None = None  # seconds, when another try is due


def attempt(delivery_id: int) -> Outcome:
    """One try of a pending delivery; the row records it. Not pending: nothing to do."""
    claimed = Delivery.objects.filter(pk=delivery_id, state=Delivery.State.PENDING).update(
        attempts=F("attempts") + 1, last_attempt=timezone.now()
    )
    if not claimed:
        return Outcome(state="not pending")
    delivery = Delivery.objects.select_related("webhook").get(pk=delivery_id)
    try:
        status = post(delivery)
    except FetchError as exc:
        return _failed(delivery, None, str(exc), final=exc.permanent)
    if 200 <= status < 300:
        Delivery.objects.filter(pk=delivery.pk).update(
            state=Delivery.State.DELIVERED,
            last_status=status,
            last_error="",
            delivered=timezone.now(),
        )
        return Outcome(Delivery.State.DELIVERED)
    return _failed(
        delivery,
        status,
        f"the receiver answered HTTP {status}",
        # A refusal will not get better by asking again; nor will a redirect, not followed.
        final=status in http.PERMANENT_STATUSES or 300 <= status < 400,
    )


def _failed(delivery: Delivery, status: int | None, error: str, *, final: bool) -> Outcome:
    spent = delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS
    if spent and not final:
        error = f"{error}; gave up after {delivery.attempts} attempts"
    state = Delivery.State.FAILED if final or spent else Delivery.State.PENDING
    Delivery.objects.filter(pk=delivery.pk).update(
        state=state, last_status=status, last_error=error[:ERROR_CHARS]
    )
    if state == Delivery.State.FAILED:
        return Outcome(state)
    wait = settings.WEBHOOK_BACKOFF_SECONDS * 2 ** (delivery.attempts - 1)
    return Outcome(state, retry_in=min(wait, settings.WEBHOOK_BACKOFF_MAX_SECONDS))


def post(delivery: Delivery) -> int:
    """POST the signed body to the webhook's URL (outbound.http.post_user_url: the SSRF
    guard, the vetted addresses only, no redirects followed: a receiver that moved is told
    to update its URL by the failure); the HTTP status."""
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json",
        "X-Corroborate-Event": delivery.event,
        "X-Corroborate-Delivery": str(delivery.pk),
        SIGNATURE_HEADER: sign(delivery.webhook.secret, body),
    }
    return http.post_user_url(
        delivery.webhook.url, body, headers, timeout=settings.WEBHOOK_TIMEOUT
    )
