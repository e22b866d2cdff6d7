"""Notices to a person about their work: a claim assigned to them, their verdict sent back
or approved, a comment that mentions them as @username. Each is a Notification row (the
dashboard lists the unread ones) and an e-mail through Django's mail, sent by a task
(verify.review.tasks) that verify.review.services queues after the change commits, so no
request waits for a mail server."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim
from verify.models import Notification
from verify.roles import ROLES

# Django's usernames: letters, digits and @ . + - _. An address (rita@example.org) is not
# a mention, hence no word character or @ just before; a trailing full stop is punctuation.
MENTION = re.compile(r"(?<![\w@.+-])@([\w.@+-]*[\w@+-])")


def mentioned(body: str, *, author: User) -> list[User]:
    """The active desk members a comment names as @username (not the author)."""
    names = {m.lower() for m in MENTION.findall(body)}
    if not names:
        return []
    match = Q()
    for name in names:
        match |= Q(username__iexact=name)
    return list(
        User.objects.filter(match, is_active=True)
        .exclude(pk=author.pk)
        .filter(Q(groups__name__in=list(ROLES)) | Q(is_superuser=True))
        .distinct()
        .order_by("username")
    )


def notify(
    *, users: Iterable[User | None], kind: str, claim: Claim, actor: User, note: str = ""
) -> list[Notification]:
    """One notice per person, never to the person who acted."""
    return Notification.objects.bulk_create(
        Notification(user=u, kind=kind, claim=claim, actor=actor, note=note[:300])
        for u in dict.fromkeys(u for u in users if u is not None and u.pk != actor.pk)
    )


def notify_many(
    *, user: User | None, kind: str, claims: Iterable[Claim], actor: User
) -> list[Notification]:
    """One notice per claim for one person (a bulk assignment); send_mails makes them one
    e-mail."""
    if user is None or user.pk == actor.pk:
        return []
    return Notification.objects.bulk_create(
        Notification(user=user, kind=kind, claim=c, actor=actor) for c in claims
    )


def send_mails(ids: list[int]) -> int:
    """Mail each person their notices among `ids` not mailed yet; the number of e-mails."""
    pending = list(
        Notification.objects.filter(pk__in=ids, emailed_at__isnull=True)
        .select_related("user", "actor", "claim")
        .order_by("user_id", "id")
    )
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for n in pending:
        if n.user.email:
            by_user[n.user_id].append(n)
    for notices in by_user.values():
        _mail(notices)
        # Marked after the send: a crash in between mails again rather than never.
        Notification.objects.filter(pk__in=[n.pk for n in notices]).update(
            emailed_at=timezone.now()
        )
    return len(by_user)


def line(n: Notification) -> str:
    text = f"{n.actor or 'Someone'} {n.get_kind_display()}: claim {n.claim_id}, “{n.claim}”"
    return f"{text}\n  {n.note}" if n.note else text


def _mail(notices: list[Notification]) -> None:
    first = notices[0]
    subject = (
        f"[{settings.DESK_NAME}] {line(first).splitlines()[0][:120]}"
        if len(notices) == 1
        else f"[{settings.DESK_NAME}] {len(notices)} claims for you"
    )
    base = settings.SITE_URL.rstrip("/")
    body = "\n\n".join(
        f"{line(n)}\n  {base}{reverse('review:claim', args=[n.claim_id])}" for n in notices
    )
    body += f"\n\nYour notices: {base}{reverse('review:dashboard')}#notifications\n"
    send_mail(subject, body, None, [first.user.email])
