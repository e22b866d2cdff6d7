"""The Celery task that sends a webhook delivery; the work is in api/webhooks.py."""

from __future__ import annotations

from celery import Task, shared_task

from api import webhooks


# No max_retries here: attempt() counts the row's attempts and marks it failed after
# WEBHOOK_MAX_ATTEMPTS, after which it asks for no more tries.
@shared_task(bind=True, acks_late=True, max_retries=None)
def deliver_webhook(self: Task, delivery_id: int) -> str:
    outcome = webhooks.attempt(delivery_id)
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.state


@shared_task
def resend_stuck() -> int:
    """Beat sends this every minute: deliveries that lost their task are queued again."""
    return webhooks.resend_stuck()
