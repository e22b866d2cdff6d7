# ruff: noqa: F811 - pytest fixtures imported from tests.claims.conftest, then requested by name
"""Notifications: a person hears, on the dashboard and by e-mail, when a claim is assigned
to them, their verdict is sent back or approved, or a comment mentions them as @name."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from claims.models import Claim
from tests.claims.conftest import (  # noqa: F401 - the claims tests' fixtures, shared here
    article,
    claim,
    make_claim,
)
from tests.conftest import make_user
from verify import pipeline
from verify.models import Notification
from verify.review import notifications, services

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("review:dashboard")
Commit = Callable[..., object]


def kinds(user: User) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_an_assignment_notifies_the_assignee_with_one_e_mail_for_the_batch(
    reviewer: User,
    editor_client: Client,
    make_claim: Callable[..., Claim],
    django_capture_on_commit_callbacks: Commit,
) -> None:
    first, second = make_claim(), make_claim("The Moscow Declaration was signed in August 2001.")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        editor_client.post(
            reverse("review:queue_assign"),
            {"assign-claims": [first.pk, second.pk], "assign-assignee": reviewer.pk},
        )
    assert kinds(reviewer) == ["assigned", "assigned"]
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [reviewer.email] and "2 claims for you" in sent.subject
    assert f"/claims/{first.pk}/" in sent.body and f"/claims/{second.pk}/" in sent.body
    assert "eddie assigned you a claim" in sent.body
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


def test_assigning_again_or_to_oneself_sends_nothing(
    reviewer: User, editor: User, claim: Claim, django_capture_on_commit_callbacks: Commit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.assign_claims(claims=[claim], assignee=reviewer, by=editor)
        claim.refresh_from_db()
        services.assign_claims(claims=[claim], assignee=reviewer, by=editor)  # no change
        services.assign_claims(claims=[claim], assignee=editor, by=editor)  # oneself
    assert kinds(reviewer) == ["assigned"] and kinds(editor) == []
    assert len(mail.outbox) == 1


def test_the_reviewer_hears_when_a_verdict_is_sent_back_and_when_one_is_approved(
    reviewer: User, editor: User, claim: Claim, django_capture_on_commit_callbacks: Commit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        review = services.submit_review(
            claim=claim,
            reviewer=reviewer,
            verdict="unverified",
            rationale="Nothing.",
            expected_version=1,
        )
        services.return_review(
            review=review, editor=editor, comment="Look at TASS's report.", expected_version=2
        )
        review = services.submit_review(
            claim=claim,
            reviewer=reviewer,
            verdict="unverified",
            rationale="Still nothing.",
            expected_version=3,
        )
        services.approve_review(review=review, editor=editor, expected_version=4)
    returned, approved = Notification.objects.filter(user=reviewer).order_by("id")
    assert (returned.kind, returned.note, returned.actor) == (
        "returned",
        "Look at TASS's report.",
        editor,
    )
    assert (approved.kind, approved.note) == ("approved", "Unverified")
    assert [m.subject for m in mail.outbox] == [
        f"[Verification desk] eddie sent your verdict back: claim {claim.pk}, “{claim}”",
        f"[Verification desk] eddie approved your verdict: claim {claim.pk}, “{claim}”",
    ]
    assert "Look at TASS's report." in mail.outbox[0].body
    assert kinds(editor) == []


def test_a_mention_notifies_the_desk_member_named_and_nobody_else(
    reviewer: User, editor: User, claim: Claim, django_capture_on_commit_callbacks: Commit
) -> None:
    make_user("otto")  # not on the desk: a mention of them tells them nothing
    vera = make_user("vera.k", "reviewer")
    body = (
        "@eddie can you approve? Ask @Vera.K. Mail rita@example.org, not @nobody; "
        "@otto and @rita (myself) are not told."
    )
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.add_comment(claim=claim, author=reviewer, body=body)
    assert kinds(editor) == ["mentioned"] and kinds(vera) == ["mentioned"]
    assert Notification.objects.count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == [editor.email, vera.email]


def test_a_mention_posted_on_the_page_reaches_the_dashboard(
    reviewer_client: Client, editor: User, editor_client: Client, claim: Claim
) -> None:
    reviewer_client.post(
        reverse("review:comment", args=[claim.pk]),
        {"body": "@eddie please look at the Kremlin readout"},
    )
    page = editor_client.get(DASHBOARD).content.decode()
    assert '<span class="badge unread" title="Unread">1 unread</span>' in page
    assert "<strong>rita</strong> mentioned you in a comment" in page
    assert f'href="/claims/{claim.pk}/"' in page and "Kremlin readout" in page


def test_marking_read_takes_a_notice_off_the_dashboard(
    reviewer: User, editor: User, reviewer_client: Client, make_claim: Callable[..., Claim]
) -> None:
    claims = [make_claim(), make_claim("The Moscow Declaration was signed in August 2001.")]
    services.assign_claims(claims=claims, assignee=reviewer, by=editor)
    first, second = Notification.objects.filter(user=reviewer).order_by("id")
    assert "Mark all 2 read" in reviewer_client.get(DASHBOARD).content.decode()
    reviewer_client.post(reverse("review:notification_read", args=[first.pk]))
    first.refresh_from_db()
    assert first.read_at is not None
    page = reviewer_client.get(DASHBOARD)
    assert list(page.context["notifications"]) == [second] and page.context["n_unread"] == 1
    reviewer_client.post(reverse("review:notifications_read"))
    assert not Notification.objects.unread().exists()
    assert "Nothing new." in reviewer_client.get(DASHBOARD).content.decode()


def test_nobody_marks_another_persons_notice(
    reviewer: User, editor: User, editor_client: Client, claim: Claim
) -> None:
    services.assign_claims(claims=[claim], assignee=reviewer, by=editor)
    notice = Notification.objects.get()
    response = editor_client.post(reverse("review:notification_read", args=[notice.pk]))
    assert response.status_code == 404
    editor_client.post(reverse("review:notifications_read"))
    notice.refresh_from_db()
    assert notice.read_at is None


def test_the_mail_task_run_twice_sends_once_and_skips_people_without_an_address(
    reviewer: User, editor: User, claim: Claim
) -> None:
    nomail = make_user("noah", "reviewer")
    nomail.email = ""
    nomail.save()
    made = notifications.notify(
        users=[reviewer, nomail], kind="assigned", claim=claim, actor=editor
    )
    ids = [n.pk for n in made]
    assert notifications.send_mails(ids) == 1
    assert notifications.send_mails(ids) == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [reviewer.email]


def test_the_reconciler_mails_a_notice_whose_mail_was_lost_once_the_retries_are_over(
    reviewer: User, editor: User, claim: Claim, settings: SettingsWrapper
) -> None:
    # notify() queues no mail itself (the services do, after commit): as if the broker was
    # down when the change committed, the notices wait with no e-mail on its way.
    lost, recent = notifications.notify(
        users=[reviewer, make_user("nina", "reviewer")], kind="assigned", claim=claim, actor=editor
    )
    now = timezone.now()
    retries_over = now - timedelta(seconds=settings.NOTIFICATION_MAIL_RETRY_SECONDS + 1)
    Notification.objects.filter(pk=lost.pk).update(mail_queued_at=retries_over)
    pipeline.reconcile()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [reviewer.email]
    recent.refresh_from_db()
    assert recent.emailed_at is None  # its task may still be retrying: not asked twice
    pipeline.reconcile()
    assert len(mail.outbox) == 1


def test_a_change_that_fails_leaves_no_notice(reviewer: User, editor: User, claim: Claim) -> None:
    review = services.submit_review(
        claim=claim,
        reviewer=reviewer,
        verdict="unverified",
        rationale="Nothing.",
        expected_version=1,
    )
    with pytest.raises(services.ReviewError):
        services.approve_review(review=review, editor=editor, expected_version=1)  # stale
    with pytest.raises(services.ReviewError):
        services.return_review(review=review, editor=editor, comment=" ", expected_version=2)
    assert not Notification.objects.exists() and mail.outbox == []


@pytest.mark.parametrize(
    ("extra", "backend"),
    [
        ({"DEBUG": "1"}, "django.core.mail.backends.console.EmailBackend"),
        ({"DEBUG": "0", "SECRET_KEY": "x" * 60}, "django.core.mail.backends.smtp.EmailBackend"),
        (
            {
                "DEBUG": "1",
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "mail.example.org",
                "EMAIL_PORT": "587",
            },
            "django.core.mail.backends.smtp.EmailBackend mail.example.org 587",
        ),
    ],
)
def test_mail_prints_to_the_console_in_development_and_uses_smtp_otherwise(
    extra: dict[str, str], backend: str
) -> None:
    code = (
        "import django; django.setup(); from django.core.mail import get_connection; "
        "c = get_connection(); print(type(c).__module__ + '.' + type(c).__name__, "
        "getattr(c, 'host', ''), getattr(c, 'port', ''))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **extra}
    if "EMAIL_BACKEND" not in extra:  # the machine's own choice must not decide the test
        env.pop("EMAIL_BACKEND", None)
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith(backend)
