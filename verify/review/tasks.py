"""Celery tasks of the review desk; the work is in verify.review.notifications."""

from __future__ import annotations

import smtplib

from celery import shared_task

from verify.review import notifications


# A mail server that is down or refuses for a while: try again, backing off, for about an
# hour; the notices stay on the dashboard whatever happens to the e-mail.
@shared_task(
    autoretry_for=(OSError, smtplib.SMTPException),
    retry_backoff=30,
    retry_backoff_max=900,
    max_retries=6,
)
def send_notification_mail(notification_ids: list[int]) -> None:
    notifications.send_mails(notification_ids)
